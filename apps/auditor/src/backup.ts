import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import {
  SqliteMerkleLog,
  parseCheckpoint,
  parseNote,
  verifyLedgerFile,
  type LedgerFileReport,
  type VerifierKey,
} from '@ledger/event-store';
import type { Progress } from './progress';

/**
 * Backup and restore of the embedded event store (events.sqlite: the events and the Merkle log in
 * one file). A backup is taken while the ledger runs, with SQLite's online backup API (through
 * better-sqlite3) on a read-only connection: the copy is one consistent state of the file, and the
 * api keeps appending meanwhile (a page changed by another connection restarts the copy). Every
 * backup is verified as written and its report saved beside it; a restore verifies again and
 * refuses a backup that does not verify.
 *
 * The keys (<data dir>/keys) are not in the backup: they are secrets and back up apart. The read
 * models are not either: they are rebuilt from the ledger (the projector starts from 0 on a read
 * store that is not there).
 */
export interface BackupReport {
  file: string;
  ok: boolean;
  eventCount: number;
  lastPosition: number;
  /** Every stream's last revision and its last event's hash: the chain heads of the copy. */
  streams: Record<string, { revision: number; hash: string }>;
  /** The newest signed checkpoint in the copy; `matches`: it covers exactly the copy's events, and verify checked its root. */
  checkpoint: { treeSize: number; root: string; origin: string; note: string; matches: boolean } | null;
  signaturesChecked: boolean;
  /** What the report says beyond verify's problems (a checkpoint that does not cover the copy, or none). */
  findings: string[];
  problems: LedgerFileReport['problems'];
  /** A backup only: how often appends by the running ledger restarted the copy. */
  copyRestarts?: number;
}

const PAGES_PER_STEP = 1024;

/** `backup --data-dir DIR --out FILE`: 0 when the copy verifies, 1 when it does not. */
export async function runBackup(
  dataDir: string,
  out: string,
  logKey: VerifierKey | readonly VerifierKey[] | undefined,
  progress: Progress,
  pagesPerStep = PAGES_PER_STEP,
): Promise<BackupReport> {
  const source = join(dataDir, 'events.sqlite');
  if (!existsSync(source)) throw new Error(`no event store at ${source}`);
  if (existsSync(out)) throw new Error(`${out} exists; a backup never overwrites a file`);
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  let restarts = 0;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    progress.start('backup', 1);
    // A write by another connection restarts the copy. Under steady load small steps could restart
    // for ever; after a restart the rest is copied in one step (a read of one snapshot: in WAL mode
    // it does not block the writers).
    let previous = Infinity;
    let restarted = false;
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > previous) {
          restarted = true;
          restarts++;
        }
        previous = remainingPages;
        progress.update(totalPages - remainingPages, totalPages);
        return restarted ? Math.max(totalPages, 1) : pagesPerStep;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    progress.stop();
    db.close();
  }
  // The copy is in WAL mode like its source; as a single file it must carry no journal of its own.
  const copy = new Database(partial);
  copy.pragma('journal_mode = DELETE');
  copy.close();
  renameSync(partial, out);
  const report = { ...reportOf(out, logKey), copyRestarts: restarts };
  writeFileSync(`${out}.report.json`, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** Verifies a store file (a backup) and describes it: the report saved beside a backup, and the check before a restore. */
export function reportOf(file: string, logKey: VerifierKey | readonly VerifierKey[] | undefined): BackupReport {
  const verified = verifyLedgerFile(file, { logKey });
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const heads = db
      .prepare<[], { stream_id: string; stream_revision: number; hash: string }>(
        `SELECT e.stream_id, e.stream_revision, e.hash FROM events e
         JOIN (SELECT stream_id, MAX(stream_revision) AS r FROM events GROUP BY stream_id) h
           ON h.stream_id = e.stream_id AND h.r = e.stream_revision ORDER BY e.stream_id`,
      )
      .all();
    const last = db.prepare<[], { p: number | null }>('SELECT MAX(global_position) AS p FROM events').get()?.p ?? 0;
    const latest = new SqliteMerkleLog(db).latestCheckpoint();
    let checkpoint: BackupReport['checkpoint'] = null;
    if (latest !== undefined) {
      const body = parseCheckpoint(parseNote(latest.note).body);
      checkpoint = {
        treeSize: latest.size,
        root: latest.root.toString('base64'),
        origin: body.origin,
        note: latest.note,
        matches: verified.ok && latest.size === verified.eventsChecked,
      };
    }
    const findings: string[] = [];
    if (checkpoint === null) findings.push('the file has no signed checkpoint: nothing proves which ledger it is a copy of');
    else if (verified.ok && !checkpoint.matches)
      findings.push(`the newest signed checkpoint covers ${checkpoint.treeSize} events, the file holds ${verified.eventsChecked}`);
    return {
      file,
      ok: verified.ok && checkpoint?.matches !== false,
      eventCount: verified.eventsChecked,
      lastPosition: last,
      streams: Object.fromEntries(heads.map((h) => [h.stream_id, { revision: h.stream_revision, hash: h.hash }])),
      checkpoint,
      signaturesChecked: logKey !== undefined,
      findings,
      problems: verified.problems,
    };
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  restored: boolean;
  report: BackupReport;
  /** Files moved aside (never deleted): the store that was there, and the read models to rebuild. */
  movedAside: string[];
  reason?: string;
}

/**
 * `restore --from FILE --data-dir DIR [--force]`: with the api stopped. Refuses a backup that does
 * not verify; refuses to replace a store unless --force, and then moves the old files aside.
 */
export function runRestore(
  backup: string,
  dataDir: string,
  logKey: VerifierKey | readonly VerifierKey[] | undefined,
  force: boolean,
  now = new Date(),
): RestoreResult {
  if (!existsSync(backup)) throw new Error(`no backup at ${backup}`);
  const report = reportOf(backup, logKey);
  if (!report.ok) return { restored: false, report, movedAside: [], reason: 'the backup does not verify' };
  const target = join(dataDir, 'events.sqlite');
  if (existsSync(target) && !force) {
    return { restored: false, report, movedAside: [], reason: `${target} exists (pass --force to move it aside and restore)` };
  }
  mkdirSync(dataDir, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const movedAside: string[] = [];
  for (const name of [
    'events.sqlite',
    'events.sqlite-wal',
    'events.sqlite-shm',
    'read-models.sqlite',
    'read-models.sqlite-wal',
    'read-models.sqlite-shm',
  ]) {
    const file = join(dataDir, name);
    if (!existsSync(file)) continue;
    renameSync(file, `${file}.before-restore-${stamp}`);
    movedAside.push(`${file}.before-restore-${stamp}`);
  }
  const partial = `${target}.restoring`;
  copyFileSync(backup, partial);
  renameSync(partial, target);
  const restored = reportOf(target, logKey);
  return { restored: restored.ok, report: restored, movedAside, ...(!restored.ok && { reason: 'the restored file does not verify' }) };
}
