import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventStore, loadOrCreateLogSigner, parseVerifierKey } from '@ledger/event-store';
import { newEvent } from '@ledger/event-store/testing';
import { runExport, runProof, runVerify } from './commands';
import type { Progress } from './progress';
import { storeSource } from './source';

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write: (c, _e, done) => {
      chunks.push(String(c));
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

/** The auditor with the published key and a checkpoint kept from last month: verify and proof on a real store file. */
describe('auditor: the Merkle log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'auditor-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function ledger(tag: string, count: number): Promise<string> {
    const signer = loadOrCreateLogSigner({ dataDir: dir, origin: 'ledger.test/auditor' });
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), logSigner: signer });
    for (let i = 0; i < count; i++) await store.append(`appraisal-2026-${i % 3}`, 'any', [newEvent({ data: { tag, i } })]);
    const note = (store.log.latestCheckpoint() as { note: string }).note;
    await store.close();
    return note;
  }

  it('verifies against the published key and a trusted checkpoint, and proves an inclusion', async () => {
    const kept = join(dir, 'kept-checkpoint.txt');
    writeFileSync(kept, await ledger('real', 5));
    await ledger('real', 4);
    const logKey = parseVerifierKey(loadOrCreateLogSigner({ dataDir: dir }).verifierKey);
    const { out, text } = sink();
    expect(await runVerify(storeSource(dir), false, out, { logKey })).toBe(0);
    expect(text()).toMatch(/INTACT: 9 events[\s\S]*log: tree of 9 events.*9 stored checkpoints checked \(latest 9\).*signatures checked/);
    const trusted = sink();
    const { readFileSync } = await import('node:fs');
    expect(
      await runVerify(storeSource(dir), false, trusted.out, { logKey, trusted: [{ note: readFileSync(kept, 'utf8'), source: kept }] }),
    ).toBe(0);
    expect(trusted.text()).toContain('1 trusted');
    const proof = sink();
    expect(runProof(join(dir, 'events.sqlite'), 'inclusion', new Map([['leaf-index', '3']]), logKey, proof.out)).toBe(0);
    expect(JSON.parse(proof.text())).toMatchObject({ leafIndex: 3, treeSize: 9, verified: true, checkpointSigned: true });
    const consistency = sink();
    expect(runProof(join(dir, 'events.sqlite'), 'consistency', new Map([['from', '5']]), logKey, consistency.out)).toBe(0);
  });

  it('reports progress on long work: verify by stage, export by event against the total', async () => {
    await ledger('real', 2500);
    const calls: string[] = [];
    const recorder: Progress = {
      start: (label, total) => calls.push(`start ${label} ${total}`),
      update: (done, total) => calls.push(`update ${done}${total === undefined ? '' : `/${total}`}`),
      stop: () => calls.push('stop'),
    };
    expect(await runVerify(storeSource(dir), false, sink().out, {}, recorder)).toBe(0);
    expect(calls.splice(0)).toEqual(['start verify 3', 'update 1/3', 'update 2/3', 'update 3/3', 'stop']);
    expect(await runExport(storeSource(dir), sink().out, recorder)).toBe(2500);
    expect(calls).toEqual(['start export 2500', 'update 1000', 'update 2000', 'update 2500', 'stop']);
    // 2,500 durable appends one at a time (each its own fsync) before anything is checked: more than
    // Jest's default 5 s on a loaded machine (it timed out in CI so).
  }, 60_000);

  it('names a rewritten history that a trusted checkpoint contradicts, though every local check passes', async () => {
    const kept = await ledger('real', 5);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `events.sqlite${suffix}`), { force: true });
    await ledger('rewritten', 6);
    const logKey = parseVerifierKey(loadOrCreateLogSigner({ dataDir: dir }).verifierKey);
    expect(await runVerify(storeSource(dir), false, sink().out, { logKey })).toBe(0);
    const { out, text } = sink();
    expect(await runVerify(storeSource(dir), false, out, { logKey, trusted: [{ note: kept, source: 'kept.txt' }] })).toBe(1);
    expect(text()).toMatch(/CHECKPOINT_INCONSISTENT .*trusted checkpoint kept.txt \(size 5/);
  });
});
