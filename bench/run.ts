/**
 * `npm run bench`: every figure in one run, side by side, with ratios (this machine is noisy;
 * ratios between figures taken minutes apart are more telling than any absolute number).
 *   BENCH_APPRAISALS (HTTP seed, default 300), BENCH_SECONDS (per HTTP workload, default 10),
 *   BENCH_CONNECTIONS (default 10), BENCH_REBUILD_APPRAISALS (× 20 events, default 10000).
 */
import { cpus } from 'node:os';
import { measureHttp } from './http-commands';
import { measureRebuild } from './rebuild';
import { measureCeiling } from './sqlite-ceiling';

const int = (name: string, fallback: number) => Number.parseInt(process.env[name] ?? '', 10) || fallback;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (label: string, value: string, note = '') => process.stdout.write(`${label.padEnd(44)} ${value.padStart(14)}  ${note}\n`);

async function main(): Promise<void> {
  process.stdout.write(`appraisal-ledger bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n\n`);
  const ceiling = measureCeiling();
  line('ceiling: raw SQLite durable commits/s', fmt(ceiling.durableCommitsPerSec), '(WAL, synchronous=FULL, 1 row per transaction)');
  line('ceiling: raw SQLite bulk inserts/s', fmt(ceiling.bulkInsertsPerSec), '(10,000 rows per transaction)');

  const connections = int('BENCH_CONNECTIONS', 10);
  const http = await measureHttp(int('BENCH_APPRAISALS', 300), int('BENCH_SECONDS', 10), connections);
  process.stdout.write(`\nHTTP commands (${connections} connections, ~20-event streams, api in its own process):\n`);
  for (const h of http) {
    line(`  ${h.workload}, sync ${h.sync}: commands/s`, fmt(h.perSec), `p50 ${h.p50} ms, p99 ${h.p99} ms, ${fmt(h.requests)} requests, ${h.non2xx} non-2xx, ${((100 * h.perSec) / ceiling.durableCommitsPerSec).toFixed(0)}% of the durable-commit ceiling`);
  }

  const rebuild = await measureRebuild(int('BENCH_REBUILD_APPRAISALS', 10_000));
  process.stdout.write('\nRead-model rebuild (drop, replay from zero, all four projections):\n');
  line('  events/s', fmt(rebuild.eventsPerSec), `${fmt(rebuild.events)} events in ${rebuild.seconds.toFixed(2)} s`);
  line('  share of the bulk-insert ceiling', `${((100 * rebuild.eventsPerSec) / ceiling.bulkInsertsPerSec).toFixed(0)}%`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
