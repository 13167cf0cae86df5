import { createServer, type Server } from 'node:http';
import { PROJECTIONS, Projector } from '@ledger/read-models';
import { describeStores, openStores } from '@ledger/stores';
import { ConfigError } from '@ledger/stores';
import { loadProjectorConfig, type ProjectorConfig } from './config';

/**
 * `node dist/apps/projector/src/main.js [--rebuild]`: keeps the read models up to date in its own
 * process, for the distributed setup (the api then runs with LEDGER_PROJECTOR=external and follows
 * this process's checkpoint in the shared read store). On SIGTERM/SIGINT it finishes the batch in
 * hand, commits it with its checkpoint, closes the stores and exits 0.
 */
const log = (message: string) => process.stdout.write(`${new Date().toISOString()} projector: ${message}\n`);

async function main(): Promise<void> {
  let config: ProjectorConfig;
  try {
    config = loadProjectorConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`projector: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  for (const warning of config.stores.warnings) log(`warning: ${warning}`);
  const { eventStore, readStore } = await openStores(config.stores, log);
  log(describeStores(config.stores));
  const projector = new Projector({ eventStore, readStore, projections: PROJECTIONS, batchSize: config.batchSize, logger: log });
  if (config.rebuild) {
    const { events, ms } = await projector.rebuild();
    log(`rebuild done: ${events} events in ${ms} ms`);
  } else {
    await projector.start();
  }
  log(`following from position ${projector.position()}`);
  const health =
    config.healthPort === undefined
      ? undefined
      : serveHealth(config.healthPort, async () => {
          const head = await eventStore.headPosition();
          return { status: 'ok', eventStoreHead: head, readModelPosition: projector.position(), lag: head - projector.position() };
        });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping at position ${projector.position()}`);
    health?.close();
    projector
      .stop()
      .then(() => readStore.close())
      .then(() => eventStore.close())
      .then(() => {
        log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`projector: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function serveHealth(port: number, read: () => Promise<Record<string, unknown>>): Server {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    read()
      .then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)))
      .catch((error: unknown) =>
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'unavailable', error: String(error) })),
      );
  });
  server.listen(port, '0.0.0.0', () => log(`health on :${port}/health`));
  return server;
}

main().catch((error: unknown) => {
  process.stderr.write(`projector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
