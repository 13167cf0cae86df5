import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Each process (and each app a test starts) has its own registry: the metrics of two apps in one
 * test process never mix, and a scrape shows exactly one process. Process metrics (CPU, memory,
 * event loop lag, GC, handles: prom-client's defaults, `process_*` and `nodejs_*`) come with it.
 * Every metric of the ledger itself is named `ledger_*` (README "Operating it" lists them).
 */
export function createRegistry(service: string, processMetrics = true): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Durations in seconds, from a millisecond to ten seconds (commands, appends, batches). */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A gauge read when scraped. `read` may ask a store; a failure leaves the gauge without a value
 * for that scrape (the readiness check is what says a store is down), never a failed scrape.
 */
export function scrapedGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Promise<{ labels?: Record<string, string>; value: number }[]>,
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const { labels = {}, value } of await read()) this.set(labels, value);
      } catch {
        // nothing to show: see above
      }
    },
  });
}

export { Counter, Gauge, Histogram, Registry };
