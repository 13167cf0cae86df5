import type { IdGenerator } from '../../apps/ledger-api/src/platform/ports';
import request from 'supertest';
import { BEHAVIOURS, type Behaviour, type Rating, type Role } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { EventStore } from '@ledger/event-store';
import type { DestinationStream } from '@ledger/observability';
import { EVENT_STORE } from '../../apps/ledger-api/src/platform/ledger-runtime';
import { startTestApp, type TestApp } from '../../apps/ledger-api/src/testing/test-app';
import { ManualClock, SequentialIds } from '../../apps/ledger-api/src/testing/clock-and-ids';

/** People of the e2e scenarios (18-digit NIPs where the domain wants one). */
export const P = {
  manager: '198001012005011001',
  leader: '197001012000011001',
  upperLeader: '196501011990011001',
  appraiser: '198501012010011001',
  superior: '197501012000011002',
  rater: '199201012020121009',
  rater2: '199301012020121009',
  reviewer: 'inspektorat-01',
  auditor: 'auditor-01',
  employees: ['199001012020121001', '199001012020121002', '199001012020121003', '199001012020121004'],
} as const;

export const YEAR = 2026;
export const UNIT = 'biro-umum';
export const appraisalOf = (nip: string) => `${YEAR}-${nip}`;

export type Caller = { sub: string; role: Role };
export const as = {
  manager: { sub: P.manager, role: 'PENGELOLA_KINERJA' },
  leader: { sub: P.leader, role: 'PIMPINAN_UNIT' },
  upperLeader: { sub: P.upperLeader, role: 'PIMPINAN_UNIT' },
  appraiser: { sub: P.appraiser, role: 'PEJABAT_PENILAI' },
  superior: { sub: P.superior, role: 'ATASAN_PEJABAT_PENILAI' },
  rater: { sub: P.rater, role: 'REKAN_KERJA' },
  reviewer: { sub: P.reviewer, role: 'PENINJAU' },
  auditor: { sub: P.auditor, role: 'AUDITOR' },
  employee: (i = 0): Caller => ({ sub: P.employees[i], role: 'PEGAWAI' }),
} satisfies Record<string, Caller | ((i?: number) => Caller)>;

export const planBody = (label = 'v1') => ({
  results: [
    {
      id: 'rhk-1',
      kind: 'UTAMA',
      description: `Tersusunnya kebijakan tata kelola arsip (${label})`,
      indicators: [{ id: 'iki-1', description: 'Jumlah dokumen kebijakan', aspect: 'KUANTITAS', target: { value: 4, unit: 'dokumen' } }],
    },
  ],
});

/** The organisational achievement document a unit's organisational predicate rests on. */
export const BASIS = { uri: 'https://dms.example.go.id/capaian-organisasi/2026', sha256: 'd'.repeat(64) };
/** The body of POST …/organisational-predicate: the predicate on its basis (a reason once members are rated). */
export const orgPredicate = (predicate: string, extra: { reason?: string; basis?: { uri: string; sha256: string } } = {}) => ({
  predicate,
  basis: BASIS,
  ...extra,
});

/** A complete 360 survey: every BerAKHLAK behaviour answered with the same rating. */
export const surveyAnswers = (answer: Rating = 'SESUAI_EKSPEKTASI'): Record<Behaviour, Rating> =>
  Object.fromEntries(BEHAVIOURS.map((behaviour) => [behaviour, answer])) as Record<Behaviour, Rating>;

export const rating = (hasilKerja: string, perilakuKerja: string) => ({
  hasilKerja,
  hasilKerjaJustification: `hasil kerja ${hasilKerja}`,
  perilakuKerja,
  perilakuKerjaJustification: `perilaku kerja ${perilakuKerja}`,
});

/** The app on a temp data dir with a manual clock and predictable ids, plus HTTP helpers. */
export class Ledger {
  private readonly tokens = new Map<string, string>();

  private constructor(
    readonly t: TestApp,
    readonly clock: ManualClock,
  ) {}

  static async start(
    startAt = '2026-01-05T02:00:00.000Z',
    options: { env?: NodeJS.ProcessEnv; dataDir?: string; ids?: IdGenerator; logDestination?: DestinationStream } = {},
  ): Promise<Ledger> {
    const clock = new ManualClock(startAt);
    return new Ledger(await startTestApp({ clock, ids: new SequentialIds(), ...options }), clock);
  }

  get store(): EventStore {
    return this.t.app.get<EventStore>(EVENT_STORE);
  }

  async token(caller: Caller): Promise<string> {
    const key = `${caller.sub}|${caller.role}`;
    const cached = this.tokens.get(key);
    if (cached !== undefined) return cached;
    const token = await this.t.token(caller.sub, caller.role);
    this.tokens.set(key, token);
    return token;
  }

  async post(caller: Caller, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<request.Response> {
    return request(this.t.server)
      .post(path)
      .set('Authorization', `Bearer ${await this.token(caller)}`)
      .set(headers)
      .send(body as object);
  }

  async get(caller: Caller, path: string): Promise<request.Response> {
    return request(this.t.server)
      .get(path)
      .set('Authorization', `Bearer ${await this.token(caller)}`);
  }

  /** POST that must succeed; returns the body (fails the test with the problem otherwise). */
  async ok(caller: Caller, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<request.Response['body']> {
    const res = await this.post(caller, path, body, headers);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** GET that waits for the read models to reach the head first (read your writes). */
  async read(caller: Caller, path: string): Promise<request.Response> {
    const head = await this.store.headPosition();
    return this.get(caller, `${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`);
  }

  async streamOf(streamId: string): Promise<StoredEvent[]> {
    return this.store.readStream(streamId);
  }

  close(): Promise<void> {
    return this.t.close();
  }
}

/** Opens unit biro-umum and the first employee's appraisal (no plan yet): where bad-input suites start. */
export async function openUnitAndFirstAppraisal(l: Ledger): Promise<void> {
  await l.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader });
  const first = {
    employeeNip: P.employees[0],
    employeeName: 'A',
    year: YEAR,
    unitId: UNIT,
    appraiserId: P.appraiser,
    superiorId: P.superior,
  };
  await l.ok(as.manager, '/appraisals', first);
}

/** Opens the unit and the four appraisals, and takes each plan to APPROVED. */
export async function openUnitWithApprovedPlans(l: Ledger): Promise<void> {
  await l.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader });
  for (const [i, nip] of P.employees.entries()) {
    await l.ok(as.manager, '/appraisals', {
      employeeNip: nip,
      employeeName: `Pegawai ${i + 1}`,
      year: YEAR,
      unitId: UNIT,
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    const base = `/appraisals/${appraisalOf(nip)}`;
    await l.ok(as.employee(i), `${base}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
    await l.ok(as.employee(i), `${base}/plan/submit`);
    await l.ok(as.appraiser, `${base}/plan/approve`);
  }
}
