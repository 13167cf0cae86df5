import Database from 'better-sqlite3';
import { LedgerIntegrityError, readVerifiedStream } from '../stream-integrity';
import { newEvents, openTempSqliteEventStore, uniqueStreamId } from '../testing';
import type { SqliteEventStore } from './sqlite-event-store';

/** An insider's edit, with the append-only trigger dropped for it and put back after (as a forger would). */
function edit(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  const trigger = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'").get();
  db.exec('DROP TRIGGER events_refuse_update');
  db.prepare(sql).run(...params);
  if (trigger !== undefined) db.exec(trigger.sql);
  db.close();
}

describe('SqliteEventStore verified reads: hashes of rows verified before are not recomputed, edits still caught', () => {
  let store: SqliteEventStore;
  let path: string;
  let cleanup: () => Promise<void>;
  let streamId: string;
  beforeEach(async () => {
    ({ store, path, cleanup } = await openTempSqliteEventStore());
    streamId = uniqueStreamId('verified');
    await store.append(streamId, 'no_stream', newEvents(5));
    expect((await readVerifiedStream(store, streamId)).length).toBe(5); // verified once: remembered
    expect(store.verifiedStreams()).toBe(1);
  });
  afterEach(() => cleanup());

  it('returns what readStream returns, also after appends and for revision ranges', async () => {
    await store.append(streamId, 4, newEvents(3));
    expect(await readVerifiedStream(store, streamId)).toEqual(await store.readStream(streamId));
    expect(await readVerifiedStream(store, streamId, { fromRevision: 6 })).toEqual(await store.readStream(streamId, { fromRevision: 6 }));
    expect(await readVerifiedStream(store, streamId, { toRevision: 2 })).toEqual(await store.readStream(streamId, { toRevision: 2 }));
  });

  it('catches an edit of a row it verified before', async () => {
    edit(path, `UPDATE events SET data = '{"n":99}' WHERE stream_id = ? AND stream_revision = 1`, streamId);
    const error = await readVerifiedStream(store, streamId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerIntegrityError);
    expect((error as LedgerIntegrityError).integrity).toMatchObject({ problem: 'HASH_MISMATCH', firstBrokenRevision: 1 });
  });

  it('catches a verified row removed or a row put in among them', async () => {
    edit(path, 'UPDATE events SET stream_revision = 10 WHERE stream_id = ? AND stream_revision = 4', streamId);
    await expect(readVerifiedStream(store, streamId)).rejects.toBeInstanceOf(LedgerIntegrityError);
  });

  it('forgets the least recently read streams beyond its bound', async () => {
    for (let i = 0; i < 3; i++) {
      const other = uniqueStreamId('other');
      await store.append(other, 'no_stream', newEvents(1));
      await readVerifiedStream(store, other);
    }
    expect(store.verifiedStreams()).toBe(4);
  });
});
