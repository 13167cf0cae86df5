import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { check, readinessOf, scrapedGauge, startOpsServer, type OpsServer, type Readiness } from '@ledger/observability';
import { Projector, type ProjectionProgress, type ReadStore } from '@ledger/read-models';
import { CommandPath } from '../commands/command-path';
import type { LedgerConfig } from '../config/config';
import { FeedConnections } from '../feed/feed-connections';
import { LedgerMetrics } from '../platform/ledger-metrics';
import { EVENT_STORE, PROJECTOR, READ_STORE } from '../platform/ledger-runtime';
import { CONFIG } from '../platform/ports';

/** The projector's progress checkpoint (Projector's default name), the label of its gauges' progress line. */
const PROJECTION = 'read-models';

/** The progress, then (with the projector in this process) each projection's own position. */
function positionsOf(progress: ProjectionProgress): Array<{ projection: string; position: number }> {
  const each = progress instanceof Projector ? progress.status().map(({ projection, position }) => ({ projection, position })) : [];
  return [{ projection: PROJECTION, position: progress.position() }, ...each];
}

/**
 * Readiness, the gauges read at scrape time, and the metrics port (LEDGER_METRICS_PORT): GET
 * /metrics, /health/live and /health/ready on a port of its own, outside the API and its OpenAPI
 * document. The API itself serves /health/live and /health/ready too (health.controller.ts).
 */
@Injectable()
export class OpsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Ops');
  private server: OpsServer | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: LedgerConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly progress: ProjectionProgress,
    private readonly metrics: LedgerMetrics,
    feed: FeedConnections,
    path: CommandPath,
  ) {
    const { registry } = metrics;
    scrapedGauge(registry, 'ledger_event_store_head_position', 'Global position of the latest stored event', [], async () => [
      { value: await eventStore.headPosition() },
    ]);
    scrapedGauge(registry, 'ledger_projector_position', 'Global position the read models have applied', ['projection'], async () =>
      positionsOf(progress).map(({ projection, position }) => ({ labels: { projection }, value: position })),
    );
    scrapedGauge(registry, 'ledger_projector_lag_events', 'Events stored but not yet in the read models', ['projection'], async () => {
      const head = await eventStore.headPosition();
      return positionsOf(progress).map(({ projection, position }) => ({ labels: { projection }, value: Math.max(0, head - position) }));
    });
    scrapedGauge(registry, 'ledger_feed_subscribers', 'Open connections to the HTTP/SSE feed', [], async () => [{ value: feed.count() }]);
    scrapedGauge(registry, 'ledger_state_cache_streams', 'Streams whose folded state the command path holds', [], async () => [
      { value: path.cacheSize() },
    ]);
  }

  /** Ready: the event store and the read store answer, and the read models are at most LEDGER_READY_MAX_LAG behind. */
  readiness(): Promise<Readiness> {
    const maxLag = this.config.ops.readyMaxLag;
    return readinessOf([
      check('eventStore', async () => ({ head: await this.eventStore.headPosition() })),
      check('readStore', async () => ({ checkpoint: await this.readStore.getCheckpoint(PROJECTION) })),
      check('projector', async () => {
        const head = await this.eventStore.headPosition();
        const lag = Math.max(0, head - this.progress.position());
        return { ok: lag <= maxLag, position: this.progress.position(), lag, maxLag };
      }),
    ]);
  }

  /** The metrics port's number once it listens (0 in LEDGER_METRICS_PORT picks a free one). */
  port(): number | undefined {
    return this.server?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { metricsPort, metricsHost } = this.config.ops;
    if (metricsPort === undefined) return;
    this.server = await startOpsServer({
      host: metricsHost,
      port: metricsPort,
      registry: this.metrics.registry,
      ready: () => this.readiness(),
    });
    this.logger.log(`metrics on http://${metricsHost}:${this.server.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
