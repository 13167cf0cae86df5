/**
 * Prints a bearer token signed with the local key of a data directory (AUTH_MODE=local):
 *   node dist/scripts/mint-token.js --sub <id> --role <ROLE> [--data-dir ./data] [--ttl 8h]
 * Creates the key pair if the directory has none yet, exactly as the API would on first start.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { ROLES, type Role } from '@ledger/appraisal';
import { loadOrCreateLocalKeys, signLocalToken, ttlSeconds } from '../apps/ledger-api/src/auth/local-keys';

const USAGE = `usage: mint-token --sub <id> --role <${ROLES.join('|')}> [--data-dir ./data] [--ttl 8h]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      role: { type: 'string' },
      'data-dir': { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { sub, role, ttl } = values;
  if (sub === undefined || sub.trim() === '' || role === undefined) throw new Error(USAGE);
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`unknown role "${role}"\n${USAGE}`);
  ttlSeconds(ttl);
  const dataDir = path.resolve(values['data-dir'] ?? process.env.LEDGER_DATA_DIR ?? './data');
  const keys = await loadOrCreateLocalKeys(dataDir);
  process.stdout.write(`${await signLocalToken(keys, { sub, role: role as Role, ttl })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
