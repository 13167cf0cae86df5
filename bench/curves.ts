import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, feedbackRequest, type DriveFigures } from './http-commands';
import { intKnob, listKnob } from './knobs';
import { BASE_STREAM_EVENTS, rssMiB, seedStoreDirectly, waitCaughtUp, waitQuiet, type SeededStore } from './ledger-data';
import { freePort, startLedger } from './server';

export interface CurveOptions {
  /** Events per appraisal stream for the stream-length curve (BENCH_CURVE_STREAM_LENGTHS). */
  streamLengths: number[];
  /** Appraisal streams seeded per stream length (BENCH_CURVE_STREAMS). */
  streamsPerLength: number;
  /** Events in the store for the store-size curve (BENCH_CURVE_STORE_SIZES; ~20-event streams). */
  storeSizes: number[];
  /** Connection counts, measured on the smallest store (BENCH_CURVE_CONNECTIONS). */
  connections: number[];
  /** Seconds per point (BENCH_CURVE_SECONDS), after a warm-up (BENCH_CURVE_WARMUP_SECONDS) per api start. */
  seconds: number;
  warmupSeconds: number;
  /** Bounds the api's start and its read models' catch-up on a pre-seeded store (BENCH_CURVE_START_TIMEOUT_SECONDS). */
  startTimeoutSeconds: number;
}

/** The connection count of the stream-length and store-size curves, and of the issue's main aim. */
export const CURVE_CONNECTIONS = 10;

export function curveOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CurveOptions {
  return {
    streamLengths: listKnob('BENCH_CURVE_STREAM_LENGTHS', [20, 200, 2_000], [20, 200, 2_000], env),
    streamsPerLength: intKnob('BENCH_CURVE_STREAMS', 40, 12, env),
    storeSizes: listKnob('BENCH_CURVE_STORE_SIZES', [10_000, 1_000_000], [2_000, 20_000], env),
    connections: listKnob('BENCH_CURVE_CONNECTIONS', [1, 10, 100], [1, 10, 100], env),
    seconds: intKnob('BENCH_CURVE_SECONDS', 10, 2, env),
    warmupSeconds: intKnob('BENCH_CURVE_WARMUP_SECONDS', 2, 1, env),
    startTimeoutSeconds: intKnob('BENCH_CURVE_START_TIMEOUT_SECONDS', 1_800, 120, env),
  };
}

export interface CurvePoint extends DriveFigures {
  curve: 'stream length' | 'store size' | 'connections';
  streamEvents: number;
  storeEvents: number;
  connections: number;
}

/** One api start on a pre-seeded store: how long the seed, the start and the catch-up took, and the RSS. */
export interface StoreStart {
  storeEvents: number;
  streamEvents: number;
  seedSeconds: number;
  /** From spawning the api to /health answering (its Merkle log check is in this). */
  startSeconds: number;
  /** From /health answering to the read models' lag reaching 0. */
  catchUpSeconds: number;
  rssCaughtUpMiB: number;
  /** After the commands measured on this store. */
  rssAfterMiB: number;
}

export interface CurveFigures {
  points: CurvePoint[];
  starts: StoreStart[];
  /** The api just started on an empty data dir. */
  rssAtRestMiB: number;
}

/**
 * Scale curves of the feedback command over HTTP (the api as its own process, sync FULL,
 * projector in-process): commands/s and p50/p99 against stream length, against the number of
 * events in the store, and against connection count. Each store is seeded straight into the api's
 * file (ledger-data.ts) and the api is started on it, waits for its read models to catch up, warms
 * up, then is measured. Feedback appends to a random appraisal of the store each time (none in
 * flight twice), so the store-size curve reads streams the api has not cached.
 */
export async function measureCurves(options: CurveOptions, progress: (text: string) => void = () => undefined): Promise<CurveFigures> {
  const points: CurvePoint[] = [];
  const starts: StoreStart[] = [];
  const rssAtRestMiB = await atRest(options.startTimeoutSeconds * 1000);
  const smallest = Math.min(...options.storeSizes);
  for (const storeSize of options.storeSizes) {
    const appraisals = Math.max(1, Math.floor((storeSize - 1) / BASE_STREAM_EVENTS));
    const counts = storeSize === smallest ? options.connections : [CURVE_CONNECTIONS];
    progress(`curves: store of ${storeSize.toLocaleString('en-US')} events`);
    await onSeededStore(appraisals, BASE_STREAM_EVENTS, options, starts, async (url, seeded) => {
      for (const connections of counts) {
        await waitQuiet(url);
        const figures = await drive({
          url,
          token: seeded.token,
          ids: seeded.ids,
          connections,
          seconds: options.seconds,
          request: feedbackRequest,
        });
        const storeEvents = seeded.events;
        if (connections === CURVE_CONNECTIONS)
          points.push({ curve: 'store size', streamEvents: BASE_STREAM_EVENTS, storeEvents, connections, ...figures });
        if (storeSize === smallest)
          points.push({ curve: 'connections', streamEvents: BASE_STREAM_EVENTS, storeEvents, connections, ...figures });
      }
    });
  }
  for (const streamEvents of options.streamLengths) {
    progress(`curves: ${options.streamsPerLength} streams of ${streamEvents.toLocaleString('en-US')} events`);
    await onSeededStore(options.streamsPerLength, streamEvents, options, starts, async (url, seeded) => {
      await waitQuiet(url);
      const figures = await drive({
        url,
        token: seeded.token,
        ids: seeded.ids,
        connections: CURVE_CONNECTIONS,
        seconds: options.seconds,
        request: feedbackRequest,
      });
      points.push({ curve: 'stream length', streamEvents, storeEvents: seeded.events, connections: CURVE_CONNECTIONS, ...figures });
    });
  }
  return { points, starts, rssAtRestMiB };
}

/** Sync FULL and the embedded store by name: an EVENT_STORE or LEDGER_EVENT_STORE_SYNC in the bench's environment must not move it. */
const API_ENV = { EVENT_STORE: 'sqlite', LEDGER_EVENT_STORE_SYNC: 'FULL', LEDGER_PROJECTOR: 'in-process' };

/** The api's RSS two seconds after it started on an empty data dir (its start-up garbage collected or not, as it would be). */
async function atRest(startTimeoutMs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rest-'));
  try {
    const ledger = await startLedger(dir, await freePort(), API_ENV, { startTimeoutMs });
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      return rssMiB(ledger.pid);
    } finally {
      await ledger.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onSeededStore(
  appraisals: number,
  streamEvents: number,
  options: CurveOptions,
  starts: StoreStart[],
  measure: (url: string, seeded: SeededStore) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-curve-'));
  try {
    const seeded = await seedStoreDirectly(dir, appraisals, streamEvents);
    const timeoutMs = options.startTimeoutSeconds * 1000;
    const spawned = performance.now();
    const ledger = await startLedger(dir, await freePort(), API_ENV, { startTimeoutMs: timeoutMs });
    try {
      const startSeconds = (performance.now() - spawned) / 1000;
      const catchUpSeconds = await waitCaughtUp(ledger.url, seeded.events, timeoutMs);
      const rssCaughtUpMiB = rssMiB(ledger.pid);
      await drive({
        url: ledger.url,
        token: seeded.token,
        ids: seeded.ids,
        connections: CURVE_CONNECTIONS,
        seconds: options.warmupSeconds,
        request: feedbackRequest,
      });
      await measure(ledger.url, seeded);
      const rssAfterMiB = rssMiB(ledger.pid);
      starts.push({
        storeEvents: seeded.events,
        streamEvents,
        seedSeconds: seeded.seconds,
        startSeconds,
        catchUpSeconds,
        rssCaughtUpMiB,
        rssAfterMiB,
      });
    } finally {
      await ledger.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (n: number) => `${n.toFixed(0)} MiB`;

export function printCurveFigures(figures: CurveFigures, out: NodeJS.WritableStream = process.stdout): void {
  const row = (label: string, p: CurvePoint) =>
    out.write(
      `  ${label.padEnd(40)} ${fmt(p.perSec).padStart(8)}/s  p50 ${p.p50} ms, p99 ${p.p99} ms, ${fmt(p.requests)} requests, ` +
        `${p.non2xx === 0 ? '0 non-2xx' : `${p.non2xx} non-2xx (${p.statuses})`}\n`,
    );
  out.write('\nScale curves (feedback command over HTTP, api in its own process, sync FULL, projector in-process):\n');
  for (const p of figures.points.filter((q) => q.curve === 'stream length')) {
    row(`stream of ${fmt(p.streamEvents)} events (${fmt(p.storeEvents)} in store), ${p.connections} conn`, p);
  }
  for (const p of figures.points.filter((q) => q.curve === 'store size')) {
    row(`store of ${fmt(p.storeEvents)} events, ~20-event streams, ${p.connections} conn`, p);
  }
  for (const p of figures.points.filter((q) => q.curve === 'connections')) {
    row(`${p.connections} connections, ${fmt(p.storeEvents)} events in store`, p);
  }
  out.write('  api start on each pre-seeded store (seeded straight into its file with its log key, sync NORMAL):\n');
  for (const s of figures.starts) {
    out.write(
      `    ${fmt(s.storeEvents).padStart(9)} events (${fmt(s.streamEvents)} per stream): seeded in ${s.seedSeconds.toFixed(1)} s, ` +
        `api answered /health ${s.startSeconds.toFixed(1)} s after its spawn (log check in it), read models caught up at ` +
        `${(s.startSeconds + s.catchUpSeconds).toFixed(1)} s; ` +
        `RSS ${mib(s.rssCaughtUpMiB)} caught up, ${mib(s.rssAfterMiB)} after the commands\n`,
    );
  }
  out.write(`  RSS of the api at rest (empty store, 2 s after start): ${mib(figures.rssAtRestMiB)}\n`);
  const largest = figures.starts.filter((s) => s.streamEvents === BASE_STREAM_EVENTS).sort((a, b) => b.storeEvents - a.storeEvents)[0];
  if (largest !== undefined) {
    out.write(
      `  RSS of the api on ${fmt(largest.storeEvents)} events: ${mib(largest.rssCaughtUpMiB)} caught up, ${mib(largest.rssAfterMiB)} after the commands\n`,
    );
  }
}
