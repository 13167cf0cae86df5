import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The apps as their own processes, compiled with SWC as `npm start` compiles them. */
export const root = resolve(__dirname, '..', '..');

export function buildApps(outDir: string): void {
  execFileSync(
    join(root, 'node_modules', '.bin', 'swc'),
    ['apps', 'libs', '-d', outDir, '--quiet', '--ignore', '**/*.spec.ts,**/testing/**'],
    { cwd: root },
  );
}

export interface AppProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts `<built>/apps/<app>/src/main.js` with `env` on top of a clean environment (PATH, HOME and
 * NODE_PATH only, so the server addresses of the test run do not leak in). Resolves once a line
 * of output matches `ready`; rejects with the whole output if the process exits first.
 */
export function startApp(built: string, app: string, env: Record<string, string>, ready: RegExp, args: string[] = []): Promise<AppProcess> {
  const child = spawn(process.execPath, [join(built, 'apps', app, 'src', 'main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_PATH: join(root, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const proc: AppProcess = {
    child,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolveReady(proc);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${app} exited with ${code} before it was ready:\n${output}`)));
  });
}

/** Runs an app to its exit (for start-up failures): exit code and everything it printed. */
export async function runToExit(
  built: string,
  app: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(built, 'apps', app, 'src', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_PATH: join(root, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, output };
}

/**
 * A port nothing listens on now, chosen by the system (a random pick in 41000..49000 lies inside
 * Linux's ephemeral range and collided with an outgoing connection's port in a CI run). For a
 * server that must be started on a known port; the api itself is best started with LEDGER_PORT=0
 * and its address read from its output (`startApi`).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/**
 * Starts the api on a port the system chooses (LEDGER_PORT=0) and resolves once it listens, with
 * the address it printed (`listening on http://127.0.0.1:<port>`).
 */
export async function startApi(built: string, env: Record<string, string>): Promise<AppProcess & { base: string }> {
  const proc = await startApp(built, 'ledger-api', { ...env, LEDGER_PORT: '0' }, /listening on http:\/\/\S+:\d+ /);
  const match = /listening on (http:\/\/\S+:\d+) /.exec(proc.output());
  if (match === null) throw new Error(`no address in the api's output:\n${proc.output()}`);
  return { ...proc, base: match[1] };
}
