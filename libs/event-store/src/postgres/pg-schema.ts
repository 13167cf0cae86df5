import { Client, type ClientBase } from 'pg';
import { findPrimary, splitPostgresHosts } from './pg-connection';

/** Bumped by any change to the DDL below; a schema written by a newer build is refused. */
export const PG_SCHEMA_VERSION = 1;

/** Ours, so that a lock taken by another application on the same server never collides with it. */
const LOCK_CLASS = 0x4c454447; // 'LEDG'

/** A schema or role name used verbatim in DDL: plain lower-case identifiers only, nothing to quote. */
export function assertIdentifier(what: string, name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new TypeError(`${what} must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), got "${name}"`);
}

/** The channel the insert trigger notifies on commit; subscribers LISTEN to it. */
export function notifyChannel(schema: string): string {
  return `${schema}_events`;
}

/**
 * The events table and what the database itself enforces, whoever connects:
 * - append-only: UPDATE, DELETE and TRUNCATE fire triggers that refuse them (also for a
 *   superuser), and the ledger's role is granted only SELECT and INSERT (INSERT … ON CONFLICT DO
 *   UPDATE is an UPDATE: refused twice over);
 * - global order = commit order: the insert trigger takes one transaction-level advisory lock per
 *   table before it draws the position from the sequence. The lock is held until the transaction
 *   has committed and become visible, so a transaction that draws a higher position can only do so
 *   after every lower one is visible or rolled back: a reader "after position N" can never see N+1
 *   while a lower position is still to come. It is a trigger, not adapter code, so an insert from any
 *   client is ordered the same way, and the position a client supplies is overwritten.
 * - every commit that inserted notifies `<schema>_events` (NOTIFY is delivered at commit, never for
 *   a rolled-back transaction).
 * data and metadata are `json`, which keeps the exact canonical text that was hashed.
 */
function ddl(schema: string, ledgerRole: string): string {
  const s = schema;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.store_info (version integer NOT NULL);
CREATE SEQUENCE IF NOT EXISTS ${s}.event_position AS bigint MINVALUE 1;
CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint  PRIMARY KEY,
  event_id        uuid    NOT NULL UNIQUE,
  stream_id       text    NOT NULL CHECK (stream_id <> ''),
  stream_revision bigint  NOT NULL CHECK (stream_revision >= 0),
  type            text    NOT NULL,
  schema_version  integer NOT NULL,
  data            json    NOT NULL,
  metadata        json    NOT NULL,
  occurred_at     text    COLLATE "C" NOT NULL,
  prev_hash       text    NOT NULL,
  hash            text    NOT NULL,
  UNIQUE (stream_id, stream_revision)
);

CREATE OR REPLACE FUNCTION ${s}.events_assign_position() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, TG_RELID::integer);
  NEW.global_position := nextval('${s}.event_position');
  RETURN NEW;
END $fn$;

CREATE OR REPLACE FUNCTION ${s}.events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $fn$;

CREATE OR REPLACE FUNCTION ${s}.events_notify() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('${notifyChannel(s)}', '');
  RETURN NULL;
END $fn$;

CREATE OR REPLACE TRIGGER events_assign_position BEFORE INSERT ON ${s}.events FOR EACH ROW EXECUTE FUNCTION ${s}.events_assign_position();
CREATE OR REPLACE TRIGGER events_refuse_update BEFORE UPDATE ON ${s}.events FOR EACH ROW EXECUTE FUNCTION ${s}.events_refuse_change();
CREATE OR REPLACE TRIGGER events_refuse_delete BEFORE DELETE ON ${s}.events FOR EACH ROW EXECUTE FUNCTION ${s}.events_refuse_change();
CREATE OR REPLACE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON ${s}.events FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_refuse_change();
CREATE OR REPLACE TRIGGER events_notify AFTER INSERT ON ${s}.events FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_notify();

REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM PUBLIC;
REVOKE ALL ON ${s}.events, ${s}.store_info, ${s}.event_position FROM ${ledgerRole};
GRANT USAGE ON SCHEMA ${s} TO ${ledgerRole};
GRANT SELECT, INSERT ON ${s}.events TO ${ledgerRole};
GRANT SELECT ON ${s}.store_info TO ${ledgerRole};
`;
}

/**
 * Creates or completes the schema, as its owner (not the ledger's role, which must not own what it
 * may not change), and grants the ledger's role SELECT and INSERT. Idempotent, and safe when
 * several processes install at once (one advisory lock for the whole install).
 */
export async function installSchema(admin: ClientBase, options: { schema: string; ledgerRole: string }): Promise<void> {
  const { schema, ledgerRole } = options;
  assertIdentifier('schema', schema);
  assertIdentifier('ledger role', ledgerRole);
  await admin.query('BEGIN');
  try {
    await admin.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS]);
    const role = await admin.query<{ owns: boolean }>('SELECT pg_has_role($1, current_user, $2) AS owns FROM pg_roles WHERE rolname = $1', [
      ledgerRole,
      'MEMBER',
    ]);
    if (role.rows.length === 0) throw new Error(`role ${ledgerRole} does not exist: create it (LOGIN, with a password) before the schema`);
    if (role.rows[0].owns) throw new Error(`role ${ledgerRole} is a member of the schema owner ${schema}: it could change the events`);
    const present = await admin.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`${schema}.store_info`]);
    const found = present.rows[0].present
      ? await admin.query<{ version: number }>(`SELECT version FROM ${schema}.store_info`)
      : { rows: [] as { version: number }[] };
    const version = found.rows[0]?.version ?? 0;
    if (version > PG_SCHEMA_VERSION)
      throw new Error(`schema ${schema} is at version ${version}, newer than this build's ${PG_SCHEMA_VERSION}`);
    await admin.query(ddl(schema, ledgerRole));
    if (found.rows.length === 0) await admin.query(`INSERT INTO ${schema}.store_info (version) VALUES (${PG_SCHEMA_VERSION})`);
    await admin.query('COMMIT');
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * What the store checks at connect, as the ledger's role: the schema is installed at this
 * version, and this role can neither change events (UPDATE, DELETE, TRUNCATE) nor own the table
 * (an owner could disable the triggers). A superuser fails the second check.
 */
export async function checkSchema(client: ClientBase, schema: string): Promise<void> {
  const table = `${schema}.events`;
  const info = await client.query<{ present: boolean; installed: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS present, to_regclass($2) IS NOT NULL AS installed',
    [table, `${schema}.store_info`],
  );
  if (!info.rows[0].present || !info.rows[0].installed) {
    throw new Error(`the event-store schema "${schema}" is not installed: set POSTGRES_ADMIN_URL (its owner) once, or run installSchema`);
  }
  const version = await client.query<{ version: number }>(`SELECT version FROM ${schema}.store_info`);
  if (version.rows[0]?.version !== PG_SCHEMA_VERSION) {
    throw new Error(`schema ${schema} is at version ${String(version.rows[0]?.version)}, this build needs ${PG_SCHEMA_VERSION}`);
  }
  const rights = await client.query<{ role: string; changes: string[]; owns: boolean }>(
    `SELECT current_user AS role,
            array_remove(ARRAY[
              CASE WHEN has_table_privilege($1, 'UPDATE') THEN 'UPDATE' END,
              CASE WHEN has_table_privilege($1, 'DELETE') THEN 'DELETE' END,
              CASE WHEN has_table_privilege($1, 'TRUNCATE') THEN 'TRUNCATE' END], NULL) AS changes,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owns
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [table],
  );
  const { role, changes, owns } = rights.rows[0];
  if (changes.length > 0 || owns) {
    const what = owns ? 'owns it' : `may ${changes.join(', ')} it`;
    throw new Error(`role ${role} ${what} (${table}): the ledger must connect as a role that may only SELECT and INSERT events`);
  }
}

/** installSchema over its own connection to the primary among `adminUrl`'s addresses, for a process that installs at start. */
export async function installSchemaAt(
  adminUrl: string,
  options: { schema: string; ledgerRole: string; connectTimeoutMs?: number },
): Promise<void> {
  const { config } = await findPrimary(splitPostgresHosts(adminUrl), { connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
  const admin = new Client(config);
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await installSchema(admin, options);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
