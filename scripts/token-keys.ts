/**
 * The local token keys of a data directory (AUTH_MODE=local):
 *   node dist/scripts/token-keys.js list|rotate|retire <kid> [--data-dir ./data] [--json]
 * rotate: a new key signs from now on (mint-token uses it); the old one keeps verifying its tokens.
 * retire <kid>: an earlier key's tokens are refused from now on (401 TOKEN_KEY_RETIRED).
 * A running api notices both within a second. Exit codes: 0 done, 2 bad usage or refused.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { listLocalKeys, retireLocalKey, rotateLocalKey } from '../apps/ledger-api/src/auth/local-keys';

const USAGE = 'usage: token-keys list|rotate|retire <kid> [--data-dir ./data] [--json]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.LEDGER_DATA_DIR ?? './data');
  const [command, kid] = positionals;
  const print = (value: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  if (command === 'list') {
    const keys = await listLocalKeys(dataDir);
    print(keys, keys.map((k) => `${k.kid} ${k.state}${k.retiredAt === null ? '' : ` ${k.retiredAt}`}`).join('\n'));
  } else if (command === 'rotate') {
    const rotated = await rotateLocalKey(dataDir);
    print(rotated, `active key ${rotated.kid}; ${rotated.previousKid} still verifies until retired`);
  } else if (command === 'retire' && kid !== undefined) {
    await retireLocalKey(dataDir, kid);
    print({ retired: kid }, `key ${kid} retired: its tokens are refused from now on`);
  } else throw new Error(USAGE);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
