import Database from 'better-sqlite3';
import {
  SqliteMerkleLog,
  entryOf,
  hasValidSignature,
  leafHash,
  parseCheckpoint,
  parseNote,
  verifyConsistency,
  verifyInclusion,
  type VerifierKey,
} from '@ledger/event-store';
import { appraisalDecider, appraisalStreamId, endOfLocalDay, type AppraisalEvent } from '@ledger/appraisal';
import { quietProgress, type Progress } from './progress';
import type { EventSource, LogTrust } from './source';

type Out = NodeJS.WritableStream;

export async function runVerify(
  source: EventSource,
  json: boolean,
  out: Out,
  trust: LogTrust = {},
  progress: Progress = quietProgress,
): Promise<number> {
  progress.start('verify', 3);
  let report;
  try {
    report = await source.verify({ ...trust, onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  if (json) {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    out.write(`${report.ok ? 'INTACT' : 'BROKEN'}: ${report.eventsChecked} events in ${report.streamsChecked} streams checked\n`);
    if (report.log !== null) {
      const signatures =
        trust.logKey === undefined
          ? 'signatures NOT checked (no --log-key)'
          : `signatures checked with ${keysOf(trust.logKey)
              .map((k) => k.text)
              .join(', ')}`;
      out.write(
        `  log: tree of ${report.log.treeSize} events, root ${report.log.root}; ${report.log.checkpointsChecked} stored checkpoints checked` +
          ` (latest ${String(report.log.latestCheckpointSize)}), ${report.log.trustedChecked} trusted; ${signatures}\n`,
      );
    }
    for (const p of report.problems) {
      const leaf = p.leafIndex === undefined ? '' : ` leaf=${p.leafIndex}`;
      const where = `position=${p.position ?? '-'} stream=${p.streamId ?? '-'} revision=${p.revision ?? '-'} event=${p.eventId ?? '-'}${leaf}`;
      out.write(`  ${p.kind} ${where}: ${p.message}\n`);
    }
  }
  return report.ok ? 0 : 1;
}

/** A bare date is the end of that day in the agency's time zone; anything else must be an instant. */
export function parseAsOf(value: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return endOfLocalDay(value, timeZone);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new Error(`--as-of: not a date or an ISO instant: ${value}`);
  return instant.toISOString();
}

export async function runReplay(
  source: EventSource,
  appraisalId: string,
  asOfInput: string,
  timeZone: string,
  json: boolean,
  out: Out,
): Promise<number> {
  const asOf = parseAsOf(asOfInput, timeZone);
  const events = await source.stream(appraisalStreamId(appraisalId), asOf);
  if (events.length === 0) {
    out.write(`no events of appraisal ${appraisalId} at or before ${asOf}\n`);
    return 1;
  }
  // The replayed stream is verified as read: a broken chain is said first and makes the exit code 1.
  const integrity = await source.verifyStream(appraisalStreamId(appraisalId));
  const state = events.reduce(
    (s, e) => appraisalDecider.evolve(s, { type: e.type, data: e.data } as AppraisalEvent),
    appraisalDecider.initialState(),
  );
  if (json) {
    out.write(`${JSON.stringify({ appraisalId, asOf, revision: events.length - 1, integrity, events, state }, null, 2)}\n`);
    return integrity.ok ? 0 : 1;
  }
  if (!integrity.ok) {
    out.write(`BROKEN: this stream's chain does not verify; the events below are not facts\n`);
    for (const p of integrity.problems)
      out.write(`  ${p.kind} revision=${p.revision ?? '-'} position=${p.position ?? '-'}: ${p.message}\n`);
    out.write('\n');
  }
  out.write(`appraisal ${appraisalId} as of ${asOf} (revision ${events.length - 1})\n\n`);
  for (const e of events) {
    const why = e.metadata.reason ? `  — ${e.metadata.reason}` : '';
    out.write(`#${e.streamRevision} ${e.metadata.occurredAt} ${e.metadata.actorRole} ${e.metadata.actorId} ${e.type}${why}\n`);
  }
  out.write(`\nstate:\n${JSON.stringify(state, null, 2)}\n`);
  return integrity.ok ? 0 : 1;
}

export async function runExport(source: EventSource, out: Out, progress: Progress = quietProgress): Promise<number> {
  const total = await source.count();
  if (total !== undefined) progress.start('export', total);
  let count = 0;
  try {
    for await (const event of source.all()) {
      out.write(`${JSON.stringify(event)}\n`);
      count++;
      if (count % 1000 === 0) progress.update(count);
    }
    progress.update(count);
  } finally {
    progress.stop();
  }
  return count;
}

/** `proof inclusion|consistency`: read from the store's log through a read-only connection, verified here before it is printed. */
export function runProof(
  path: string,
  kind: string | undefined,
  flags: Map<string, string>,
  logKey: VerifierKey | readonly VerifierKey[] | undefined,
  out: Out,
): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const log = new SqliteMerkleLog(db);
    const latest = log.latestCheckpoint();
    if (latest === undefined) throw new Error('the store has no signed checkpoint');
    const note = parseNote(latest.note);
    const checkpoint = parseCheckpoint(note.body);
    const signed = logKey !== undefined && keysOf(logKey).some((key) => hasValidSignature(note, key));
    const int = (name: string, fallback?: number): number => {
      const raw = flags.get(name);
      if (raw === undefined && fallback !== undefined) return fallback;
      if (raw === undefined || !/^(0|[1-9][0-9]*)$/.test(raw)) throw new Error(`--${name} must be a non-negative integer`);
      return Number(raw);
    };
    if (kind === 'inclusion') {
      const eventId = flags.get('event-id');
      const leaf = eventId !== undefined ? log.leafOfEvent(eventId) : log.leaf(int('leaf-index'));
      if (leaf === undefined) throw new Error('no such event in the log');
      const treeSize = int('tree-size', checkpoint.size);
      const root = treeSize === checkpoint.size ? checkpoint.root : log.root(treeSize);
      const hashes = log.inclusionProof(leaf.leafIndex, treeSize);
      const ok = verifyInclusion(leaf.leafIndex, treeSize, leafHash(entryOf(leaf.hash)), hashes, root);
      out.write(
        `${JSON.stringify({ ...leaf, treeSize, root: root.toString('base64'), hashes: hashes.map((h) => h.toString('base64')), verified: ok, checkpointSigned: signed }, null, 2)}\n`,
      );
      return ok && (logKey === undefined || signed) ? 0 : 1;
    }
    if (kind === 'consistency') {
      const from = int('from');
      const to = int('to', checkpoint.size);
      const hashes = log.consistencyProof(from, to);
      const ok = verifyConsistency(from, log.root(from), to, to === checkpoint.size ? checkpoint.root : log.root(to), hashes);
      out.write(
        `${JSON.stringify({ from, to, hashes: hashes.map((h) => h.toString('base64')), verified: ok, checkpointSigned: signed }, null, 2)}\n`,
      );
      return ok && (logKey === undefined || signed) ? 0 : 1;
    }
    throw new Error('proof needs "inclusion" or "consistency"');
  } finally {
    db.close();
  }
}

const keysOf = (given: VerifierKey | readonly VerifierKey[]): readonly VerifierKey[] => ('text' in given ? [given] : given);
