import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Open feed streams. A feed never ends by itself, so Nest's HTTP server could not close while one
 * is open; they are ended before the server closes (clients reconnect with Last-Event-ID).
 */
@Injectable()
export class FeedConnections implements BeforeApplicationShutdown {
  private readonly open = new Set<() => Promise<void>>();
  private closing = false;

  /** Registers a stream's close function; false when the app is already shutting down. */
  add(close: () => Promise<void>): boolean {
    if (this.closing) return false;
    this.open.add(close);
    return true;
  }

  remove(close: () => Promise<void>): void {
    this.open.delete(close);
  }

  count(): number {
    return this.open.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.open].map((close) => close()));
    this.open.clear();
  }
}
