import Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json';
import type { StoredEvent } from '../envelope';
import { describeValue, verifyEvents, type IntegrityProblem, type IntegrityReport } from '../verify';
import { LOG_TABLES, readLogTables } from '../log/sqlite-log';
import { verifyLog, type LogSummary } from '../log/verify-log';
import type { VerifierKey } from '../log/note';
import { DDL, SCHEMA_VERSION, TRACE_CONTEXT_SINCE, TRACE_CONTEXT_TABLE } from './schema';

/**
 * The auditor's view of an embedded store file: EVERY row of the events table, whatever its
 * position (0, negative, past a gap) or the storage class of its values, read through a read-only
 * connection (opening it as a store would run the DDL and quietly recreate dropped triggers).
 * Nothing is skipped and nothing is coerced: what a row holds is what the verifier judges.
 */
export interface LedgerScan {
  /** Every row in (global_position, rowid) order, decoded as stored: a text '3' stays a string. */
  events: StoredEvent[];
  /** What only the file shows: storage classes, non-canonical JSON, occurred_at copies, the schema. */
  problems: IntegrityProblem[];
  rowCount: number;
  /** The log's tables as stored (undefined in a file written before the log existed). */
  log?: ReturnType<typeof readLogTables>;
}

const COLUMNS = [
  ['global_position', 'integer'],
  ['event_id', 'text'],
  ['stream_id', 'text'],
  ['stream_revision', 'integer'],
  ['type', 'text'],
  ['schema_version', 'integer'],
  ['data', 'text'],
  ['metadata', 'text'],
  ['occurred_at', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
] as const;
type Column = (typeof COLUMNS)[number][0];
type RawRow = Record<Column | `t_${Column}`, unknown>;

const SELECT = `SELECT ${COLUMNS.map(([c]) => `${c}, typeof(${c}) AS t_${c}`).join(', ')} FROM events`;

/** Reads every row of the file (or of one stream); throws only when the file or its table cannot be read at all. */
export function scanLedgerFile(path: string, options: { streamId?: string } = {}): LedgerScan {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems = options.streamId === undefined ? schemaProblems(db) : [];
    const rows =
      options.streamId === undefined
        ? db.prepare<[], RawRow>(`${SELECT} ORDER BY global_position, rowid`).all()
        : db.prepare<[string], RawRow>(`${SELECT} WHERE stream_id = ? ORDER BY stream_revision, global_position`).all(options.streamId);
    const events = rows.map((row, index) => decodeRow(row, index, problems));
    const counted =
      options.streamId === undefined ? (db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()?.n ?? 0) : rows.length;
    if (counted !== rows.length)
      problems.push(schemaProblem('ROW_COUNT_MISMATCH', `COUNT(*) says ${counted} rows, ${rows.length} were read`));
    if (options.streamId === undefined) problems.push(...tailProblems(db, rows));
    const log = options.streamId === undefined ? readLogTables(db) : undefined;
    return { events, problems, rowCount: counted, log };
  } finally {
    db.close();
  }
}

export interface LedgerFileVerifyOptions {
  /** The log's published verifier key, or keys across a rotation: without one signatures are not checked (the report says so). */
  logKey?: VerifierKey | readonly VerifierKey[];
  /** Signed checkpoints the auditor kept from before. */
  trusted?: { note: string; source: string }[];
  /** Told as each stage ends (a progress bar): 1 rows read, 2 chains checked, 3 the log checked, of 3. */
  onStage?: (done: number, total: number) => void;
}

export type LedgerFileReport = IntegrityReport & { log: LogSummary | null };

/**
 * verify over a store file: every row, dense positions (the adapter assigns 1, 2, 3…), the schema,
 * and the Merkle log: every event in it, every stored checkpoint's root out of the events, every
 * signature, and consistency with the checkpoints the auditor trusts.
 */
export function verifyLedgerFile(path: string, options: LedgerFileVerifyOptions = {}): LedgerFileReport {
  const scan = scanLedgerFile(path);
  options.onStage?.(1, 3);
  const report = verifyEvents(scan.events, { densePositions: true });
  options.onStage?.(2, 3);
  // A row the scan already called MALFORMED (with the storage class) is not reported twice.
  const malformed = new Set(scan.problems.filter((p) => p.kind === 'MALFORMED').map((p) => p.index));
  const problems = [...scan.problems, ...report.problems.filter((p) => !(p.kind === 'MALFORMED' && malformed.has(p.index)))];
  let log: LogSummary | null = null;
  if (scan.log !== undefined && (scan.log.leaves.length > 0 || scan.log.checkpoints.length > 0 || (options.trusted ?? []).length > 0)) {
    const rows = scan.events.map((event, index) => ({
      index,
      globalPosition: event.globalPosition,
      eventId: typeof event.eventId === 'string' ? event.eventId : '',
      hash: typeof event.hash === 'string' ? event.hash : '',
      streamId: typeof event.streamId === 'string' ? event.streamId : null,
      streamRevision: Number.isSafeInteger(event.streamRevision) ? event.streamRevision : null,
    }));
    const checked = verifyLog({ rows, ...scan.log, logKey: options.logKey, trusted: options.trusted });
    problems.push(...checked.problems);
    log = checked.summary;
  }
  options.onStage?.(3, 3);
  problems.sort((a, b) => a.index - b.index);
  return { ...report, eventsChecked: scan.rowCount, ok: problems.length === 0, problems, log };
}

function decodeRow(row: RawRow, index: number, problems: IntegrityProblem[]): StoredEvent {
  const where = { index, position: Number.isSafeInteger(row.global_position) ? (row.global_position as number) : null };
  const id = {
    streamId: typeof row.stream_id === 'string' ? row.stream_id : null,
    revision: Number.isSafeInteger(row.stream_revision) ? (row.stream_revision as number) : null,
    eventId: typeof row.event_id === 'string' ? row.event_id : null,
  };
  const report = (kind: IntegrityProblem['kind'], message: string) =>
    problems.push({ kind, ...where, ...id, message: `row at global_position ${String(row.global_position)}: ${message}` });
  const wrongClasses = COLUMNS.filter(([column, storage]) => row[`t_${column}`] !== storage).map(
    ([column, storage]) => `${column} holds ${String(row[`t_${column}`])} ${describeValue(row[column])}, the store writes ${storage}`,
  );
  if (wrongClasses.length > 0) report('MALFORMED', wrongClasses.join('; '));
  const data = decodeJson(row.data, 'data', report);
  const metadata = decodeJson(row.metadata, 'metadata', report);
  const occurredAt = (metadata as { occurredAt?: unknown } | null)?.occurredAt;
  if (typeof metadata === 'object' && metadata !== null && row.occurred_at !== occurredAt) {
    report(
      'OCCURRED_AT_MISMATCH',
      `occurred_at ${describeValue(row.occurred_at)} but metadata.occurredAt ${describeValue(occurredAt)}: asOf reads would misplace it`,
    );
  }
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    globalPosition: row.global_position,
    type: row.type,
    schemaVersion: row.schema_version,
    data,
    metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  } as StoredEvent;
}

function decodeJson(text: unknown, column: string, report: (kind: IntegrityProblem['kind'], message: string) => void): unknown {
  if (typeof text !== 'string') return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    report('MALFORMED', `${column} is not JSON`);
    return text;
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(value);
  } catch {
    return value; // the hash check reports what cannot be canonicalised
  }
  // The store writes the canonical form; anything else (a duplicate member, other spelling) can read two ways.
  if (canonical !== text)
    report('NOT_CANONICAL', `${column} is not stored in canonical JSON (a duplicate member name or another spelling)`);
  return value;
}

/**
 * AUTOINCREMENT remembers the highest position ever assigned (sqlite_sequence, rolled back with
 * a failed append): a table that ends below it lost its newest rows, which no chain link shows.
 */
function tailProblems(db: Database.Database, rows: RawRow[]): IntegrityProblem[] {
  let sequence: unknown;
  try {
    sequence = db.prepare<[], { seq: unknown }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()?.seq;
  } catch {
    return []; // no AUTOINCREMENT table left: the schema check reports the altered table
  }
  const last = rows.reduce(
    (max, row) => (typeof row.global_position === 'number' && row.global_position > max ? row.global_position : max),
    0,
  );
  if (typeof sequence === 'number' && sequence > last) {
    return [
      schemaProblem('ROW_COUNT_MISMATCH', `positions up to ${sequence} were assigned, the table ends at ${last}: its newest rows are gone`),
    ];
  }
  return [];
}

const TABLES = ['events', ...LOG_TABLES, TRACE_CONTEXT_TABLE];

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * The table, its indexes and the append-only triggers, compared with what the DDL creates. A file
 * at version 2 (before the side table of trace contexts) is expected without that table: the
 * ledger is the same, and the first open by this build adds it.
 */
function schemaProblems(db: Database.Database): IntegrityProblem[] {
  const expectedDb = new Database(':memory:');
  expectedDb.exec(DDL);
  const read = (from: Database.Database) =>
    from
      .prepare<[], SchemaObject>(
        `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN (${TABLES.map((t) => `'${t}'`).join(', ')}) ORDER BY name`,
      )
      .all();
  const version = db.pragma('user_version', { simple: true }) as number;
  const beforeTraceContexts = version === TRACE_CONTEXT_SINCE - 1;
  const expected = new Map(
    read(expectedDb)
      .filter((o) => !(beforeTraceContexts && o.tbl_name === TRACE_CONTEXT_TABLE))
      .map((o) => [o.name, o]),
  );
  expectedDb.close();
  const actual = new Map(read(db).map((o) => [o.name, o]));
  const problems: IntegrityProblem[] = [];
  for (const [name, object] of expected) {
    const found = actual.get(name);
    if (found === undefined) problems.push(schemaProblem('SCHEMA_ALTERED', `${object.type} ${name} is missing`));
    else if (found.sql !== object.sql)
      problems.push(schemaProblem('SCHEMA_ALTERED', `${object.type} ${name} differs: ${String(found.sql)}`));
  }
  for (const [name, object] of actual) {
    if (!expected.has(name))
      problems.push(schemaProblem('SCHEMA_ALTERED', `${object.type} ${name} is not part of the schema: ${String(object.sql)}`));
  }
  if (version !== SCHEMA_VERSION && !beforeTraceContexts)
    problems.push(schemaProblem('SCHEMA_ALTERED', `user_version ${version}, expected ${SCHEMA_VERSION}`));
  return problems;
}

function schemaProblem(kind: IntegrityProblem['kind'], message: string): IntegrityProblem {
  return { kind, index: -1, position: null, streamId: null, revision: null, eventId: null, message };
}
