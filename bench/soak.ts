import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, feedbackRequest } from './http-commands';
import { intKnob } from './knobs';
import { rssMiB, seedStoreDirectly, waitCaughtUp } from './ledger-data';
import { freePort, startLedger } from './server';

export interface SoakOptions {
  /** The whole soak (BENCH_SOAK_SECONDS, default 600). */
  seconds: number;
  /** Commands per second over all connections (BENCH_SOAK_RATE, default 1,000). */
  rate: number;
  /** Connections the rate is spread over (BENCH_SOAK_CONNECTIONS, default 50). */
  connections: number;
  /** One sample (p99, RSS) per this many seconds (BENCH_SOAK_SAMPLE_SECONDS, default 60). */
  sampleSeconds: number;
  /** ~20-event appraisals seeded before (BENCH_SOAK_APPRAISALS, default 10,000: 200,001 events). */
  appraisals: number;
  /** Bounds the api's start and catch-up on the seeded store (BENCH_SOAK_START_TIMEOUT_SECONDS). */
  startTimeoutSeconds: number;
}

export function soakOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SoakOptions {
  return {
    seconds: intKnob('BENCH_SOAK_SECONDS', 600, 10, env),
    rate: intKnob('BENCH_SOAK_RATE', 1_000, 1_000, env),
    connections: intKnob('BENCH_SOAK_CONNECTIONS', 50, 50, env),
    sampleSeconds: intKnob('BENCH_SOAK_SAMPLE_SECONDS', 60, 5, env),
    appraisals: intKnob('BENCH_SOAK_APPRAISALS', 10_000, 500, env),
    startTimeoutSeconds: intKnob('BENCH_SOAK_START_TIMEOUT_SECONDS', 600, 120, env),
  };
}

export interface SoakSample {
  /** Seconds since the soak began, at the end of this sample. */
  atSeconds: number;
  requests: number;
  perSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  rssMiB: number;
}

export interface SoakFigures {
  options: SoakOptions;
  storeEvents: number;
  samples: SoakSample[];
  /** max/min − 1 over the samples. */
  p99Spread: number;
  rssSpread: number;
}

/** The soak's aim: p99 and RSS flat, read as max/min − 1 ≤ 10% over the samples (the strict reading of ±10%). */
export const SOAK_FLAT = 0.1;
/**
 * A sample kept the pace when it reached this share of the rate (autocannon's pacing loses a few
 * per cent at the start of each run); an api that falls behind is flat at its own limit, not the aim's.
 */
export const SOAK_RATE_HELD = 0.95;

/**
 * A steady paced load (autocannon's overallRate) of feedback commands on a pre-seeded store, cut
 * into samples of `sampleSeconds`: each sample is its own autocannon run (its own p99), and the
 * api's RSS is read after each. Bounded: loopback only, each run stops itself after its duration,
 * and the api is stopped at the end. The store grows by every command (1,000/s for 10 minutes is
 * 600,000 events on a 200,001-event store): flat means a growing ledger costs no more to write to.
 */
export async function measureSoak(options: SoakOptions, progress: (text: string) => void = () => undefined): Promise<SoakFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-soak-'));
  try {
    const seeded = await seedStoreDirectly(dir, options.appraisals);
    const timeoutMs = options.startTimeoutSeconds * 1000;
    const env = { EVENT_STORE: 'sqlite', LEDGER_EVENT_STORE_SYNC: 'FULL', LEDGER_PROJECTOR: 'in-process' };
    const ledger = await startLedger(dir, await freePort(), env, { startTimeoutMs: timeoutMs });
    const samples: SoakSample[] = [];
    try {
      await waitCaughtUp(ledger.url, seeded.events, timeoutMs);
      for (let at = 0; at < options.seconds;) {
        const seconds = Math.min(options.sampleSeconds, options.seconds - at);
        const figures = await drive({
          url: ledger.url,
          token: seeded.token,
          ids: seeded.ids,
          connections: options.connections,
          seconds,
          overallRate: options.rate,
          request: feedbackRequest,
        });
        at += seconds;
        const sample = { atSeconds: at, ...figures, rssMiB: rssMiB(ledger.pid) };
        samples.push(sample);
        progress(`soak: ${at} s, ${Math.round(sample.perSec)}/s, p99 ${sample.p99} ms, RSS ${sample.rssMiB.toFixed(0)} MiB`);
      }
    } finally {
      await ledger.stop();
    }
    const spread = (values: number[]) => Math.max(...values) / Math.min(...values) - 1;
    return {
      options,
      storeEvents: seeded.events,
      samples,
      p99Spread: spread(samples.map((s) => s.p99)),
      rssSpread: spread(samples.map((s) => s.rssMiB)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSoakFigures(figures: SoakFigures, out: NodeJS.WritableStream = process.stdout): void {
  const { options } = figures;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  out.write(
    `\nSoak: feedback at a paced ${fmt(options.rate)} commands/s over ${options.connections} connections for ${options.seconds} s, ` +
      `on a store of ${fmt(figures.storeEvents)} events (sync FULL), sampled every ${options.sampleSeconds} s:\n`,
  );
  out.write('     at s   commands/s    p50 ms    p99 ms   non-2xx   RSS MiB\n');
  for (const s of figures.samples) {
    out.write(
      `  ${String(s.atSeconds).padStart(7)} ${fmt(s.perSec).padStart(12)} ${String(s.p50).padStart(9)} ${String(s.p99).padStart(9)} ` +
        `${fmt(s.non2xx).padStart(9)} ${s.rssMiB.toFixed(0).padStart(9)}\n`,
    );
  }
  const pct = (n: number) => `${(100 * n).toFixed(0)}%`;
  out.write(`  spread (max/min − 1): p99 ${pct(figures.p99Spread)}, RSS ${pct(figures.rssSpread)} (aim ≤ ${pct(SOAK_FLAT)} each)\n`);
}
