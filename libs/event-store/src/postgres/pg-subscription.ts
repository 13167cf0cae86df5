import { Client, type ClientConfig } from 'pg';

const MAX_RETRY_DELAY_MS = 2_000;

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
