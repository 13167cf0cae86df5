import { PassThrough } from 'node:stream';
import { jsonEvent, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { newEvent } from '../testing/events';
import { sleep } from '../testing/wait';
import { chainAfter } from './append-plan';
import { EsdbFeed } from './esdb-feed';
import { EsdbLayoutError, toEventData } from './esdb-layout';
import { EsdbReadTimeoutError } from './esdb-reads';
import { asServerReturns } from './testing/server-records';

/**
 * The client's subscription is an object-mode stream of decoded records with unsubscribe(); a
 * PassThrough carrying records decoded by the client's own code is that stream, minus the server.
 */
function subscription() {
  const stream = new PassThrough({ objectMode: true, highWaterMark: 16 });
  let unsubscribed = 0;
  return Object.assign(stream, {
    unsubscribe: async () => {
      unsubscribed += 1;
    },
    unsubscribed: () => unsubscribed,
  });
}

let commit = 1_000n;
function ledgerRecords(count: number, streamId = 's-1'): AllStreamResolvedEvent[] {
  return chainAfter(
    streamId,
    undefined,
    Array.from({ length: count }, () => newEvent()),
  ).map((event) => {
    commit += 100n;
    return asServerReturns(toEventData(event), { streamId, revision: event.streamRevision, commit });
  });
}
function otherRecord(streamId: string, type: string): AllStreamResolvedEvent {
  commit += 100n;
  return asServerReturns(jsonEvent({ type, data: { x: 1 } }), { streamId, revision: 0, commit });
}

describe('EsdbFeed', () => {
  it('hands out at most `max` ledger events per call, skipping system and foreign records', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    const ours = ledgerRecords(3);
    for (const record of [ours[0], otherRecord('$ce-s', '$>'), otherRecord('orders-1', 'OrderPlaced'), ours[1], ours[2]]) sub.write(record);
    const first = await feed.next(2);
    const second = await feed.next(2);
    expect([first, second].map((batch) => (batch === 'ended' ? batch : batch.map((e) => e.eventId)))).toEqual([
      [ours[0].event?.id, ours[1].event?.id],
      [ours[2].event?.id],
    ]);
  });

  it('waits for the next record when none is ready', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    let settled = false;
    const pending = feed.next(10).then((batch) => {
      settled = true;
      return batch;
    });
    await sleep(20);
    expect(settled).toBe(false);
    const [record] = ledgerRecords(1);
    sub.write(record);
    expect(await pending).toEqual([expect.objectContaining({ eventId: record.event?.id })]);
  });

  it('hands out what had arrived before reporting a failure', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    const records = ledgerRecords(2);
    records.forEach((record) => sub.write(record));
    await sleep(5);
    sub.emit('error', new Error('14 UNAVAILABLE: Connection dropped'));
    expect(await feed.next(10)).toHaveLength(2);
    await expect(feed.next(10)).rejects.toThrow('UNAVAILABLE');
  });

  it("says 'ended' when the stream ends without an error", async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    sub.write(ledgerRecords(1)[0]);
    sub.end();
    expect(await feed.next(10)).toHaveLength(1);
    expect(await feed.next(10)).toBe('ended');
  });

  it('rejects with EsdbLayoutError on a malformed ledger record', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    const [event] = chainAfter('s-1', undefined, [newEvent()]);
    const data = toEventData(event);
    sub.write(
      asServerReturns(
        { ...data, metadata: { ...(data.metadata as object), hash: 'bad' } },
        {
          streamId: 's-1',
          revision: 0,
          commit: 50n,
        },
      ),
    );
    await expect(feed.next(10)).rejects.toBeInstanceOf(EsdbLayoutError);
  });

  it('close() settles a pending next(), unsubscribes and destroys the stream', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub);
    const pending = feed.next(10);
    await feed.close();
    await feed.close();
    expect(await pending).toBe('ended');
    expect(sub.unsubscribed()).toBe(1);
    expect(sub.destroyed).toBe(true);
    // A late error from the cancelled call must not become an uncaught 'error' event.
    expect(() => sub.emit('error', new Error('late'))).not.toThrow();
  });

  it('fails with EsdbReadTimeoutError when the server never confirms the subscription (a stuck server), to be opened again', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub, { confirmTimeoutMs: 30 });
    await expect(feed.next(10)).rejects.toBeInstanceOf(EsdbReadTimeoutError);
    await feed.close();
  });

  it('once confirmed, a quiet subscription waits without a deadline', async () => {
    const sub = subscription();
    const feed = new EsdbFeed(sub, { confirmTimeoutMs: 30 });
    sub.emit('confirmation');
    let settled = false;
    const pending = feed.next(10).then(() => (settled = true));
    await sleep(80);
    expect(settled).toBe(false);
    await feed.close();
    await pending;
  });
});
