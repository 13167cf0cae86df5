import { describeEventStoreContract, describeWithServer } from '../testing';
import { openPostgresTestStore } from '../testing/postgres';

/**
 * Runs against the PostgreSQL of POSTGRES_URL (the ledger's role) with POSTGRES_ADMIN_URL (the
 * schema owner), as test/infra/up.sh starts them. The store is shared and never emptied (it is
 * append-only): every test uses fresh stream ids.
 */
describeWithServer('postgres', 'PostgresEventStore', (connectionString) => {
  describeEventStoreContract('PostgreSQL', () => openPostgresTestStore(connectionString));
});
