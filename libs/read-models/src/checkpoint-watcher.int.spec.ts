import { CheckpointWatcher } from './checkpoint-watcher';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

describe('CheckpointWatcher (the progress of a projector in another process)', () => {
  it('starts at the stored checkpoint, releases a wait once the checkpoint reaches it, and times out otherwise', async () => {
    const store = SqliteReadStore.open({ path: ':memory:' });
    await store.commit([], { name: 'read-models', position: 4 });
    const watcher = new CheckpointWatcher({ readStore: store, pollIntervalMs: 5 });
    await watcher.start();
    try {
      expect(watcher.position()).toBe(4);
      const reached = watcher.waitFor(7, 2_000);
      const missed = watcher.waitFor(9, 50);
      await store.commit([], { name: 'read-models', position: 7 });
      await expect(reached).resolves.toBe(true);
      await expect(missed).resolves.toBe(false);
      expect(watcher.position()).toBe(7);
    } finally {
      watcher.stop();
      await store.close();
    }
  });

  it('keeps the last known position while the checkpoint cannot be read, and says so once', async () => {
    const store = SqliteReadStore.open({ path: ':memory:' });
    await store.commit([], { name: 'read-models', position: 3 });
    const logs: string[] = [];
    const watcher = new CheckpointWatcher({ readStore: store, pollIntervalMs: 5, logger: (m) => logs.push(m) });
    await watcher.start();
    await store.close(); // every poll now fails
    await new Promise((r) => setTimeout(r, 60));
    watcher.stop();
    expect(watcher.position()).toBe(3);
    expect(logs).toEqual([expect.stringContaining('cannot read the projector checkpoint')]);
  });
});
