import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../../../test/infra/postgres.sh');

/** A port nobody listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * PostgreSQL servers of a test's own, through test/infra/postgres.sh (a primary, its streaming
 * replicas, promote, SIGKILL), under one temporary directory that stop() removes. Every step has
 * a deadline, so a server that hangs fails the test instead of holding it.
 */
export class PgTestServers {
  readonly root = mkdtempSync(join(tmpdir(), 'ledger-pg-'));
  private readonly started = new Set<string>();

  constructor() {
    // The servers run as a non-root account when the tests run as root: it must reach its dirs.
    chmodSync(this.root, 0o755);
  }

  static ledgerUrl(...ports: number[]): string {
    return `postgres://ledger:ledger@${ports.map((port) => `127.0.0.1:${port}`).join(',')}/ledger?target_session_attrs=read-write`;
  }

  static adminUrl(port: number): string {
    return `postgres://ledger_admin:admin@127.0.0.1:${port}/ledger`;
  }

  async startPrimary(name: string, port: number, options: { syncStandby?: boolean } = {}): Promise<void> {
    await this.script(['start', this.dir(name), String(port)], { POSTGRES_SYNC_STANDBY: options.syncStandby ? '1' : '0' });
    this.started.add(name);
  }

  async startReplica(name: string, port: number, primaryPort: number): Promise<void> {
    await this.script(['start-replica', this.dir(name), String(port), String(primaryPort)]);
    this.started.add(name);
  }

  promote(name: string): Promise<void> {
    return this.script(['promote', this.dir(name)]);
  }

  kill(name: string): Promise<void> {
    return this.script(['kill', this.dir(name)]);
  }

  stop(name: string): Promise<void> {
    return this.script(['stop', this.dir(name)]);
  }

  /** Stops every server it started (whatever state it is in), then removes their files. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.started].map((name) => this.stop(name).catch(() => undefined)));
    rmSync(this.root, { recursive: true, force: true });
  }

  private dir(name: string): string {
    return join(this.root, name);
  }

  private async script(args: string[], env: Record<string, string> = {}): Promise<void> {
    try {
      await run('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`postgres.sh ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, { cause: error });
    }
  }
}
