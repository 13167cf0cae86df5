// First: OpenTelemetry (when the OTEL_* variables ask for it) before Nest loads http and express.
import { tracing } from './tracing';
import { shutdownTracing } from '@ledger/observability';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';

/**
 * `node dist/apps/ledger-api/src/main.js`: the API with the embedded stores and the in-process
 * projector. On SIGTERM/SIGINT it stops accepting connections, lets Nest close the HTTP server,
 * then stops the projector and closes the stores (LedgerRuntime.onApplicationShutdown).
 */
async function main(): Promise<void> {
  const logger = new Logger('ledger-api');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Plain stderr and exitCode (not exit()): the message must not be cut off in a pipe.
      process.stderr.write(`ledger-api: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const app = await createLedgerApp({ config });
  await app.listen(config.port, config.host);
  // The port bound, not the one asked for: LEDGER_PORT=0 lets the system choose a free one.
  const address = (app.getHttpServer() as { address(): { port: number } | string | null }).address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.log(`listening on http://${config.host}:${port} (data: ${config.dataDir}, auth: ${config.auth.mode}); docs at /docs`);
  if (tracing !== undefined) logger.log(`traces on (${tracing.settings.reason})`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    app
      .close()
      .then(() => shutdownTracing())
      .then(() => {
        logger.log('stopped: HTTP closed, projector stopped, stores closed');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  new Logger('ledger-api').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
