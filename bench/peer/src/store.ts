import { projections } from '@event-driven-io/emmett';
import {
  getSQLiteEventStore,
  sqliteConnection,
  sqliteProjection,
  type SQLiteConnection,
  type SQLiteEventStore,
} from '@event-driven-io/emmett-sqlite';
import sqlite3 from 'sqlite3';
import type { AppraisalEvent } from './appraisal.js';

/**
 * Emmett's SQLite event store, configured as well as its API allows for concurrent HTTP writers.
 * Its default pool opens a new connection per operation, and two of them starting BEGIN IMMEDIATE
 * at once fail with SQLITE_BUSY (it sets no busy timeout): here one shared connection
 * (connectionOptions.singleton with our own sqliteConnection) serves every request, and the
 * server serialises commands per stream with Emmett's InProcessLock (server.ts).
 * sqliteConnection sets journal_mode=WAL itself; synchronous=FULL is set here on the same
 * connection and read back, so the output states what was in force, not what was asked.
 */
export interface PeerStore {
  store: SQLiteEventStore;
  connection: SQLiteConnection;
  pragmas: { journalMode: string; synchronous: number };
  stats: () => { commits: number };
}

/**
 * One row per appraisal: how much feedback it has and the last one given. Inline: it runs in the
 * append's transaction, so it applies each event exactly once with it (no position check needed;
 * Emmett 0.42 hands inline projections no global position, and stream positions relative to the append).
 */
const feedbackSummary = sqliteProjection<AppraisalEvent>({
  name: 'feedback_summary',
  canHandle: ['AppraisalOpened', 'FeedbackGiven'],
  init: async ({ context }) => {
    await context.connection.command(
      `CREATE TABLE IF NOT EXISTS feedback_summary (
         stream_id TEXT PRIMARY KEY, appraisal_id TEXT NOT NULL, appraiser_id TEXT NOT NULL,
         feedback_count INTEGER NOT NULL, last_feedback_id TEXT, last_feedback_text TEXT, last_given_at TEXT)`,
    );
  },
  handle: async (events, { connection }) => {
    for (const event of events) {
      const streamId = event.metadata.streamName;
      if (event.type === 'AppraisalOpened') {
        await connection.command(
          `INSERT INTO feedback_summary (stream_id, appraisal_id, appraiser_id, feedback_count) VALUES (?, ?, ?, 0)`,
          [streamId, event.data.appraisalId, event.data.appraiserId],
        );
      } else if (event.type === 'FeedbackGiven') {
        const updated = await connection.command(
          `UPDATE feedback_summary SET feedback_count = feedback_count + 1, last_feedback_id = ?, last_feedback_text = ?, last_given_at = ?
           WHERE stream_id = ?`,
          [event.data.feedbackId, event.data.text, event.metadata.occurredAt, streamId],
        );
        // Feedback is given only on an opened appraisal (decide): a missing row is a bug, and fails the append.
        if (updated.changes !== 1) throw new Error(`feedback_summary has no row for ${streamId}`);
      }
    }
  },
});

/**
 * Counts COMMIT statements on every sqlite3 handle of this process (bench instrumentation only):
 * Emmett's connection keeps one transaction-nesting counter, so on a shared connection appends
 * from concurrent requests on different streams can run inside one transaction; commits per
 * append says how often that happened, and so how many answers preceded their own COMMIT.
 */
function countCommits(): () => number {
  let commits = 0;
  const run = sqlite3.Database.prototype.run;
  sqlite3.Database.prototype.run = function (this: sqlite3.Database, sql: string, ...rest: unknown[]) {
    if (sql === 'COMMIT') commits++;
    return (run as (sql: string, ...rest: unknown[]) => sqlite3.Database).call(this, sql, ...rest);
  } as typeof run;
  return () => commits;
}

export async function openPeerStore(fileName: string): Promise<PeerStore> {
  const commits = countCommits();
  const connection = sqliteConnection({ fileName });
  await connection.command('PRAGMA synchronous = FULL');
  const [journal] = await connection.query<{ journal_mode: string }>('PRAGMA journal_mode');
  const [sync] = await connection.query<{ synchronous: number }>('PRAGMA synchronous');
  const store = getSQLiteEventStore({
    fileName,
    connectionOptions: { singleton: true, connection },
    projections: projections.inline([feedbackSummary]),
  });
  await store.schema.migrate();
  return {
    store,
    connection,
    pragmas: { journalMode: journal?.journal_mode ?? '?', synchronous: sync?.synchronous ?? -1 },
    stats: () => ({ commits: commits() }),
  };
}
