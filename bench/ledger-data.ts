import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appraisalIdFor } from '@ledger/appraisal';
import { LogKeyring, SqliteEventStore, type NewEvent } from '@ledger/event-store';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { appraisalStream, nip, unitStream } from './fixtures';

const YEAR = 2026;
/** The fixtures' appraiser: the one who may give feedback on every seeded appraisal. */
const APPRAISER = '198001012005011002';
/** Events of bench/fixtures' appraisal stream; longer streams add feedback rounds to it. */
export const BASE_STREAM_EVENTS = 20;
const SEED_CHUNK = 50;

export interface SeededStore {
  /** The appraisal ids, as the API names them. */
  ids: string[];
  /** Every event in the store (the unit's included). */
  events: number;
  seconds: number;
  /** A bearer token of the appraiser, signed with the data dir's local keys. */
  token: string;
}

/**
 * Writes `appraisals` appraisal streams of `streamEvents` events each (and the unit they name)
 * straight into the api's event store file in `dataDir`, before the api starts: seeding a million
 * events through HTTP would take most of an hour. The store is opened with the api's own log key
 * (LogKeyring.load on the same data dir, as ledger-runtime does), so every append is in the
 * Merkle log and signed, and the api's start-up check finds the store and its log in agreement.
 * `synchronous=NORMAL` while seeding: what is measured is the api, not the seed's fsyncs.
 */
export async function seedStoreDirectly(dataDir: string, appraisals: number, streamEvents = BASE_STREAM_EVENTS): Promise<SeededStore> {
  if (streamEvents < BASE_STREAM_EVENTS || (streamEvents - BASE_STREAM_EVENTS) % 2 !== 0) {
    throw new Error(`a seeded stream has ${BASE_STREAM_EVENTS} events plus feedback pairs, so not ${streamEvents}`);
  }
  const signer = LogKeyring.load({ dataDir });
  const store = SqliteEventStore.open({ path: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL', logSigner: signer });
  const started = performance.now();
  const ids: string[] = [];
  let events = 0;
  try {
    const unit = unitStream('bench', YEAR);
    await store.append(unit.streamId, 'no_stream', unit.events);
    events += unit.events.length;
    // Appends issued together, each to a stream of its own: a store that commits the appends of
    // one turn of the event loop together (group commit) writes each chunk in one transaction
    // with one signed checkpoint; one that does not runs them one by one.
    for (let first = 0; first < appraisals; first += SEED_CHUNK) {
      const chunk = Array.from({ length: Math.min(SEED_CHUNK, appraisals - first) }, (_, i) => longStream(first + i, streamEvents));
      await Promise.all(chunk.map(({ streamId, events: stream }) => store.append(streamId, 'no_stream', stream)));
      for (let n = first; n < first + chunk.length; n++) ids.push(appraisalIdFor(nip(n), YEAR));
      events += chunk.reduce((sum, { events: stream }) => sum + stream.length, 0);
    }
  } finally {
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const keys = await loadOrCreateLocalKeys(dataDir);
  const token = await signLocalToken(keys, { sub: APPRAISER, role: 'PEJABAT_PENILAI', ttl: '12h' });
  return { ids, events, seconds, token };
}

/**
 * The fixtures' 20-event appraisal with (streamEvents − 20) / 2 more feedback rounds (given, then
 * responded) after its own four, before the evidence: the order the domain accepts them in.
 */
function longStream(n: number, streamEvents: number): { streamId: string; events: NewEvent[] } {
  const base = appraisalStream(n, 'bench', YEAR);
  const rounds = (streamEvents - BASE_STREAM_EVENTS) / 2;
  if (rounds === 0) return base;
  const [given, responded] = base.events.filter((e) => e.type === 'FeedbackGiven' || e.type === 'FeedbackResponded');
  const copy = (e: NewEvent, feedbackId: string): NewEvent => ({
    ...e,
    eventId: randomUUID(),
    data: { ...e.data, feedbackId },
    metadata: { ...e.metadata, correlationId: randomUUID(), causationId: randomUUID() },
  });
  const extra = Array.from({ length: rounds }, (_, i) => [copy(given, `x${i}`), copy(responded, `x${i}`)]).flat();
  const afterFeedback = base.events.lastIndexOf(responded) + 1;
  return { streamId: base.streamId, events: [...base.events.slice(0, afterFeedback), ...extra, ...base.events.slice(afterFeedback)] };
}

/**
 * Waits until the api's read models have caught up with `head` (GET /health: its lag is 0 and its
 * event-store head has reached it): the api projects a pre-seeded store after it starts listening,
 * and commands measured during that would share the core with the catch-up. Returns the seconds
 * waited.
 */
export async function waitCaughtUp(url: string, head: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { eventStoreHead: number; lag: number };
    if (health.eventStoreHead >= head && health.lag === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`read models still ${health.lag} events behind after ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until the api's event-store head has not moved for 300 ms and its read models have caught
 * up: autocannon stops at its duration without waiting for the requests it abandoned, which the api
 * still executes, and one of those racing the next run's request on the same appraisal would be
 * refused (409) in that run's figures.
 */
export async function waitQuiet(url: string, timeoutMs = 60_000): Promise<void> {
  const started = performance.now();
  let last = -1;
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { eventStoreHead: number; lag: number };
    if (health.eventStoreHead === last && health.lag === 0) return;
    if (performance.now() - started > timeoutMs) throw new Error(`the api did not settle in ${timeoutMs / 1000} s`);
    last = health.eventStoreHead;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The resident set of a process in MiB, from /proc/<pid>/status (Linux; the bench's machine). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
