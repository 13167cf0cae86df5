import type { ReadStore } from './port';
import { PositionWaiters } from './position-waiters';

/** What a reader needs to know about the read models' progress: the Projector has it, and so does this. */
export interface ProjectionProgress {
  position(): number;
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
}

export interface CheckpointWatcherOptions {
  readStore: ReadStore;
  /** The projector's checkpoint name (Projector's default: read-models). */
  name?: string;
  pollIntervalMs?: number;
  logger?: (message: string) => void;
}

/**
 * Progress of a projector that runs in another process (apps/projector): polls its checkpoint in
 * the shared read store. A read-your-writes wait therefore costs up to one poll interval more
 * than with the in-process projector.
 */
export class CheckpointWatcher implements ProjectionProgress {
  private readonly waiters = new PositionWaiters();
  private current = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private failing = false;

  constructor(private readonly options: CheckpointWatcherOptions) {}

  async start(): Promise<void> {
    if (this.timer !== undefined) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 20);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  position(): number {
    return this.current;
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.current, position, timeoutMs);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const position = await this.options.readStore.getCheckpoint(this.options.name ?? 'read-models');
      if (this.failing) this.options.logger?.('checkpoint readable again');
      this.failing = false;
      // A rebuild in the projector restarts its checkpoint from 0: follow it down as well.
      this.current = position;
      this.waiters.reached(position);
    } catch (error) {
      // Keep the last known position; log once per outage, not once per poll.
      if (!this.failing)
        this.options.logger?.(`cannot read the projector checkpoint: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }
}
