// First: OpenTelemetry, when the OTEL_* variables ask for it.
import { tracing } from './tracing';
import { PROJECTIONS, Projector } from '@ledger/read-models';
import {
  check,
  createLogger,
  createRegistry,
  followerTraceContext,
  lineLogger,
  readinessOf,
  shutdownTracing,
  scrapedGauge,
  startOpsServer,
  type OpsServer,
} from '@ledger/observability';
import { SqliteEventStore } from '@ledger/event-store';
import { describeStores, openStores } from '@ledger/stores';
import { ConfigError } from '@ledger/stores';
import { loadProjectorConfig, type ProjectorConfig } from './config';

/**
 * `node dist/apps/projector/src/main.js [--rebuild]`: keeps the read models up to date in its own
 * process, for the distributed setup (the api then runs with LEDGER_PROJECTOR=external and follows
 * this process's progress checkpoint in the shared read store). A projection that is new or whose
 * version changed is rebuilt alone in the background and swapped in (libs/read-models Projector);
 * killed half-way, the next start resumes it. On SIGTERM/SIGINT it finishes the batch in hand,
 * commits it with its checkpoints, closes the stores and exits 0. Logs are JSON lines
 * (libs/observability); PROJECTOR_HEALTH_PORT serves /health, /health/live, /health/ready, /metrics.
 */
const PROGRESS = 'read-models';

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
  const logger = createLogger({ service: 'projector', ...config.logging });
  const log = lineLogger(logger);
  for (const warning of config.stores.warnings) logger.warn(warning);
  if (tracing !== undefined) log(`traces on (${tracing.settings.reason})`);
  const { eventStore, readStore } = await openStores(config.stores, lineLogger(logger, 'warn'));
  log(describeStores(config.stores));
  // With traces on, a batch continues the trace of the command that appended its events: the
  // embedded store keeps each append's trace context beside the events (a server store does not).
  const traceContextOf =
    tracing === undefined
      ? undefined
      : followerTraceContext(eventStore instanceof SqliteEventStore ? (id) => eventStore.traceContextOf(id) : undefined);
  const projector = new Projector({
    eventStore,
    readStore,
    projections: PROJECTIONS,
    batchSize: config.batchSize,
    rebuildPageSize: config.rebuildPageSize,
    rebuildMaxHeldDocs: config.rebuildMaxHeldDocs,
    logger: log,
    ...(traceContextOf !== undefined && { traceContextOf }),
  });
  if (config.rebuild) {
    const { events, ms } = await projector.rebuild();
    logger.info({ events, ms }, `rebuild done: ${events} events in ${ms} ms`);
  } else {
    await projector.start();
  }
  logger.info({ position: projector.position() }, `following from position ${projector.position()}`);

  const registry = createRegistry('projector');
  const head = () => eventStore.headPosition();
  scrapedGauge(registry, 'ledger_event_store_head_position', 'Global position of the latest stored event', [], async () => [
    { value: await head() },
  ]);
  // The progress readers wait on (projection="read-models", as before), then each projection's own.
  const positions = () => [
    { projection: PROGRESS, position: projector.position() },
    ...projector.status().map(({ projection, position }) => ({ projection, position })),
  ];
  scrapedGauge(registry, 'ledger_projector_position', 'Global position the read models have applied', ['projection'], async () =>
    positions().map(({ projection, position }) => ({ labels: { projection }, value: position })),
  );
  scrapedGauge(registry, 'ledger_projector_lag_events', 'Events stored but not yet in the read models', ['projection'], async () => {
    const at = await head();
    return positions().map(({ projection, position }) => ({ labels: { projection }, value: Math.max(0, at - position) }));
  });
  scrapedGauge(
    registry,
    'ledger_projector_rebuilding',
    'Projections being rebuilt in the background (1) or serving (0), by version',
    ['projection', 'version'],
    async () =>
      projector.status().map(({ projection, version, state }) => ({
        labels: { projection, version: String(version) },
        value: state === 'serving' ? 0 : 1,
      })),
  );
  let ops: OpsServer | undefined;
  if (config.ops.port !== undefined) {
    ops = await startOpsServer({
      host: config.ops.host,
      port: config.ops.port,
      registry,
      ready: () =>
        readinessOf([
          check('eventStore', async () => ({ head: await head() })),
          check('readStore', async () => ({ checkpoint: await readStore.getCheckpoint(PROGRESS) })),
          check('projector', async () => {
            const lag = Math.max(0, (await head()) - projector.position());
            return { ok: lag <= config.ops.readyMaxLag, position: projector.position(), lag, maxLag: config.ops.readyMaxLag };
          }),
        ]),
      // The historical answer, kept for the healthchecks and scripts that read it.
      routes: {
        '/health': async () => {
          const at = await head();
          return {
            status: 200,
            body: {
              status: 'ok',
              eventStoreHead: at,
              readModelPosition: projector.position(),
              lag: at - projector.position(),
              projections: projector.status(),
            },
          };
        },
      },
    });
    log(`health and metrics on ${config.ops.host}:${ops.port} (/health/live, /health/ready, /metrics)`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping at position ${projector.position()}`);
    void ops?.close();
    projector
      .stop()
      .then(() => readStore.close())
      .then(() => eventStore.close())
      .then(() => shutdownTracing())
      .then(() => {
        log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`projector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
