import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A port nothing listens on now, chosen by the system. A random pick from a fixed range lies
 * inside Linux's ephemeral range (32768..60999), where the bench's own outgoing connections take
 * their ports: it collided with one in a CI run of the tests, which picked ports the same way.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/**
 * Starts the built ledger api as its own process (so the load generator does not share its core).
 * BENCH_SERVER_NODE_ARGS adds node flags to it, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 * `startTimeoutMs` (default 20 s) bounds the wait for /health: an api on a large store checks its
 * Merkle log before it listens, which takes longer. The pid is the api's own (for its RSS).
 */
export async function startLedger(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number } = {},
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const main = join(__dirname, '..', 'apps', 'ledger-api', 'src', 'main.js');
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_PORT: String(port), LEDGER_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ledger exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`ledger did not start in ${startTimeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('ledger has no pid');
  return {
    url,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        // A child that is gone already (killed from outside) would never emit 'exit' again: with
        // nothing else pending the bench would then end silently, its figures unprinted.
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts apps/projector on the same data directory (for the api with LEDGER_PROJECTOR=external). */
export async function startProjector(dataDir: string, env: Record<string, string> = {}): Promise<{ stop: () => Promise<void> }> {
  const main = join(__dirname, '..', 'apps', 'projector', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('following from position')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`projector exited with ${code}: ${output}`)));
  });
  child.stdout?.resume();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
