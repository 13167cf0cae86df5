import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../mongo-read-store';

let counter = 0;

/** A database name no other test (or test process sharing the server) uses. */
export const freshDatabaseName = (prefix = 'rs'): string => `${prefix}_${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`;

/**
 * A MongoReadStore on a database of its own; cleanup drops that database (through a client of
 * its own, so it works after the store was closed) and closes both.
 */
export async function freshMongoReadStore(
  uri: string,
  prefix?: string,
): Promise<{ store: MongoReadStore; database: string; cleanup: () => Promise<void> }> {
  const database = freshDatabaseName(prefix);
  const store = await MongoReadStore.connect({ uri, database });
  const cleanup = async () => {
    await store.close();
    const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    try {
      await admin.db(database).dropDatabase();
    } finally {
      await admin.close();
    }
  };
  return { store, database, cleanup };
}
