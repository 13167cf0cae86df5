import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, loadOrCreateLogSigner, parseVerifierKey, verifyConsistency, verifyLedgerFile } from '@ledger/event-store';
import { newEvent } from '@ledger/event-store/testing';
import { runBackup, runRestore, type BackupReport } from './backup';
import { quietProgress } from './progress';

/** Backup of a running ledger, on real files: taken under write load, verified, a prefix of the live ledger, restored. */
describe('auditor: backup and restore of the embedded store', () => {
  let dir: string;
  let dataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'auditor-backup-'));
    dataDir = join(dir, 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    const signer = loadOrCreateLogSigner({ dataDir, origin: 'ledger.test/backup' });
    return { signer, store: SqliteEventStore.open({ path: join(dataDir, 'events.sqlite'), logSigner: signer }) };
  };
  const append = (store: SqliteEventStore, i: number) =>
    store.append(`appraisal-2026-${i % 7}`, 'any', [newEvent({ data: { i, filler: 'x'.repeat(1500) } })]);

  it('takes a verified backup while appends go on, and proves it a prefix of the live ledger by a consistency proof', async () => {
    const { signer, store } = open();
    const logKey = parseVerifierKey(signer.verifierKey);
    for (let i = 0; i < 300; i++) await append(store, i);
    let writing = true;
    let written = 300;
    const writer = (async () => {
      while (writing) {
        await append(store, written++);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const out = join(dir, 'backups', 'ledger.sqlite');
    // Small steps, so that the appends between them restart the copy (the path a busy ledger takes).
    const report = await runBackup(dataDir, out, logKey, quietProgress, 8);
    const atBackup = written;
    while (written < atBackup + 50) await new Promise((resolve) => setImmediate(resolve));
    writing = false;
    await writer;

    expect(report).toMatchObject({ ok: true, signaturesChecked: true, findings: [], problems: [] });
    expect(report.eventCount).toBeGreaterThanOrEqual(300);
    expect(report.copyRestarts).toBeGreaterThan(0);
    expect(report.checkpoint).toMatchObject({ treeSize: report.eventCount, origin: 'ledger.test/backup', matches: true });
    expect(report.lastPosition).toBe(report.eventCount);
    expect(Object.keys(report.streams)).toHaveLength(7);
    expect(JSON.parse(readFileSync(`${out}.report.json`, 'utf8'))).toEqual(report);
    expect(existsSync(`${out}-wal`)).toBe(false);

    // The live ledger went on: it is longer, and its log proves the backup's tree is its prefix.
    const live = store.log.latestCheckpoint();
    const backupCheckpoint = report.checkpoint as NonNullable<BackupReport['checkpoint']>;
    expect(live?.size).toBeGreaterThan(backupCheckpoint.treeSize);
    const from = backupCheckpoint.treeSize;
    const to = live?.size ?? 0;
    const proof = store.log.consistencyProof(from, to);
    expect(verifyConsistency(from, Buffer.from(backupCheckpoint.root, 'base64'), to, live?.root ?? Buffer.alloc(0), proof)).toBe(true);
    // … and event by event: the backup's rows are the live ledger's first rows.
    const liveEvents = await store.readAll({ fromPosition: 0, limit: from });
    const copy = new Database(out, { readonly: true });
    const copied = copy.prepare<[], { hash: string }>('SELECT hash FROM events ORDER BY global_position').all();
    copy.close();
    expect(copied.map((r) => r.hash)).toEqual(liveEvents.map((e) => e.hash));
    await store.close();

    // Restore into an empty data dir; the restored store opens with its log and takes appends.
    const restoredDir = join(dir, 'restored');
    const restored = runRestore(out, restoredDir, logKey, false);
    expect(restored).toMatchObject({ restored: true, movedAside: [], report: { ok: true, eventCount: from } });
    expect(verifyLedgerFile(join(restoredDir, 'events.sqlite'), { logKey }).ok).toBe(true);
    const reopened = SqliteEventStore.open({ path: join(restoredDir, 'events.sqlite'), logSigner: signer });
    expect(reopened.checkLog().problems).toEqual([]);
    await append(reopened, 0);
    expect(reopened.log.latestCheckpoint()?.size).toBe(from + 1);
    await reopened.close();
  });

  it('refuses to restore a backup that does not verify, and to replace a store without --force', async () => {
    const { signer, store } = open();
    const logKey = parseVerifierKey(signer.verifierKey);
    for (let i = 0; i < 20; i++) await append(store, i);
    await store.close();
    const out = join(dir, 'ledger.sqlite');
    expect((await runBackup(dataDir, out, logKey, quietProgress)).ok).toBe(true);
    await expect(runBackup(dataDir, out, logKey, quietProgress)).rejects.toThrow(/exists/);

    // The same store, restored over itself: refused unless --force, and then the old files are moved aside, not deleted.
    expect(runRestore(out, dataDir, logKey, false)).toMatchObject({ restored: false, reason: expect.stringContaining('--force') });
    const forced = runRestore(out, dataDir, logKey, true);
    expect(forced.restored).toBe(true);
    expect(forced.movedAside.some((f) => f.includes('events.sqlite.before-restore-'))).toBe(true);
    for (const file of forced.movedAside) expect(existsSync(file)).toBe(true);

    // A backup edited after it was written (triggers dropped, one event's data changed).
    const tampered = new Database(out);
    tampered.exec('DROP TRIGGER IF EXISTS events_refuse_update');
    for (const { name } of tampered.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all())
      tampered.exec(`DROP TRIGGER "${name}"`);
    tampered.prepare("UPDATE events SET data = json_set(data, '$.i', 99) WHERE global_position = 3").run();
    tampered.close();
    const target = join(dir, 'elsewhere');
    const refused = runRestore(out, target, logKey, false);
    expect(refused).toMatchObject({ restored: false, reason: 'the backup does not verify', report: { ok: false } });
    expect(refused.report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['HASH_MISMATCH']));
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);

    // Signed by another key: refused too.
    const other = parseVerifierKey(loadOrCreateLogSigner({ dataDir: join(dir, 'other'), origin: 'ledger.test/backup' }).verifierKey);
    const copyDir = join(dir, 'copy');
    const backupOfGood = await runBackup(dataDir, join(dir, 'good.sqlite'), logKey, quietProgress);
    expect(backupOfGood.ok).toBe(true);
    expect(runRestore(join(dir, 'good.sqlite'), copyDir, other, false)).toMatchObject({ restored: false });
  });
});
