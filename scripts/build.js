#!/usr/bin/env node
// Compiles apps, libs, scripts, bench and examples to CommonJS in dist/ with SWC (path aliases rewritten).
// Type checking is separate: `npm run typecheck`.
const { execFileSync } = require('node:child_process');
const { existsSync, rmSync } = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const swc = path.join(root, 'node_modules', '.bin', 'swc');
const sources = ['apps', 'libs', 'scripts', 'bench', 'examples'].filter((dir) => existsSync(path.join(root, dir)));
execFileSync(swc, [...sources, '-d', 'dist', '--quiet', '--ignore', '**/*.spec.ts,**/testing/**'], { cwd: root, stdio: 'inherit' });
