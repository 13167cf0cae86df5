import type { StoredEvent } from '../../envelope';
import { newEvent } from '../../testing/events';
import type { EventFeed, FeedSource } from '../resubscribing-subscription';

/** What one opened feed does: hand out up to `deliver` events, then fail, end, or wait for more. */
export interface FeedPlan {
  /** open() itself throws this (the server cannot be reached at all). */
  openError?: Error;
  /** How many events this feed hands out before `then` happens. Default: unlimited. */
  deliver?: number;
  then?: { fail: Error } | 'end' | 'wait';
  /** Repeat the event at the start position, as a server whose start is inclusive would. */
  inclusive?: boolean;
}

/**
 * The resubscription loop's input, scripted: a growing log of events (positions 10, 20, 30…) and
 * one FeedPlan per open(). Records every start position and every close, so a test sees exactly
 * how the loop resubscribed.
 */
export class ScriptedSource implements FeedSource {
  readonly log: StoredEvent[] = [];
  readonly opens: number[] = [];
  readonly feeds: ScriptedFeed[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly plans: FeedPlan[],
    readonly isPermanent: (error: Error) => boolean = () => false,
    readonly backoff = { initialMs: 1, maxMs: 4 },
  ) {}

  /** Appends `count` events to the log and wakes waiting feeds; returns them. */
  append(count: number): StoredEvent[] {
    const added = Array.from({ length: count }, (_, i) => {
      const n = this.log.length + i;
      const event = newEvent({ data: { n } });
      return {
        ...event,
        streamId: 'scripted',
        streamRevision: n,
        globalPosition: (n + 1) * 10,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      };
    });
    this.log.push(...added);
    for (const listener of [...this.listeners]) listener();
    return added;
  }

  open(fromPosition: number): EventFeed {
    this.opens.push(fromPosition);
    const plan = this.plans.shift() ?? { then: 'wait' };
    if (plan.openError) throw plan.openError;
    const feed = new ScriptedFeed(this, fromPosition, plan);
    this.feeds.push(feed);
    return feed;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class ScriptedFeed implements EventFeed {
  closed = false;
  private cursor: number;
  private handedOut = 0;

  constructor(
    private readonly source: ScriptedSource,
    fromPosition: number,
    private readonly plan: FeedPlan,
  ) {
    const first = source.log.findIndex((e) => (plan.inclusive ? e.globalPosition >= fromPosition : e.globalPosition > fromPosition));
    this.cursor = first < 0 ? source.log.length : first;
  }

  async next(max: number): Promise<StoredEvent[] | 'ended'> {
    for (;;) {
      if (this.closed) return 'ended';
      const limit = this.plan.deliver ?? Infinity;
      if (this.handedOut < limit && this.cursor < this.source.log.length) {
        const take = Math.min(max, limit - this.handedOut, this.source.log.length - this.cursor);
        const events = this.source.log.slice(this.cursor, this.cursor + take);
        this.cursor += take;
        this.handedOut += take;
        return events;
      }
      const then = this.plan.then ?? 'wait';
      if (this.handedOut >= limit && then !== 'wait') {
        if (then === 'end') return 'ended';
        throw then.fail;
      }
      await new Promise<void>((resolve) => {
        const stop = this.source.onAppend(() => {
          stop();
          resolve();
        });
        this.wakeOnClose = () => {
          stop();
          resolve();
        };
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeOnClose();
  }

  private wakeOnClose: () => void = () => undefined;
}
