import * as path from 'node:path';
import { splitPostgresHosts } from '@ledger/event-store';
import { readInteger } from './config-values';

/**
 * Which event store and read store a process uses, from the environment. Shared by the api, the
 * projector and the relay, so the three read the same variables with the same rules:
 *
 *   EVENT_STORE=sqlite (default) | eventstoredb | postgres   EVENTSTORE_CONNECTION_STRING=esdb://...
 *   POSTGRES_URL=postgres://ledger:…@h1:5432,h2:5432/ledger?target_session_attrs=read-write (or a
 *     comma-separated list of URLs): the ledger's role, which may only SELECT and INSERT events;
 *   POSTGRES_ADMIN_URL (optional): the schema's owner; when set, the schema is installed or
 *     completed at start and the ledger's role granted; POSTGRES_SCHEMA=ledger;
 *   POSTGRES_FAILOVER_TIMEOUT_MS=30000: how long an operation looks for a new primary.
 *   READ_STORE=sqlite (default)  | mongodb        MONGODB_URI=mongodb://...  MONGODB_DATABASE=appraisal_ledger
 *   LEDGER_DATA_DIR (default ./data)              LEDGER_EVENT_STORE_SYNC=FULL (default) | NORMAL
 *   LEDGER_EVENT_STORE_POLL_MS=100: how often a SQLite subscriber looks for appends made by
 *     another process (the projector or relay beside the api); appends in-process wake it at once.
 *   LEDGER_EVENT_STORE_WRITER=worker (default) | main: where the embedded store's writer runs (its
 *     group commit, hashing, the log's signature and the fsync): on a worker thread, off the event
 *     loop that serves requests, or on the main thread. Only the api appends; readers ignore it.
 *   LEDGER_GROUP_COMMIT_MAX_DELAY_MS=2: how long under load an append waits for others to share
 *     its commit (0..100).
 *
 * A server is used only when it is chosen by name; choosing one without its address is an error,
 * and an address given for an engine that is not chosen is reported as a warning (it would
 * otherwise look as if the server were in use).
 */
export type EventStoreConfig =
  | {
      kind: 'sqlite';
      path: string;
      synchronous: 'FULL' | 'NORMAL';
      pollIntervalMs: number;
      writer: 'worker' | 'main';
      groupCommitMaxDelayMs: number;
    }
  | { kind: 'eventstoredb'; connectionString: string }
  | { kind: 'postgres'; connectionString: string; adminConnectionString: string | undefined; schema: string; failoverTimeoutMs: number };

export type ReadStoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string; database: string };

export interface StoreConfig {
  dataDir: string;
  eventStore: EventStoreConfig;
  readStore: ReadStoreConfig;
  /** Settings that are present but have no effect in this configuration. */
  warnings: string[];
}

export type EnvReader = (name: string) => string | undefined;

export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  return (name) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
}

/** Reads the store settings; every bad value is pushed to `problems` (the caller reports them together). */
export function readStoreConfig(read: EnvReader, problems: string[]): StoreConfig {
  const dataDir = path.resolve(read('LEDGER_DATA_DIR') ?? './data');
  const warnings: string[] = [];

  const sync = read('LEDGER_EVENT_STORE_SYNC') ?? 'FULL';
  if (sync !== 'FULL' && sync !== 'NORMAL') problems.push(`LEDGER_EVENT_STORE_SYNC must be FULL or NORMAL, got "${sync}"`);
  const synchronous = sync === 'NORMAL' ? 'NORMAL' : 'FULL';

  const pollIntervalMs = readInteger(read, 'LEDGER_EVENT_STORE_POLL_MS', 100, 5, 10_000, problems);
  const writerSetting = read('LEDGER_EVENT_STORE_WRITER') ?? 'worker';
  if (writerSetting !== 'worker' && writerSetting !== 'main') {
    problems.push(`LEDGER_EVENT_STORE_WRITER must be worker or main, got "${writerSetting}"`);
  }
  const writer = writerSetting === 'main' ? 'main' : 'worker';
  const groupCommitMaxDelayMs = readInteger(read, 'LEDGER_GROUP_COMMIT_MAX_DELAY_MS', 2, 0, 100, problems);

  let eventStore: EventStoreConfig = {
    kind: 'sqlite',
    path: path.join(dataDir, 'events.sqlite'),
    synchronous,
    pollIntervalMs,
    writer,
    groupCommitMaxDelayMs,
  };
  const connectionString = read('EVENTSTORE_CONNECTION_STRING');
  const eventKind = read('EVENT_STORE') ?? 'sqlite';
  if (eventKind === 'eventstoredb') {
    if (connectionString === undefined) problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
    else if (!/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(connectionString)) {
      problems.push(`EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string, got "${redact(connectionString)}"`);
    } else eventStore = { kind: 'eventstoredb', connectionString };
  } else if (eventKind === 'postgres') {
    eventStore = readPostgresConfig(read, problems) ?? eventStore;
  } else if (eventKind !== 'sqlite') {
    problems.push(`EVENT_STORE must be "sqlite", "eventstoredb" or "postgres", got "${eventKind}"`);
  }
  if ((eventKind === 'sqlite' || eventKind === 'postgres') && connectionString !== undefined) {
    warnings.push(`EVENTSTORE_CONNECTION_STRING is set but EVENT_STORE=${eventKind}: it is not used`);
  }
  if (eventKind === 'sqlite' || eventKind === 'eventstoredb') {
    for (const name of ['POSTGRES_URL', 'POSTGRES_ADMIN_URL']) {
      if (read(name) !== undefined) warnings.push(`${name} is set but EVENT_STORE=${eventKind}: it is not used`);
    }
  }

  let readStore: ReadStoreConfig = { kind: 'sqlite', path: path.join(dataDir, 'read-models.sqlite') };
  const uri = read('MONGODB_URI');
  const database = read('MONGODB_DATABASE') ?? 'appraisal_ledger';
  const readKind = read('READ_STORE') ?? 'sqlite';
  if (readKind === 'mongodb') {
    if (uri === undefined) problems.push('MONGODB_URI is required when READ_STORE=mongodb');
    else if (!/^mongodb(\+srv)?:\/\//.test(uri)) problems.push(`MONGODB_URI must be a mongodb:// URI, got "${redact(uri)}"`);
    // 57, not MongoDB's 63: the relay keeps its checkpoint in `<database>_relay`.
    else if (!/^[A-Za-z0-9_-]{1,57}$/.test(database)) problems.push(`MONGODB_DATABASE must be 1..57 of [A-Za-z0-9_-], got "${database}"`);
    else readStore = { kind: 'mongodb', uri, database };
  } else if (readKind !== 'sqlite') {
    problems.push(`READ_STORE must be "sqlite" or "mongodb", got "${readKind}"`);
  } else if (uri !== undefined) {
    warnings.push('MONGODB_URI is set but READ_STORE=sqlite: the embedded read store is used');
  }
  return { dataDir, eventStore, readStore, warnings };
}

function readPostgresConfig(read: EnvReader, problems: string[]): EventStoreConfig | undefined {
  const before = problems.length;
  const failoverTimeoutMs = readInteger(read, 'POSTGRES_FAILOVER_TIMEOUT_MS', 30_000, 1_000, 600_000, problems);
  const schema = read('POSTGRES_SCHEMA') ?? 'ledger';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) problems.push(`POSTGRES_SCHEMA must be a lower-case SQL identifier, got "${schema}"`);
  const connectionString = read('POSTGRES_URL');
  const adminConnectionString = read('POSTGRES_ADMIN_URL');
  if (connectionString === undefined) problems.push('POSTGRES_URL is required when EVENT_STORE=postgres');
  for (const [name, value] of [
    ['POSTGRES_URL', connectionString],
    ['POSTGRES_ADMIN_URL', adminConnectionString],
  ] as const) {
    if (value === undefined) continue;
    try {
      const addresses = splitPostgresHosts(value);
      if (name === 'POSTGRES_URL' && addresses.some((address) => new URL(address).username === '')) {
        problems.push(
          `POSTGRES_URL must name the ledger's role in each address (postgres://role:password@host/db), got "${redact(value)}"`,
        );
      }
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (connectionString === undefined || problems.length > before) return undefined;
  return { kind: 'postgres', connectionString, adminConnectionString, schema, failoverTimeoutMs };
}

/** A connection string (or a list of them) without its passwords, for messages and logs. */
export function redact(address: string): string {
  return address.replace(/\/\/([^:/@,]+):[^@]*@/g, '//$1:***@');
}

/** One line for start-up logs. */
export function describeStores(config: StoreConfig): string {
  const events =
    config.eventStore.kind === 'sqlite'
      ? `sqlite ${config.eventStore.path}`
      : `${config.eventStore.kind} ${redact(config.eventStore.connectionString)}`;
  const reads =
    config.readStore.kind === 'sqlite'
      ? `sqlite ${config.readStore.path}`
      : `mongodb ${redact(config.readStore.uri)} db ${config.readStore.database}`;
  return `events: ${events}; read models: ${reads}`;
}

/**
 * Where a follower other than the projector (the relay) keeps its checkpoint: beside the read
 * models, but not among them, because a rebuild drops every read model and checkpoint in the read
 * store, and must not send the relay back to position 0. SQLite: `<dataDir>/<name>.sqlite`;
 * MongoDB: the database `<MONGODB_DATABASE>_<name>` on the same server.
 */
export function checkpointStoreFor(config: StoreConfig, name: string): ReadStoreConfig {
  const readStore = config.readStore;
  return readStore.kind === 'sqlite'
    ? { kind: 'sqlite', path: path.join(config.dataDir, `${name}.sqlite`) }
    : { kind: 'mongodb', uri: readStore.uri, database: `${readStore.database}_${name}` };
}
