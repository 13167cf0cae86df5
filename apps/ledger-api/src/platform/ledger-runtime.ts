import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { CheckpointWatcher, PROJECTIONS, Projector, type ProjectionProgress, type ReadStore } from '@ledger/read-models';
import { describeStores, openStores } from '@ledger/stores';
import type { LedgerConfig } from '../config/config';

export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
/** The read models' progress (ProjectionProgress): the in-process projector, or the external one's checkpoint. */
export const PROJECTOR = Symbol('ProjectionProgress');

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

  private constructor(
    readonly eventStore: EventStore,
    readonly readStore: ReadStore,
    /** Present when the projector runs in this process (and so can rebuild). */
    readonly projector: Projector | undefined,
    readonly progress: ProjectionProgress & { start(): Promise<void>; stop(): unknown },
  ) {}

  static async open(config: LedgerConfig): Promise<LedgerRuntime> {
    const logger = new Logger('LedgerRuntime');
    for (const warning of config.stores.warnings) logger.warn(warning);
    const { eventStore, readStore } = await openStores(config.stores, (message) => logger.warn(message));
    logger.log(describeStores(config.stores));
    if (config.projector === 'external') {
      const watcher = new CheckpointWatcher({ readStore, logger: (message) => logger.warn(message) });
      return new LedgerRuntime(eventStore, readStore, undefined, watcher);
    }
    // The projector's own log (start position, rebuilds, and why it stopped if it ever does).
    const projectorLogger = new Logger('Projector');
    const projector = new Projector({ eventStore, readStore, projections: PROJECTIONS, logger: (message) => projectorLogger.log(message) });
    return new LedgerRuntime(eventStore, readStore, projector, projector);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.progress.start();
    const where = this.projector === undefined ? 'external projector at' : 'projector started at';
    this.logger.log(`${where} position ${this.progress.position()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.progress.stop();
    await this.readStore.close();
    await this.eventStore.close();
  }
}
