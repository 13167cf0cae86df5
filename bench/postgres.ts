import { Client } from 'pg';
import { installPostgresSchemaAt, redactPostgresUrl, splitPostgresHosts } from '@ledger/event-store';

/**
 * The PostgreSQL server the bench may use, from POSTGRES_URL (the ledger's role, which may only
 * SELECT and INSERT) and POSTGRES_ADMIN_URL (the schema's owner: the bench installs a schema of its
 * own per figure and drops it afterwards). Both or nothing: `test/infra/postgres.sh start` prints them.
 */
export interface BenchPostgres {
  url: string;
  adminUrl: string;
  /** host:port of the first server, for the output (no credentials). */
  address: string;
}

/** The server from the environment, or why the PostgreSQL figures are skipped. */
export function postgresFromEnv(env: NodeJS.ProcessEnv = process.env): BenchPostgres | { skipped: string } {
  const url = env.POSTGRES_URL?.trim() ?? '';
  const adminUrl = env.POSTGRES_ADMIN_URL?.trim() ?? '';
  if (url === '' || adminUrl === '') {
    return { skipped: 'set POSTGRES_URL and POSTGRES_ADMIN_URL, e.g. from test/infra/postgres.sh start <dir> <port>' };
  }
  return { url, adminUrl, address: addressOf(url) };
}

const addressOf = (url: string): string => {
  const first = new URL(splitPostgresHosts(url)[0]);
  return `${first.hostname}:${first.port || '5432'}`;
};

/** A schema name of this run's own, e.g. bench_http_1234. */
export const benchSchema = (what: string): string => `bench_${what}_${process.pid}`;

/** Installs `schema` as its owner and grants the ledger's role (what the api does at start with POSTGRES_ADMIN_URL). */
export async function installBenchSchema(pg: BenchPostgres, schema: string): Promise<void> {
  const ledgerRole = new URL(splitPostgresHosts(pg.url)[0]).username;
  await installPostgresSchemaAt(pg.adminUrl, { schema, ledgerRole });
}

/**
 * Drops the bench's schema with its events, as the owner. The store refuses UPDATE, DELETE and
 * TRUNCATE of events (also for the owner), not DROP: a bench must not leave 200,000 rows behind.
 */
export async function dropBenchSchema(pg: BenchPostgres, schema: string): Promise<void> {
  if (!/^bench_[a-z0-9_]+$/.test(schema)) throw new Error(`not a bench schema: ${schema}`);
  const admin = new Client({ connectionString: splitPostgresHosts(pg.adminUrl)[0], connectionTimeoutMillis: 5_000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch (error) {
    process.stderr.write(`bench: could not drop schema ${schema} at ${redactPostgresUrl(pg.adminUrl)}: ${String(error)}\n`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** The server's version and the durability settings that decide its commit cost, for the output. */
export async function describeServer(pg: BenchPostgres): Promise<string> {
  const client = new Client({ connectionString: splitPostgresHosts(pg.url)[0], connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string; fsync: string; sync: string; standby: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS sync, current_setting('synchronous_standby_names') AS standby`,
    );
    const r = rows[0];
    return `PostgreSQL ${r.version} at ${pg.address}, fsync=${r.fsync}, synchronous_commit=${r.sync}${r.standby === '' ? '' : `, synchronous_standby_names='${r.standby}'`}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
