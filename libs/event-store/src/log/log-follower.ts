import Database from 'better-sqlite3';
import type { StoredEvent } from '../envelope';
import type { EventStore, Subscription } from '../port';
import type { CheckpointSigner } from './note';
import { LOG_DDL, LogDisagreesError, SqliteMerkleLog } from './sqlite-log';

export interface LogFollowerOptions {
  /** The log's own SQLite file (the event store is a server: EventStoreDB, PostgreSQL). */
  path: string;
  store: EventStore;
  signer: CheckpointSigner;
  now?: () => Date;
  logger?: (message: string) => void;
  batchSize?: number;
}

const FOLLOWER_DDL = `
${LOG_DDL}
CREATE TABLE IF NOT EXISTS log_follower (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  position INTEGER NOT NULL
) STRICT;
`;

/**
 * The Merkle log of a server event store, built by following `$all` (the port's subscribe) into a
 * file of its own, with its own checkpoint: one transaction per delivered batch appends the leaves,
 * signs the checkpoint and moves the position, so a crash repeats a batch or nothing. Leaf indexes
 * are dense from 0 whatever the store's positions. What it cannot give that the embedded store
 * gives: the store does not refuse an event the log has not recorded (a writer with access to the
 * server can append one, and the follower would sign it); that rests on the server's own access
 * control, and on witnesses for a rewrite of what was already signed.
 */
export class LogFollower {
  readonly log: SqliteMerkleLog;
  private subscription: Subscription | undefined;
  private readonly db: Database.Database;
  private readonly applyBatch: (events: StoredEvent[]) => void;
  private position: number;
  private readonly waiters = new Set<{ position: number; resolve: (reached: boolean) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly options: LogFollowerOptions) {
    this.db = new Database(options.path, { timeout: 5_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(FOLLOWER_DDL);
    this.log = new SqliteMerkleLog(this.db);
    const read = this.db.prepare<[], { position: number }>('SELECT position FROM log_follower WHERE id = 1');
    const write = this.db.prepare(
      'INSERT INTO log_follower (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position',
    );
    this.position = read.get()?.position ?? 0;
    this.applyBatch = this.db.transaction((events: StoredEvent[]) => {
      const last = this.log.writerState().lastPosition;
      const fresh = events.filter((e) => last === null || e.globalPosition > last);
      if (fresh.length === 0) return;
      this.log.append(fresh.map((e) => ({ globalPosition: e.globalPosition, eventId: e.eventId, hash: e.hash })));
      this.log.signCheckpoint(options.signer, (options.now ?? (() => new Date()))().toISOString());
      write.run(fresh[fresh.length - 1].globalPosition);
    });
  }

  static open(options: LogFollowerOptions): LogFollower {
    return new LogFollower(options);
  }

  /**
   * Before following: the newest leaf's event must still be in the store at its position with its
   * hash (a cut tail or a rewrite of what was signed shows here). O(1) reads; `verify --export`
   * with a trusted checkpoint checks everything.
   */
  async checkTail(): Promise<void> {
    const last = this.log.lastLeaf();
    if (last === undefined) return;
    const leaf = this.log.leaf(last.leafIndex);
    const [event] = await this.options.store.readAll({ fromPosition: last.globalPosition - 1, limit: 1 });
    if (
      (event as StoredEvent | undefined) === undefined ||
      event.globalPosition !== last.globalPosition ||
      event.eventId !== leaf?.eventId ||
      event.hash !== leaf.hash
    ) {
      throw new LogDisagreesError(
        `leaf ${last.leafIndex} records event ${String(leaf?.eventId)} at position ${last.globalPosition}, but the store holds ${
          (event as StoredEvent | undefined) === undefined ? 'nothing there' : `event ${event.eventId} at ${event.globalPosition}`
        }: the store was cut back or rewritten`,
      );
    }
  }

  start(): void {
    if (this.subscription !== undefined) return;
    this.subscription = this.options.store.subscribe({
      fromPosition: this.position,
      batchSize: this.options.batchSize ?? 500,
      handler: async (events) => {
        try {
          this.applyBatch(events);
          this.log.commitPending();
        } catch (error) {
          this.log.discardPending();
          throw error;
        }
        this.position = events[events.length - 1].globalPosition;
        for (const waiter of this.waiters) {
          if (this.position >= waiter.position) {
            this.waiters.delete(waiter);
            waiter.resolve(true);
          }
        }
      },
      onError: (error) => {
        this.failure = error;
        this.options.logger?.(`the Merkle log follower stopped at position ${this.position}: ${error.message}`);
      },
    });
  }

  /** Position of the newest event in the log. */
  followedTo(): number {
    return this.position;
  }

  /** true once the log holds every event up to `position`; false after timeoutMs. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    if (this.failure !== undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (this.waiters.delete(waiter)) resolve(false);
      }, timeoutMs).unref();
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
    this.db.close();
  }
}
