import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessStreamId, appraisalIdFor, appraisalStreamId } from '@ledger/appraisal';
import { SqliteEventStore, type EventStore, type StoredEvent } from '@ledger/event-store';
import {
  AUDIT_TRAIL,
  Projector,
  SqliteReadStore,
  auditRefOf,
  auditTrailOf,
  auditTrailProjection,
  renderAuditEntry,
  type AnyProjection,
  type AuditRef,
  type ReadStore,
} from '@ledger/read-models';
import { appraisalStream, nip, unitStream } from './fixtures';

/** Trails read per round (spread over the appraisals). */
const READS = 500;

/** One way of storing the audit trail, measured on the same events. */
export interface AuditStorageFigures {
  /** Mean UTF-8 bytes of a document's JSON, as the read store is given it. */
  jsonBytesPerEntry: number;
  /** The read-store file(s) after a rebuild of the audit trail alone, per entry (rows, indexes and pages included). */
  fileBytesPerEntry: number;
  /** That rebuild (drop, replay from zero, the audit trail alone): the best of the rounds. */
  rebuildEventsPerSec: number;
  /** Its CPU time (process-wide) per 1,000 events, the least of the rounds. */
  rebuildCpuMsPerThousand: number;
  /** One appraisal's trail read as the api reads it (read model, then the event store), the least mean of the rounds. */
  readMicros: number;
}

export interface AuditEntrySizeFigures {
  entries: number;
  rounds: number;
  /** Version 1: the whole rendered entry stored per event. */
  v1: AuditStorageFigures;
  /** Version 2: the reference stored, the entry rendered when read. */
  v2: AuditStorageFigures;
}

/**
 * Version 1's projection as it was: the same collection, its two indexes, its document the whole
 * entry (renderAuditEntry is that entry, field for field: test/audit-trail.e2e.spec.ts holds it to
 * the version 1 fold).
 */
const VERSION_1: AnyProjection = {
  ...auditTrailProjection,
  version: 1,
  indexes: ['streamId', 'appraisalId'],
  evolve: (doc, event) => doc ?? renderAuditEntry(event),
};

const jsonBytes = (doc: unknown): number => Buffer.byteLength(JSON.stringify(doc), 'utf8');
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Bytes of every file SQLite keeps for the database at `path` (the file, its WAL and shared memory). */
function filesBytes(dir: string, name: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith(name))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

interface RebuildRun {
  eventsPerSec: number;
  /** CPU time of the process (all threads) per 1,000 events: steadier than the rate on a shared machine. */
  cpuMsPerThousand: number;
  bytes: number;
  /** Mean time to read one appraisal's trail as the api does (the stream's own read, for integrity, included). */
  readMicros: number;
}

/** How the api reads a trail under each version: version 1 took the documents as they were. */
type ReadTrail = (readStore: ReadStore, events: EventStore, appraisalId: string) => Promise<unknown[]>;

const readVersion1: ReadTrail = async (readStore, events, appraisalId) => {
  const docs = await readStore.find(AUDIT_TRAIL, { appraisalId }, { sortBy: 'position' });
  await events.readStream(appraisalStreamId(appraisalId));
  return docs.map((d) => d.doc);
};

const readVersion2: ReadTrail = async (readStore, events, appraisalId) => {
  const refs = await readStore.find<AuditRef>(AUDIT_TRAIL, { appraisalId }, { sortBy: 'position' });
  const [stream, reads] = await Promise.all([
    events.readStream(appraisalStreamId(appraisalId)),
    events.readStream(accessStreamId(appraisalId)),
  ]);
  return auditTrailOf(refs, [...stream, ...reads]).entries;
};

async function rebuildAlone(
  projection: AnyProjection,
  read: ReadTrail,
  events: SqliteEventStore,
  reads: string[],
  dir: string,
  name: string,
) {
  const path = join(dir, name);
  const readStore = SqliteReadStore.open({ path });
  let figures: { events: number; ms: number };
  let cpu: NodeJS.CpuUsage;
  let readMicros: number;
  try {
    const projector = new Projector({ eventStore: events, readStore, projections: [projection] });
    const before = process.cpuUsage();
    figures = await projector.rebuild();
    cpu = process.cpuUsage(before);
    await projector.stop();
    const started = performance.now();
    for (const appraisalId of reads) {
      if ((await read(readStore, events, appraisalId)).length === 0) throw new Error(`no trail for ${appraisalId}`);
    }
    readMicros = ((performance.now() - started) * 1000) / reads.length;
  } finally {
    await readStore.close();
  }
  const bytes = filesBytes(dir, name);
  rmSync(path, { force: true });
  const cpuMsPerThousand = (cpu.user + cpu.system) / figures.events;
  return { eventsPerSec: figures.events / (figures.ms / 1000), cpuMsPerThousand, bytes, readMicros };
}

/**
 * The bench's rebuild workload (bench/fixtures: one unit, `appraisals` × 20 events of 12 types) into
 * the embedded stores: each event's audit document as version 1 and version 2 store it, their JSON
 * sizes, the audit trail rebuilt alone both ways, alternating, `rounds` times each, and after each
 * rebuild 500 trails read the way the api reads them under that version.
 */
export async function measureAuditEntrySize(appraisals = 2_000, rounds = 2): Promise<AuditEntrySizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-audit-size-'));
  const events = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    const unit = unitStream('bench', 2026);
    await events.append(unit.streamId, 'no_stream', unit.events);
    for (let n = 0; n < appraisals; n++) {
      const { streamId, events: stream } = appraisalStream(n, 'bench', 2026);
      await events.append(streamId, 'no_stream', stream);
    }
    const stored: StoredEvent[] = await events.readAll({ fromPosition: 0, limit: Number.MAX_SAFE_INTEGER });
    const reads = Array.from({ length: Math.min(appraisals, READS) }, (_, i) =>
      appraisalIdFor(nip(Math.floor((i * appraisals) / Math.min(appraisals, READS))), 2026),
    );
    const runs = { v1: [] as RebuildRun[], v2: [] as RebuildRun[] };
    for (let round = 0; round < rounds; round++) {
      runs.v1.push(await rebuildAlone(VERSION_1, readVersion1, events, reads, dir, 'v1.db'));
      runs.v2.push(await rebuildAlone(auditTrailProjection, readVersion2, events, reads, dir, 'v2.db'));
    }
    const figuresOf = (docOf: (e: StoredEvent) => unknown, measured: typeof runs.v1): AuditStorageFigures => ({
      jsonBytesPerEntry: mean(stored.map((e) => jsonBytes(docOf(e)))),
      fileBytesPerEntry: mean(measured.map((m) => m.bytes)) / stored.length,
      rebuildEventsPerSec: Math.max(...measured.map((m) => m.eventsPerSec)),
      rebuildCpuMsPerThousand: Math.min(...measured.map((m) => m.cpuMsPerThousand)),
      readMicros: Math.min(...measured.map((m) => m.readMicros)),
    });
    return { entries: stored.length, rounds, v1: figuresOf(renderAuditEntry, runs.v1), v2: figuresOf(auditRefOf, runs.v2) };
  } finally {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printAuditEntrySize(figures: AuditEntrySizeFigures, out: NodeJS.WritableStream = process.stdout): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, v1: string, v2: string, note = '') =>
    out.write(`${label.padEnd(36)} ${v1.padStart(10)} ${v2.padStart(10)}  ${note}\n`);
  const ratio = (a: number, b: number) => `${((100 * b) / a).toFixed(0)}% of v1`;
  const { v1, v2 } = figures;
  out.write(
    `Audit-trail entries (${fmt(figures.entries)} events of the rebuild workload; rebuilds of the audit trail alone, best of ${figures.rounds}):\n`,
  );
  line('', 'v1 entry', 'v2 ref', '(v1: the whole rendered entry stored; v2: a reference, the entry rendered when read)');
  line('  JSON bytes per entry', fmt(v1.jsonBytesPerEntry), fmt(v2.jsonBytesPerEntry), ratio(v1.jsonBytesPerEntry, v2.jsonBytesPerEntry));
  line(
    '  SQLite read-store bytes per entry',
    fmt(v1.fileBytesPerEntry),
    fmt(v2.fileBytesPerEntry),
    ratio(v1.fileBytesPerEntry, v2.fileBytesPerEntry),
  );
  const times = (a: number, b: number) => `${(b / a).toFixed(2)}× v1`;
  line(
    '  rebuild, audit trail alone: events/s',
    fmt(v1.rebuildEventsPerSec),
    fmt(v2.rebuildEventsPerSec),
    times(v1.rebuildEventsPerSec, v2.rebuildEventsPerSec),
  );
  const cpu = (n: number) => n.toFixed(1);
  line(
    '  its CPU ms per 1,000 events',
    cpu(v1.rebuildCpuMsPerThousand),
    cpu(v2.rebuildCpuMsPerThousand),
    ratio(v1.rebuildCpuMsPerThousand, v2.rebuildCpuMsPerThousand),
  );
  line(
    '  one trail read (20 entries): µs',
    fmt(v1.readMicros),
    fmt(v2.readMicros),
    `${times(v1.readMicros, v2.readMicros)} (v2 renders from the events; the chain check, common to both, not included)`,
  );
}

/**
 * `node dist/bench/audit-entry-size.js` (after `npm run build`). BENCH_AUDIT_APPRAISALS (× 20 events,
 * default 2,000), BENCH_AUDIT_ROUNDS (rebuilds each way, alternating, default 2).
 */
async function main(): Promise<void> {
  const appraisals = Number.parseInt(process.env.BENCH_AUDIT_APPRAISALS ?? '', 10) || 2_000;
  const rounds = Number.parseInt(process.env.BENCH_AUDIT_ROUNDS ?? '', 10) || 2;
  printAuditEntrySize(await measureAuditEntrySize(appraisals, rounds));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
