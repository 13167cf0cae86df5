import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
let built: string | undefined;

/**
 * Builds the console (the same Vite config as scripts/build.js) into a directory of this test
 * process's own, and points the api at it (LEDGER_CONSOLE_DIR): a concurrent `npm run build`
 * empties dist/, which must not pull the pages from under a running browser test.
 */
export function buildConsoleForTests(): string {
  if (built !== undefined && existsSync(join(built, 'index.html'))) return built;
  const outDir = mkdtempSync(join(tmpdir(), 'ledger-console-'));
  const vite = join(root, 'node_modules', '.bin', 'vite');
  execFileSync(vite, ['build', '--config', join(root, 'apps', 'console', 'vite.config.mjs'), '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.LEDGER_CONSOLE_DIR = outDir;
  built = outDir;
  return outDir;
}
