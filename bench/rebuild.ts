import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, SqliteEventStore, type EventStore, type NewEvent } from '@ledger/event-store';
import { MongoReadStore, Projector, PROJECTIONS, SqliteReadStore, type ReadStore } from '@ledger/read-models';
import { appraisalStream, unitStream } from './fixtures';
import { benchSchema, describeServer, dropBenchSchema, installBenchSchema, postgresFromEnv, type BenchPostgres } from './postgres';

export interface RebuildFigures {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

/**
 * The SQLite figure (events read from the embedded event store), and beside it: the same events
 * read from a PostgreSQL event store into the same kind of SQLite read store (when a server is
 * given), and (when a MongoDB-wire server is given) read from SQLite into MongoReadStore.
 */
export interface RebuildComparison extends RebuildFigures {
  mongo?: RebuildFigures & { address: string };
  postgres?: (RebuildFigures & { server: string; seedSeconds: number }) | { skipped: string };
}

/** PostgreSQL appends in flight while seeding (its pool has 10 connections). */
const PG_SEED_IN_FLIGHT = 8;

/**
 * Every event of `from`, appended to `to` stream by stream in the order stored (one append per run
 * of a stream's events, as they were appended), with the same ids, data and metadata; several
 * appends in flight, each to a stream of its own.
 */
async function copyInto(from: EventStore, to: EventStore): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  const append = async (streamId: string, events: NewEvent[]) => {
    const pending: Promise<unknown> = to.append(streamId, 'no_stream', events).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
    if (inFlight.size >= PG_SEED_IN_FLIGHT) await Promise.race(inFlight);
  };
  let run: { streamId: string; events: NewEvent[] } | undefined;
  for (let position = 0; ;) {
    const page = await from.readAll({ fromPosition: position, limit: 1_000 });
    if (page.length === 0) break;
    for (const e of page) {
      const event: NewEvent = { eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata };
      if (run?.streamId === e.streamId) run.events.push(event);
      else {
        if (run !== undefined) await append(run.streamId, run.events);
        run = { streamId: e.streamId, events: [event] };
      }
    }
    position = page[page.length - 1].globalPosition;
  }
  if (run !== undefined) await append(run.streamId, run.events);
  await Promise.all(inFlight);
}

/**
 * Seeds `appraisals` × 20 events, then drops the read models and replays them from zero: into
 * the SQLite read store; then, with a PostgreSQL server (POSTGRES_URL and POSTGRES_ADMIN_URL), the
 * same events (same ids, same streams, same order) appended to a PostgreSQL event store in a schema
 * of its own and replayed from it into a fresh SQLite read store, the schema dropped afterwards;
 * then, with `mongoUri` (default MONGODB_URI), the events from SQLite into a MongoReadStore on a
 * database of its own, dropped afterwards.
 */
export async function measureRebuild(
  appraisals = 10_000,
  mongoUri = process.env.MONGODB_URI?.trim() || undefined,
  pg: BenchPostgres | { skipped: string } = postgresFromEnv(),
): Promise<RebuildComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
  const eventStore = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const schema = benchSchema('rebuild');
  let pgStore: PostgresEventStore | undefined;
  try {
    const unit = unitStream('bench', 2026);
    await eventStore.append(unit.streamId, 'no_stream', unit.events);
    for (let n = 0; n < appraisals; n++) {
      const { streamId, events } = appraisalStream(n, 'bench', 2026);
      await eventStore.append(streamId, 'no_stream', events);
    }
    let seedSeconds = 0;
    if ('url' in pg) {
      await installBenchSchema(pg, schema);
      pgStore = await PostgresEventStore.connect({ connectionString: pg.url, schema });
      const started = performance.now();
      await copyInto(eventStore, pgStore);
      seedSeconds = (performance.now() - started) / 1000;
    }
    const sqlite = await rebuildInto(eventStore, SqliteReadStore.open({ path: join(dir, 'read-models.db') }));
    let postgres: RebuildComparison['postgres'] = 'url' in pg ? undefined : pg;
    if (pgStore !== undefined && 'url' in pg) {
      const figures = await rebuildInto(pgStore, SqliteReadStore.open({ path: join(dir, 'read-models-pg.db') }));
      postgres = { ...figures, server: await describeServer(pg), seedSeconds };
    }
    if (mongoUri === undefined) return { ...sqlite, postgres };
    const database = `bench_rebuild_${process.pid}`;
    const store = await MongoReadStore.connect({ uri: mongoUri, database });
    let mongo: RebuildFigures;
    try {
      mongo = await rebuildInto(eventStore, store, false);
      await store.dropAll(); // leaves an empty database behind, not 200,000 documents
    } finally {
      await store.close();
    }
    return { ...sqlite, postgres, mongo: { ...mongo, address: addressOf(mongoUri) } };
  } finally {
    await eventStore.close();
    await pgStore?.close();
    if ('url' in pg) await dropBenchSchema(pg, schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rebuildInto(eventStore: EventStore, readStore: ReadStore, close = true): Promise<RebuildFigures> {
  try {
    const projector = new Projector({ eventStore, readStore, projections: PROJECTIONS });
    const { events, ms } = await projector.rebuild();
    await projector.stop();
    return { events, seconds: ms / 1000, eventsPerSec: events / (ms / 1000) };
  } finally {
    if (close) await readStore.close();
  }
}

/** Hosts only: a connection string may carry credentials. */
const addressOf = (uri: string): string => uri.replace(/^[a-z+]+:\/\/([^@/]*@)?/i, '').replace(/[/?].*$/, '');

/** The rebuild lines: SQLite and, when measured, from PostgreSQL and into MongoDB-wire beside it with the ratios. */
export function printRebuildFigures(figures: RebuildComparison, out: NodeJS.WritableStream = process.stdout): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, value: string, note = '') => out.write(`${label.padEnd(44)} ${value.padStart(14)}  ${note}\n`);
  out.write('Read-model rebuild (drop, then every projection from zero in one background pass, swapped in):\n');
  line(
    '  SQLite read store: events/s',
    fmt(figures.eventsPerSec),
    `${fmt(figures.events)} events in ${figures.seconds.toFixed(2)} s (events read from the embedded SQLite store)`,
  );
  const { postgres } = figures;
  if (postgres === undefined || 'skipped' in postgres) {
    line('  from PostgreSQL', 'skipped', `(${postgres?.skipped ?? 'no server given'})`);
  } else {
    line(
      '  from PostgreSQL, SQLite read store: events/s',
      fmt(postgres.eventsPerSec),
      `${fmt(postgres.events)} events in ${postgres.seconds.toFixed(2)} s (the same events read from ${postgres.server})`,
    );
    line('  from PostgreSQL / from SQLite', `${((100 * postgres.eventsPerSec) / figures.eventsPerSec).toFixed(0)}%`);
    line(
      '    (seeding: copy into PostgreSQL) events/s',
      fmt(postgres.events / postgres.seedSeconds),
      `${postgres.seedSeconds.toFixed(2)} s, not part of the rebuild: one append per stream (20 events), ${PG_SEED_IN_FLIGHT} in flight`,
    );
  }
  if (figures.mongo === undefined) {
    line('  MongoDB-wire read store', 'skipped', '(set MONGODB_URI, e.g. via test/infra/up.sh)');
    return;
  }
  const { mongo } = figures;
  line(
    '  MongoDB-wire read store: events/s',
    fmt(mongo.eventsPerSec),
    `${fmt(mongo.events)} events in ${mongo.seconds.toFixed(2)} s (${mongo.address})`,
  );
  line('  MongoDB-wire / SQLite', `${((100 * mongo.eventsPerSec) / figures.eventsPerSec).toFixed(0)}%`);
}

/**
 * `node dist/bench/rebuild.js` (after `npm run build`): this figure alone, SQLite and, with
 * POSTGRES_URL and POSTGRES_ADMIN_URL, from PostgreSQL, and with MONGODB_URI, MongoDB-wire side by side.
 * BENCH_REBUILD_APPRAISALS (× 20 events, default 10,000: 200,000 events; 75,000 is one agency's 1.5 million).
 */
async function main(): Promise<void> {
  printRebuildFigures(await measureRebuild(Number.parseInt(process.env.BENCH_REBUILD_APPRAISALS ?? '', 10) || 10_000));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
