/**
 * `npm run bench`: every figure in one run, side by side, with ratios (this machine is noisy;
 * ratios between figures taken minutes apart are more telling than any absolute number).
 *   BENCH_APPRAISALS (HTTP seed, default 300), BENCH_SECONDS (per HTTP workload, default 10),
 *   BENCH_CONNECTIONS (default 10), BENCH_REBUILD_APPRAISALS (× 20 events, default 10000).
 * With MONGODB_URI the rebuild is also measured into the MongoDB-wire store; with KAFKA_BROKERS the
 * relay's throughput and lag are measured (BENCH_RELAY_EVENTS, BENCH_RELAY_RATE, BENCH_RELAY_SECONDS).
 * `eval "$(test/infra/up.sh)"` first gives both on loopback. With POSTGRES_URL and POSTGRES_ADMIN_URL
 * (e.g. from `test/infra/postgres.sh start <dir> <port>`), the HTTP commands and the rebuild are
 * also measured on a PostgreSQL event store, beside the embedded store's in the same run.
 * The Merkle log's figures (bench/log.ts): LEDGER_BENCH_LOG_EVENTS (export and proof store, default 1,000,000).
 */
import { cpus } from 'node:os';
import { measureHttp } from './http-commands';
import { logOptionsFromEnv, measureLog, printLogFigures } from './log';
import { measureRebuild, printRebuildFigures } from './rebuild';
import { measureRelay, printRelayFigures } from './relay';
import { measureCeiling } from './sqlite-ceiling';

const int = (name: string, fallback: number) => Number.parseInt(process.env[name] ?? '', 10) || fallback;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (label: string, value: string, note = '', width = 44) =>
  process.stdout.write(`${label.padEnd(width)} ${value.padStart(14)}  ${note}\n`);
/** The HTTP section's labels are longer (store, durability, where the projector runs). */
const HTTP_WIDTH = 56;

async function main(): Promise<void> {
  process.stdout.write(`appraisal-ledger bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n\n`);
  const ceiling = measureCeiling();
  line('ceiling: raw SQLite durable commits/s', fmt(ceiling.durableCommitsPerSec), '(WAL, synchronous=FULL, 1 row per transaction)');
  line('ceiling: raw SQLite bulk inserts/s', fmt(ceiling.bulkInsertsPerSec), '(10,000 rows per transaction)');

  const connections = int('BENCH_CONNECTIONS', 10);
  const http = await measureHttp(int('BENCH_APPRAISALS', 300), int('BENCH_SECONDS', 10), connections);
  process.stdout.write(`\nHTTP commands (${connections} connections, ~20-event streams, api in its own process):\n`);
  process.stdout.write('  Merkle log: on the embedded store each append signs its checkpoint in the append transaction;\n');
  process.stdout.write('  on PostgreSQL a LogFollower in the api signs one per delivered batch into <data dir>/merkle-log.sqlite.\n');
  if ('server' in http.postgres) process.stdout.write(`  ${http.postgres.server}\n`);
  for (const h of http.figures) {
    const where = h.projector === 'external' ? ', projector apart' : '';
    const store = h.store === 'postgres' ? 'PostgreSQL' : `sync ${h.sync ?? '?'}`;
    const refused = h.non2xx === 0 ? '0 non-2xx' : `${h.non2xx} non-2xx (${h.statuses})`;
    line(
      `  ${h.workload}, ${store}${where}: commands/s`,
      fmt(h.perSec),
      `p50 ${h.p50} ms, p99 ${h.p99} ms, ${fmt(h.requests)} requests, ${refused}, ${((100 * h.perSec) / ceiling.durableCommitsPerSec).toFixed(0)}% of the durable-commit ceiling`,
      HTTP_WIDTH,
    );
  }
  if ('skipped' in http.postgres) line('  PostgreSQL', 'skipped', `(${http.postgres.skipped})`, HTTP_WIDTH);
  for (const workload of new Set(http.figures.map((h) => h.workload))) {
    const of = (store: 'sqlite' | 'postgres') =>
      http.figures.find((h) => h.workload === workload && h.store === store && h.projector === 'in-process' && h.sync !== 'NORMAL');
    const [sqlite, postgres] = [of('sqlite'), of('postgres')];
    if (sqlite === undefined || postgres === undefined) continue;
    line(
      `  ${workload}, PostgreSQL / sync FULL`,
      `${((100 * postgres.perSec) / sqlite.perSec).toFixed(0)}%`,
      `of the commands/s; p99 ${(postgres.p99 / sqlite.p99).toFixed(2)}×, p50 ${(postgres.p50 / sqlite.p50).toFixed(2)}×`,
      HTTP_WIDTH,
    );
  }
  for (const s of http.seeds) {
    line(
      `  seeding, one client, ${s.store === 'postgres' ? 'PostgreSQL' : 'sync FULL'}: commands/s`,
      fmt(s.commands / s.seconds),
      `${fmt(s.commands)} commands one at a time in ${s.seconds.toFixed(1)} s (${((1000 * s.seconds) / s.commands).toFixed(2)} ms each)`,
      HTTP_WIDTH,
    );
  }

  const rebuild = await measureRebuild(int('BENCH_REBUILD_APPRAISALS', 10_000));
  process.stdout.write('\n');
  printRebuildFigures(rebuild);
  line('  SQLite: share of the bulk-insert ceiling', `${((100 * rebuild.eventsPerSec) / ceiling.bulkInsertsPerSec).toFixed(0)}%`);

  const log = await measureLog(logOptionsFromEnv());
  process.stdout.write('\n');
  printLogFigures(log);

  const brokers = process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers === undefined || brokers.length === 0) {
    process.stdout.write('\nKafka relay: skipped (set KAFKA_BROKERS, e.g. via test/infra/up.sh)\n');
    return;
  }
  const relay = await measureRelay(
    brokers,
    int('BENCH_RELAY_EVENTS', 20_000),
    int('BENCH_RELAY_RATE', 1_000),
    int('BENCH_RELAY_SECONDS', 10),
  );
  printRelayFigures(relay);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
