import { Counter, check, createRegistry, readinessOf, scrapedGauge, startOpsServer, type OpsServer } from '@ledger/observability';
import type { RelayConfig } from './config';
import type { Relay, RelayOptions } from './relay';
import type { RelayStores } from './stores';

/**
 * The relay's metrics and its operations port (RELAY_HEALTH_PORT): position and lag on its topic,
 * sends acknowledged and refused, the store's head; ready when the event store and the checkpoint
 * store answer, the last send was acknowledged, and the lag is within RELAY_READY_MAX_LAG.
 */
export function relayOps(config: RelayConfig, stores: RelayStores) {
  const registry = createRegistry('relay');
  const published = new Counter({
    name: 'ledger_relay_messages_published_total',
    help: 'Messages the broker acknowledged, by topic (events, and signed checkpoints on their own topic)',
    labelNames: ['topic'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'ledger_relay_publish_errors_total',
    help: 'Sends the broker refused or did not answer (each is retried), by topic',
    labelNames: ['topic'],
    registers: [registry],
  });
  let relay: Relay | undefined;
  let lastSend: { ok: boolean; error?: string } = { ok: true };
  const head = () => stores.eventStore.headPosition();
  const position = () => relay?.position() ?? 0;
  scrapedGauge(registry, 'ledger_event_store_head_position', 'Global position of the latest stored event', [], async () => [
    { value: await head() },
  ]);
  scrapedGauge(
    registry,
    'ledger_relay_position',
    'Global position up to which the broker acknowledged every event',
    ['topic'],
    async () => [{ labels: { topic: config.topic }, value: position() }],
  );
  scrapedGauge(registry, 'ledger_relay_lag_events', 'Events stored but not yet acknowledged by the broker', ['topic'], async () => [
    { labels: { topic: config.topic }, value: Math.max(0, (await head()) - position()) },
  ]);
  let server: OpsServer | undefined;
  const onSend: RelayOptions['onSend'] = (outcome) => {
    if (outcome.ok) published.inc({ topic: outcome.topic }, outcome.messages);
    else errors.inc({ topic: outcome.topic });
    lastSend = outcome.ok
      ? { ok: true }
      : { ok: false, error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) };
  };
  return {
    registry,
    onSend,
    async start(running: Relay, log: (message: string) => void): Promise<void> {
      relay = running;
      if (config.ops.port === undefined) return;
      server = await startOpsServer({
        host: config.ops.host,
        port: config.ops.port,
        registry,
        ready: () =>
          readinessOf([
            check('eventStore', async () => ({ head: await head() })),
            check('checkpointStore', async () => ({ checkpoint: await stores.checkpoints.getCheckpoint(running.checkpointName) })),
            check('kafka', async () => lastSend),
            check('relay', async () => {
              const lag = Math.max(0, (await head()) - position());
              return { ok: lag <= config.ops.readyMaxLag, position: position(), lag, maxLag: config.ops.readyMaxLag };
            }),
          ]),
      });
      log(`relay: health and metrics on ${config.ops.host}:${server.port} (/health/live, /health/ready, /metrics)`);
    },
    close: async () => server?.close(),
  };
}
