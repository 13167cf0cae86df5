import { createHash } from 'node:crypto';
import {
  accessStreamId,
  appraisalIdFor,
  appraisalStreamId,
  checkDistribution,
  countPredicates,
  predicateFor,
  serviceStreamId,
  SKM_ELEMENTS,
  unitStreamId,
  type CheckedAppraisal,
  type SkmScores,
  type PlanContent,
  type Rating,
} from '@ledger/appraisal';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { EventFactory, fixtureUuid, type DataOf, type EventOptions, type FixtureActor, type LedgerEventType } from './fixtures';

export interface Append {
  streamId: string;
  events: NewEvent[];
}

export interface Scenario {
  /** In chronological order; streams interleave like a real year. */
  appends: Append[];
  appraisalIds: string[];
  unitKeys: string[];
  eventCount: number;
}

export interface ScenarioOptions {
  year?: number;
  units?: number;
  membersPerUnit?: number;
  /** Per unit: member #1 objects and gets an amended result, member #2 objects and waits. */
  objections?: boolean;
  start?: string;
}

const HR: FixtureActor = { id: '196001012000011001', role: 'PENGELOLA_KINERJA' };
const nip = (prefix: string, unit: number, i: number) => `${prefix}${String(unit).padStart(2, '0')}${String(i).padStart(8, '0')}`;
const plan = (tag: string): PlanContent => ({
  results: [
    {
      id: `rhk-${tag}-1`,
      kind: 'UTAMA',
      description: `Layanan administrasi kepegawaian ${tag}`,
      indicators: [
        { id: `iki-${tag}-1`, description: 'Dokumen selesai tepat waktu', aspect: 'KUANTITAS', target: { value: 12, unit: 'dokumen' } },
      ],
    },
  ],
});
// Cyclic targets: per 8 members 2 SANGAT_BAIK, 4 BAIK, 2 BUTUH_PERBAIKAN fits the BAIK pattern.
const TARGETS: Array<[Rating, Rating]> = [
  ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
  ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
  ['SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
  ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
];

/** A realistic year of appraisals for tests and benchmarks, built from domain-shaped events only. */
export function yearScenario(options: ScenarioOptions = {}): Scenario {
  const { year = 2026, units = 2, membersPerUnit = 8, objections = true } = options;
  const factory = new EventFactory(options.start);
  const appends: Append[] = [];
  const revisions = new Map<string, number>();
  const emit = <T extends LedgerEventType>(streamId: string, type: T, data: DataOf<T>, actor: FixtureActor, opts?: EventOptions) => {
    const last = appends[appends.length - 1];
    const event = factory.event(type, data, actor, opts);
    if (last !== undefined && last.streamId === streamId) last.events.push(event);
    else appends.push({ streamId, events: [event] });
    revisions.set(streamId, (revisions.get(streamId) ?? -1) + 1);
  };
  const cut = () => appends.push({ streamId: '', events: [] }); // ends a command's append

  const unitList = Array.from({ length: units }, (_, u) => {
    const unitId = `UNIT-${String(u + 1).padStart(2, '0')}`;
    const leader: FixtureActor = { id: nip('197001', u, 1), role: 'PIMPINAN_UNIT' };
    const members = Array.from({ length: membersPerUnit }, (_, i) => {
      const employeeNip = nip('199001', u, i + 10);
      const appraisalId = appraisalIdFor(employeeNip, year);
      return {
        i,
        employeeNip,
        appraisalId,
        stream: appraisalStreamId(appraisalId),
        me: { id: employeeNip, role: 'PEGAWAI' } satisfies FixtureActor,
      };
    });
    return {
      unitId,
      stream: unitStreamId(unitId, year),
      leader,
      upper: { id: nip('196501', u, 2), role: 'PIMPINAN_UNIT' } satisfies FixtureActor,
      appraiser: { id: nip('198001', u, 3), role: 'PEJABAT_PENILAI' } satisfies FixtureActor,
      superior: { id: leader.id, role: 'ATASAN_PEJABAT_PENILAI' } satisfies FixtureActor,
      members,
    };
  });
  const everyMember = (step: (unit: (typeof unitList)[number], m: (typeof unitList)[number]['members'][number]) => void) => {
    for (const unit of unitList)
      for (const m of unit.members) {
        step(unit, m);
        cut();
      }
  };

  for (const unit of unitList) {
    emit(
      unit.stream,
      'UnitOpened',
      { unitId: unit.unitId, year, name: `Bagian ${unit.unitId}`, leaderId: unit.leader.id, upperLeaderId: unit.upper.id },
      HR,
    );
    cut();
  }
  // Each unit serves the public at one counter; its first member is named by one code, answered with a comment.
  for (const unit of unitList) {
    emit(unit.stream, 'ServiceDeclared', { serviceId: 'loket', name: `Loket ${unit.unitId}` }, HR);
    cut();
    const service = serviceStreamId(unit.unitId, year, 'loket');
    const officer = unit.members[0];
    const where = { unitId: unit.unitId, year, serviceId: 'loket' };
    const codeHash = createHash('sha256').update(service).digest('hex');
    const expiresAt = `${year}-05-11T02:00:00.000Z`;
    emit(
      service,
      'FeedbackCodeIssued',
      { ...where, codeHash, officerId: officer.employeeNip, period: 'TRIWULAN_II', expiresAt },
      officer.me,
    );
    cut();
    const scores = Object.fromEntries(SKM_ELEMENTS.map((e) => [e, 3])) as SkmScores;
    const feedbackId = fixtureUuid(9000 + unitList.indexOf(unit));
    const feedback = {
      ...where,
      feedbackId,
      codeHash,
      period: 'TRIWULAN_II' as const,
      officerId: officer.employeeNip,
      scores,
      comment: 'Ramah',
    };
    emit(service, 'PublicFeedbackReceived', feedback, { id: 'masyarakat', role: 'MASYARAKAT' });
    cut();
    emit(service, 'PublicFeedbackResponded', { feedbackId, text: 'Terima kasih' }, officer.me);
    cut();
  }
  everyMember((unit, m) =>
    emit(
      m.stream,
      'AppraisalOpened',
      {
        appraisalId: m.appraisalId,
        employeeNip: m.employeeNip,
        employeeName: `Pegawai ${m.employeeNip.slice(-4)}`,
        year,
        unitId: unit.unitId,
        appraiserId: unit.appraiser.id,
        superiorId: unit.superior.id,
        planDeadline: `${year}-01-31T16:59:59.999Z`,
        ...(m.i % 3 === 0 ? { functionalPosition: { name: 'Analis SDM Aparatur Ahli Pertama', annualCoefficient: 12.5 } } : {}),
      },
      HR,
    ),
  );
  everyMember((unit, m) => {
    if (m.i % 7 === 6) {
      emit(m.stream, 'DefaultPlanSet', { plan: plan(`default-${m.i}`), version: 1, reason: 'No plan submitted by the deadline' }, HR);
      return;
    }
    emit(m.stream, 'PlanDrafted', { plan: plan(m.employeeNip), dialogue: { heldOn: `${year}-01-08` } }, m.me);
    emit(m.stream, 'PlanSubmitted', {}, m.me);
    if (m.i % 5 === 1) {
      emit(m.stream, 'PlanReturned', { reason: 'Indikator belum terukur' }, unit.appraiser, { reason: 'Indikator belum terukur' });
      emit(
        m.stream,
        'PlanDrafted',
        { plan: plan(`${m.employeeNip}-v2`), dialogue: { heldOn: `${year}-01-15`, notes: 'Target diperjelas' } },
        m.me,
      );
      emit(m.stream, 'PlanSubmitted', {}, m.me);
    }
    emit(m.stream, 'PlanApproved', { version: 1 }, unit.appraiser);
    if (m.i % 3 === 0)
      emit(m.stream, 'BehaviourExpectationSet', { behaviour: 'AKUNTABEL', expectation: 'Laporan tepat waktu' }, unit.appraiser);
  });
  everyMember((unit, m) => {
    const document = { uri: `https://dms.example.go.id/${m.employeeNip}/1`, sha256: 'a'.repeat(64) };
    emit(
      m.stream,
      'EvidenceRecorded',
      {
        evidenceId: `ev-${m.i}-1`,
        resultId: `rhk-${m.employeeNip}-1`,
        indicatorId: `iki-${m.employeeNip}-1`,
        period: 'TRIWULAN_I',
        value: 3,
        document,
      },
      m.me,
    );
    emit(
      m.stream,
      'FeedbackGiven',
      { feedbackId: `fb-${m.i}`, text: 'Pertahankan ketepatan waktu', about: { behaviour: 'AKUNTABEL' } },
      unit.appraiser,
    );
    emit(m.stream, 'FeedbackResponded', { feedbackId: `fb-${m.i}`, text: 'Terima kasih, siap' }, m.me);
    if (m.i % 4 === 2) {
      emit(m.stream, 'PlanRevisionProposed', { plan: plan(`${m.employeeNip}-rev`), reason: 'Penugasan baru' }, m.me, {
        reason: 'Penugasan baru',
      });
      emit(m.stream, 'PlanRevisionApproved', { version: 2 }, unit.appraiser);
    }
    emit(
      m.stream,
      'SelfAssessed',
      { period: 'TRIWULAN_I', hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'Sesuai rencana' },
      m.me,
    );
    emit(
      m.stream,
      'PerformanceRated',
      { period: 'TRIWULAN_I', version: 1, ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
      unit.appraiser,
    );
  });
  everyMember((unit, m) => {
    const peer = unit.members[(m.i + 1) % unit.members.length];
    emit(m.stream, 'RaterAssigned', { period: 'TAHUNAN', raterId: peer.employeeNip, relation: 'REKAN_KERJA' }, unit.appraiser);
    const answers = {
      BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI',
      AKUNTABEL: 'DI_ATAS_EKSPEKTASI',
      KOMPETEN: 'SESUAI_EKSPEKTASI',
      HARMONIS: 'SESUAI_EKSPEKTASI',
      LOYAL: 'SESUAI_EKSPEKTASI',
      ADAPTIF: 'SESUAI_EKSPEKTASI',
      KOLABORATIF: 'DI_BAWAH_EKSPEKTASI',
    } as const;
    emit(
      m.stream,
      'BehaviourSurveySubmitted',
      { period: 'TAHUNAN', raterId: peer.employeeNip, answers, comment: 'Kerja sama baik' },
      { id: peer.employeeNip, role: 'REKAN_KERJA' },
    );
    const [hasil, perilaku] = TARGETS[m.i % TARGETS.length];
    if (m.i % 6 === 5) {
      emit(
        m.stream,
        'PerformanceRated',
        { period: 'TAHUNAN', version: 1, ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
        unit.appraiser,
      );
      emit(
        m.stream,
        'RatingRevised',
        { period: 'TAHUNAN', version: 2, supersedesVersion: 1, ...rating(hasil, perilaku), reason: 'Bukti dukung Q4 diperhitungkan' },
        unit.appraiser,
        { reason: 'Bukti dukung Q4 diperhitungkan' },
      );
    } else {
      emit(m.stream, 'PerformanceRated', { period: 'TAHUNAN', version: 1, ...rating(hasil, perilaku) }, unit.appraiser);
    }
  });
  for (const unit of unitList) {
    emit(unit.stream, 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'BAIK' }, unit.leader);
    const checked: CheckedAppraisal[] = unit.members.map((m) => {
      const [hasilKerja, perilakuKerja] = TARGETS[m.i % TARGETS.length];
      return {
        appraisalId: m.appraisalId,
        revision: revisions.get(m.stream) ?? 0,
        predicate: predicateFor(hasilKerja, perilakuKerja),
        hasilKerja,
        perilakuKerja,
        ratingVersion: m.i % 6 === 5 ? 2 : 1,
      };
    });
    const counts = countPredicates(checked.map((c) => c.predicate));
    const bounds = checkDistribution('BAIK', counts, checked.length);
    const failed = bounds.filter((b) => !b.ok).map((b) => b.rule);
    const exception = failed.length === 0 ? undefined : { reason: 'Unit kecil, pola tidak dapat dipenuhi', failedRules: failed };
    emit(
      unit.stream,
      'UnitFinalised',
      {
        period: 'TAHUNAN',
        organisationalPredicate: 'BAIK',
        checked,
        counts,
        n: checked.length,
        bounds,
        ...(exception ? { exception } : {}),
      },
      exception ? unit.upper : unit.leader,
    );
    const deliveredAt = appends[appends.length - 1].events.at(-1)?.metadata.occurredAt ?? '';
    cut();
    for (const c of checked) {
      const m = unit.members.find((x) => x.appraisalId === c.appraisalId);
      if (m === undefined) continue;
      emit(
        m.stream,
        'ResultDelivered',
        {
          period: 'TAHUNAN',
          hasilKerja: c.hasilKerja,
          perilakuKerja: c.perilakuKerja,
          predicate: c.predicate,
          ratingVersion: c.ratingVersion,
          unitStreamId: unit.stream,
          deliveredAt,
        },
        unit.leader,
      );
      cut();
    }
  }
  if (objections) {
    for (const unit of unitList) {
      const [amended, waiting] = [unit.members[1], unit.members[2]];
      if (amended === undefined || waiting === undefined) continue;
      const reviewer: FixtureActor = { id: `reviewer-${unit.unitId}`, role: 'PENINJAU' };
      emit(amended.stream, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'Bukti dukung belum dinilai' }, amended.me, {
        reason: 'Bukti dukung belum dinilai',
      });
      emit(
        amended.stream,
        'StatementRecorded',
        { period: 'TAHUNAN', party: 'PEJABAT_PENILAI', statement: 'Penilaian sesuai bukti' },
        unit.superior,
      );
      emit(amended.stream, 'StatementRecorded', { period: 'TAHUNAN', party: 'PEGAWAI', statement: 'Laporan Q4 terlampir' }, unit.superior);
      emit(amended.stream, 'ReviewerAssigned', { period: 'TAHUNAN', reviewerId: reviewer.id }, unit.superior);
      cut();
      emit(accessStreamId(amended.appraisalId), 'DisputedAppraisalRead', { appraisalId: amended.appraisalId, view: 'APPRAISAL' }, reviewer);
      cut();
      emit(
        amended.stream,
        'ReviewFindingsSubmitted',
        { period: 'TAHUNAN', reviewerId: reviewer.id, findings: 'Bukti Q4 valid', recommendation: 'AMENDED' },
        reviewer,
      );
      emit(
        amended.stream,
        'ObjectionDecided',
        {
          period: 'TAHUNAN',
          outcome: 'AMENDED',
          reasons: 'Bukti Q4 valid',
          previousPredicate: 'BAIK',
          amended: rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
        },
        unit.superior,
        { reason: 'Bukti Q4 valid' },
      );
      cut();
      emit(waiting.stream, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'Perilaku dinilai terlalu rendah' }, waiting.me, {
        reason: 'Perilaku dinilai terlalu rendah',
      });
      cut();
    }
  }
  const real = appends.filter((a) => a.events.length > 0);
  return {
    appends: real,
    appraisalIds: unitList.flatMap((u) => u.members.map((m) => m.appraisalId)),
    unitKeys: unitList.map((u) => `${u.unitId}-${year}`),
    eventCount: real.reduce((n, a) => n + a.events.length, 0),
  };
}

function rating(hasilKerja: Rating, perilakuKerja: Rating) {
  return {
    hasilKerja,
    hasilKerjaJustification: `Hasil kerja ${hasilKerja.toLowerCase()}`,
    perilakuKerja,
    perilakuKerjaJustification: `Perilaku kerja ${perilakuKerja.toLowerCase()}`,
    predicate: predicateFor(hasilKerja, perilakuKerja),
  };
}

/** Appends a scenario (or a slice of it) through a real store; returns the last global position. */
export async function appendAll(store: EventStore, appends: readonly Append[]): Promise<number> {
  let position = 0;
  for (const { streamId, events } of appends) position = (await store.append(streamId, 'any', events)).position;
  return position;
}
