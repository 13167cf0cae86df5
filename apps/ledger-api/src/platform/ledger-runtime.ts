import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { PROJECTIONS, Projector, SqliteReadStore, type ReadStore } from '@ledger/read-models';
import type { LedgerConfig } from '../config/config';

export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
export const PROJECTOR = Symbol('Projector');

/**
 * The embedded setup: event store and read store as SQLite files in the data directory, and the
 * projector running in this process. Started after the app is bootstrapped; stopped after the
 * HTTP server stopped accepting (Nest calls onApplicationShutdown after closing the server), so
 * no request finds a closed store.
 */
export class LedgerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LedgerRuntime');

  private constructor(
    readonly eventStore: EventStore,
    readonly readStore: ReadStore,
    readonly projector: Projector,
  ) {}

  static async open(config: LedgerConfig): Promise<LedgerRuntime> {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const eventStore = SqliteEventStore.open({ path: path.join(config.dataDir, 'events.sqlite'), synchronous: config.eventStoreSync });
    let readStore: ReadStore;
    try {
      readStore = await SqliteReadStore.open({ path: path.join(config.dataDir, 'read-models.sqlite') });
    } catch (error) {
      await eventStore.close();
      throw error;
    }
    // The projector's own log (start position, rebuilds, and why it stopped if it ever does).
    const logger = new Logger('Projector');
    const projector = new Projector({ eventStore, readStore, projections: PROJECTIONS, logger: (message) => logger.log(message) });
    return new LedgerRuntime(eventStore, readStore, projector);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
    this.logger.log(`projector started at position ${this.projector.position()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.readStore.close();
    await this.eventStore.close();
  }
}
