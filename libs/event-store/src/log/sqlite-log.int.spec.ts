import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashEvent, toHashedFields } from '../chain';
import { canonicalJson } from '../canonical-json';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { verifyLedgerFile } from '../sqlite/ledger-scan';
import { newEvent } from '../testing/events';
import { insertLinkedRow } from '../testing/forge';
import type { IntegrityProblemKind } from '../verify';
import { MemoryHashStore, leafHash, storedHashIndex, verifyConsistency, verifyInclusion } from './merkle';
import { NoteSigner, hasValidSignature, parseCheckpoint, parseNote, parseVerifierKey } from './note';
import { LogDisagreesError, entryOf } from './sqlite-log';

const STREAMS = ['appraisal-2026-199001012015031001', 'unit-u1-2026', 'appraisal-2026-199202022016042002'];

/**
 * The insider with the sqlite3 shell again, now against the log: each tampering is made on a real
 * store file, and the start-up check and the file verifier both name the exact event or leaf.
 */
describe('the Merkle log in the embedded store', () => {
  let dir: string;
  let path: string;
  const signer = NoteSigner.fromKey(NoteSigner.generateKey('ledger.test/log'));
  const logKey = parseVerifierKey(signer.verifierKey);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-log-'));
    path = join(dir, 'events.sqlite');
    const store = SqliteEventStore.open({ path, logSigner: signer });
    for (let i = 0; i < 4; i++) for (const streamId of STREAMS) await store.append(streamId, 'any', [newEvent({ data: { n: i } })]);
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => SqliteEventStore.open({ path, logSigner: signer });
  const raw = () => new Database(path);
  const kinds = (problems: { kind: IntegrityProblemKind }[]) => [...new Set(problems.map((p) => p.kind))].sort();

  it('signs one checkpoint per commit, whose root, inclusion and consistency proofs verify', async () => {
    const store = open();
    await store.append(STREAMS[0], 'any', newEvents(3));
    const checkpoints = store.log.checkpointsAfter(0, 100);
    expect(checkpoints.map((c) => c.size)).toEqual([...Array.from({ length: 12 }, (_, i) => i + 1), 15]);
    const events = await store.readAll({ fromPosition: 0, limit: 100 });
    const memory = new MemoryHashStore();
    for (const e of events) memory.append(leafHash(entryOf(e.hash)));
    const latest = store.log.latestCheckpoint();
    expect(latest?.size).toBe(15);
    const note = parseNote(latest?.note ?? '');
    expect(hasValidSignature(note, logKey)).toBe(true);
    const checkpoint = parseCheckpoint(note.body);
    expect(checkpoint.origin).toBe('ledger.test/log');
    expect(checkpoint.root.equals(store.log.root(15))).toBe(true);
    events.forEach((e, i) => {
      expect(store.log.leafOfEvent(e.eventId)?.leafIndex).toBe(i);
      expect(verifyInclusion(i, 15, leafHash(entryOf(e.hash)), store.log.inclusionProof(i, 15), checkpoint.root)).toBe(true);
    });
    expect(verifyConsistency(5, store.log.root(5), 15, checkpoint.root, store.log.consistencyProof(5, 15))).toBe(true);
    expect(store.checkLog().problems).toEqual([]);
    await store.close();
    expect(verifyLedgerFile(path, { logKey }).problems).toEqual([]);
  });

  it('an event inserted directly, correctly hashed and linked: named as NOT_IN_LOG, and nothing more is appended or signed', async () => {
    const db = raw();
    const forgedId = insertLinkedRow(db, STREAMS[1]);
    db.close();
    const report = verifyLedgerFile(path, { logKey });
    expect(report.problems.filter((p) => p.kind === 'NOT_IN_LOG').map((p) => [p.eventId, p.position])).toEqual([[forgedId, 13]]);
    // It came after every signed checkpoint, so their roots still come out: only the leaves show it.
    expect(kinds(report.problems)).toEqual(['NOT_IN_LOG']);
    const store = open();
    expect(store.checkLog().problems.map((p) => [p.kind, p.eventId])).toEqual([['NOT_IN_LOG', forgedId]]);
    await expect(store.append(STREAMS[0], 'any', newEvents(1))).rejects.toThrow(LogDisagreesError);
    expect(store.log.size()).toBe(12);
    await store.close();
  });

  it("a stream's tail cut off: the leaves whose events are gone are named, and the signed roots no longer come out", async () => {
    const db = raw();
    db.exec('DROP TRIGGER events_refuse_delete');
    const cut = db
      .prepare<[string], { event_id: string; global_position: number }>(
        'SELECT event_id, global_position FROM events WHERE stream_id = ? AND stream_revision >= 2 ORDER BY stream_revision',
      )
      .all(STREAMS[0]);
    db.prepare('DELETE FROM events WHERE stream_id = ? AND stream_revision >= 2').run(STREAMS[0]);
    db.close();
    const report = verifyLedgerFile(path, { logKey });
    const missing = report.problems.filter((p) => p.kind === 'LOG_ENTRY_MISSING');
    expect(missing.map((p) => [p.eventId, p.leafIndex])).toEqual(cut.map((c) => [c.event_id, c.global_position - 1]));
    expect(kinds(report.problems)).toEqual(expect.arrayContaining(['CHECKPOINT_ROOT_MISMATCH', 'LOG_ENTRY_MISSING', 'SCHEMA_ALTERED']));
    const store = open();
    expect(kinds(store.checkLog().problems)).toEqual(['CHECKPOINT_ROOT_MISMATCH', 'LOG_ENTRY_MISSING']);
    await store.close();
  });

  it('a whole stream rewritten with recomputed hashes: each rewritten event is named with its leaf', async () => {
    const db = raw();
    db.exec('DROP TRIGGER events_refuse_update');
    const rows = db
      .prepare<[string], { event_id: string; global_position: number; data: string }>(
        'SELECT event_id, global_position, data FROM events WHERE stream_id = ? ORDER BY stream_revision',
      )
      .all(STREAMS[2]);
    const events = db
      .prepare<[string], Record<string, unknown>>('SELECT * FROM events WHERE stream_id = ? ORDER BY stream_revision')
      .all(STREAMS[2]);
    let prevHash = '0'.repeat(64);
    for (const row of events) {
      const data = { rewritten: true };
      const metadata = JSON.parse(row.metadata as string) as Record<string, string>;
      const hash = hashEvent(
        toHashedFields({
          eventId: row.event_id as string,
          streamId: STREAMS[2],
          streamRevision: row.stream_revision as number,
          type: row.type as string,
          schemaVersion: row.schema_version as number,
          data,
          metadata: metadata as never,
          prevHash,
        }),
      );
      db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE event_id = ?').run(
        canonicalJson(data),
        prevHash,
        hash,
        row.event_id,
      );
      prevHash = hash;
    }
    db.close();
    const report = verifyLedgerFile(path, { logKey });
    // The chains verify: only the log sees it.
    expect(report.problems.filter((p) => ['HASH_MISMATCH', 'BROKEN_LINK'].includes(p.kind))).toEqual([]);
    expect(report.problems.filter((p) => p.kind === 'LOG_ENTRY_MISMATCH').map((p) => [p.eventId, p.leafIndex])).toEqual(
      rows.map((r) => [r.event_id, r.global_position - 1]),
    );
    const store = open();
    expect(kinds(store.checkLog().problems)).toEqual(['CHECKPOINT_ROOT_MISMATCH', 'LOG_ENTRY_MISMATCH']);
    await store.close();
  });

  it('a row moved to another position: named as moved, with its leaf', async () => {
    const db = raw();
    db.exec('DROP TRIGGER events_refuse_update');
    const row = db.prepare<[], { event_id: string }>('SELECT event_id FROM events WHERE global_position = 5').get() as { event_id: string };
    db.prepare('UPDATE events SET global_position = 99 WHERE global_position = 5').run();
    db.close();
    const report = verifyLedgerFile(path, { logKey });
    const moved = report.problems.filter((p) => p.kind === 'LOG_ENTRY_MISMATCH');
    expect(moved.map((p) => [p.eventId, p.position, p.leafIndex])).toEqual([[row.event_id, 99, 4]]);
    expect(moved[0].message).toContain('moved');
  });

  it('the whole log rewritten and re-signed with the key: only a checkpoint kept from before shows it, as inconsistent and as a split view', async () => {
    const before = (open().log.latestCheckpoint() as { note: string }).note;
    // The insider rebuilds everything from a rewritten history, with the key from the data dir.
    rmSync(path);
    for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
    const store = open();
    for (let i = 0; i < 4; i++)
      for (const streamId of STREAMS) await store.append(streamId, 'any', [newEvent({ data: { n: i, edited: true } })]);
    expect(store.checkLog().problems).toEqual([]);
    await store.close();
    expect(verifyLedgerFile(path, { logKey }).ok).toBe(true);
    const report = verifyLedgerFile(path, { logKey, trusted: [{ note: before, source: 'kept.txt' }] });
    expect(kinds(report.problems)).toEqual(['CHECKPOINT_INCONSISTENT', 'SPLIT_VIEW']);
  });

  it('a stored subtree hash the writer would continue from, edited: the start-up check names it before anything is signed on it', async () => {
    const db = raw();
    db.exec('DROP TRIGGER log_hashes_refuse_update');
    // 12 leaves: the frontier is the subtree of leaves 0..7 (level 3) and of 8..11 (level 2).
    db.prepare('UPDATE log_hashes SET hash = ? WHERE hash_index = ?').run(Buffer.alloc(32, 7), storedHashIndex(3, 0));
    db.close();
    const store = open();
    expect(store.checkLog().problems.map((p) => p.kind)).toEqual(['LOG_HASH_MISMATCH']);
    await store.close();
    // (Opening the store put the dropped trigger back: the file verifier sees only the edited hash.)
    expect(kinds(verifyLedgerFile(path, { logKey }).problems)).toEqual(['LOG_HASH_MISMATCH']);
  });

  it('checkpoints signed by another key, and a store opened without the key, are refused', async () => {
    const other = parseVerifierKey(NoteSigner.fromKey(NoteSigner.generateKey('ledger.test/log')).verifierKey);
    expect(kinds(verifyLedgerFile(path, { logKey: other }).problems)).toEqual(['CHECKPOINT_SIGNATURE_INVALID']);
    const keyless = SqliteEventStore.open({ path });
    await expect(keyless.append(STREAMS[0], 'any', newEvents(1))).rejects.toThrow(/only an opener with the log key/);
    await keyless.close();
  });

  it('a store written before the log is refused until its events are adopted, once', async () => {
    const oldPath = join(dir, 'old.sqlite');
    const old = SqliteEventStore.open({ path: oldPath });
    await old.append(STREAMS[0], 'no_stream', newEvents(2));
    await old.close();
    const store = SqliteEventStore.open({ path: oldPath, logSigner: signer });
    await expect(store.append(STREAMS[0], 'any', newEvents(1))).rejects.toThrow(/adopt/);
    expect(store.adoptIntoLog()).toBe(2);
    expect(() => store.adoptIntoLog()).toThrow(LogDisagreesError);
    await store.append(STREAMS[0], 'any', newEvents(1));
    expect(store.log.latestCheckpoint()?.size).toBe(3);
    await store.close();
  });
});

function newEvents(n: number) {
  return Array.from({ length: n }, (_, i) => newEvent({ data: { extra: i } }));
}
