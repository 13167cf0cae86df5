import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../postgres/pg-event-store';
import { installSchema } from '../postgres/pg-schema';

const installed = new Map<string, Promise<void>>();

/**
 * Installs `schema` (once per process) as the owner named by POSTGRES_ADMIN_URL, granting the
 * role of `connectionString`: what an operator does once before the ledger's first start.
 */
export function installTestSchema(connectionString: string, schema = 'ledger'): Promise<void> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL?.trim();
  if (adminUrl === undefined || adminUrl === '') {
    return Promise.reject(new Error('POSTGRES_ADMIN_URL (the schema owner) must be set beside POSTGRES_URL (test/infra/up.sh sets both)'));
  }
  const key = `${adminUrl} ${schema}`;
  let done = installed.get(key);
  if (done === undefined) {
    done = (async () => {
      const ledgerRole = new URL(connectionString.split(',')[0]).username;
      const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
      await admin.connect();
      try {
        await installSchema(admin, { schema, ledgerRole });
      } finally {
        await admin.end();
      }
    })();
    installed.set(key, done);
  }
  return done;
}

/** A PostgresEventStore on the server of POSTGRES_URL, its schema installed; cleanup closes it (the rows stay: append-only). */
export async function openPostgresTestStore(
  connectionString: string,
  options: Omit<PostgresEventStoreOptions, 'connectionString'> = {},
): Promise<{ store: PostgresEventStore; cleanup: () => Promise<void> }> {
  await installTestSchema(connectionString, options.schema);
  const store = await PostgresEventStore.connect({ pollIntervalMs: 200, ...options, connectionString });
  return { store, cleanup: () => store.close() };
}

/** A schema name no other test uses: a store of its own, empty, on the shared server (schemas are never dropped: append-only). */
export function freshSchemaName(prefix = 'ledger_t'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}
