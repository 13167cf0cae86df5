import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm run lint:deps` passing on the repo proves nothing unless its rules can fail. This spec runs
 * the real .dependency-cruiser.cjs and tsconfig.json on a sample tree with the repo's layout: one
 * file per kind of violation (each must be flagged by exactly the rules named), files that use
 * every sanctioned exception (none may be flagged), and every rule of the config exercised.
 */
const REPO = resolve(__dirname, '..');
const DEPCRUISE = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Fake packages: name -> package.json. Each also gets dist/index.js, dist/sub.js and dist/internal.js. */
const PACKAGES: Record<string, object> = {
  '@nestjs/common': { main: './dist/index.js', exports: { '.': './dist/index.js', './sub': './dist/sub.js' } },
  'better-sqlite3': { main: 'dist/index.js' },
  'fast-check': { main: 'dist/index.js' },
  ajv: { main: 'dist/index.js' },
  'transitive-only': { main: 'dist/index.js' },
};
const MANIFEST = {
  name: 'sample',
  dependencies: { '@nestjs/common': '1', 'better-sqlite3': '1' },
  devDependencies: { 'fast-check': '1', ajv: '1' },
};

/** Files that break a rule, with every rule that must flag them. */
const VIOLATIONS: Record<string, { imports: string[]; rules: string[] }> = {
  'libs/appraisal/src/framework.ts': { imports: ['@nestjs/common'], rules: ['domain-imports-only-itself'] },
  'libs/appraisal/src/framework-types.ts': { imports: ['type:@nestjs/common'], rules: ['domain-imports-only-itself'] },
  'libs/appraisal/src/driver.ts': { imports: ['better-sqlite3'], rules: ['domain-imports-only-itself'] },
  'libs/appraisal/src/built-in.ts': { imports: ['node:fs'], rules: ['domain-imports-only-itself'] },
  'libs/appraisal/src/other-lib.ts': { imports: ['@ledger/event-store'], rules: ['domain-imports-only-itself', 'lib-direction-appraisal'] },
  'libs/appraisal/src/driver.unit.spec.ts': { imports: ['better-sqlite3'], rules: ['domain-specs-no-runtime-packages'] },
  'libs/event-store/src/upwards.ts': { imports: ['../../read-models/src/index'], rules: ['lib-direction-event-store'] },
  'libs/read-models/src/sideways.ts': { imports: ['../../stores/src/index'], rules: ['lib-direction-read-models'] },
  'libs/stores/src/domain.ts': { imports: ['@ledger/appraisal'], rules: ['lib-direction-stores'] },
  'libs/observability/src/upwards.ts': { imports: ['../../event-store/src/index'], rules: ['lib-direction-observability'] },
  'libs/newlib/src/index.ts': { imports: ['../../appraisal/src/index'], rules: ['lib-not-listed'] },
  'libs/read-models/src/app.ts': { imports: ['../../../apps/ledger-api/src/main'], rules: ['libs-not-to-outside'] },
  'apps/relay/src/other-app.ts': { imports: ['../../ledger-api/src/main'], rules: ['apps-not-to-other-apps'] },
  'apps/relay/src/other-app.int.spec.ts': { imports: ['../../ledger-api/src/main'], rules: ['apps-not-to-other-apps'] },
  'apps/relay/src/tool.ts': { imports: ['../../../bench/tool'], rules: ['apps-not-to-tools'] },
  'test/relay-internals.e2e.spec.ts': { imports: ['../apps/relay/src/main'], rules: ['test-only-api-and-seams'] },
  'bench/relay-testing.ts': {
    imports: ['../apps/relay/src/testing/collector'],
    rules: ['bench-only-production-app-code', 'production-not-to-test-code'],
  },
  'scripts/relay.ts': { imports: ['../apps/relay/src/main'], rules: ['scripts-only-api'] },
  'examples/consumer/src/internals.ts': { imports: ['../../../libs/event-store/src/index'], rules: ['examples-self-contained'] },
  'apps/ledger-api/src/uses-testing.ts': { imports: ['./testing/test-app'], rules: ['production-not-to-test-code'] },
  'apps/ledger-api/src/uses-spec.ts': { imports: ['./good.unit.spec'], rules: ['production-not-to-test-code'] },
  'apps/ledger-api/src/uses-test-dir.ts': { imports: ['../../../test/support/ledger'], rules: ['production-not-to-test-code'] },
  'apps/ledger-api/src/uses-dev-tool.ts': { imports: ['fast-check'], rules: ['production-not-to-dev-dependencies'] },
  'apps/ledger-api/src/deep.ts': { imports: ['better-sqlite3/dist/internal'], rules: ['no-deep-package-import'] },
  'test/deep.e2e.spec.ts': { imports: ['ajv/dist/internal'], rules: ['no-deep-package-import'] },
  'apps/ledger-api/src/deep-past-exports.ts': { imports: ['@nestjs/common/dist/internal'], rules: ['not-to-unresolvable'] },
  'apps/ledger-api/src/built.ts': { imports: ['../../../dist/apps/ledger-api/src/main'], rules: ['not-to-build-output'] },
  // An undeclared package has no known entry points either, so both rules flag it.
  'apps/ledger-api/src/undeclared.ts': { imports: ['transitive-only'], rules: ['not-to-undeclared-package', 'no-deep-package-import'] },
  'apps/ledger-api/src/typo.ts': { imports: ['./no-such-file'], rules: ['not-to-unresolvable'] },
  'apps/ledger-api/src/cycle-a.ts': { imports: ['./cycle-b'], rules: ['no-circular'] },
  'apps/ledger-api/src/cycle-b.ts': { imports: ['type:./cycle-a'], rules: ['no-circular'] },
  'libs/event-store/src/esdb/testing/server-records.ts': {
    imports: ['better-sqlite3/dist/internal'],
    rules: ['esdb-server-records-only-client-internals'],
  },
};

/** Files that use each sanctioned path: none may be flagged. */
const ALLOWED: Record<string, string[]> = {
  'libs/appraisal/src/index.ts': ['./rules/predicate'],
  'libs/appraisal/src/rules/predicate.ts': [],
  'libs/appraisal/src/testing/given.ts': ['../index'],
  'libs/appraisal/src/predicate.unit.spec.ts': ['node:path', 'fast-check', './testing/given', './index'],
  'libs/event-store/src/index.ts': ['node:crypto', 'better-sqlite3'],
  'libs/event-store/src/testing/index.ts': ['../index'],
  'libs/read-models/src/index.ts': ['@ledger/appraisal', '@ledger/event-store'],
  'libs/read-models/src/store.int.spec.ts': ['@ledger/event-store/testing', './index'],
  'libs/stores/src/index.ts': ['@ledger/event-store', '@ledger/read-models'],
  'apps/ledger-api/src/main.ts': ['@ledger/stores', '@nestjs/common', '@nestjs/common/sub', 'type:./good'],
  'apps/ledger-api/src/good.ts': [],
  'apps/ledger-api/src/good.unit.spec.ts': ['./testing/test-app', 'fast-check', '../../../test/support/ledger'],
  'apps/ledger-api/src/testing/test-app.ts': ['../main'],
  'apps/relay/src/main.ts': ['@ledger/stores', './config'],
  'apps/relay/src/config.ts': [],
  'apps/relay/src/testing/collector.ts': ['../main'],
  'apps/relay/src/relay.int.spec.ts': ['./testing/collector', '../../../test/support/ledger', '../../../examples/consumer/src/consumer'],
  'apps/auditor/src/commands.ts': ['./source'],
  'apps/auditor/src/source.ts': ['@ledger/event-store'],
  'apps/auditor/src/config.ts': [],
  'test/support/ledger.ts': ['../../apps/ledger-api/src/testing/test-app', '../../apps/ledger-api/src/main'],
  'test/system.e2e.spec.ts': ['../apps/relay/src/config', '../apps/auditor/src/config', '../apps/auditor/src/commands', 'ajv/dist/2020'],
  'bench/tool.ts': ['../apps/relay/src/main', 'fast-check'],
  'scripts/token.ts': ['../apps/ledger-api/src/main', '@ledger/appraisal'],
  'examples/consumer/src/consumer.ts': ['./tally', 'better-sqlite3'],
  'examples/consumer/src/tally.ts': [],
};

function source(imports: string[]): string {
  const lines = imports.map((spec, i) =>
    spec.startsWith('type:') ? `import type * as t${i} from '${spec.slice(5)}';` : `import * as m${i} from '${spec}';`,
  );
  return [...lines, `export const used = [${imports.map((s, i) => (s.startsWith('type:') ? 'null' : `m${i}`)).join(', ')}];`, ''].join(
    '\n',
  );
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  /** For a cycle: every module on it (one violation is reported per cycle). */
  cycle?: { name: string }[];
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let root: string;
  let flagged: Map<string, Set<string>>;
  let ruleNames: string[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-boundaries-'));
    copyFileSync(join(REPO, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
    copyFileSync(join(REPO, 'tsconfig.json'), join(root, 'tsconfig.json'));
    write(root, 'package.json', JSON.stringify(MANIFEST));
    for (const [name, manifest] of Object.entries(PACKAGES)) {
      write(root, `node_modules/${name}/package.json`, JSON.stringify({ name, ...manifest }));
      for (const file of ['index', 'sub', 'internal', '2020'])
        write(root, `node_modules/${name}/dist/${file}.js`, 'module.exports = {};\n');
    }
    write(root, 'dist/apps/ledger-api/src/main.js', 'module.exports = {};\n');
    for (const [path, { imports }] of Object.entries(VIOLATIONS)) write(root, path, source(imports));
    for (const [path, imports] of Object.entries(ALLOWED)) write(root, path, source(imports));
    write(root, 'test/support/ledger.ts', source(ALLOWED['test/support/ledger.ts']));

    const run = spawnSync(
      process.execPath,
      [DEPCRUISE, 'apps', 'libs', 'test', 'bench', 'scripts', 'examples', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: root, encoding: 'utf8' },
    );
    if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
    const result = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
    flagged = new Map();
    for (const v of result.summary.violations) {
      for (const path of new Set([v.from, ...(v.cycle ?? []).map((m) => m.name)])) {
        flagged.set(path, (flagged.get(path) ?? new Set()).add(v.rule.name));
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS by dependency-cruiser's convention
    ruleNames = (require(join(root, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] }).forbidden.map((r) => r.name);
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(Object.entries(VIOLATIONS))('flags %s', (path, { rules }) => {
    expect([...(flagged.get(path) ?? [])].sort()).toEqual([...rules].sort());
  });

  it('flags nothing that uses a sanctioned path', () => {
    const wrongly = Object.keys(ALLOWED).filter((path) => flagged.has(path));
    expect(wrongly.map((path) => `${path}: ${[...(flagged.get(path) ?? [])].join(', ')}`)).toEqual([]);
  });

  it('flags only the sample files (no stray finding)', () => {
    expect([...flagged.keys()].filter((path) => !(path in VIOLATIONS))).toEqual([]);
  });

  it('exercises every rule of the config', () => {
    const exercised = new Set(Object.values(VIOLATIONS).flatMap((v) => v.rules));
    expect(ruleNames.filter((name) => !exercised.has(name))).toEqual([]);
  });
});
