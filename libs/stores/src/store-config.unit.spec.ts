import { describeStores, readStoreConfig, redact } from './store-config';

function configOf(env: Record<string, string>) {
  const problems: string[] = [];
  const config = readStoreConfig((name) => env[name], problems);
  return { config, problems };
}

describe('readStoreConfig: EVENT_STORE=postgres', () => {
  const url = 'postgres://ledger:secret@pg1:5432,pg2:5432/ledger?target_session_attrs=read-write';

  it('reads the ledger role address (both servers), the owner, schema and failover timeout', () => {
    const { config, problems } = configOf({
      EVENT_STORE: 'postgres',
      POSTGRES_URL: url,
      POSTGRES_ADMIN_URL: 'postgres://owner:pw@pg1:5432/ledger',
      POSTGRES_SCHEMA: 'agency_ledger',
      POSTGRES_FAILOVER_TIMEOUT_MS: '45000',
    });
    expect(problems).toEqual([]);
    expect(config.eventStore).toEqual({
      kind: 'postgres',
      connectionString: url,
      adminConnectionString: 'postgres://owner:pw@pg1:5432/ledger',
      schema: 'agency_ledger',
      failoverTimeoutMs: 45_000,
    });
    expect(config.warnings).toEqual([]);
    expect(describeStores(config)).toContain('events: postgres postgres://ledger:***@pg1:5432,pg2:5432/ledger');
    expect(describeStores(config)).not.toContain('secret');
  });

  it('accepts a comma-separated list of URLs, and defaults the schema, the owner and the timeout', () => {
    const list = 'postgres://ledger:a@pg1/ledger,postgres://ledger:a@pg2/ledger';
    expect(configOf({ EVENT_STORE: 'postgres', POSTGRES_URL: list }).config.eventStore).toEqual({
      kind: 'postgres',
      connectionString: list,
      adminConnectionString: undefined,
      schema: 'ledger',
      failoverTimeoutMs: 30_000,
    });
    expect(redact(list)).toBe('postgres://ledger:***@pg1/ledger,postgres://ledger:***@pg2/ledger');
  });

  it.each([
    [{}, 'POSTGRES_URL is required when EVENT_STORE=postgres'],
    [{ POSTGRES_URL: 'mysql://x/db' }, 'POSTGRES_URL: not a postgres:// connection string'],
    [{ POSTGRES_URL: 'postgres://pg1/ledger' }, "POSTGRES_URL must name the ledger's role"],
    [{ POSTGRES_URL: 'postgres://l:p@pg1,pg2/ledger?target_session_attrs=any' }, 'target_session_attrs=any is not supported'],
    [{ POSTGRES_URL: url, POSTGRES_ADMIN_URL: 'http://owner@x' }, 'POSTGRES_ADMIN_URL: not a postgres:// connection string'],
    [{ POSTGRES_URL: url, POSTGRES_SCHEMA: 'Ledger; DROP' }, 'POSTGRES_SCHEMA must be a lower-case SQL identifier'],
    [{ POSTGRES_URL: url, POSTGRES_FAILOVER_TIMEOUT_MS: '5' }, 'POSTGRES_FAILOVER_TIMEOUT_MS must be an integer 1000..600000'],
  ])('refuses %j by name, and falls back to no server', (env, problem) => {
    const { config, problems } = configOf({ EVENT_STORE: 'postgres', ...env });
    expect(problems).toEqual([expect.stringContaining(problem)]);
    expect(problems.join()).not.toContain('secret');
    expect(config.eventStore.kind).toBe('sqlite');
  });

  it('warns about PostgreSQL settings given while another event store is chosen', () => {
    expect(configOf({ POSTGRES_URL: url }).config.warnings).toEqual(['POSTGRES_URL is set but EVENT_STORE=sqlite: it is not used']);
    expect(configOf({ EVENT_STORE: 'postgres', POSTGRES_URL: url, EVENTSTORE_CONNECTION_STRING: 'esdb://x:2113' }).config.warnings).toEqual(
      ['EVENTSTORE_CONNECTION_STRING is set but EVENT_STORE=postgres: it is not used'],
    );
  });

  it('names postgres among the engines in the refusal of an unknown one', () => {
    expect(configOf({ EVENT_STORE: 'mysql' }).problems).toEqual([
      'EVENT_STORE must be "sqlite", "eventstoredb" or "postgres", got "mysql"',
    ]);
  });
});

describe('readStoreConfig: the embedded store’s writer', () => {
  it('runs the writer on a worker thread with a 2 ms group-commit window unless told otherwise', () => {
    expect(configOf({}).config.eventStore).toMatchObject({ kind: 'sqlite', writer: 'worker', groupCommitMaxDelayMs: 2 });
    const { config, problems } = configOf({ LEDGER_EVENT_STORE_WRITER: 'main', LEDGER_GROUP_COMMIT_MAX_DELAY_MS: '0' });
    expect(problems).toEqual([]);
    expect(config.eventStore).toMatchObject({ writer: 'main', groupCommitMaxDelayMs: 0 });
  });

  it('refuses another writer or a window outside 0..100 ms', () => {
    expect(configOf({ LEDGER_EVENT_STORE_WRITER: 'thread' }).problems).toEqual([expect.stringContaining('LEDGER_EVENT_STORE_WRITER')]);
    expect(configOf({ LEDGER_GROUP_COMMIT_MAX_DELAY_MS: '101' }).problems).toEqual([
      expect.stringContaining('LEDGER_GROUP_COMMIT_MAX_DELAY_MS'),
    ]);
    expect(configOf({ LEDGER_GROUP_COMMIT_MAX_DELAY_MS: '1.5' }).problems).toEqual([
      expect.stringContaining('LEDGER_GROUP_COMMIT_MAX_DELAY_MS'),
    ]);
  });
});
