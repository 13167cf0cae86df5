import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');

/**
 * Compiles this library with SWC into `outDir` (as the production build does) for child processes,
 * which cannot use Jest's transform; returns the compiled index to hand them.
 */
export function compileEventStoreForChildren(outDir: string): string {
  execFileSync(
    join(root, 'node_modules/.bin/swc'),
    ['libs/event-store/src', '-d', outDir, '--ignore', '**/*.spec.ts,**/testing/**', '--quiet'],
    {
      cwd: root,
    },
  );
  return join(outDir, 'libs/event-store/src/index.js');
}

export interface TestChild {
  process: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Runs one of this folder's plain-JS child scripts, calling `onLine` for each whole line it prints. */
export function spawnTestChild(script: string, args: string[], onLine: (line: string) => void): TestChild {
  const child = spawn(process.execPath, [join(__dirname, script), ...args], {
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { process: child, exited, stderr: () => stderr };
}
