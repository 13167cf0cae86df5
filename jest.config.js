// Test levels live in the file name: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts.
// NestJS 12 and jose ship ES modules only (and @fastify/static's content-disposition); they are transformed to CommonJS like our own code.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|jose|uid|file-type|strtok3|token-types|peek-readable|@tokenizer|path-to-regexp|@fastify/static/node_modules/content-disposition|content-disposition)/)',
  ],
  moduleNameMapper: {
    '^@ledger/appraisal$': '<rootDir>/libs/appraisal/src/index.ts',
    '^@ledger/event-store$': '<rootDir>/libs/event-store/src/index.ts',
    '^@ledger/event-store/testing$': '<rootDir>/libs/event-store/src/testing/index.ts',
    '^@ledger/read-models$': '<rootDir>/libs/read-models/src/index.ts',
    '^@ledger/read-models/testing$': '<rootDir>/libs/read-models/src/testing/index.ts',
    '^@ledger/stores$': '<rootDir>/libs/stores/src/index.ts',
    '^@ledger/observability$': '<rootDir>/libs/observability/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    // Integration and end-to-end cases talk to real servers and child processes on a 2-core
    // machine that runs them in parallel: under that load a case's durable appends can take
    // several times what they take alone, so their default bound is 30 s, not Jest's 5 s (cases
    // failed CI on the 5 s default with nothing wrong). A case that needs more still says so.
    { ...base, displayName: 'int', testMatch: ['<rootDir>/**/*.int.spec.ts'], testTimeout: 30_000 },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'], testTimeout: 30_000 },
  ],
};
