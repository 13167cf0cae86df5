import Database from 'better-sqlite3';
import { EventIdConflictError, InvalidEventError } from '../errors';
import { LogDisagreesError } from '../log/sqlite-log';
import { NoteSigner } from '../log/note';
import { WrongExpectedRevisionError } from '../port';
import { describeEventStoreContract, insertLinkedRow, newEvents, openTempSqliteEventStore, uniqueStreamId } from '../testing';
import { verifyEvents } from '../verify';
import { SqliteEventStore } from './sqlite-event-store';

const key = NoteSigner.generateKey('ledger.test/writer-thread');
const signer = NoteSigner.fromKey(key);
const withWriterThread = () => openTempSqliteEventStore({ logSigner: signer, writerThread: { logSigner: { key } } });

// The whole port contract (appends, retries, conflicts, reads, subscriptions) with the writer on its own thread.
describeEventStoreContract('SqliteEventStore with a writer thread', withWriterThread);

describe('SqliteEventStore with a writer thread', () => {
  it('commits concurrent appends in shared transactions, signed by the key the worker loaded, and the log agrees', async () => {
    const { store, cleanup } = await withWriterThread();
    try {
      const streams = Array.from({ length: 200 }, () => uniqueStreamId('w'));
      await Promise.all(streams.map((id) => store.append(id, 'no_stream', newEvents(2))));
      const checkpoints = store.log.checkpointsAfter(0, 10_000);
      expect(checkpoints.length).toBeLessThan(200);
      expect(checkpoints.at(-1)?.size).toBe(400);
      expect(checkpoints.at(-1)?.note).toContain(`— ${signer.name} `);
      expect(store.checkLog().problems).toEqual([]);
      for (const id of streams.slice(0, 5)) expect(verifyEvents(await store.readStream(id)).ok).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('refuses on this thread with the same error classes and fields as the store on one thread', async () => {
    const { store, cleanup } = await withWriterThread();
    try {
      const id = uniqueStreamId('e');
      const events = newEvents(2);
      await store.append(id, 'no_stream', events);
      const wrong = await store.append(id, 7, newEvents(1)).catch((error: unknown) => error);
      expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
      expect(wrong).toMatchObject({ streamId: id, expected: 7, actual: 1, name: 'WrongExpectedRevisionError' });
      expect((wrong as Error).message).toBe(`stream ${id}: expected revision 7, actual 1`);
      const claimed = await store.append(uniqueStreamId('other'), 'no_stream', [events[0]]).catch((error: unknown) => error);
      expect(claimed).toBeInstanceOf(EventIdConflictError);
      expect(claimed).toMatchObject({ eventIds: [events[0].eventId] });
      // Refused before it is handed over: the worker never sees it.
      await expect(store.append(id, 1, [{ ...newEvents(1)[0], data: { n: Number.NaN } }])).rejects.toThrow(InvalidEventError);
    } finally {
      await cleanup();
    }
  });

  it('refuses every append once a row was put in outside the ledger, as the store on one thread does', async () => {
    const { store, path, cleanup } = await withWriterThread();
    try {
      const id = uniqueStreamId('forged');
      await store.append(id, 'no_stream', newEvents(1));
      const outside = new Database(path);
      insertLinkedRow(outside, id);
      outside.close();
      await expect(store.append(uniqueStreamId('next'), 'no_stream', newEvents(1))).rejects.toBeInstanceOf(LogDisagreesError);
    } finally {
      await cleanup();
    }
  });

  it('commits what it accepted before close, and a reopened store continues the log', async () => {
    const { store, path, cleanup } = await withWriterThread();
    const id = uniqueStreamId('closing');
    const pending = Array.from({ length: 50 }, () => store.append(uniqueStreamId('c'), 'no_stream', newEvents(1)));
    pending.push(store.append(id, 'no_stream', newEvents(3)));
    await store.close();
    const results = await Promise.all(pending);
    expect(results.at(-1)?.nextExpectedRevision).toBe(2);
    await expect(store.append(id, 2, newEvents(1))).rejects.toThrow(/closed/);
    const again = SqliteEventStore.open({ path, logSigner: signer, writerThread: { logSigner: { key } } });
    try {
      await again.append(id, 2, newEvents(1));
      expect(again.checkLog().problems).toEqual([]);
      expect(again.log.latestCheckpoint()?.size).toBe(54);
    } finally {
      await again.close();
      await cleanup();
    }
  });
});
