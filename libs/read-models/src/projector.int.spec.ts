import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { appendAll, yearScenario, type Scenario } from '@ledger/read-models/testing';
import type { ReadDoc, ReadStore } from './port';
import type { Projection } from './projection';
import { Projector } from './projector';
import { APPRAISALS, AUDIT_TRAIL, DISPUTES, PROJECTIONS, UNITS, type AppraisalView, type DisputeView } from './projections';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** Every document of every collection, by collection, sorted by id. */
async function snapshot(store: ReadStore, projections: readonly Projection<unknown>[] = PROJECTIONS): Promise<Record<string, ReadDoc[]>> {
  const all: Record<string, ReadDoc[]> = {};
  for (const { collection } of projections) all[collection] = await store.find(collection, {});
  return all;
}

describe('Projector with SqliteEventStore and SqliteReadStore (files)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let projector: Projector | undefined;
  let scenario: Scenario;
  const logs: string[] = [];

  beforeAll(() => {
    scenario = yearScenario({ units: 2, membersPerUnit: 8 });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    events = SqliteEventStore.open({ path: join(dir, 'events.db'), synchronous: 'NORMAL', pollIntervalMs: 20 });
    reads = SqliteReadStore.open({ path: join(dir, 'read.db') });
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await reads.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const newProjector = (batchSize?: number) =>
    new Projector({ eventStore: events, readStore: reads, projections: PROJECTIONS, batchSize, logger: (m) => logs.push(m) });
  const half = () => Math.floor(scenario.appends.length / 2);

  it('catches up on history, then follows live appends; waitFor resolves as the checkpoint reaches it', async () => {
    const before = await appendAll(events, scenario.appends.slice(0, half()));
    projector = newProjector(7);
    await projector.start();
    expect(await projector.waitFor(before, 5_000)).toBe(true);
    expect(projector.position()).toBe(before);
    expect(await reads.getCheckpoint('read-models')).toBe(before);

    const pending = projector.waitFor(before + 1, 5_000);
    const head = await appendAll(events, scenario.appends.slice(half()));
    expect(await pending).toBe(true);
    expect(await projector.waitFor(head, 5_000)).toBe(true);
    expect(await projector.waitFor(head + 1, 50)).toBe(false);

    expect((await reads.find(AUDIT_TRAIL, {})).length).toBe(scenario.eventCount);
    const appraisals = await reads.find<AppraisalView>(APPRAISALS, {});
    expect(appraisals.map((a) => a.id).sort()).toEqual([...scenario.appraisalIds].sort());
    for (const { id, doc } of appraisals) {
      const stream = await events.readStream(`appraisal-${id}`);
      expect(doc.revision).toBe(stream.length - 1); // the ETag the API hands out
    }
    expect((await reads.find(UNITS, {})).map((u) => u.id)).toEqual(scenario.unitKeys);
    const disputes = await reads.find<DisputeView>(DISPUTES, {}, { sortBy: 'status' });
    expect(disputes.map((d) => d.doc.status)).toEqual(['DECIDED', 'DECIDED', 'OPEN', 'OPEN']);
    expect(await reads.find(APPRAISALS, { unitId: 'UNIT-01', year: 2026 })).toHaveLength(8);
  });

  it('resumes from its checkpoint after a restart without duplicating anything', async () => {
    await appendAll(events, scenario.appends.slice(0, half()));
    projector = newProjector();
    await projector.start();
    expect(await projector.waitFor(await events.headPosition(), 5_000)).toBe(true);
    await projector.stop();
    const stoppedAt = projector.position();

    const head = await appendAll(events, scenario.appends.slice(half()));
    projector = newProjector();
    await projector.start();
    expect(projector.position()).toBe(stoppedAt);
    expect(await projector.waitFor(head, 5_000)).toBe(true);
    const audit = await reads.find(AUDIT_TRAIL, {}, { sortBy: 'position' });
    expect(audit.map((a) => a.doc.position)).toEqual(Array.from({ length: scenario.eventCount }, (_, i) => i + 1));
    const resumed = await snapshot(reads);
    await projector.rebuild();
    expect(await snapshot(reads)).toEqual(resumed);
  });

  it('is idempotent under redelivery: replaying all history over the documents changes none', async () => {
    const head = await appendAll(events, scenario.appends);
    projector = newProjector();
    await projector.start();
    expect(await projector.waitFor(head, 5_000)).toBe(true);
    const before = await snapshot(reads);
    // A second projector with its own checkpoint (0) redelivers every event to the same documents.
    const replay = new Projector({ eventStore: events, readStore: reads, projections: PROJECTIONS, name: 'replay', batchSize: 13 });
    await replay.start();
    expect(await replay.waitFor(head, 5_000)).toBe(true);
    await replay.stop();
    expect(await snapshot(reads)).toEqual(before);
  });

  it('rebuilds documents equal to the live ones, in every collection', async () => {
    const head = await appendAll(events, scenario.appends);
    projector = newProjector(5); // small live batches: many boundaries the rebuild does not have
    await projector.start();
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    const live = await snapshot(reads);

    const rebuilt = await projector.rebuild();
    expect(rebuilt.events).toBe(scenario.eventCount);
    expect(projector.position()).toBe(head);
    const after = await snapshot(reads);
    for (const { collection } of PROJECTIONS) expect(after[collection].length).toBeGreaterThan(0);
    expect(after).toEqual(live);
    expect(await reads.find(APPRAISALS, { unitId: 'UNIT-02' })).toHaveLength(8); // indexes are back
  });

  it('rebuilds the same documents when it must write out and read back held documents along the way', async () => {
    const head = await appendAll(events, scenario.appends);
    projector = newProjector(5);
    await projector.start();
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    const live = await snapshot(reads);
    await projector.stop();

    projector = new Projector({
      eventStore: events,
      readStore: reads,
      projections: PROJECTIONS,
      rebuildPageSize: 16,
      rebuildMaxHeldDocs: 12, // far fewer than the scenario's documents: a flush after nearly every page
    });
    expect((await projector.rebuild()).events).toBe(scenario.eventCount);
    expect(await snapshot(reads)).toEqual(live);
    expect(await reads.getCheckpoint('read-models')).toBe(head);
  });

  it('resumes from the checkpoint after a rebuild that failed half-way and ends equal to live', async () => {
    let failAt = 0;
    const watched: Projection<{ n: number }> = {
      name: 'watched',
      collection: 'watched',
      handles: ['PlanSubmitted', 'ResultDelivered'],
      idsOf: (e) => [e.streamId],
      evolve: (doc, e) => {
        if (e.globalPosition === failAt) throw new Error('projection bug');
        return { n: (doc?.n ?? 0) + 1 };
      },
    };
    const head = await appendAll(events, scenario.appends);
    const projections = [...PROJECTIONS, watched];
    projector = new Projector({
      eventStore: events,
      readStore: reads,
      projections,
      batchSize: 9,
      rebuildPageSize: 20,
      rebuildMaxHeldDocs: 12,
    });
    await projector.start();
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    const live = await snapshot(reads, projections);

    // The first event the projection sees past the middle of the history: its page fails.
    const history = await events.readAll({ fromPosition: 0, limit: 100_000 });
    failAt = history.find((e) => e.globalPosition > head / 2 && watched.handles.includes(e.type))?.globalPosition ?? 0;
    expect(failAt).toBeGreaterThan(0);
    await expect(projector.rebuild()).rejects.toThrow('projection bug');
    const resumeFrom = await reads.getCheckpoint('read-models');
    expect(resumeFrom).toBeGreaterThan(0); // held documents were written out with the checkpoint…
    expect(resumeFrom).toBeLessThan(failAt);
    // …and audit entries went in page by page, past it: the replay from the checkpoint must leave them as they are.
    expect((await reads.find(AUDIT_TRAIL, {})).some((entry) => entry.position > resumeFrom)).toBe(true);

    failAt = 0;
    await projector.start();
    expect(projector.position()).toBe(resumeFrom);
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    expect(await snapshot(reads, projections)).toEqual(live);
  });

  it('keeps following live appends made during a rebuild', async () => {
    const firstHalf = await appendAll(events, scenario.appends.slice(0, half()));
    projector = newProjector();
    await projector.start();
    expect(await projector.waitFor(firstHalf, 5_000)).toBe(true);
    const [, head] = await Promise.all([projector.rebuild(), appendAll(events, scenario.appends.slice(half()))]);
    expect(await projector.waitFor(head, 5_000)).toBe(true);
    const live = await snapshot(reads);
    await projector.rebuild();
    expect(await snapshot(reads)).toEqual(live);
  });

  it('stops and logs when a batch fails, keeps what was committed, and resumes on start()', async () => {
    let failing = true;
    const flaky: Projection<{ n: number }> = {
      name: 'flaky',
      collection: 'flaky',
      handles: ['ResultDelivered'],
      idsOf: (e) => [e.streamId],
      evolve: (doc) => {
        if (failing) throw new Error('projection bug');
        return { n: (doc?.n ?? 0) + 1 };
      },
    };
    const head = await appendAll(events, scenario.appends);
    const messages: string[] = [];
    projector = new Projector({
      eventStore: events,
      readStore: reads,
      projections: [...PROJECTIONS, flaky],
      batchSize: 50,
      logger: (m) => messages.push(m),
    });
    await projector.start();
    expect(await projector.waitFor(head, 300)).toBe(false);
    expect(messages.some((m) => m.includes('stopped at position') && m.includes('projection bug'))).toBe(true);
    const stuckAt = projector.position();
    expect(stuckAt).toBeLessThan(head);
    expect(await reads.getCheckpoint('read-models')).toBe(stuckAt);

    failing = false;
    await projector.start();
    expect(await projector.waitFor(head, 5_000)).toBe(true);
    expect((await reads.find('flaky', {})).length).toBe(scenario.appraisalIds.length);
  });
});
