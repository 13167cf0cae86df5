#!/usr/bin/env node
// Installs dependencies when node_modules is missing or was installed from another lockfile, so that
// `npm start` and `npm test` work as the first command on a fresh clone. The lockfile's hash is
// stamped into node_modules after an install (content, not mtime: a fresh clone has new mtimes).
const { execSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'node_modules', '.ledger-lockfile-sha256');
const lockHash = createHash('sha256')
  .update(readFileSync(path.join(root, 'package-lock.json')))
  .digest('hex');
const installed = existsSync(path.join(root, 'node_modules', '.package-lock.json'));
const stamped = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;

if (!installed || (stamped !== undefined && stamped !== lockHash)) {
  process.stderr.write('installing dependencies; better-sqlite3 compiles from source, ~2 minutes the first time\n');
  // `npm install`, not `npm ci`: the registry this machine reaches lacks some other platforms'
  // optional builds (e.g. @swc/core-darwin-arm64), which npm ci counts as a lockfile mismatch.
  // With the lockfile present, `npm install` installs exactly the locked versions.
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
if (stamped !== lockHash) writeFileSync(stamp, `${lockHash}\n`);
