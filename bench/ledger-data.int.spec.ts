import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appraisalDecider, appraisalStreamId, DEFAULT_POLICY, type AppraisalEvent } from '@ledger/appraisal';
import { LogKeyring, SqliteEventStore } from '@ledger/event-store';
import { seedStoreDirectly } from './ledger-data';

// The curves and the soak measure an api started on a store seeded behind its back: the seed is
// only worth its figures if the api would accept that store (its log check) and its commands
// (the domain folds the long streams and still takes feedback on them).
describe('seedStoreDirectly', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-seed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openAsTheApi = () => SqliteEventStore.open({ path: join(dir, 'events.sqlite'), logSigner: LogKeyring.load({ dataDir: dir }) });

  it('writes a store whose Merkle log agrees with it, under the data dir’s own log key', async () => {
    const seeded = await seedStoreDirectly(dir, 3, 26);
    const store = openAsTheApi();
    try {
      expect(seeded.events).toBe(1 + 3 * 26);
      expect(await store.headPosition()).toBe(seeded.events);
      const { problems, summary } = store.checkLog();
      expect(problems).toEqual([]);
      expect(summary.treeSize).toBe(seeded.events);
    } finally {
      await store.close();
    }
  });

  it('writes long streams that the domain folds and still takes feedback on', async () => {
    const seeded = await seedStoreDirectly(dir, 2, 40);
    const store = openAsTheApi();
    try {
      const events = await store.readStream(appraisalStreamId(seeded.ids[1]));
      expect(events).toHaveLength(40);
      const state = events.reduce(
        (s, e) => appraisalDecider.evolve(s, { type: e.type, data: e.data } as AppraisalEvent),
        appraisalDecider.initialState(),
      );
      expect(state.feedbackIds).toHaveLength(4 + 10);
      const decided = appraisalDecider.decide(
        { type: 'GiveFeedback', data: { feedbackId: 'next', text: 'Lanjutkan.', about: { resultId: 'r1' } } },
        state,
        { actor: { id: '198001012005011002', role: 'PEJABAT_PENILAI' }, now: '2026-12-02T00:00:00.000Z', policy: DEFAULT_POLICY },
      );
      expect(decided.map((e) => e.type)).toEqual(['FeedbackGiven']);
    } finally {
      await store.close();
    }
  });

  it('refuses a stream length it cannot build from feedback pairs', async () => {
    await expect(seedStoreDirectly(dir, 1, 21)).rejects.toThrow('not 21');
  });
});
