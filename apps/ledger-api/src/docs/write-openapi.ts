import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLedgerApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from './swagger';

/**
 * `node dist/apps/ledger-api/src/docs/write-openapi.js <file>`: writes the OpenAPI document the
 * api serves at /docs-json, built from the app itself on a throw-away data dir (npm run lint:openapi).
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (out === undefined) throw new Error('usage: write-openapi <output.json>');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-openapi-'));
  const app = await createLedgerApp({ config: loadConfig({ LEDGER_DATA_DIR: dataDir }), logger: ['error'] });
  try {
    await app.init();
    fs.writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`write-openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
