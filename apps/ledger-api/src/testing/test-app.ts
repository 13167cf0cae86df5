import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Role } from '@ledger/appraisal';
import type { DestinationStream } from '@ledger/observability';
import { createLedgerApp } from '../app.factory';
import { loadOrCreateLocalKeys, signLocalToken, type LocalKeys } from '../auth/local-keys';
import { loadConfig } from '../config/config';
import type { Clock, IdGenerator } from '../platform/ports';

export interface TestApp {
  app: NestExpressApplication;
  /** The node HTTP server, for supertest. */
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  dataDir: string;
  token(sub: string, role: Role): Promise<string>;
  close(): Promise<void>;
}

/**
 * The production app on a fresh temporary data directory (or on `dataDir`, which close() then
 * keeps: a test restarts the api on the same store), with the given clock and ids.
 */
export async function startTestApp(
  options: { clock?: Clock; ids?: IdGenerator; env?: NodeJS.ProcessEnv; dataDir?: string; logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-api-'));
  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, ...options.env });
  const app = await createLedgerApp({
    config,
    clock: options.clock,
    ids: options.ids,
    logger: process.env.LEDGER_TEST_LOG ? ['error', 'warn'] : false,
    logDestination: options.logDestination,
  });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  let keys: LocalKeys | undefined;
  return {
    app,
    server: app.getHttpServer(),
    dataDir,
    async token(sub, role) {
      keys ??= await loadOrCreateLocalKeys(dataDir);
      return signLocalToken(keys, { sub, role, ttl: '1h' });
    },
    async close() {
      await app.close();
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
