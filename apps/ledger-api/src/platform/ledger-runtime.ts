import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { LogFollower, SqliteEventStore, LogKeyring, type EventStore, type SqliteMerkleLog } from '@ledger/event-store';
import { CheckpointWatcher, PROJECTIONS, Projector, type ProjectionProgress, type ReadStore } from '@ledger/read-models';
import { describeStores, openStores } from '@ledger/stores';
import { appendedTraces } from '@ledger/observability';
import type { LedgerConfig } from '../config/config';

export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
/** The read models' progress (ProjectionProgress): the in-process projector, or the external one's checkpoint. */
export const PROJECTOR = Symbol('ProjectionProgress');

/** The Merkle log this process signs (the embedded store keeps it in its own file). */
export interface LedgerLog {
  store: SqliteMerkleLog;
  /** The log's keys: the active one and any earlier one still co-signing (a rotation in progress). */
  signer: LogKeyring;
  /** Present on a server event store: the log follows it, and may trail it by a batch. */
  follower?: LogFollower;
}

/** The store disagrees with its own signed log: the process refuses to serve it. */
export class LogCheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogCheckFailedError';
  }
}

/**
 * The stores this process uses (libs/stores: SQLite files by default, or EventStoreDB and
 * MongoDB) and the read models' progress. With LEDGER_PROJECTOR=in-process (the default) the
 * projector runs here; with external, apps/projector keeps the read models and this process
 * follows its checkpoint. Started after the app is bootstrapped; stopped after the HTTP server
 * stopped accepting (Nest calls onApplicationShutdown after closing the server), so no request
 * finds a closed store.
 */
export class LedgerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LedgerRuntime');
  private keyWatch: NodeJS.Timeout | undefined;

  private constructor(
    readonly eventStore: EventStore,
    readonly readStore: ReadStore,
    /** Present when the projector runs in this process (and so can rebuild). */
    readonly projector: Projector | undefined,
    readonly progress: ProjectionProgress & { start(): Promise<void>; stop(): unknown },
    readonly log: LedgerLog | undefined,
  ) {}

  static async open(config: LedgerConfig): Promise<LedgerRuntime> {
    const logger = new Logger('LedgerRuntime');
    for (const warning of config.stores.warnings) logger.warn(warning);
    const keys = { dataDir: config.dataDir, keyFile: config.log.keyFile, origin: config.log.origin };
    const signer = LogKeyring.load(keys);
    const embedded = config.stores.eventStore.kind === 'sqlite';
    const { eventStore, readStore } = await openStores(config.stores, (message) => logger.warn(message), {
      logSigner: embedded ? signer : undefined,
      // The embedded store's writer thread loads the same keyring from the same files.
      logSignerSource: embedded ? { keyring: keys } : undefined,
    });
    logger.log(describeStores(config.stores));
    let log: LedgerLog;
    try {
      log = embedded
        ? checkLogAtStart(eventStore, signer, config.log.adoptExisting, logger)
        : await followServerStore(eventStore, signer, path.join(config.dataDir, 'merkle-log.sqlite'), logger);
    } catch (error) {
      await Promise.all([eventStore.close(), readStore.close()]);
      throw error;
    }
    if (config.projector === 'external') {
      const watcher = new CheckpointWatcher({ readStore, logger: (message) => logger.warn(message) });
      return new LedgerRuntime(eventStore, readStore, undefined, watcher, log);
    }
    // The projector's own log (start position, rebuilds, and why it stopped if it ever does).
    const projectorLogger = new Logger('Projector');
    // Its batch spans join the traces of the commands appended in this process (appendedTraces).
    const projector = new Projector({
      eventStore,
      readStore,
      projections: PROJECTIONS,
      logger: (message) => projectorLogger.log(message),
      traceContextOf: (event) => appendedTraces.contextOf(event.eventId),
    });
    return new LedgerRuntime(eventStore, readStore, projector, projector, log);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.log?.follower?.start();
    // A rotation or retirement by `npm run log-keys` takes effect within a second, without a restart.
    this.keyWatch = setInterval(() => {
      try {
        this.log?.signer.reload();
      } catch (error) {
        this.logger.error(`the log keys could not be reloaded; signing with the keys loaded before: ${String(error)}`);
      }
    }, 1_000);
    this.keyWatch.unref();
    await this.progress.start();
    const where = this.projector === undefined ? 'external projector at' : 'projector started at';
    this.logger.log(`${where} position ${this.progress.position()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.keyWatch);
    await this.progress.stop();
    await this.log?.follower?.close();
    await this.readStore.close();
    await this.eventStore.close();
  }
}

/**
 * Before serving: the store must be exactly what its log signed (every row a leaf, every signed
 * root out of the rows). A store that disagrees is refused, loudly, with the first problems
 * named; a store written before the log is adopted only when the operator says so.
 */
function checkLogAtStart(eventStore: EventStore, signer: LogKeyring, adoptExisting: boolean, logger: Logger): LedgerLog {
  if (!(eventStore instanceof SqliteEventStore)) throw new Error('the Merkle log is kept by the embedded store');
  const started = Date.now();
  if (eventStore.log.size() === 0 && eventStore.log.latestCheckpoint() === undefined && headOf(eventStore) > 0) {
    if (!adoptExisting) {
      throw new LogCheckFailedError(
        `REFUSING TO SERVE: the event store holds events up to position ${headOf(eventStore)} but no Merkle log: it was written before the log existed, or the log was removed. ` +
          'If this store is the one you kept, start once with LEDGER_LOG_ADOPT_EXISTING=true to put its events into the log.',
      );
    }
    const adopted = eventStore.adoptIntoLog();
    logger.warn(
      `LEDGER_LOG_ADOPT_EXISTING: ${adopted} events stored before the log existed are now in it, and checkpoint ${adopted} is signed`,
    );
  }
  const { problems, summary } = eventStore.checkLog();
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `${p.kind}: ${p.message}`);
    throw new LogCheckFailedError(
      `REFUSING TO SERVE: the event store disagrees with its signed Merkle log (${problems.length} problems):\n  - ${shown.join('\n  - ')}\n` +
        'Run `npm run audit -- verify` for the full report. Nothing was appended or signed.',
    );
  }
  logger.log(
    `Merkle log ${signer.name}: ${summary.treeSize} events, latest signed checkpoint ${String(summary.latestCheckpointSize)}, checked against the store in ${Date.now() - started} ms; verifier key ${signer.verifierKey}`,
  );
  return { store: eventStore.log, signer };
}

const headOf = (store: SqliteEventStore): number => store.headPositionSync();

/**
 * A server event store (EventStoreDB, PostgreSQL): the log follows it into its own file. Before
 * serving, the newest leaf's event must still be there, unchanged.
 */
async function followServerStore(eventStore: EventStore, signer: LogKeyring, file: string, logger: Logger): Promise<LedgerLog> {
  const follower = LogFollower.open({ path: file, store: eventStore, signer, logger: (message) => logger.error(message) });
  try {
    await follower.checkTail();
  } catch (error) {
    await follower.close();
    throw new LogCheckFailedError(`REFUSING TO SERVE: ${error instanceof Error ? error.message : String(error)}`);
  }
  logger.log(
    `Merkle log ${signer.name} follows the event store into ${file}: ${follower.log.size()} events so far; verifier key ${signer.verifierKey}`,
  );
  return { store: follower.log, signer, follower };
}
