import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type SqliteEventStoreOptions } from '../sqlite/sqlite-event-store';

/** A SqliteEventStore on a fresh file under os.tmpdir(); cleanup closes it and removes the file. */
export async function openTempSqliteEventStore(
  options: Omit<SqliteEventStoreOptions, 'path'> = {},
): Promise<{ store: SqliteEventStore; path: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-events-'));
  const path = join(dir, 'events.db');
  const store = SqliteEventStore.open({ ...options, path });
  const cleanup = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, path, cleanup };
}
