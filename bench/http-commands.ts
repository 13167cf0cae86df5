import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@ledger/appraisal';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { nip } from './fixtures';
import { startLedger, startProjector } from './server';

export interface HttpFigures {
  sync: 'FULL' | 'NORMAL';
  /** in-process: the api keeps the read models; external: apps/projector does, in its own process. */
  projector: 'in-process' | 'external';
  workload: string;
  requests: number;
  non2xx: number;
  perSec: number;
  p50: number;
  p99: number;
}

const YEAR = 2026;
const APPRAISER = '198001012005011002';
const SUPERIOR = '197001012000011003';
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
const rating = (h: string) => ({
  hasilKerja: h,
  hasilKerjaJustification: 'Sesuai capaian SKP.',
  perilakuKerja: 'SESUAI_EKSPEKTASI',
  perilakuKerjaJustification: 'Sesuai BerAKHLAK.',
});

/**
 * Seeds `appraisals` appraisals of ~20 events through the API, then measures rating revisions
 * and feedback (each a full command: auth, validation, load stream, decide, durable append,
 * projection in the same process) with `connections` concurrent clients for `seconds` each.
 */
export async function measureHttp(appraisals = 300, seconds = 10, connections = 10): Promise<HttpFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-'));
  try {
    const keys = await loadOrCreateLocalKeys(dir);
    const token = (sub: string, role: Role) => signLocalToken(keys, { sub, role, ttl: '2h' });
    const appraiser = await token(APPRAISER, 'PEJABAT_PENILAI');
    const port = 39_000 + Math.floor(Math.random() * 1000);
    const seeding = await startLedger(dir, port);
    let ids: string[];
    try {
      ids = await seed(seeding.url, appraisals, token, appraiser);
    } finally {
      await seeding.stop();
    }
    const figures: HttpFigures[] = [];
    // The same data, served once per durability setting of the event store, and once with the
    // projector in its own process (the api then follows its checkpoint).
    for (const sync of ['FULL', 'NORMAL'] as const) {
      const ledger = await startLedger(dir, port, { LEDGER_EVENT_STORE_SYNC: sync });
      try {
        figures.push(...(await workloads(ledger.url, ids, appraiser, { sync, projector: 'in-process' }, seconds, connections)));
      } finally {
        await ledger.stop();
      }
    }
    const projector = await startProjector(dir, { LEDGER_EVENT_STORE_POLL_MS: '20' });
    try {
      const ledger = await startLedger(dir, port, { LEDGER_PROJECTOR: 'external' });
      try {
        figures.push(...(await workloads(ledger.url, ids, appraiser, { sync: 'FULL', projector: 'external' }, seconds, connections)));
      } finally {
        await ledger.stop();
      }
    } finally {
      await projector.stop();
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(
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

async function workloads(
  url: string,
  ids: string[],
  appraiser: string,
  setup: Pick<HttpFigures, 'sync' | 'projector'>,
  seconds: number,
  connections: number,
): Promise<HttpFigures[]> {
  const pick = () => ids[Math.floor(Math.random() * ids.length)];
  const run = async (workload: string, path: () => string, body: () => unknown): Promise<HttpFigures> => {
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${appraiser}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, path: path(), body: JSON.stringify(body()) }),
        },
      ],
    });
    return {
      ...setup,
      workload,
      requests: result.requests.total,
      non2xx: result.non2xx,
      perSec: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
    };
  };
  let flip = 0;
  const revision = () => ({
    ...rating((flip++ & 1) === 0 ? 'DI_ATAS_EKSPEKTASI' : 'SESUAI_EKSPEKTASI'),
    reason: 'Bukti dukung baru diterima.',
  });
  return [
    await run('rating revisions', () => `/appraisals/${pick()}/periods/TAHUNAN/rating/revisions`, revision),
    await run(
      'feedback',
      () => `/appraisals/${pick()}/feedback`,
      () => ({ text: 'Laporan bulan ini lengkap dan tepat waktu.', about: { resultId: 'r1' } }),
    ),
  ];
}
