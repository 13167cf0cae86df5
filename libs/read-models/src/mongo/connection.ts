import { MongoClient, type MongoClientOptions } from 'mongodb';

export interface MongoReadStoreOptions {
  /** mongodb:// or mongodb+srv:// connection string. */
  uri: string;
  /** The database this store owns: dropAll empties it. */
  database: string;
  /** How long to look for a server before failing. Default 5 000 ms. */
  serverSelectionTimeoutMS?: number;
}

const DEFAULT_SELECTION_TIMEOUT_MS = 5_000;

/**
 * The hosts of a connection string, without scheme, credentials, path or options: safe to put
 * in an error message or a log line.
 */
export function addressOf(uri: string): string {
  const afterScheme = uri.replace(/^[a-z+]+:\/\//i, '');
  const hostsEnd = afterScheme.search(/[/?]/);
  const authority = hostsEnd === -1 ? afterScheme : afterScheme.slice(0, hostsEnd);
  return authority.slice(authority.lastIndexOf('@') + 1) || '(no host)';
}

/**
 * A connected client that has answered a ping. An unreachable server is an error naming its
 * address once the selection timeout has passed, never a hang nor a fallback to anything else.
 */
export async function connectClient(options: MongoReadStoreOptions): Promise<MongoClient> {
  const settings: MongoClientOptions = {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? DEFAULT_SELECTION_TIMEOUT_MS,
    // Documents are JSON: a field set to undefined is left out (as JSON.stringify does), not stored as null.
    ignoreUndefined: true,
    appName: 'appraisal-ledger-read-store',
  };
  let client: MongoClient;
  try {
    client = new MongoClient(options.uri, settings);
  } catch (error) {
    throw new Error(`invalid MongoDB connection string for ${addressOf(options.uri)}: ${messageOf(error)}`, { cause: error });
  }
  try {
    await client.connect();
    await client.db(options.database).command({ ping: 1 });
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(
      `MongoDB read store: cannot reach a server at ${addressOf(options.uri)} (database ${options.database}): ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
