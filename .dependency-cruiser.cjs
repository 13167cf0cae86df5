// Package boundaries of the ledger, checked by `npm run lint:deps` (part of `npm test`) and proven to
// catch each kind of violation by test/boundaries.unit.spec.ts, which runs this file on sample trees.
// Paths are resolved relative to the working directory, so the same rules judge the repo and a sample.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * The only lib-to-lib imports there are, as the direction they must keep: the domain and the event
 * store are leaves, read models build on both, stores wires the two adapters' stores together.
 * A lib missing from this list may import no other lib (add it here, with its direction).
 */
const LIB_DEPENDS_ON = {
  appraisal: [],
  'event-store': [],
  'read-models': ['appraisal', 'event-store'],
  stores: ['event-store', 'read-models'],
  // logs, metrics, the operations port and traces: leaf packages only (pino, prom-client, OpenTelemetry)
  observability: [],
};

/**
 * test/ is the api's end-to-end suite and the system suite: it may use all of apps/ledger-api/src
 * (its testing/ helpers included). Of the other apps it may use only these public seams: each
 * app's configuration parser (checked against docker-compose.yml) and the auditor's commands
 * and event source (what the auditor CLI runs, driven in-process by the process e2e spec).
 */
const TEST_SEAMS_OF_OTHER_APPS = ['^apps/[^/]+/src/config\\.ts$', '^apps/auditor/src/(commands|source)\\.ts$'];

/** Files a package publishes under another path than its entry points, and documents as such. */
const DOCUMENTED_SUBPATHS = [
  // Ajv's documented import for JSON Schema draft 2020-12 (ajv has no exports map).
  '^node_modules/ajv/dist/2020\\.js$',
  // uPlot's stylesheet: published only as this file (no exports map; its demos link it), bundled into the console by Vite.
  '^node_modules/uplot/dist/uPlot\\.min\\.css$',
];

const SPEC_OR_TESTING = '(\\.spec\\.ts$|/testing/)';
/** What scripts/build.js compiles into dist/ (it leaves out specs and testing/, and test/ entirely). */
const BUILT = '^(apps|libs|scripts|bench|examples)/';
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every file that the packages in package.json publish as an entry point (main, types, exports). */
function packageEntryPoints() {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  return names.flatMap((name) => {
    const file = join('node_modules', name, 'package.json');
    if (!existsSync(file)) return [];
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const targets = [pkg.main ?? 'index.js', pkg.module, pkg.types, pkg.typings, ...exportTargets(pkg.exports)].filter(Boolean);
    return targets.map((target) => {
      const path = `node_modules/${name}/${target.replace(/^\.\//, '')}`;
      if (path.includes('*')) return `^${path.split('*').map(escape).join('.+')}$`;
      return `^${escape(path.replace(/\/$/, ''))}(\\.js|/index\\.js)?$`;
    });
  });
}

function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (!exportsField || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}

const libRules = Object.entries(LIB_DEPENDS_ON).map(([lib, allowed]) => ({
  name: `lib-direction-${lib}`,
  comment: `libs/${lib} may import only ${allowed.length ? allowed.map((l) => `libs/${l}`).join(', ') : 'itself'} (LIB_DEPENDS_ON)`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: { path: '^libs/', pathNot: `^libs/(${[lib, ...allowed].map(escape).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-itself',
      comment: 'libs/appraisal is pure TypeScript: no framework, driver, Kafka, other lib, app or node built-in',
      severity: 'error',
      from: { path: '^libs/appraisal/', pathNot: SPEC_OR_TESTING },
      to: { pathNot: '^libs/appraisal/' },
    },
    {
      name: 'domain-specs-no-runtime-packages',
      comment: "the domain's specs and testing/ may add node built-ins and dev tools (fast-check), never a runtime package",
      severity: 'error',
      from: { path: `^libs/appraisal/.*${SPEC_OR_TESTING}` },
      to: { pathNot: '^libs/appraisal/', dependencyTypesNot: ['core', 'npm-dev'] },
    },
    ...libRules,
    {
      name: 'lib-not-listed',
      comment: 'a lib outside LIB_DEPENDS_ON has no agreed direction yet: it may import no other lib',
      severity: 'error',
      from: { path: `^libs/(?!(${Object.keys(LIB_DEPENDS_ON).map(escape).join('|')})/)([^/]+)/` },
      to: { path: '^libs/', pathNot: '^libs/$2/' },
    },
    {
      name: 'libs-not-to-outside',
      comment: 'libs never import apps, test, bench, scripts or examples',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|test|bench|scripts|examples)/' },
    },
    {
      name: 'apps-not-to-other-apps',
      comment: "an app never imports another app's files (shared code belongs in a lib)",
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'apps-not-to-tools',
      comment: 'apps never import bench or scripts; only their specs may use test/support and the example consumer',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^(bench|scripts)/' },
    },
    {
      name: 'test-only-api-and-seams',
      comment: 'test/ reaches apps/ledger-api/src and, of the other apps, only TEST_SEAMS_OF_OTHER_APPS',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '^apps/', pathNot: ['^apps/ledger-api/src/', ...TEST_SEAMS_OF_OTHER_APPS] },
    },
    {
      name: 'bench-only-production-app-code',
      comment: 'bench measures the apps in-process through their production modules, never their specs or testing/',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: `^apps/.*${SPEC_OR_TESTING}` },
    },
    {
      name: 'scripts-only-api',
      comment: "scripts (demo, mint-token) are the api's tools: of the apps they use only apps/ledger-api/src",
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^apps/', pathNot: '^apps/ledger-api/src/' },
    },
    {
      name: 'examples-self-contained',
      comment: 'an example is what a third-party consumer writes: npm packages and itself, none of our code',
      severity: 'error',
      from: { path: '^examples/([^/]+)/' },
      to: { path: '^(apps|libs|test|bench|scripts|examples)/', pathNot: '^examples/$1/' },
    },
    {
      name: 'production-not-to-test-code',
      comment: 'the build leaves out specs, testing/ and test/: built code importing them breaks at run time',
      severity: 'error',
      from: { path: BUILT, pathNot: SPEC_OR_TESTING },
      to: { path: `(${SPEC_OR_TESTING}|^test/)` },
    },
    {
      name: 'production-not-to-dev-dependencies',
      comment:
        'the image prunes devDependencies (npm prune --omit=dev); bench is a dev tool and may use them, and apps/console is a browser bundle Vite builds before the prune',
      severity: 'error',
      from: { path: '^(apps|libs|scripts|examples)/', pathNot: [SPEC_OR_TESTING, '^apps/console/'] },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-deep-package-import',
      comment: 'import a package by its entry points (main, types, exports), never a file inside its dist/ or lib/',
      severity: 'error',
      from: { pathNot: '^libs/event-store/src/esdb/testing/server-records\\.ts$' },
      to: { path: '^node_modules/', pathNot: [...packageEntryPoints(), ...DOCUMENTED_SUBPATHS] },
    },
    {
      name: 'esdb-server-records-only-client-internals',
      comment: "this test helper decodes records with the client's own unexported convertGrpcEvent and protobuf classes",
      severity: 'error',
      from: { path: '^libs/event-store/src/esdb/testing/server-records\\.ts$' },
      to: { path: '^node_modules/', pathNot: ['^node_modules/@eventstore/db-client/', ...packageEntryPoints()] },
    },
    {
      name: 'not-to-build-output',
      comment: 'never import compiled output (dist/): it is stale or absent',
      severity: 'error',
      from: {},
      to: { path: '^dist/' },
    },
    {
      name: 'not-to-undeclared-package',
      comment: 'every package imported is declared in package.json (a transitive one can vanish on any install)',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'undetermined'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve is a typo or a missing file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      comment: 'modules form no cycle (types included): a cycle blurs which side owns the concept',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Only what the command line names is cruised; imports into node_modules or dist/ are seen, not followed.
    doNotFollow: { path: ['^node_modules/', '^dist/'] },
    // bench/peer is a package of its own (Emmett, for the peer comparison): its imports are its own package.json's.
    exclude: { path: '^bench/peer/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
