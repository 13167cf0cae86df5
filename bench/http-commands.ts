import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@ledger/appraisal';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { nip } from './fixtures';
import { benchSchema, describeServer, dropBenchSchema, postgresFromEnv, type BenchPostgres } from './postgres';
import { freePort, startLedger, startProjector } from './server';

export interface HttpFigures {
  /** sqlite: the embedded store, Merkle log signed in the append transaction; postgres: the log follows the server (LogFollower). */
  store: 'sqlite' | 'postgres';
  /** The embedded store's synchronous pragma; on PostgreSQL the server's own settings decide (see HttpComparison.postgres). */
  sync: 'FULL' | 'NORMAL' | undefined;
  /** in-process: the api keeps the read models; external: apps/projector does, in its own process. */
  projector: 'in-process' | 'external';
  /** The embedded store's writer: on its worker thread (the default) or on the api's main thread (LEDGER_EVENT_STORE_WRITER). */
  writer: 'worker' | 'main';
  workload: string;
  requests: number;
  non2xx: number;
  /** The non-2xx answers by status, e.g. "409 ×3" (empty when there were none). */
  statuses: string;
  perSec: number;
  p50: number;
  p99: number;
}

/** The seeding pass: one client, one command at a time, so each command's latency end to end. */
export interface SeedFigures {
  store: 'sqlite' | 'postgres';
  commands: number;
  seconds: number;
}

export interface HttpComparison {
  figures: HttpFigures[];
  seeds: SeedFigures[];
  /** The server the postgres figures were taken on, or why there are none. */
  postgres: { server: string } | { skipped: string };
}

export const YEAR = 2026;
export const APPRAISER = '198001012005011002';
const SUPERIOR = '197001012000011003';
const UNIT_LEADER = '196501011990011001';
const UPPER_LEADER = '196001011985011001';
const plan = {
  results: [
    {
      id: 'r1',
      kind: 'UTAMA',
      description: 'Layanan izin tepat waktu',
      indicators: [{ id: 'i1', description: 'Izin diproses', aspect: 'KUANTITAS', target: { value: 120, unit: 'izin' } }],
    },
  ],
};
export const rating = (h: string) => ({
  hasilKerja: h,
  hasilKerjaJustification: 'Sesuai capaian SKP.',
  perilakuKerja: 'SESUAI_EKSPEKTASI',
  perilakuKerjaJustification: 'Sesuai BerAKHLAK.',
});

/**
 * Seeds `appraisals` appraisals of ~20 events through the API, then measures rating revisions
 * and feedback (each a full command: auth, validation, load stream, decide, durable append,
 * projection in the same process) with `connections` concurrent clients for `seconds` each.
 * With a PostgreSQL server (POSTGRES_URL and POSTGRES_ADMIN_URL), the same seed and workloads
 * are run on the api with EVENT_STORE=postgres (a schema of its own, dropped afterwards), served
 * right after the embedded store at FULL so that the two figures are taken minutes apart at most.
 */
export async function measureHttp(
  appraisals = 300,
  seconds = 10,
  connections = 10,
  pg: BenchPostgres | { skipped: string } = postgresFromEnv(),
): Promise<HttpComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'ledger-http-pg-'));
  const schema = benchSchema('http');
  const onPostgres = 'url' in pg;
  try {
    const port = await freePort();
    // The embedded store, chosen by name: an EVENT_STORE in the bench's environment must not move it.
    const sqliteEnv = { EVENT_STORE: 'sqlite' };
    const pgEnv = onPostgres
      ? { EVENT_STORE: 'postgres', POSTGRES_URL: pg.url, POSTGRES_ADMIN_URL: pg.adminUrl, POSTGRES_SCHEMA: schema }
      : undefined;
    const seeds: SeedFigures[] = [];
    const sqlite = await seeded('sqlite', dir, port, sqliteEnv, appraisals, seeds);
    const postgres = pgEnv === undefined ? undefined : await seeded('postgres', pgDir, port, pgEnv, appraisals, seeds);

    const figures: HttpFigures[] = [];
    const serve = async (
      data: Seeded,
      env: Record<string, string>,
      setup: Pick<HttpFigures, 'store' | 'sync' | 'projector' | 'writer'>,
    ) => {
      const ledger = await startLedger(data.dir, port, env);
      try {
        figures.push(...(await workloads(ledger.url, data, setup, seconds, connections)));
      } finally {
        await ledger.stop();
      }
    };
    // The same data, served once per durability setting of the embedded store, once on PostgreSQL
    // (right after the embedded store's FULL, its comparison), and once with the projector in its
    // own process (the api then follows its checkpoint).
    const inProcess = { projector: 'in-process', writer: 'worker' } as const;
    await serve(sqlite, { ...sqliteEnv, LEDGER_EVENT_STORE_SYNC: 'FULL' }, { store: 'sqlite', sync: 'FULL', ...inProcess });
    if (postgres !== undefined && pgEnv !== undefined) {
      await serve(postgres, pgEnv, { store: 'postgres', sync: undefined, ...inProcess });
    }
    // The writer on the api's main thread (group commit still on): the other way of item 2, measured.
    await serve(
      sqlite,
      { ...sqliteEnv, LEDGER_EVENT_STORE_SYNC: 'FULL', LEDGER_EVENT_STORE_WRITER: 'main' },
      { store: 'sqlite', sync: 'FULL', projector: 'in-process', writer: 'main' },
    );
    await serve(sqlite, { ...sqliteEnv, LEDGER_EVENT_STORE_SYNC: 'NORMAL' }, { store: 'sqlite', sync: 'NORMAL', ...inProcess });
    const projector = await startProjector(dir, { ...sqliteEnv, LEDGER_EVENT_STORE_POLL_MS: '20' });
    try {
      await serve(
        sqlite,
        { ...sqliteEnv, LEDGER_PROJECTOR: 'external' },
        { store: 'sqlite', sync: 'FULL', projector: 'external', writer: 'worker' },
      );
    } finally {
      await projector.stop();
    }
    return { figures, seeds, postgres: onPostgres ? { server: await describeServer(pg) } : pg };
  } finally {
    if (onPostgres) await dropBenchSchema(pg, schema);
    rmSync(dir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

export interface Seeded {
  dir: string;
  ids: string[];
  appraiser: string;
  /** Each appraisal's current hasil kerja rating, as the last revision sent set it. */
  hasilKerja: Map<string, string>;
}

/** Token keys of the data dir's own, and the appraisals seeded through an api on it (timed). */
export async function seeded(
  store: 'sqlite' | 'postgres',
  dir: string,
  port: number,
  env: Record<string, string>,
  appraisals: number,
  seeds: SeedFigures[],
): Promise<Seeded> {
  const keys = await loadOrCreateLocalKeys(dir);
  const token = (sub: string, role: Role) => signLocalToken(keys, { sub, role, ttl: '2h' });
  const appraiser = await token(APPRAISER, 'PEJABAT_PENILAI');
  const ledger = await startLedger(dir, port, env);
  try {
    const started = performance.now();
    const ids = await seed(ledger.url, appraisals, token, appraiser);
    seeds.push({ store, commands: appraisals * COMMANDS_PER_SEED, seconds: (performance.now() - started) / 1000 });
    return { dir, ids, appraiser, hasilKerja: new Map(ids.map((id) => [id, 'SESUAI_EKSPEKTASI'])) };
  } finally {
    await ledger.stop();
  }
}

/** Per appraisal: open, draft, submit, approve, 7 × (feedback, response), self-assessment, rating (the unit's opening not counted). */
const COMMANDS_PER_SEED = 20;

/** Seeds through the api at `url`, one command at a time (also the peer's seed of the ledger: bench/peer.ts). */
export async function seed(
  url: string,
  appraisals: number,
  token: (sub: string, role: Role) => Promise<string>,
  appraiser: string,
): Promise<string[]> {
  const hr = await token('198505052010012001', 'PENGELOLA_KINERJA');
  const post = async (auth: string, path: string, body: unknown) => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`seed ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  // An appraisal names a unit opened for its year (UNKNOWN_UNIT otherwise), and is rated only once
  // the unit's organisational predicate for the period is set (ORG_PREDICATE_FIRST).
  await post(hr, '/units', { unitId: 'bench', year: YEAR, name: 'Unit bench', leaderId: UNIT_LEADER, upperLeaderId: UPPER_LEADER });
  await post(await token(UNIT_LEADER, 'PIMPINAN_UNIT'), `/units/bench/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, {
    predicate: 'BAIK',
    basis: { uri: `https://dms.example.go.id/capaian-organisasi/${YEAR}`, sha256: 'd'.repeat(64) },
  });
  const ids: string[] = [];
  for (let n = 0; n < appraisals; n++) {
    const employee = nip(n);
    const me = await token(employee, 'PEGAWAI');
    const { appraisalId } = await post(hr, '/appraisals', {
      employeeNip: employee,
      employeeName: `Pegawai ${n}`,
      year: YEAR,
      unitId: 'bench',
      appraiserId: APPRAISER,
      superiorId: SUPERIOR,
    });
    const a = `/appraisals/${String(appraisalId)}`;
    await post(me, `${a}/plan/draft`, { plan, dialogue: { heldOn: `${YEAR}-01-05` } });
    await post(me, `${a}/plan/submit`, {});
    await post(appraiser, `${a}/plan/approve`, {});
    for (let i = 0; i < 7; i++) {
      const { feedbackId } = await post(appraiser, `${a}/feedback`, { text: 'Pertahankan ketepatan waktu.' });
      await post(me, `${a}/feedback/${String(feedbackId)}/responses`, { text: 'Siap.' });
    }
    await post(me, `${a}/periods/TAHUNAN/self-assessment`, {
      hasilKerja: 'SESUAI_EKSPEKTASI',
      perilakuKerja: 'SESUAI_EKSPEKTASI',
      note: 'Target tercapai.',
    });
    await post(appraiser, `${a}/periods/TAHUNAN/rating`, rating('SESUAI_EKSPEKTASI'));
    ids.push(String(appraisalId));
  }
  return ids;
}

/** One command's outcome over a workload: what autocannon measured, the refusals by status. */
export interface DriveFigures {
  requests: number;
  non2xx: number;
  /** The non-2xx answers by status, e.g. "409 ×3" (empty when there were none). */
  statuses: string;
  perSec: number;
  p50: number;
  p99: number;
}

export interface DriveOptions {
  url: string;
  /** The bearer token every request carries. */
  token: string;
  /** The appraisals to spread the requests over (at least `connections` of them, or some requests share one). */
  ids: readonly string[];
  connections: number;
  seconds: number;
  /** Requests per second over all connections (autocannon's overallRate); unpaced when absent. */
  overallRate?: number;
  /** The command for an appraisal: its path and JSON body. */
  request: (id: string) => { path: string; body: unknown };
}

/**
 * Drives one command with autocannon. No two requests in flight name the same appraisal: a command
 * that races another on its stream is refused (409 on a lost append; 400 REVISION_UNCHANGED when
 * the other revision landed first), and how often that happens depends on how long a command
 * takes, so it would skew any comparison. Each connection holds its appraisal from setupRequest to
 * onResponse.
 */
export async function drive(options: DriveOptions): Promise<DriveFigures> {
  const { ids, request } = options;
  const busy = new Set<string>();
  const pick = (): string => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      if (!busy.has(id)) return id;
    }
    return ids[Math.floor(Math.random() * ids.length)]; // fewer free appraisals than connections
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        setupRequest: (req, context: { id?: string }) => {
          const id = pick();
          busy.add(id);
          context.id = id;
          const { path, body } = request(id);
          return { ...req, path, body: JSON.stringify(body) };
        },
        onResponse: (_status, _body, context: { id?: string }) => {
          if (context.id !== undefined) busy.delete(context.id);
        },
      },
    ],
  });
  const refused = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${status} ×${count ?? 0}`);
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    statuses: refused.join(', '),
    perSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** The feedback command: valid on any appraisal whose plan is approved, and it appends one event each time. */
export const feedbackRequest = (id: string): { path: string; body: unknown } => ({
  path: `/appraisals/${id}/feedback`,
  body: { text: 'Laporan bulan ini lengkap dan tepat waktu.', about: { resultId: 'r1' } },
});

async function workloads(
  url: string,
  data: Seeded,
  setup: Pick<HttpFigures, 'store' | 'sync' | 'projector' | 'writer'>,
  seconds: number,
  connections: number,
): Promise<HttpFigures[]> {
  const run = async (workload: string, request: (id: string) => { path: string; body: unknown }): Promise<HttpFigures> => ({
    ...setup,
    workload,
    ...(await drive({ url, token: data.appraiser, ids: data.ids, connections, seconds, request })),
  });
  return [await run('rating revisions', ratingRevisionRequest(data)), await run('feedback', feedbackRequest)];
}

/**
 * The rating revision command. A revision must change a rating (REVISION_UNCHANGED): each
 * appraisal's hasil kerja flips from what the last request for it set (kept with the data, which
 * is served more than once).
 */
export const ratingRevisionRequest =
  (data: Seeded) =>
  (id: string): { path: string; body: unknown } => {
    const next = data.hasilKerja.get(id) === 'DI_ATAS_EKSPEKTASI' ? 'SESUAI_EKSPEKTASI' : 'DI_ATAS_EKSPEKTASI';
    data.hasilKerja.set(id, next);
    return { path: `/appraisals/${id}/periods/TAHUNAN/rating/revisions`, body: { ...rating(next), reason: 'Bukti dukung baru diterima.' } };
  };
