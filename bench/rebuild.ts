import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { MongoReadStore, Projector, PROJECTIONS, SqliteReadStore, type ReadStore } from '@ledger/read-models';
import { appraisalStream, unitStream } from './fixtures';

export interface RebuildFigures {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

/** The SQLite figure, and beside it (when a MongoDB-wire server is given) the same rebuild into MongoReadStore. */
export interface RebuildComparison extends RebuildFigures {
  mongo?: RebuildFigures & { address: string };
}

/**
 * Seeds `appraisals` × 20 events, then drops the read models and replays them from zero: into
 * the SQLite read store, and then, with `mongoUri` (default MONGODB_URI), the same events into a
 * MongoReadStore on a database of its own, dropped afterwards.
 */
export async function measureRebuild(
  appraisals = 10_000,
  mongoUri = process.env.MONGODB_URI?.trim() || undefined,
): Promise<RebuildComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
  const eventStore = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    const unit = unitStream('bench', 2026);
    await eventStore.append(unit.streamId, 'no_stream', unit.events);
    for (let n = 0; n < appraisals; n++) {
      const { streamId, events } = appraisalStream(n, 'bench', 2026);
      await eventStore.append(streamId, 'no_stream', events);
    }
    const sqlite = await rebuildInto(eventStore, SqliteReadStore.open({ path: join(dir, 'read-models.db') }));
    if (mongoUri === undefined) return sqlite;
    const database = `bench_rebuild_${process.pid}`;
    const store = await MongoReadStore.connect({ uri: mongoUri, database });
    let mongo: RebuildFigures;
    try {
      mongo = await rebuildInto(eventStore, store, false);
      await store.dropAll(); // leaves an empty database behind, not 200,000 documents
    } finally {
      await store.close();
    }
    return { ...sqlite, mongo: { ...mongo, address: addressOf(mongoUri) } };
  } finally {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rebuildInto(eventStore: SqliteEventStore, readStore: ReadStore, close = true): Promise<RebuildFigures> {
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

/** The rebuild lines: SQLite and, when measured, MongoDB-wire beside it with the ratio. */
export function printRebuildFigures(figures: RebuildComparison, out: NodeJS.WritableStream = process.stdout): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, value: string, note = '') => out.write(`${label.padEnd(44)} ${value.padStart(14)}  ${note}\n`);
  out.write('Read-model rebuild (drop, replay from zero, all four projections):\n');
  line('  SQLite read store: events/s', fmt(figures.eventsPerSec), `${fmt(figures.events)} events in ${figures.seconds.toFixed(2)} s`);
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
 * MONGODB_URI, MongoDB-wire side by side. BENCH_REBUILD_APPRAISALS (× 20 events, default 10,000).
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
