import type { EventStore, StoredEvent } from '@ledger/event-store';
import type { DocWrite, ReadDoc, ReadStore } from '../port';
import type { AnyProjection, Projection } from '../projection';
import { Projector, type ProjectorOptions } from '../projector';
import { PROJECTIONS } from '../projections';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { appendAll, yearScenario, type Scenario } from './scenario';

/** A read store on a fresh database or file, and an event store already holding `scenario`'s first `seeded` appends. */
export type RebuildWorld = () => Promise<{ events: EventStore; reads: ReadStore; cleanup: () => Promise<void> }>;

type Shape = { n: number; version: number; kinds?: string[] };

/** The test's own read model: one document per stream, whose shape tells which version wrote it. */
function shape(version: number, extra: Partial<Projection<Shape>> = {}): Projection<Shape> {
  return {
    name: 'shape',
    collection: 'shape',
    version,
    handles: ['PlanSubmitted', 'PlanApproved', 'ResultDelivered', 'BehaviourRated', 'PerformanceRated'],
    idsOf: (e) => [e.streamId],
    evolve: (doc, e) =>
      version === 1 ? { n: (doc?.n ?? 0) + 1, version } : { n: (doc?.n ?? 0) + 1, version, kinds: [...(doc?.kinds ?? []), e.type] },
    indexes: ['version'],
    ...extra,
  };
}

/** The real store, with every collection a write touches recorded (commit and insertNew both). */
function recording(store: ReadStore): { store: ReadStore; written: Set<string> } {
  const written = new Set<string>();
  const note = (writes: DocWrite[]) => writes.forEach((w) => written.add(w.collection));
  const wrapped: ReadStore = Object.assign(Object.create(store) as ReadStore, {
    commit: (writes: DocWrite[], ...checkpoints: Parameters<ReadStore['commit']>[1][]) => {
      note(writes);
      return store.commit(writes, ...checkpoints);
    },
    insertNew: (writes: DocWrite[]) => {
      note(writes);
      return store.insertNew === undefined ? store.commit(writes) : store.insertNew(writes);
    },
  });
  return { store: wrapped, written };
}

/** Stops the projectors started so far (before their store closes). */
async function stopAll(running: Projector[]): Promise<void> {
  for (const p of running.splice(0)) await p.stop();
}

/** Checkpoints of the projections other than `shape` (and the progress), which a rebuild of shape must leave alone. */
const othersOf = (all: Map<string, number>) => [...all].filter(([name]) => name !== 'read-models' && !name.includes('/shape'));

/**
 * A changed or new projection is rebuilt alone, in the background, on a store that already holds
 * events (empty stores cannot show it): the others' checkpoints and documents are not touched,
 * the previous version serves reads until the swap, a failure half-way leaves it serving and the
 * next start resumes. Run by each read-store adapter's int spec.
 */
export function describeBackgroundRebuild(name: string, world: RebuildWorld): void {
  describe(`background rebuild of one projection: ${name}`, () => {
    jest.setTimeout(60_000);
    let scenario: Scenario;
    let events: EventStore;
    let reads: ReadStore;
    let cleanup: () => Promise<void>;
    let head: number;
    const running: Projector[] = [];
    const logs: string[] = [];

    beforeAll(() => {
      scenario = yearScenario({ units: 2, membersPerUnit: 6 });
    });
    beforeEach(async () => {
      ({ events, reads, cleanup } = await world());
      head = await appendAll(events, scenario.appends.slice(0, Math.floor(scenario.appends.length * 0.8)));
      logs.length = 0;
    });
    afterEach(async () => {
      for (const p of running.splice(0)) await p.stop();
      await cleanup();
    });

    const projector = (projections: readonly AnyProjection[], options: Partial<ProjectorOptions> = {}, readStore = reads) => {
      const p = new Projector({ eventStore: events, readStore, projections, logger: (m) => logs.push(m), ...options });
      running.push(p);
      return p;
    };
    /** Projects everything there is with `projections`, then stops. */
    const settle = async (projections: readonly AnyProjection[]) => {
      const p = projector(projections);
      await p.start();
      await p.settled();
      expect(await p.waitFor(await events.headPosition(), 20_000)).toBe(true);
      await p.stop();
    };
    const shapes = async (): Promise<ReadDoc<Shape>[]> => reads.find<Shape>('shape', {});
    const rest = async () => Promise.all(PROJECTIONS.map(({ collection }) => reads.find(collection, {})));

    it('a changed projection rebuilds alone while the old version serves reads; after the swap reads see the new shape', async () => {
      await settle([...PROJECTIONS, shape(1)]);
      const before = { checkpoints: othersOf(await reads.listCheckpoints()), docs: await rest(), shapes: await shapes() };
      expect(before.shapes.length).toBe(scenario.appraisalIds.length);

      const { store, written } = recording(reads);
      const p = projector([...PROJECTIONS, shape(2)], { rebuildPageSize: 7, rebuildMaxHeldDocs: 5 }, store);
      await p.start();
      const during: Array<ReadDoc<Shape>[]> = [];
      let done = false;
      const settled = p.settled().then(() => (done = true));
      while (!done) {
        const building = () => p.status().some((s) => s.projection === 'shape' && s.state === 'building');
        if (building()) {
          const docs = await shapes();
          if (building()) during.push(docs); // read wholly before the swap began
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      await settled;
      expect(during.length).toBeGreaterThan(2); // reads did happen while it was rebuilding…
      // …and all saw version 1, whole. (During the swap itself a FerretDB reader may find the
      // collection empty for a moment: see MongoReadStore.replaceCollection.)
      for (const docs of during) expect(docs).toEqual(before.shapes);
      const after = await shapes();
      expect(after.map((d) => d.id)).toEqual(before.shapes.map((d) => d.id));
      expect(after.every((d) => d.doc.version === 2 && d.doc.kinds?.length === d.doc.n)).toBe(true);
      expect((await reads.find<Shape>('shape', { version: 2 })).length).toBe(after.length); // its index came along
      expect(await reads.find('shape__v2', {})).toEqual([]);
      expect([...written].filter((c) => !c.startsWith('shape'))).toEqual([]); // no other read model rewritten
      expect(othersOf(await reads.listCheckpoints())).toEqual(before.checkpoints);
      expect(await rest()).toEqual(before.docs);
      const checkpoints = await reads.listCheckpoints();
      expect(checkpoints.get('read-models/shape#version')).toBe(2);
      expect(checkpoints.get('read-models/shape')).toBe(head);

      // Live from there: a new event reaches the new version.
      const end = await appendAll(events, scenario.appends.slice(Math.floor(scenario.appends.length * 0.8)));
      expect(await p.waitFor(end, 10_000)).toBe(true);
      expect((await shapes()).every((d) => d.doc.version === 2 && d.doc.kinds?.length === d.doc.n)).toBe(true);
      expect(await reads.getCheckpoint('read-models/shape')).toBe(end);
    });

    it('with the previous version still listed, the old one keeps following live events until the swap', async () => {
      await settle([...PROJECTIONS, shape(1)]);
      const tail = scenario.appends.slice(Math.floor(scenario.appends.length * 0.8));
      // The new version's build is held at its first page until the live appends are in.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let gated = false;
      const slow = shape(2, {
        evolve: (doc, e) => {
          gated = true;
          return shape(2).evolve(doc, e);
        },
      });
      // Only the rebuild's pages (its page size, 5) wait; the live subscription reads on.
      const gatedEvents: EventStore = Object.assign(Object.create(events) as EventStore, {
        readAll: async (options: Parameters<EventStore['readAll']>[0]) => {
          const page = await events.readAll(options);
          if (gated && options.limit === 5) await gate;
          return page;
        },
      });
      const sum = (docs: ReadDoc<Shape>[]) => docs.reduce((total, d) => total + d.doc.n, 0);
      const settledSum = sum(await shapes());
      const p = new Projector({
        eventStore: gatedEvents,
        readStore: reads,
        projections: [...PROJECTIONS, shape(1), slow],
        rebuildPageSize: 5,
      });
      running.push(p);
      await p.start();
      const end = await appendAll(events, tail);
      expect(await p.waitFor(end, 10_000)).toBe(true); // v1 follows: the progress does not wait for the rebuild
      const live = await shapes();
      expect(live.every((d) => d.doc.version === 1)).toBe(true);
      expect(sum(live)).toBeGreaterThan(settledSum); // v1 applied the live events
      expect(p.status().find((s) => s.projection === 'shape')?.state).toBe('building');
      release();
      await p.settled();
      const after = await shapes();
      expect(after.every((d) => d.doc.version === 2)).toBe(true);
      expect(after.map((d) => d.doc.n)).toEqual(live.map((d) => d.doc.n)); // caught up with everything v1 had
    });

    it('a new projection catches up from zero alone; the progress waits for it', async () => {
      await settle(PROJECTIONS);
      const before = { checkpoints: othersOf(await reads.listCheckpoints()), docs: await rest() };
      const { store, written } = recording(reads);
      const p = projector([...PROJECTIONS, shape(1)], { rebuildPageSize: 9 }, store);
      await p.start();
      expect(p.position()).toBe(0); // a reader must wait: nothing else serves the new read model
      expect(await p.waitFor(head, 20_000)).toBe(true);
      await p.settled();
      expect((await shapes()).length).toBe(scenario.appraisalIds.length);
      expect([...written]).toEqual(['shape']);
      expect(othersOf(await reads.listCheckpoints())).toEqual(before.checkpoints);
      expect(await rest()).toEqual(before.docs);
    });

    it('a failure half-way leaves the old version serving; the next start resumes from its checkpoint and ends as a whole rebuild', async () => {
      await settle([...PROJECTIONS, shape(1)]);
      const old = await shapes();
      let failAt = Math.floor(head * 0.6);
      const flaky = shape(2, {
        evolve: (doc, e: StoredEvent) => {
          if (e.globalPosition === failAt) throw new Error('projection bug');
          return shape(2).evolve(doc, e);
        },
      });
      failAt =
        (await events.readAll({ fromPosition: failAt - 1, limit: 50 })).find((e) => flaky.handles.includes(e.type))?.globalPosition ?? 0;
      const first = projector([...PROJECTIONS, flaky], { rebuildPageSize: 4, rebuildMaxHeldDocs: 3 });
      await first.start();
      await expect(first.settled()).rejects.toThrow('projection bug');
      expect(logs.some((m) => m.includes('rebuild of shape v2 stopped') && m.includes('projection bug'))).toBe(true);
      expect(await shapes()).toEqual(old);
      const resumeFrom = await reads.getCheckpoint('read-models/shape@v2');
      expect(resumeFrom).toBeGreaterThan(0);
      expect(resumeFrom).toBeLessThan(failAt);
      await first.stop();

      failAt = 0;
      const second = projector([...PROJECTIONS, flaky]);
      await second.start();
      expect(logs.some((m) => m.includes(`rebuilding shape v2 from position ${resumeFrom}`))).toBe(true);
      await second.settled();
      const resumed = await shapes();
      await second.stop();
      // The reference: version 2 built from zero into a read store of its own.
      const reference = SqliteReadStore.open({ path: ':memory:' });
      try {
        const whole = projector([shape(2)], {}, reference);
        await whole.start();
        await whole.settled();
        expect(resumed).toEqual(await reference.find('shape', {}));
      } finally {
        await stopAll(running);
        await reference.close();
      }
    });

    it('completes a swap that a crash interrupted after its checkpoints were set (a store without transactions)', async () => {
      await settle([...PROJECTIONS, shape(1)]);
      // A finished build of version 2 in staging, and the swap's first step done: its checkpoints.
      const staged = (await shapes()).map(({ id, position }) => ({ collection: 'shape__v2', id, position, doc: { n: 0, version: 2 } }));
      await reads.ensureIndexes('shape__v2', ['version']);
      await reads.commit(staged);
      await reads.setCheckpoints({ 'read-models/shape#version': 2, 'read-models/shape': head });
      logs.length = 0;
      const p = projector([...PROJECTIONS, shape(2)]);
      await p.start();
      await p.settled();
      expect((await shapes()).map((d) => d.doc)).toEqual(staged.map((w) => w.doc));
      expect(await reads.find('shape__v2', {})).toEqual([]);
      expect(logs.some((m) => m.includes('rebuilding'))).toBe(false);
    });

    it('takes over a shared checkpoint of an earlier deployment without a rebuild, and rebuilds only what changed', async () => {
      await settle([...PROJECTIONS, shape(1)]);
      const all = await reads.listCheckpoints();
      // The layout before per-projection checkpoints: one shared 'read-models'.
      await reads.setCheckpoints(Object.fromEntries([...all.keys()].filter((n) => n !== 'read-models').map((n) => [n, null])));
      // A projection of this code base at a version above 1 is changed for that deployment: it rebuilds too.
      const unchanged = PROJECTIONS.filter((p) => (p.version ?? 1) === 1);
      const raised = PROJECTIONS.filter((p) => (p.version ?? 1) !== 1).map((p) => `${p.collection}__v${p.version}`);
      const docs = await Promise.all(unchanged.map(({ collection }) => reads.find(collection, {})));
      const { store, written } = recording(reads);
      const p = projector([...PROJECTIONS, shape(2)], {}, store);
      await p.start();
      await p.settled();
      expect([...written].filter((c) => !c.startsWith('shape')).sort()).toEqual(raised.sort());
      expect(await Promise.all(unchanged.map(({ collection }) => reads.find(collection, {})))).toEqual(docs);
      const after = await reads.listCheckpoints();
      for (const { name: projection } of PROJECTIONS) expect(after.get(`read-models/${projection}`)).toBe(head);
      expect(after.get('read-models/shape#version')).toBe(2);
      expect((await shapes()).every((d) => d.doc.version === 2)).toBe(true);
    });
  });
}
