import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EsdbEventStore,
  PostgresEventStore,
  installPostgresSchemaAt,
  splitPostgresHosts,
  SqliteEventStore,
  type EventStore,
  type CheckpointSigner,
  type LogSignerSource,
} from '@ledger/event-store';
import { MongoReadStore, SqliteReadStore, type ReadStore } from '@ledger/read-models';
import { redact, type EventStoreConfig, type ReadStoreConfig } from './store-config';

/** A configured server that cannot be reached. Never answered by falling back to the embedded store. */
export class StoreUnavailableError extends Error {
  constructor(what: string, address: string, cause: unknown) {
    super(`${what} at ${redact(address)} is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

/** Where a store reports what an operator should see (a dropped EventStoreDB subscription being resumed). */
export type StoreLogger = (message: string) => void;

/** What only the writer (the api) passes: the Merkle log's signing key. Readers (projector, relay) open without it. */
export interface EventStoreOpenOptions {
  logSigner?: CheckpointSigner;
  /**
   * Where the embedded store's writer thread loads that key from (the same key: a signer cannot
   * cross threads). Without it the writer runs on this thread whatever the configuration says.
   */
  logSignerSource?: LogSignerSource;
}

export async function openEventStore(
  config: EventStoreConfig,
  log: StoreLogger = () => undefined,
  options: EventStoreOpenOptions = {},
): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      fs.mkdirSync(path.dirname(config.path), { recursive: true });
      return SqliteEventStore.open({
        path: config.path,
        synchronous: config.synchronous,
        pollIntervalMs: config.pollIntervalMs,
        logSigner: options.logSigner,
        groupCommitMaxDelayMs: config.groupCommitMaxDelayMs,
        // Only a writer (the api, which has the key) gets a writer thread; readers never append.
        ...(config.writer === 'worker' &&
          options.logSignerSource !== undefined && { writerThread: { logSigner: options.logSignerSource } }),
      });
    case 'eventstoredb':
      try {
        return await EsdbEventStore.connect({
          connectionString: config.connectionString,
          onResubscribe: ({ attempt, delayMs, fromPosition, error }) =>
            log(
              `EventStoreDB subscription dropped (${error.message}); resubscribing after position ${fromPosition} in ${delayMs} ms (attempt ${attempt})`,
            ),
        });
      } catch (error) {
        throw new StoreUnavailableError('EventStoreDB', config.connectionString, error);
      }
    case 'postgres':
      return openPostgresEventStore(config, log);
    default: {
      const unknown: never = config;
      throw new Error(`unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}

export async function openReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  switch (config.kind) {
    case 'sqlite':
      fs.mkdirSync(path.dirname(config.path), { recursive: true });
      return SqliteReadStore.open({ path: config.path });
    case 'mongodb':
      try {
        return await MongoReadStore.connect({ uri: config.uri, database: config.database });
      } catch (error) {
        throw new StoreUnavailableError('MongoDB', config.uri, error);
      }
    default: {
      const unknown: never = config;
      throw new Error(`unknown read store ${JSON.stringify(unknown)}`);
    }
  }
}

/** Opens both, closing the first if the second fails, so a failed start leaves nothing open. */
export async function openStores(
  config: { eventStore: EventStoreConfig; readStore: ReadStoreConfig },
  log?: StoreLogger,
  options: EventStoreOpenOptions = {},
): Promise<{ eventStore: EventStore; readStore: ReadStore }> {
  const eventStore = await openEventStore(config.eventStore, log, options);
  try {
    return { eventStore, readStore: await openReadStore(config.readStore) };
  } catch (error) {
    await eventStore.close();
    throw error;
  }
}

/**
 * With POSTGRES_ADMIN_URL, installs or completes the schema first (as its owner, granting the
 * ledger's role); then connects as the ledger's role, which the store refuses if it could change events.
 */
async function openPostgresEventStore(config: Extract<EventStoreConfig, { kind: 'postgres' }>, log: StoreLogger): Promise<EventStore> {
  if (config.adminConnectionString !== undefined) {
    const ledgerRole = new URL(splitPostgresHosts(config.connectionString)[0]).username;
    try {
      await installPostgresSchemaAt(config.adminConnectionString, { schema: config.schema, ledgerRole });
    } catch (error) {
      throw new StoreUnavailableError('PostgreSQL (schema install as POSTGRES_ADMIN_URL)', config.adminConnectionString, error);
    }
  }
  try {
    return await PostgresEventStore.connect({
      connectionString: config.connectionString,
      schema: config.schema,
      failoverTimeoutMs: config.failoverTimeoutMs,
      onReconnect: ({ error, what }) => log(`PostgreSQL: ${what} lost its server (${error.message}); looking for the primary again`),
    });
  } catch (error) {
    throw new StoreUnavailableError('PostgreSQL', config.connectionString, error);
  }
}
