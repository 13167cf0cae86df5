import * as path from 'node:path';
import { DEFAULT_POLICY } from '@ledger/appraisal';
import { ConfigError, DEFAULT_HTTP_STACK, loadConfig } from './config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      stores: {
        dataDir: path.resolve('./data'),
        eventStore: {
          kind: 'sqlite',
          path: path.resolve('./data/events.sqlite'),
          synchronous: 'FULL',
          pollIntervalMs: 100,
          writer: 'worker',
          groupCommitMaxDelayMs: 2,
        },
        readStore: { kind: 'sqlite', path: path.resolve('./data/read-models.sqlite') },
        warnings: [],
      },
      projector: 'in-process',
      http: 'fastify',
      bodyLimit: '64kb',
      bodyLimitBytes: 65536,
      auth: { mode: 'local' },
      policy: DEFAULT_POLICY,
      log: { keyFile: undefined, origin: undefined, adoptExisting: false, witnesses: [], quorum: 0, witnessIntervalMs: 1000 },
      logging: { level: 'info', format: process.stdout.isTTY ? 'pretty' : 'json' },
      ops: { metricsPort: undefined, metricsHost: '127.0.0.1', readyMaxLag: 1000 },
    });
  });

  it('reads the operations settings (logs, metrics port, readiness) and refuses bad ones together', () => {
    const config = loadConfig({
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      LEDGER_METRICS_PORT: '9464',
      LEDGER_METRICS_HOST: '0.0.0.0',
      LEDGER_READY_MAX_LAG: '50',
    });
    expect(config.logging).toEqual({ level: 'debug', format: 'pretty' });
    expect(config.ops).toEqual({ metricsPort: 9464, metricsHost: '0.0.0.0', readyMaxLag: 50 });
    expect(() => loadConfig({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', LEDGER_METRICS_PORT: '70000', LEDGER_READY_MAX_LAG: '-1' })).toThrow(
      /LOG_LEVEL must be one of[\s\S]*LOG_FORMAT must be json or pretty[\s\S]*LEDGER_METRICS_PORT must be an integer 0..65535[\s\S]*LEDGER_READY_MAX_LAG must be an integer/,
    );
  });

  it('reads the Merkle log settings: key file, origin, adoption, witnesses and their quorum', () => {
    const vkey = 'witness.example/w1+ab633b69+BAEG3a5hNBBa+NFFoW/l5jU3HuMJnRPJlAbh7TUp+GPu';
    const config = loadConfig({
      LEDGER_LOG_KEY_FILE: '/etc/ledger/log.key',
      LEDGER_LOG_ORIGIN: 'ledger.example.go.id/2026',
      LEDGER_LOG_ADOPT_EXISTING: 'true',
      LEDGER_WITNESSES: `http://127.0.0.1:7380/ ${vkey}, https://w2.example ${vkey.replace('w1', 'w2')}`,
      LEDGER_WITNESS_QUORUM: '1',
      LEDGER_WITNESS_INTERVAL_MS: '250',
    });
    expect(config.log).toEqual({
      keyFile: '/etc/ledger/log.key',
      origin: 'ledger.example.go.id/2026',
      adoptExisting: true,
      witnesses: [
        { url: 'http://127.0.0.1:7380', key: vkey },
        { url: 'https://w2.example', key: vkey.replace('w1', 'w2') },
      ],
      quorum: 1,
      witnessIntervalMs: 250,
    });
    expect(loadConfig({ LEDGER_WITNESSES: `http://w ${vkey}` }).log.quorum).toBe(1);
  });

  it('refuses bad log settings, each named', () => {
    const problems = problemsOf({
      LEDGER_LOG_ORIGIN: 'has space',
      LEDGER_LOG_ADOPT_EXISTING: 'yes',
      LEDGER_WITNESSES: 'ftp://x key',
      LEDGER_WITNESS_QUORUM: '2',
      LEDGER_WITNESS_INTERVAL_MS: '5',
    });
    expect(problems).toEqual([
      expect.stringContaining('LEDGER_LOG_ORIGIN'),
      expect.stringContaining('LEDGER_LOG_ADOPT_EXISTING'),
      expect.stringContaining('LEDGER_WITNESSES'),
      expect.stringContaining('LEDGER_WITNESS_QUORUM'),
      expect.stringContaining('LEDGER_WITNESS_INTERVAL_MS'),
    ]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      LEDGER_PORT: '8080',
      LEDGER_HOST: '0.0.0.0',
      LEDGER_DATA_DIR: '/tmp/ledger',
      LEDGER_BODY_LIMIT: '1MB',
      LEDGER_EVENT_STORE_SYNC: 'NORMAL',
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.example.go.id',
      OIDC_JWKS_URI: 'https://id.example.go.id/jwks',
      OIDC_AUDIENCE: 'ledger',
      LEDGER_TIME_ZONE: 'Asia/Makassar',
      LEDGER_PLAN_DEADLINE: '02-15',
      LEDGER_OBJECTION_DECISION_DAYS: '21',
      LEDGER_PERIODS: 'TRIWULAN_II, TAHUNAN',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/tmp/ledger',
      bodyLimitBytes: 1024 * 1024,
      stores: { eventStore: { kind: 'sqlite', path: '/tmp/ledger/events.sqlite', synchronous: 'NORMAL' } },
      auth: { mode: 'oidc', issuer: 'https://id.example.go.id', jwksUri: 'https://id.example.go.id/jwks', audience: 'ledger' },
      policy: {
        timeZone: 'Asia/Makassar',
        planDeadlineMonthDay: '02-15',
        objectionDecisionDays: 21,
        objectionWindowDays: 14,
        periods: ['TRIWULAN_II', 'TAHUNAN'],
      },
    });
  });

  it('refuses unknown engines and a chosen server without its address, loudly and by name', () => {
    expect(problemsOf({ EVENT_STORE: 'eventstoredb' })).toEqual([expect.stringContaining('EVENTSTORE_CONNECTION_STRING is required')]);
    expect(problemsOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://x' })).toEqual([
      expect.stringContaining('esdb://'),
    ]);
    expect(problemsOf({ EVENT_STORE: 'postgres' })).toEqual([expect.stringContaining('POSTGRES_URL is required')]);
    expect(problemsOf({ EVENT_STORE: 'mysql' })).toEqual([
      expect.stringContaining('EVENT_STORE must be "sqlite", "eventstoredb" or "postgres"'),
    ]);
    expect(problemsOf({ READ_STORE: 'mongodb' })).toEqual([expect.stringContaining('MONGODB_URI is required')]);
    expect(problemsOf({ READ_STORE: 'mongodb', MONGODB_URI: 'postgres://x' })).toEqual([expect.stringContaining('mongodb:// URI')]);
    expect(problemsOf({ READ_STORE: 'redis' })).toEqual([expect.stringContaining('READ_STORE must be "sqlite" or "mongodb"')]);
    expect(problemsOf({ LEDGER_PROJECTOR: 'elsewhere' })).toEqual([expect.stringContaining('LEDGER_PROJECTOR')]);
    expect(problemsOf({ LEDGER_HTTP: 'koa' })).toEqual([expect.stringContaining('LEDGER_HTTP must be "express" or "fastify"')]);
    expect(loadConfig({ LEDGER_HTTP: 'fastify' }).http).toBe('fastify');
    expect(loadConfig({}).http).toBe(DEFAULT_HTTP_STACK);
    expect(problemsOf({ LEDGER_EVENT_STORE_POLL_MS: '2' })).toEqual([expect.stringContaining('LEDGER_EVENT_STORE_POLL_MS')]);
    expect(problemsOf({ LEDGER_EVENT_STORE_POLL_MS: '100.0' })).toEqual([expect.stringContaining('LEDGER_EVENT_STORE_POLL_MS')]);
    expect(loadConfig({ LEDGER_EVENT_STORE_POLL_MS: '20' }).stores.eventStore).toMatchObject({ kind: 'sqlite', pollIntervalMs: 20 });
  });

  it('reads the distributed setup, and never prints a password', () => {
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@kurrentdb:2113?tls=false',
      READ_STORE: 'mongodb',
      MONGODB_URI: 'mongodb://mongo:27017/',
      MONGODB_DATABASE: 'ledger',
      LEDGER_PROJECTOR: 'external',
    });
    expect(config).toMatchObject({
      projector: 'external',
      stores: {
        eventStore: { kind: 'eventstoredb', connectionString: 'esdb://admin:changeit@kurrentdb:2113?tls=false' },
        readStore: { kind: 'mongodb', uri: 'mongodb://mongo:27017/', database: 'ledger' },
        warnings: [],
      },
    });
    expect(problemsOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'tcp://admin:secret@x' }).join()).not.toContain(
      'secret',
    );
  });

  it('warns about a server address that has no effect because its engine is not chosen', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1/', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1' });
    expect(config.stores.readStore.kind).toBe('sqlite');
    expect(config.stores.warnings).toEqual([
      expect.stringContaining('EVENTSTORE_CONNECTION_STRING is set but EVENT_STORE=sqlite'),
      expect.stringContaining('MONGODB_URI is set but READ_STORE=sqlite'),
    ]);
  });

  it('requires the three OIDC settings in oidc mode', () => {
    expect(problemsOf({ AUTH_MODE: 'oidc' })).toEqual([
      expect.stringContaining('OIDC_ISSUER'),
      expect.stringContaining('OIDC_JWKS_URI'),
      expect.stringContaining('OIDC_AUDIENCE'),
    ]);
    expect(problemsOf({ AUTH_MODE: 'saml' })).toEqual([expect.stringContaining('AUTH_MODE')]);
  });

  it.each([
    ['LEDGER_PORT', '70000'],
    ['LEDGER_PORT', 'abc'],
    ['LEDGER_BODY_LIMIT', '64 kilobytes'],
    ['LEDGER_BODY_LIMIT', '11mb'],
    ['LEDGER_TIME_ZONE', 'Mars/Olympus'],
    ['LEDGER_PLAN_DEADLINE', '02-29'],
    ['LEDGER_PLAN_DEADLINE', '1-31'],
    ['LEDGER_OBJECTION_DECISION_DAYS', '0'],
    ['LEDGER_PERIODS', 'TRIWULAN_V'],
    ['LEDGER_PERIODS', 'TAHUNAN,TAHUNAN'],
  ])('names %s in the error for "%s"', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringContaining(name)]);
  });

  it('reports every bad value at once', () => {
    const error = (() => {
      try {
        loadConfig({ LEDGER_PORT: '-1', LEDGER_EVENT_STORE_SYNC: 'OFF', LEDGER_PERIODS: 'X' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/LEDGER_PORT[\s\S]*LEDGER_EVENT_STORE_SYNC[\s\S]*LEDGER_PERIODS/);
  });
});
