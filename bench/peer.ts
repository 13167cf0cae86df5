import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportJWK } from 'jose';
import type { Role } from '@ledger/appraisal';
import { scanLedgerFile } from '@ledger/event-store';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { APPRAISER, seed } from './http-commands';
import { freePort, startLedger } from './server';

/**
 * The same HTTP command beside a peer: the feedback command on the ledger api and on Emmett 0.42
 * with its SQLite event store (bench/peer, a package of its own so the product never depends on
 * Emmett), each server its own process on loopback, driven by autocannon from this process in
 * alternating runs (ours, theirs, ours, theirs…) on the same ~20-event streams.
 *   BENCH_PEER_SECONDS (per run, default 10), BENCH_PEER_ROUNDS (runs per side, 3),
 *   BENCH_PEER_APPRAISALS (300), BENCH_PEER_CONNECTIONS (10), BENCH_PEER_WARMUP_SECONDS (2, per side, not counted).
 */
export interface PeerOptions {
  seconds: number;
  rounds: number;
  appraisals: number;
  connections: number;
  warmupSeconds: number;
}

/**
 * emmett: the configuration asked for (one shared connection, Emmett's lock per stream);
 * emmett-serial: the same with one lock for all commands, so that each append commits before
 * its answer (with a lock per stream, concurrent appends share one open transaction: see COMMITs per append).
 */
export const PEER_SIDES = ['ledger', 'emmett', 'emmett-serial'] as const;
export type PeerSide = (typeof PEER_SIDES)[number];
type EmmettSide = Exclude<PeerSide, 'ledger'>;

export interface PeerRun {
  side: PeerSide;
  round: number;
  requests: number;
  non2xx: number;
  /** The non-2xx answers by status, e.g. "409 ×3" (empty when there were none). */
  statuses: string;
  perSec: number;
  p50: number;
  p99: number;
  /** Ledger only: how long after the run its read models reached the run's last position (the projector's tail). */
  catchUpMs?: number;
}

export interface PeerFigures {
  options: PeerOptions;
  runs: PeerRun[];
  /** Medians over the rounds of each side. */
  medians: Record<PeerSide, { perSec: number; p99: number }>;
  /** Ours / theirs, of the medians, against each Emmett configuration. */
  ratios: Record<EmmettSide, { perSec: number; p99: number }>;
  /** Events per appraisal stream when the runs started, and on each side when they ended. */
  streamEvents: { seeded: number } & Record<PeerSide, number>;
  /** What each peer ran with, as it reported: the pragmas read back, and COMMITs per append during the measured runs. */
  peers: Record<EmmettSide, { journalMode: string; synchronous: number; appends: number; commits: number }>;
}

const int = (name: string, fallback: number): number => {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
};

export const peerOptionsFromEnv = (): PeerOptions => ({
  seconds: int('BENCH_PEER_SECONDS', 10),
  rounds: int('BENCH_PEER_ROUNDS', 3),
  appraisals: int('BENCH_PEER_APPRAISALS', 300),
  connections: int('BENCH_PEER_CONNECTIONS', 10),
  warmupSeconds: int('BENCH_PEER_WARMUP_SECONDS', 2),
});

/** bench/peer in the source tree, whether this runs from bench/ (ts) or dist/bench/ (built). */
function peerDir(): string {
  for (const dir of [resolve(__dirname, 'peer'), resolve(__dirname, '..', '..', 'bench', 'peer')]) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
  }
  throw new Error(`bench/peer not found from ${__dirname}`);
}

const sha256 = (...files: string[]): string => {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
};

/**
 * Installs the peer's dependencies (its own lockfile; sqlite3 compiles from source here, some
 * minutes the first time) and compiles it with its own TypeScript when either is missing or stale,
 * then runs its specs (node --test): a failing one stops the bench.
 * Stamps hold content hashes, not mtimes: a fresh clone has new mtimes and nothing installed.
 */
export function ensurePeerBuilt(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const dir = peerDir();
  const installStamp = join(dir, 'node_modules', '.bench-peer-lock-sha256');
  const lock = sha256(join(dir, 'package.json'), join(dir, 'package-lock.json'));
  if (!existsSync(installStamp) || readFileSync(installStamp, 'utf8').trim() !== lock) {
    log('peer: installing bench/peer dependencies (Emmett, sqlite3 built from source; minutes the first time)');
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(installStamp, `${lock}\n`);
  }
  const sources = readdirSync(join(dir, 'src'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(dir, 'src', name));
  const buildStamp = join(dir, 'dist', '.bench-peer-src-sha256');
  const built = sha256(join(dir, 'tsconfig.json'), ...sources);
  if (!existsSync(buildStamp) || readFileSync(buildStamp, 'utf8').trim() !== built) {
    log('peer: compiling bench/peer (its own tsc, strict) and running its specs');
    execFileSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
      stdio: 'inherit',
    });
    // A peer that refused less than the ledger would be measured doing less: its rules' specs gate the run.
    execFileSync(process.execPath, ['--test', join('dist', 'appraisal.spec.js')], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(buildStamp, `${built}\n`);
  }
  return dir;
}

/** The measured command, the same bytes on both sides. */
const FEEDBACK = { text: 'Laporan bulan ini lengkap dan tepat waktu.', about: { resultId: 'r1' } };

type Token = (sub: string, role: Role) => Promise<string>;

/**
 * The ledger's seeded appraisal streams as the peer's seed (JSON Lines, one stream a line): each
 * event's type, data and the envelope metadata the ledger stored (actor, role, occurredAt,
 * correlation and causation), so both sides fold the same events. Returns the events written.
 */
function copyStreams(ledgerDir: string, ids: readonly string[], file: string): number {
  const wanted = new Set(ids.map((id) => `appraisal-${id}`));
  const streams = new Map<string, { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]>();
  for (const event of scanLedgerFile(join(ledgerDir, 'events.sqlite')).events) {
    if (!wanted.has(event.streamId)) continue;
    const { actorId, actorRole, occurredAt, correlationId, causationId } = event.metadata;
    const stream = streams.get(event.streamId) ?? [];
    stream.push({ type: event.type, data: event.data, metadata: { actorId, actorRole, occurredAt, correlationId, causationId } });
    streams.set(event.streamId, stream);
  }
  if (streams.size !== wanted.size) throw new Error(`found ${streams.size} of the ${wanted.size} seeded streams in the ledger's store`);
  writeFileSync(file, [...streams].map(([streamId, events]) => JSON.stringify({ streamId, events })).join('\n') + '\n');
  return [...streams.values()].reduce((sum, events) => sum + events.length, 0);
}

interface PeerHealth {
  pragmas: { journalMode: string; synchronous: number };
  appends: number;
  commits: number;
}

async function startPeer(
  dir: string,
  env: { PEER_DB: string; PEER_PORT: string; PEER_PUBLIC_JWK: string },
): Promise<{ url: string; health: () => Promise<PeerHealth>; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(dir, 'dist', 'server.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PEER_PORT}`;
  const health = async () => (await (await fetch(`${url}/health`)).json()) as PeerHealth;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`peer exited with ${child.exitCode}`);
    try {
      await health();
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('peer did not start in 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    health,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

interface Drive {
  url: string;
  token: string;
  ids: readonly string[];
  connections: number;
  seconds: number;
}

/**
 * The feedback command with autocannon, no two requests in flight on the same appraisal (as
 * bench/http-commands.ts: a race on a stream would be refused and skew the comparison). Returns
 * the figures and the highest global position a 2xx answer named.
 */
async function drive(options: Drive): Promise<Omit<PeerRun, 'side' | 'round'> & { ok: number; lastPosition: number }> {
  const { ids } = options;
  const busy = new Set<string>();
  const pick = (): string => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      if (!busy.has(id)) return id;
    }
    return ids[Math.floor(Math.random() * ids.length)];
  };
  let lastPosition = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        setupRequest: (req, context: { id?: string }) => {
          const id = pick();
          busy.add(id);
          context.id = id;
          return { ...req, path: `/appraisals/${id}/feedback`, body: JSON.stringify(FEEDBACK) };
        },
        onResponse: (status, body, context: { id?: string }) => {
          if (context.id !== undefined) busy.delete(context.id);
          if (status < 300) lastPosition = Math.max(lastPosition, Number((JSON.parse(body) as { position?: unknown }).position) || 0);
        },
      },
    ],
  });
  const refused = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${status} ×${count ?? 0}`);
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    statuses: refused.join(', '),
    perSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    lastPosition,
  };
}

/** Milliseconds until the ledger's read models reached `position` (?minPosition waits up to 3 s per request). */
async function catchUpMs(url: string, token: string, id: string, position: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const r = await fetch(`${url}/appraisals/${id}?minPosition=${position}`, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (r.ok) return performance.now() - started;
    if (r.status !== 503 || performance.now() - started > 120_000) throw new Error(`read models did not reach ${position}: ${r.status}`);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export async function measurePeer(options: PeerOptions = peerOptionsFromEnv()): Promise<PeerFigures> {
  const dir = ensurePeerBuilt();
  const work = mkdtempSync(join(tmpdir(), 'ledger-peer-'));
  const ledgerDir = join(work, 'ledger');
  const port = await freePort();
  const peerPorts = { emmett: await freePort(), 'emmett-serial': await freePort() };
  // The embedded store at FULL, chosen by name: an EVENT_STORE in the bench's environment must not move it.
  const ledgerEnv = { EVENT_STORE: 'sqlite', LEDGER_EVENT_STORE_SYNC: 'FULL' };
  try {
    const keys = await loadOrCreateLocalKeys(ledgerDir);
    const token: Token = (sub, role) => signLocalToken(keys, { sub, role, ttl: '12h' });
    const appraiser = await token(APPRAISER, 'PEJABAT_PENILAI');
    const seeding = await startLedger(ledgerDir, port, ledgerEnv);
    const ids = await seed(seeding.url, options.appraisals, token, appraiser).finally(() => seeding.stop());

    const seedFile = join(work, 'streams.jsonl');
    const seededEvents = copyStreams(ledgerDir, ids, seedFile);
    const jwkFile = join(work, 'ledger-public.jwk.json');
    writeFileSync(jwkFile, JSON.stringify({ ...(await exportJWK(keys.publicKey)), kid: keys.kid, alg: 'ES256' }));
    // Each Emmett configuration on a store of its own, seeded with the same streams.
    const peerEnv = (side: EmmettSide) => {
      const env = {
        PEER_DB: join(work, `${side}.sqlite`),
        PEER_PORT: String(peerPorts[side]),
        PEER_PUBLIC_JWK: jwkFile,
        PEER_LOCK: side === 'emmett' ? 'stream' : 'store',
      };
      execFileSync(process.execPath, [join(dir, 'dist', 'seed.js'), seedFile], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return env;
    };
    const envs = { emmett: peerEnv('emmett'), 'emmett-serial': peerEnv('emmett-serial') };

    const servers: { stop: () => Promise<void> }[] = [];
    try {
      const ours = await startLedger(ledgerDir, port, ledgerEnv);
      servers.push(ours);
      const peers = { emmett: await startPeer(dir, envs.emmett), 'emmett-serial': await startPeer(dir, envs['emmett-serial']) };
      servers.push(...Object.values(peers));
      const urlOf = (side: PeerSide) => (side === 'ledger' ? ours.url : peers[side].url);
      const on = (side: PeerSide, seconds: number) =>
        drive({ url: urlOf(side), token: appraiser, ids, connections: options.connections, seconds });
      const appended: Record<PeerSide, number> = { ledger: 0, emmett: 0, 'emmett-serial': 0 };
      // The ledger's read models follow its appends in-process: the next run starts once they have caught up.
      const settle = async (side: PeerSide, run: { ok: number; lastPosition: number }) => {
        appended[side] += run.ok;
        return side === 'ledger' && run.lastPosition > 0 ? catchUpMs(ours.url, appraiser, ids[0], run.lastPosition) : undefined;
      };
      for (const side of PEER_SIDES) await settle(side, await on(side, options.warmupSeconds));
      const before = { emmett: await peers.emmett.health(), 'emmett-serial': await peers['emmett-serial'].health() };
      const runs: PeerRun[] = [];
      for (let round = 1; round <= options.rounds; round++) {
        for (const side of PEER_SIDES) {
          const { ok, lastPosition, ...figures } = await on(side, options.seconds);
          const caughtUp = await settle(side, { ok, lastPosition });
          runs.push({ side, round, ...figures, ...(caughtUp === undefined ? {} : { catchUpMs: caughtUp }) });
        }
      }
      const medianOf = (side: PeerSide) => {
        const mine = runs.filter((r) => r.side === side);
        return { perSec: median(mine.map((r) => r.perSec)), p99: median(mine.map((r) => r.p99)) };
      };
      const medians = { ledger: medianOf('ledger'), emmett: medianOf('emmett'), 'emmett-serial': medianOf('emmett-serial') };
      const ratioTo = (side: EmmettSide) => ({
        perSec: medians.ledger.perSec / medians[side].perSec,
        p99: medians.ledger.p99 / medians[side].p99,
      });
      const reported = async (side: EmmettSide) => {
        const after = await peers[side].health();
        return { ...after.pragmas, appends: after.appends - before[side].appends, commits: after.commits - before[side].commits };
      };
      const perStream = (extra: number) => (seededEvents + extra) / ids.length;
      return {
        options,
        runs,
        medians,
        ratios: { emmett: ratioTo('emmett'), 'emmett-serial': ratioTo('emmett-serial') },
        streamEvents: {
          seeded: perStream(0),
          ledger: perStream(appended.ledger),
          emmett: perStream(appended.emmett),
          'emmett-serial': perStream(appended['emmett-serial']),
        },
        peers: { emmett: await reported('emmett'), 'emmett-serial': await reported('emmett-serial') },
      };
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function printPeerFigures(figures: PeerFigures, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const { options: o, peers } = figures;
  const line = (label: string, value: string, note = '') => write(`${label.padEnd(56)} ${value.padStart(14)}  ${note}\n`);
  const sync = (value: number) => (value === 2 ? 'FULL' : value === 1 ? 'NORMAL' : String(value));
  write(
    `Peer: the feedback command on the ledger and on Emmett 0.42 + SQLite (${o.connections} connections, ${o.appraisals} appraisals, ` +
      `${o.rounds} alternating rounds of ${o.seconds} s per side after ${o.warmupSeconds} s of warm-up each):\n`,
  );
  write(
    `  Emmett: Node http, class-validator (the ledger's DTO rules), jose ES256 (verified tokens cached as the ledger does), CommandHandler\n` +
      `  (read and fold, decide, append with expected version), one inline projection, one shared connection (connectionOptions.singleton:\n` +
      `  its default pool fails with SQLITE_BUSY under concurrent writers), journal_mode=${peers.emmett.journalMode}, ` +
      `synchronous=${sync(peers.emmett.synchronous)} (read back); "emmett": Emmett's\n` +
      `  InProcessLock per stream; "emmett-serial": one lock for all commands. Ledger: sync FULL, in-process projector.\n`,
  );
  for (const run of figures.runs) {
    const refused = run.non2xx === 0 ? '0 non-2xx' : `${run.non2xx} non-2xx (${run.statuses})`;
    const caughtUp = run.catchUpMs === undefined ? '' : `, read models caught up ${fmt(run.catchUpMs)} ms after`;
    line(
      `  ${run.side} round ${run.round}: commands/s`,
      fmt(run.perSec),
      `p50 ${run.p50} ms, p99 ${run.p99} ms, ${fmt(run.requests)} requests, ${refused}${caughtUp}`,
    );
  }
  for (const side of PEER_SIDES)
    line(`  ${side} (median of rounds): commands/s`, fmt(figures.medians[side].perSec), `p99 ${figures.medians[side].p99} ms`);
  for (const side of ['emmett', 'emmett-serial'] as const) {
    const ratio = figures.ratios[side];
    line(`  ledger / ${side}: commands/s`, `${ratio.perSec.toFixed(2)}×`, `p99 ${ratio.p99.toFixed(2)}× (below 1: ours is lower)`);
    const { commits, appends } = peers[side];
    const perAppend = appends === 0 ? 0 : commits / appends;
    const shared =
      perAppend < 0.995 ? ': appends shared an open transaction (one nesting counter per connection), answered before their COMMIT' : '';
    line(`  ${side}: COMMITs per append`, perAppend.toFixed(2), `${fmt(commits)} for ${fmt(appends)} appends${shared}`);
  }
  const s = figures.streamEvents;
  line(
    '  events per stream: seeded, then at the end',
    s.seeded.toFixed(0),
    PEER_SIDES.map((side) => `${side} ${s[side].toFixed(0)}`).join(', ') + " (each side's streams grow by what it appended)",
  );
}
