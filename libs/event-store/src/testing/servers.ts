/**
 * Tests against real servers (Kafka, a MongoDB-wire server, EventStoreDB, a C2SP witness) find them through the
 * environment. In CI (`CI=true`) or when LEDGER_REQUIRE_SERVERS names a server, a missing address
 * fails the run; on a developer's machine the suite is skipped, and its title says which variable
 * to set (test/summary-reporter.js lists every skipped suite with its reason).
 */
export type ServerKind = 'kafka' | 'mongodb' | 'eventstoredb' | 'witness' | 'postgres';

const VARIABLE: Record<ServerKind, string> = {
  kafka: 'KAFKA_BROKERS',
  mongodb: 'MONGODB_URI',
  eventstoredb: 'EVENTSTORE_CONNECTION_STRING',
  witness: 'LEDGER_WITNESS_URL',
  postgres: 'POSTGRES_URL',
};

/** How to get one. */
const HINT: Record<ServerKind, string> = {
  kafka: 'e.g. via test/infra/up.sh',
  mongodb: 'e.g. via test/infra/up.sh',
  eventstoredb: "e.g. 'esdb://127.0.0.1:2113?tls=false' for a KurrentDB started with docker compose up kurrentdb",
  witness: 'e.g. via test/infra/up.sh',
  postgres: 'e.g. via test/infra/up.sh (with POSTGRES_ADMIN_URL, the schema owner)',
};

/** EventStoreDB cannot be provisioned on the CI machine, so CI alone does not require it. */
const REQUIRED_IN_CI: readonly ServerKind[] = ['kafka', 'mongodb', 'witness', 'postgres'];

export function serverAddress(kind: ServerKind): string | undefined {
  const value = process.env[VARIABLE[kind]]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function serverRequired(kind: ServerKind): boolean {
  const listed = (process.env.LEDGER_REQUIRE_SERVERS ?? '').split(',').map((s) => s.trim());
  return listed.includes(kind) || (process.env.CI === 'true' && REQUIRED_IN_CI.includes(kind));
}

/**
 * describe() with the server's address, or a skipped suite naming the variable to set, or (when
 * the server is required) a failing test saying it is missing.
 */
export function describeWithServer(kind: ServerKind, title: string, body: (address: string) => void): void {
  const address = serverAddress(kind);
  if (address !== undefined) {
    describe(`${title} [${kind} at ${address}]`, () => body(address));
    return;
  }
  const variable = VARIABLE[kind];
  if (serverRequired(kind)) {
    describe(title, () => {
      it(`needs a ${kind} server: ${variable} is not set (run test/infra/up.sh)`, () => {
        throw new Error(`${variable} is not set, and ${kind} is required here (CI=true or LEDGER_REQUIRE_SERVERS)`);
      });
    });
    return;
  }
  describe.skip(`${title} (skipped: no ${kind} server; set ${variable}, ${HINT[kind]})`, () => {
    // The body still registers its tests, so the skipped count says how much did not run.
    body('unset');
  });
}
