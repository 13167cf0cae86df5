import { DEFAULT_POLICY, illegal, type Decider } from '@ledger/appraisal';
import { SqliteEventStore, WrongExpectedRevisionError } from '@ledger/event-store';
import { ManualClock, SequentialIds } from '../testing/clock-and-ids';
import { ProblemException } from '../problems/problem';
import type { RequestContext } from '../platform/request-context';
import { CommandPath } from './command-path';

// A tiny decider: "Note" commands become BehaviourExpectationSet events (a real type, so it has a
// schema version); the text "no" is refused; the state counts events.
type Note = { type: 'Note'; data: { text: string; reason?: string; twice?: boolean } };
type Noted = { type: 'BehaviourExpectationSet'; data: { behaviour: 'LOYAL'; expectation: string } };
const notes: Decider<Note, Noted, number> = {
  initialState: () => 0,
  evolve: (count) => count + 1,
  decide: (command, count, ctx) => {
    if (command.data.text === 'no') throw illegal('NOPE', 'refused', { count });
    if (command.data.text === '') return [];
    const event: Noted = {
      type: 'BehaviourExpectationSet',
      data: { behaviour: 'LOYAL', expectation: `${command.data.text} by ${ctx.actor.id} at ${ctx.now}` },
    };
    return command.data.twice ? [event, event] : [event];
  },
};

const ctx = (extra: Partial<RequestContext> = {}): RequestContext => ({
  actor: { id: '199001012020121001', role: 'PEGAWAI' },
  requestId: 'req-1',
  correlationId: 'corr-1',
  ...extra,
});

describe('CommandPath', () => {
  let store: SqliteEventStore;
  let path: CommandPath;
  const clock = new ManualClock('2026-03-01T02:00:00.000Z');
  beforeEach(() => {
    store = SqliteEventStore.open({ path: ':memory:' });
    path = new CommandPath(store, clock, new SequentialIds(), DEFAULT_POLICY);
  });
  afterEach(() => store.close());

  it('decides with actor, clock and policy, and stores each event in a full envelope', async () => {
    const outcome = await path.execute('s-1', notes, { type: 'Note', data: { text: 'hi', reason: 'because', twice: true } }, ctx());
    expect(outcome).toEqual({
      streamId: 's-1',
      revision: 1,
      position: 2,
      events: [
        { eventId: '00000000-0000-4000-8000-000000000001', type: 'BehaviourExpectationSet' },
        { eventId: '00000000-0000-4000-8000-000000000002', type: 'BehaviourExpectationSet' },
      ],
    });
    const [first] = await store.readStream('s-1');
    expect(first).toMatchObject({
      schemaVersion: 1,
      data: { behaviour: 'LOYAL', expectation: 'hi by 199001012020121001 at 2026-03-01T02:00:00.000Z' },
      metadata: {
        actorId: '199001012020121001',
        actorRole: 'PEGAWAI',
        occurredAt: '2026-03-01T02:00:00.000Z',
        correlationId: 'corr-1',
        causationId: 'req-1',
        reason: 'because',
      },
    });
  });

  it('appends after the loaded revision, so the next command sees the folded state', async () => {
    await path.execute('s-1', notes, { type: 'Note', data: { text: 'a' } }, ctx());
    const second = await path.execute('s-1', notes, { type: 'Note', data: { text: 'b' } }, ctx({ ifMatch: 0 }));
    expect(second.revision).toBe(1);
    expect((await path.load('s-1', notes)).state).toBe(2);
  });

  it('refuses a stale If-Match with 412 before deciding, and stores nothing', async () => {
    await path.execute('s-1', notes, { type: 'Note', data: { text: 'a' } }, ctx());
    const attempt = path.execute('s-1', notes, { type: 'Note', data: { text: 'no' } }, ctx({ ifMatch: 5 }));
    await expect(attempt).rejects.toMatchObject({
      code: 'STALE_REVISION',
      status: 412,
      extra: { details: { ifMatch: 5, currentRevision: 0 } },
    });
    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    expect(await store.headPosition()).toBe(1);
  });

  it('lets a refusal through unchanged and stores nothing', async () => {
    await expect(path.execute('s-1', notes, { type: 'Note', data: { text: 'no' } }, ctx())).rejects.toMatchObject({
      code: 'NOPE',
      kind: 'ILLEGAL_STATE',
    });
    expect(await store.headPosition()).toBe(0);
  });

  it('appends nothing for an empty decision and reports where the stream stands', async () => {
    await path.execute('s-1', notes, { type: 'Note', data: { text: 'a' } }, ctx());
    await expect(path.execute('s-1', notes, { type: 'Note', data: { text: '' } }, ctx())).resolves.toEqual({
      streamId: 's-1',
      revision: 0,
      position: 1,
      events: [],
    });
  });

  it('fails with WrongExpectedRevisionError when another writer appended after the load', async () => {
    const loaded = await path.load('s-1', notes);
    await path.execute('s-1', notes, { type: 'Note', data: { text: 'first' } }, ctx());
    const late = path.decideAndAppend(
      's-1',
      notes,
      { type: 'Note', data: { text: 'late' } },
      loaded,
      path.metaFor(ctx(), { type: 'Note', data: {} }),
    );
    await expect(late).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.headPosition()).toBe(1);
  });

  it('uses given event ids, so a retry is recognised by the store', async () => {
    const meta = path.metaFor(ctx(), { type: 'Note', data: {} });
    const loaded = await path.load('s-1', notes);
    const ids = ['6f1c1a52-7b7e-5f0e-9a55-0f3d7c1f2a10'];
    const first = await path.decideAndAppend('s-1', notes, { type: 'Note', data: { text: 'x' } }, loaded, meta, ids);
    const retry = await path.decideAndAppend('s-1', notes, { type: 'Note', data: { text: 'x' } }, loaded, meta, ids);
    expect(retry).toEqual(first);
    expect(await store.headPosition()).toBe(1);
  });

  describe('the cached fold', () => {
    const noted = {
      eventId: '',
      type: 'BehaviourExpectationSet',
      schemaVersion: 1,
      data: { behaviour: 'LOYAL', expectation: 'direct' },
      metadata: { actorId: 'x', actorRole: 'PEGAWAI', occurredAt: '2026-03-01T02:00:00.000Z', correlationId: 'c', causationId: 'c' },
    };
    const direct = (n: number) => ({ ...noted, eventId: `10000000-0000-4000-8000-00000000000${n}` });

    it('folds in what other writers appended before deciding: the store stays the authority', async () => {
      await path.execute('s-1', notes, { type: 'Note', data: { text: 'a' } }, ctx());
      await store.append('s-1', 0, [direct(1)]);
      await expect(path.execute('s-1', notes, { type: 'Note', data: { text: 'no' } }, ctx())).rejects.toMatchObject({
        code: 'NOPE',
        details: { count: 2 },
      });
      expect((await path.execute('s-1', notes, { type: 'Note', data: { text: 'b' } }, ctx({ ifMatch: 1 }))).revision).toBe(2);
    });

    it('reads the whole stream to verify its chain (readVerifiedStream), once per command', async () => {
      // The embedded store verifies the whole stream in its own readVerifiedStream (hashes of rows it
      // verified before are not recomputed: verified-prefixes.ts) and returns what the cached fold lacks.
      const read = jest.spyOn(store, 'readVerifiedStream');
      const rows = jest.spyOn(store, 'readStream');
      for (const text of ['a', 'b', 'c']) await path.execute('s-1', notes, { type: 'Note', data: { text } }, ctx());
      expect(read.mock.calls.map(([, options]) => options)).toEqual([{ fromRevision: 0 }, { fromRevision: 1 }, { fromRevision: 2 }]);
      expect(rows).not.toHaveBeenCalled();
      const returned = await Promise.all(read.mock.results.map((r) => r.value as Promise<unknown[]>));
      expect(returned.map((events) => events.length)).toEqual([0, 0, 0]);
    });

    it('recovers after losing a race: the next command decides on the true state', async () => {
      await path.execute('s-1', notes, { type: 'Note', data: { text: 'a' } }, ctx());
      const realAppend = store.append.bind(store);
      jest.spyOn(store, 'append').mockImplementationOnce(async (streamId, expected, events) => {
        await realAppend(streamId, 0, [direct(2)]); // another writer gets in between fold and append
        return realAppend(streamId, expected, events);
      });
      await expect(path.execute('s-1', notes, { type: 'Note', data: { text: 'b' } }, ctx())).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(path.execute('s-1', notes, { type: 'Note', data: { text: 'no' } }, ctx())).rejects.toMatchObject({
        details: { count: 2 },
      });
      expect((await path.load('s-1', notes)).state).toBe(2);
    });
  });
});
