#!/usr/bin/env node
// Compiles apps, libs, scripts, bench and examples to CommonJS in dist/ with SWC (path aliases rewritten),
// and builds the console with Vite into dist/console.
// Type checking is separate: `npm run typecheck`.
const { execFileSync } = require('node:child_process');
const { existsSync, rmSync } = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const swc = path.join(root, 'node_modules', '.bin', 'swc');
const sources = ['apps', 'libs', 'scripts', 'bench', 'examples'].filter((dir) => existsSync(path.join(root, dir)));
// apps/console is a browser bundle: Vite builds it below, SWC leaves it out. bench/peer is a package
// of its own (Emmett, for the peer comparison): bench/peer.ts installs and compiles it with its own tsc.
execFileSync(swc, [...sources, '-d', 'dist', '--quiet', '--ignore', '**/*.spec.ts,**/testing/**,apps/console/**,bench/peer/**'], {
  cwd: root,
  stdio: 'inherit',
});
// The console (Preact + htm + uPlot): static files into dist/console, which the api serves at /console.
const vite = path.join(root, 'node_modules', '.bin', 'vite');
execFileSync(vite, ['build', '--config', path.join(root, 'apps', 'console', 'vite.config.mjs')], { cwd: root, stdio: 'inherit' });
