import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { APPRAISALS, PROJECTIONS, SqliteReadStore, type ReadStore } from '@ledger/read-models';
import { appendAll, yearScenario } from '@ledger/read-models/testing';
import { buildApps, startApp, type AppProcess } from '../../../test/support/processes';

/**
 * The projector process on a store that already holds events: a projection whose stored version
 * differs from the code's is rebuilt alone in the background; killed (SIGKILL) half-way, the old
 * documents keep serving and the next start resumes from the rebuild's checkpoint.
 */
jest.setTimeout(120_000);

let work: string;
let built: string;
let dataDir: string;
const running: AppProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'projector-rebuild-'));
  built = join(work, 'dist');
  buildApps(built);
  dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const events = SqliteEventStore.open({ path: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    await appendAll(events, yearScenario({ units: 4, membersPerUnit: 25 }).appends);
  } finally {
    await events.close();
  }
});
afterAll(() => {
  for (const proc of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const projector = async (env: Record<string, string> = {}) => {
  const proc = await startApp(
    built,
    'projector',
    { LEDGER_DATA_DIR: dataDir, LEDGER_EVENT_STORE_SYNC: 'NORMAL', ...env },
    /following from position/,
  );
  running.push(proc);
  return proc;
};

/** Polls the read store (its own connection) until `done` holds. */
async function until(reads: ReadStore, done: (checkpoints: Map<string, number>) => boolean, what: string): Promise<Map<string, number>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const checkpoints = await reads.listCheckpoints();
    if (done(checkpoints)) return checkpoints;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify([...checkpoints])}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('rebuilds a projection of another version alone; killed half-way, the old one serves and the next start resumes', async () => {
  const reads = SqliteReadStore.open({ path: join(dataDir, 'read-models.sqlite') });
  try {
    const version = (name: string) => `read-models/${name}#version`;
    const first = await projector();
    await until(reads, (c) => PROJECTIONS.every((p) => c.has(version(p.name))), 'every projection to serve');
    expect(await first.stop()).toBe(0);
    const served = await reads.find(APPRAISALS, {});
    expect(served.length).toBe(100);
    const before = await reads.listCheckpoints();

    // A store written by another version of the appraisals projection (0: none this code has).
    await reads.setCheckpoints({ [version('appraisals')]: 0 });
    const building = 'read-models/appraisals@v1';
    const slow = await projector({ PROJECTOR_REBUILD_PAGE_SIZE: '3', PROJECTOR_REBUILD_MAX_HELD: '5' });
    const reached = await until(reads, (c) => (c.get(building) ?? 0) > 0, 'the rebuild to write out its first documents');
    slow.child.kill('SIGKILL');
    await slow.exited;
    const killedAt = (await reads.listCheckpoints()).get(building) ?? 0;
    expect(killedAt).toBeGreaterThanOrEqual(reached.get(building) ?? 0);
    expect(killedAt).toBeLessThan(before.get('read-models/appraisals') ?? 0);
    expect(await reads.find(APPRAISALS, {})).toEqual(served); // the old version served throughout
    expect(await reads.getCheckpoint(version('appraisals'))).toBe(0);

    const resumed = await projector();
    await until(reads, (c) => c.get(version('appraisals')) === 1 && !c.has(building), 'the swap');
    expect(resumed.output()).toContain(`rebuilding appraisals v1 from position ${killedAt}`);
    expect(await reads.find(APPRAISALS, {})).toEqual(served); // the same fold: the same documents, resumed or not
    const after = await reads.listCheckpoints();
    for (const [name, position] of before) expect([name, after.get(name)]).toEqual([name, position]);
    expect(await resumed.stop()).toBe(0);
  } finally {
    await reads.close();
  }
});
