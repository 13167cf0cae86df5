import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RequestListener } from 'node:http';
import type { Role } from '@ledger/appraisal';
import type { DestinationStream } from '@ledger/observability';
import { createLedgerApp } from '../app.factory';
import { loadOrCreateLocalKeys, signLocalToken, type LocalKeys } from '../auth/local-keys';
import { loadConfig } from '../config/config';
import { httpStackReady, type LedgerHttpApp, requestListenerOf } from '../platform/http-adapter';
import type { Clock, IdGenerator } from '../platform/ports';

export interface TestApp {
  app: LedgerHttpApp;
  /** The node HTTP server, for supertest. */
  server: ReturnType<LedgerHttpApp['getHttpServer']>;
  /** The app as a request listener, for a second server of a test's own (another address to call from). */
  listener: RequestListener;
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
  // LEDGER_HTTP from the test run's environment picks the stack (npm run test:e2e on either); a test's env still wins.
  const config = loadConfig({ LEDGER_DATA_DIR: dataDir, ...pick(process.env, 'LEDGER_HTTP'), ...options.env });
  const app = await createLedgerApp({
    config,
    clock: options.clock,
    ids: options.ids,
    logger: process.env.LEDGER_TEST_LOG ? ['error', 'warn'] : false,
    logDestination: options.logDestination,
  });
  try {
    await app.init();
    await httpStackReady(app, config.http);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  let keys: LocalKeys | undefined;
  return {
    app,
    server: app.getHttpServer(),
    listener: requestListenerOf(app, config.http),
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

const pick = (env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv => (env[name] === undefined ? {} : { [name]: env[name] });
