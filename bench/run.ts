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
 * Express against Fastify for the whole app (bench/http-stack.ts): BENCH_HTTP_STACK_* knobs.
 * The peer (bench/peer.ts, Emmett on SQLite, alternating runs): BENCH_PEER_SECONDS, _ROUNDS, _APPRAISALS, _CONNECTIONS, _WARMUP_SECONDS.
 * The audit trail's entry size, v1 against v2 (bench/audit-entry-size.ts): BENCH_AUDIT_APPRAISALS (2,000), BENCH_AUDIT_ROUNDS (2).
 * The scale curves (bench/curves.ts: BENCH_CURVE_*), the RSS, and the soak (bench/soak.ts: BENCH_SOAK_*,
 * default 10 minutes at 1,000 commands/s) close the run, then the aims as met / not met.
 * BENCH_QUICK=1 makes every unset size and duration tiny (the whole run in a few minutes), for developing.
 */
import { cpus } from 'node:os';
import { printAims, type Aim } from './aims';
import { measureAuditEntrySize, printAuditEntrySize } from './audit-entry-size';
import { CURVE_CONNECTIONS, curveOptionsFromEnv, measureCurves, printCurveFigures, type CurveFigures } from './curves';
import { measureHttp } from './http-commands';
import { httpStackOptionsFromEnv, measureHttpStack, printHttpStackFigures } from './http-stack';
import { intKnob, quickMode } from './knobs';
import { logOptionsFromEnv, measureLog, printLogFigures } from './log';
import { measureRebuild, printRebuildFigures, type RebuildComparison } from './rebuild';
import { measureRelay, printRelayFigures } from './relay';
import { measureSoak, printSoakFigures, SOAK_FLAT, SOAK_RATE_HELD, soakOptionsFromEnv, type SoakFigures } from './soak';
import { measureCeiling } from './sqlite-ceiling';
import { measurePeer, printPeerFigures, type PeerFigures } from './peer';

/** The older knobs, with their quick sizes beside the full ones. */
const int = (name: string, full: number, quick: number) => intKnob(name, full, quick);
/** The Merkle log bench reads its own knobs; in quick mode, unset ones get small sizes. */
const LOG_QUICK_ENV = {
  LEDGER_BENCH_LOG_EVENTS: '20000',
  LEDGER_BENCH_LOG_PROOFS: '200',
  LEDGER_BENCH_LOG_APPENDS: '200',
  LEDGER_BENCH_LOG_ROUNDS: '1',
};
/** Progress on stderr, so that stdout holds the figures alone. */
const progress = (text: string) => process.stderr.write(`  … ${text}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (label: string, value: string, note = '', width = 44) =>
  process.stdout.write(`${label.padEnd(width)} ${value.padStart(14)}  ${note}\n`);
/** The HTTP section's labels are longer (store, durability, where the projector runs). */
const HTTP_WIDTH = 56;

async function main(): Promise<void> {
  const quick = quickMode() ? ', BENCH_QUICK: tiny sizes, not the figures of the issue' : '';
  process.stdout.write(`appraisal-ledger bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})${quick}\n\n`);
  const ceiling = measureCeiling();
  line('ceiling: raw SQLite durable commits/s', fmt(ceiling.durableCommitsPerSec), '(WAL, synchronous=FULL, 1 row per transaction)');
  line('ceiling: raw SQLite bulk inserts/s', fmt(ceiling.bulkInsertsPerSec), '(10,000 rows per transaction)');

  const connections = int('BENCH_CONNECTIONS', 10, 10);
  const http = await measureHttp(int('BENCH_APPRAISALS', 300, 30), int('BENCH_SECONDS', 10, 2), connections);
  process.stdout.write(`\nHTTP commands (${connections} connections, ~20-event streams, api in its own process):\n`);
  process.stdout.write('  Merkle log: on the embedded store each commit (a group of appends) signs one checkpoint in its transaction;\n');
  process.stdout.write('  on PostgreSQL a LogFollower in the api signs one per delivered batch into <data dir>/merkle-log.sqlite.\n');
  if ('server' in http.postgres) process.stdout.write(`  ${http.postgres.server}\n`);
  for (const h of http.figures) {
    const where = (h.projector === 'external' ? ', projector apart' : '') + (h.writer === 'main' ? ', writer on main thread' : '');
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
      http.figures.find(
        (h) => h.workload === workload && h.store === store && h.projector === 'in-process' && h.sync !== 'NORMAL' && h.writer === 'worker',
      );
    const [sqlite, postgres] = [of('sqlite'), of('postgres')];
    const onMain = http.figures.find((h) => h.workload === workload && h.store === 'sqlite' && h.writer === 'main');
    if (sqlite !== undefined && onMain !== undefined) {
      line(
        `  ${workload}, writer thread / writer on main thread`,
        `${((100 * sqlite.perSec) / onMain.perSec).toFixed(0)}%`,
        `of the commands/s; p99 ${(sqlite.p99 / onMain.p99).toFixed(2)}×, p50 ${(sqlite.p50 / onMain.p50).toFixed(2)}×`,
        HTTP_WIDTH,
      );
    }
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

  const stack = await measureHttpStack(httpStackOptionsFromEnv());
  process.stdout.write('\n');
  printHttpStackFigures(stack);

  const peer = await measurePeer({
    seconds: int('BENCH_PEER_SECONDS', 10, 2),
    rounds: int('BENCH_PEER_ROUNDS', 3, 1),
    appraisals: int('BENCH_PEER_APPRAISALS', 300, 30),
    connections: int('BENCH_PEER_CONNECTIONS', 10, 10),
    warmupSeconds: int('BENCH_PEER_WARMUP_SECONDS', 2, 1),
  });
  process.stdout.write('\n');
  printPeerFigures(peer);

  const curves = await measureCurves(curveOptionsFromEnv(), progress);
  printCurveFigures(curves);

  const rebuild = await measureRebuild(int('BENCH_REBUILD_APPRAISALS', 10_000, 500));
  process.stdout.write('\n');
  printRebuildFigures(rebuild);
  line('  SQLite: share of the bulk-insert ceiling', `${((100 * rebuild.eventsPerSec) / ceiling.bulkInsertsPerSec).toFixed(0)}%`);

  const audit = await measureAuditEntrySize(int('BENCH_AUDIT_APPRAISALS', 2_000, 200), int('BENCH_AUDIT_ROUNDS', 2, 1));
  process.stdout.write('\n');
  printAuditEntrySize(audit);

  const log = await measureLog(quickMode() ? logOptionsFromEnv({ ...LOG_QUICK_ENV, ...process.env }) : logOptionsFromEnv());
  process.stdout.write('\n');
  printLogFigures(log);

  await relayIfConfigured();

  const soak = await measureSoak(soakOptionsFromEnv(), progress);
  printSoakFigures(soak);

  printAims(aims(curves, peer, rebuild, soak));
}

/** With KAFKA_BROKERS, the relay's throughput and lag; otherwise a line saying it was skipped. */
async function relayIfConfigured(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers === undefined || brokers.length === 0) {
    process.stdout.write('\nKafka relay: skipped (set KAFKA_BROKERS, e.g. via test/infra/up.sh)\n');
    return;
  }
  const relay = await measureRelay(
    brokers,
    int('BENCH_RELAY_EVENTS', 20_000, 2_000),
    int('BENCH_RELAY_RATE', 1_000, 1_000),
    int('BENCH_RELAY_SECONDS', 10, 3),
  );
  printRelayFigures(relay);
}

/** One agency's events, the rebuild aim's second size. */
const AGENCY_EVENTS = 1_500_000;

function aims(curves: CurveFigures, peer: PeerFigures, rebuild: RebuildComparison, soak: SoakFigures): Aim[] {
  const at = (connections: number) =>
    curves.points.find((p) => p.curve === 'connections' && p.connections === connections && p.streamEvents === 20);
  const [ten, hundred] = [at(CURVE_CONNECTIONS), at(100)];
  const absent = (what: string): Aim['measured'] => `${what} not in this run's curves (BENCH_CURVE_CONNECTIONS)`;
  const point = (p: NonNullable<typeof ten>) => `${fmt(p.perSec)}/s, p99 ${p.p99} ms (feedback, ${fmt(p.storeEvents)} events in store)`;
  const pct = (n: number) => `${(100 * n).toFixed(0)}%`;
  const agencySeconds = AGENCY_EVENTS / rebuild.eventsPerSec;
  return [
    {
      aim: 'HTTP, sync FULL, ~20-event streams, 10 conn: ≥ 3,000 commands/s',
      measured: ten === undefined ? absent('10 connections') : point(ten),
      met: ten === undefined ? undefined : ten.perSec >= 3_000,
    },
    {
      aim: 'the same: p99 ≤ 15 ms',
      measured: ten === undefined ? absent('10 connections') : point(ten),
      met: ten === undefined ? undefined : ten.p99 <= 15,
    },
    {
      // Judged against Emmett as the issue configures it (one shared connection, its lock per stream).
      aim: 'the same: ≥ 3× Emmett in the same run',
      measured:
        `${peer.ratios.emmett.perSec.toFixed(2)}× (medians ${fmt(peer.medians.ledger.perSec)}/s and ${fmt(peer.medians.emmett.perSec)}/s); ` +
        `${peer.ratios['emmett-serial'].perSec.toFixed(2)}× emmett-serial`,
      met: peer.ratios.emmett.perSec >= 3,
    },
    {
      aim: 'HTTP, 100 connections: p99 ≤ 50 ms',
      measured: hundred === undefined ? absent('100 connections') : point(hundred),
      met: hundred === undefined ? undefined : hundred.p99 <= 50,
    },
    {
      aim: 'rebuild of 200,000 events into SQLite ≥ 250,000 events/s',
      measured: `${fmt(rebuild.eventsPerSec)} events/s over ${fmt(rebuild.events)} events`,
      met: rebuild.events >= 200_000 ? rebuild.eventsPerSec >= 250_000 : undefined,
    },
    {
      aim: 'one agency’s 1,500,000 events rebuilt in < 10 s',
      measured: `${agencySeconds.toFixed(1)} s extrapolated from the ${fmt(rebuild.events)}-event rebuild's rate`,
      met: rebuild.events >= 200_000 ? agencySeconds < 10 : undefined,
    },
    {
      aim: `soak: ${fmt(soak.options.rate)} commands/s held (every sample ≥ ${pct(SOAK_RATE_HELD)} of it)`,
      measured: `slowest sample ${fmt(Math.min(...soak.samples.map((s) => s.perSec)))}/s; flat below the rate says little`,
      met: soak.samples.length > 0 ? soak.samples.every((s) => s.perSec >= SOAK_RATE_HELD * soak.options.rate) : undefined,
    },
    {
      aim: `soak: p99 flat (max/min − 1 ≤ ${pct(SOAK_FLAT)})`,
      measured: `${pct(soak.p99Spread)} over ${soak.samples.length} samples of ${soak.options.sampleSeconds} s`,
      met: soak.samples.length > 1 ? soak.p99Spread <= SOAK_FLAT : undefined,
    },
    {
      aim: `soak: RSS flat (max/min − 1 ≤ ${pct(SOAK_FLAT)})`,
      measured: `${pct(soak.rssSpread)} over ${soak.samples.length} samples`,
      met: soak.samples.length > 1 ? soak.rssSpread <= SOAK_FLAT : undefined,
    },
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
