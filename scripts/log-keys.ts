/**
 * The Merkle log's signing keys of a data directory:
 *   node dist/scripts/log-keys.js list|rotate|retire <keyId> [--data-dir ./data] [--json]
 * rotate: a new key (same origin) signs every checkpoint from now on; the previous one co-signs
 *   beside it until retired, so witnesses and auditors holding only the old verifier key keep
 *   verifying while they are given the new one (register it with each witness: witnessctl add-key).
 * retire <keyId>: an earlier key stops co-signing and its signing half is deleted; its verifier key
 *   stays listed (GET /log/keys) for the checkpoints it signed.
 * A running api notices both within a second. With LEDGER_LOG_KEY_FILE the keyring sits beside that
 * file. Exit codes: 0 done, 2 bad usage or refused.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { LogKeyring, retireLogKey, rotateLogKey } from '@ledger/event-store';

const USAGE = 'usage: log-keys list|rotate|retire <keyId> [--data-dir ./data] [--json]';

function main(): void {
  const { values, positionals } = parseArgs({
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = {
    dataDir: path.resolve(values['data-dir'] ?? process.env.LEDGER_DATA_DIR ?? './data'),
    keyFile: process.env.LEDGER_LOG_KEY_FILE?.trim() === '' ? undefined : process.env.LEDGER_LOG_KEY_FILE?.trim(),
    origin: process.env.LEDGER_LOG_ORIGIN?.trim() === '' ? undefined : process.env.LEDGER_LOG_ORIGIN?.trim(),
  };
  const [command, keyId] = positionals;
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json === true ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  if (command === 'list') {
    const keys = LogKeyring.load(options).keys();
    print(keys, keys.map((k) => `${k.keyId} ${k.state} ${k.vkey}`).join('\n'));
  } else if (command === 'rotate') {
    const rotated = rotateLogKey(options);
    print(rotated, `active log key ${rotated.keyId} (${rotated.vkey}); ${rotated.previousKeyId} co-signs until retired`);
  } else if (command === 'retire' && keyId !== undefined) {
    retireLogKey(options, keyId);
    print({ retired: keyId }, `log key ${keyId} retired: it signs nothing from now on`);
  } else throw new Error(USAGE);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
