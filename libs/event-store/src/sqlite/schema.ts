import Database from 'better-sqlite3';
import { LOG_DDL } from '../log/sqlite-log';

/**
 * Bumped by any change to the DDL below; a file written by a newer schema is refused. 2: the
 * Merkle log's tables (libs/event-store/src/log/sqlite-log.ts) live in the same file, so a leaf
 * and its checkpoint commit in the transaction that appends the event.
 */
export const SCHEMA_VERSION = 3;

/**
 * 3: the side table of trace contexts (TRACE_CONTEXT_DDL). A file at version 2 is the same ledger
 * without it: opening it creates the table (CREATE IF NOT EXISTS) and moves it to 3; verify
 * accepts it as it is (ledger-scan).
 */
export const TRACE_CONTEXT_SINCE = 3;
export const TRACE_CONTEXT_TABLE = 'event_trace_context';

/**
 * Which span appended an event, for followers in other processes (the projector's and relay's
 * traces continue the command's): W3C traceparent/tracestate by event id, written in the append's
 * transaction only when the append is given one (traces on). NOT part of the append-only ledger:
 * no triggers, no hash, no log leaf; rows are deleted once their event is more than the store's
 * traceContextRetention positions behind the head (global_position is the rowid, so that prune is
 * a range delete). Losing or editing a row changes no event and nothing verify checks but the DDL.
 */
export const TRACE_CONTEXT_DDL = `
CREATE TABLE IF NOT EXISTS ${TRACE_CONTEXT_TABLE} (
  global_position INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  traceparent     TEXT    NOT NULL,
  tracestate      TEXT
) STRICT;
`;

/**
 * Append-only is enforced by the database, not just by this adapter: any connection (the sqlite3
 * shell included) gets an ABORT on UPDATE or DELETE. The insert trigger closes the third door,
 * INSERT OR REPLACE, whose implicit delete does not fire delete triggers (recursive_triggers is
 * off by default). Dropping the triggers needs a schema change; the hash chain catches what
 * such an edit does to the events.
 */
export const DDL = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL CHECK (stream_revision >= 0),
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            TEXT    NOT NULL CHECK (json_valid(data)),
  metadata        TEXT    NOT NULL CHECK (json_valid(metadata)),
  occurred_at     TEXT    NOT NULL,
  prev_hash       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  UNIQUE (stream_id, stream_revision)
) STRICT;

CREATE TRIGGER IF NOT EXISTS events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;

CREATE TRIGGER IF NOT EXISTS events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;

CREATE TRIGGER IF NOT EXISTS events_refuse_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE event_id = NEW.event_id)
  OR EXISTS (SELECT 1 FROM events WHERE stream_id = NEW.stream_id AND stream_revision = NEW.stream_revision)
  OR EXISTS (SELECT 1 FROM events WHERE global_position = NEW.global_position)
BEGIN SELECT RAISE(ABORT, 'events are append-only: an insert may not replace a stored event'); END;
${LOG_DDL}${TRACE_CONTEXT_DDL}`;

export type SynchronousMode = 'FULL' | 'NORMAL';

/**
 * Opens (creating if needed) an event-store database. WAL lets readers in other processes work
 * while one writes; synchronous=FULL fsyncs the WAL at every commit, so a committed append
 * survives a killed process and a power cut (NORMAL survives the former only).
 */
export function openEventDatabase(path: string, synchronous: SynchronousMode): Database.Database {
  const db = new Database(path, { timeout: 5_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`${path}: event-store schema version ${version} is newer than this build's ${SCHEMA_VERSION}`);
      }
      db.exec(DDL);
      if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
