import { Client, type ClientConfig } from 'pg';
import type { StoredEvent } from '../envelope';
import type { SubscribeOptions, Subscription } from '../port';

export interface NotifiedSource {
  /** Events with globalPosition > fromPosition ('start': every event), in global order, at most `limit`. */
  read(fromPosition: number | 'start', limit: number): Promise<StoredEvent[]>;
  /** A read failure worth waiting out (the server is gone, a failover is under way), not a reason to stop. */
  isTransient(error: unknown): boolean;
  /** The safety net under NOTIFY: how often to read even when nothing was announced. */
  pollIntervalMs: number;
  /** Told before each wait after a transient read failure (to log it). */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

const DEFAULT_BATCH_SIZE = 500;
const MAX_RETRY_DELAY_MS = 2_000;

/**
 * Catch-up, then live: reads from the store after its position, and waits for a wake() (a NOTIFY
 * from the insert trigger, or the listener reconnecting) or the poll interval before reading
 * again. Reading is what delivers, never the notification itself, so a lost NOTIFY only delays
 * an event. The position advances only after the handler resolved. A transient read failure is
 * retried with a growing delay (the store finds the new primary); a handler error or any other
 * failure stops the subscription and goes to onError, or, without onError, to an unhandled
 * rejection, so a failing follower is never silently stuck.
 */
export class NotifiedSubscription implements Subscription {
  private position: number | 'start';
  private closed = false;
  private wakePending = false;
  private wakeUp: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: NotifiedSource,
    private readonly options: SubscribeOptions,
    private readonly onStop: (subscription: NotifiedSubscription) => void,
  ) {
    if (!Number.isSafeInteger(options.fromPosition) || options.fromPosition < 0) {
      throw new TypeError(`fromPosition must be an integer >= 0, got ${String(options.fromPosition)}`);
    }
    if (options.batchSize !== undefined && !(Number.isSafeInteger(options.batchSize) && options.batchSize > 0)) {
      throw new TypeError(`batchSize must be a positive integer, got ${String(options.batchSize)}`);
    }
    this.position = options.fromPosition === 0 ? 'start' : options.fromPosition;
    this.done = this.run();
  }

  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const limit = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let failures = 0;
    try {
      // Never call the handler before subscribe() has returned the subscription to its caller.
      await Promise.resolve();
      while (!this.closed) {
        this.wakePending = false;
        let batch: StoredEvent[];
        try {
          batch = await this.source.read(this.position, limit);
          failures = 0;
        } catch (error) {
          if (!this.source.isTransient(error)) throw error;
          failures += 1;
          const delayMs = Math.min(100 * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
          this.source.onRetry?.(error instanceof Error ? error : new Error(String(error)), failures, delayMs);
          await this.sleep(delayMs, true);
          continue;
        }
        if (this.closed) break;
        if (batch.length === 0) {
          await this.sleep(this.source.pollIntervalMs, false);
          continue;
        }
        await this.options.handler(batch);
        this.position = batch[batch.length - 1].globalPosition;
      }
    } catch (error) {
      this.closed = true;
      this.report(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.onStop(this);
    }
  }

  private report(error: Error): void {
    if (this.options.onError) {
      this.options.onError(error);
      return;
    }
    void Promise.reject(error);
  }

  /** Until the delay ends, close(), or (unless `ignoreWake`, while waiting out a failure) a wake(). */
  private sleep(ms: number, ignoreWake: boolean): Promise<void> {
    if ((this.wakePending && !ignoreWake) || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = ignoreWake ? () => (this.closed ? finish() : undefined) : finish;
    });
  }
}

/**
 * One LISTEN connection per store, shared by its subscriptions: every notification, and every
 * (re)connection (what was announced while it was away is read then), wakes them all. It follows
 * the primary: each connection attempt asks the store where the primary is now.
 */
export class NotifyListener {
  private client: Client | undefined;
  private stopped = false;
  private resolveStop: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => {
    this.resolveStop = resolve;
  });
  private readonly loop: Promise<void>;

  constructor(
    private readonly channel: string,
    private readonly primary: () => Promise<ClientConfig>,
    private readonly wakeAll: () => void,
    private readonly onLost: (error: Error) => void,
  ) {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resolveStop();
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const { lost, listened } = await this.listenOnce();
      if (this.stopped) return;
      this.onLost(lost);
      failures = listened ? 1 : failures + 1;
      const delayMs = Math.min(100 * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
      await Promise.race([this.stopping, new Promise((resolve) => setTimeout(resolve, delayMs).unref())]);
    }
  }

  /** Resolves when the connection ends, with why, and whether LISTEN had taken effect. */
  private async listenOnce(): Promise<{ lost: Error; listened: boolean }> {
    let client: Client | undefined;
    let listened = false;
    try {
      client = new Client(await this.primary());
      this.client = client;
      const current = client;
      const ended = new Promise<Error>((resolve) => {
        current.on('error', resolve);
        current.on('end', () => resolve(new Error('the LISTEN connection ended')));
      });
      client.on('notification', () => this.wakeAll());
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      listened = true;
      // Anything committed before LISTEN took effect was not announced: read it now.
      this.wakeAll();
      const lost = await Promise.race([ended, this.stopping.then(() => new Error('stopped'))]);
      return { lost, listened };
    } catch (error) {
      return { lost: error instanceof Error ? error : new Error(String(error)), listened };
    } finally {
      if (this.client === client) this.client = undefined;
      await client?.end().catch(() => undefined);
    }
  }
}
