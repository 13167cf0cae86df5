import {
  accessStreamId,
  appraisalDecider,
  appraisalIdFor,
  appraisalStreamId,
  DEFAULT_POLICY,
  serviceDecider,
  serviceStreamId,
  SKM_ELEMENTS,
  memberSnapshot,
  unitDecider,
  unitStreamId,
  type Actor,
  type AppraisalCommand,
  type PlanContent,
  type Role,
  type ServiceCommand,
  type SkmScores,
  type UnitCommand,
  type UnitFinalised,
} from '@ledger/appraisal';
import { SqliteEventStore, type EventStore, type StoredEvent } from '@ledger/event-store';
import { RunAppraisalCommand, RunAppraisalCommandHandler } from '../../apps/ledger-api/src/commands/aggregate-commands';
import { CommandPath } from '../../apps/ledger-api/src/commands/command-path';
import { ManualClock, SequentialIds } from '../../apps/ledger-api/src/testing/clock-and-ids';

// ---- a year decided by the real deciders ------------------------------------------------------
// Commands go through the API's own command path (load, fold, decide, wrap in the envelope,
// append with the expected revision) into a real SQLite store in memory; the unit finalisation
// and the logged reads are driven the way their handlers drive them. What comes back from
// readAll is exactly what the relay and the feed hand on.

const YEAR = 2026;
const who = (role: Role, id: string): Actor => ({ id, role });
const manager = who('PENGELOLA_KINERJA', '198001012005011001');
const leader = who('PIMPINAN_UNIT', '197001012000011001');
const upperLeader = who('PIMPINAN_UNIT', '196501011990011001');
const appraiser = who('PEJABAT_PENILAI', '198501012010011001');
const newAppraiser = who('PEJABAT_PENILAI', '198601012011011001');
const superior = who('ATASAN_PEJABAT_PENILAI', '197501012000011002');
const reviewer = who('PENINJAU', 'inspektorat-01');
const [e1, e2, e3] = ['199001012020121001', '199001012020121002', '199001012020121003'].map((nip) => who('PEGAWAI', nip));
const [peer, subordinate] = ['199201012020121009', '199801012022121004'].map((nip) => who('REKAN_KERJA', nip));
const PLAN: PlanContent = {
  results: [
    {
      id: 'R1',
      kind: 'UTAMA',
      description: 'Laporan kinerja biro tersusun',
      supportsSuperiorResult: 'Kinerja biro meningkat',
      indicators: [{ id: 'R1-I1', description: 'Laporan tepat waktu', aspect: 'WAKTU', target: { value: 12, unit: 'laporan' } }],
    },
    {
      id: 'R2',
      kind: 'TAMBAHAN',
      description: 'Pendampingan pegawai baru',
      indicators: [{ id: 'R2-I1', description: 'Pegawai didampingi', aspect: 'KUANTITAS', target: { value: 3, unit: 'orang' } }],
    },
  ],
};
const pair = (hasilKerja: 'DI_ATAS_EKSPEKTASI' | 'SESUAI_EKSPEKTASI' | 'DI_BAWAH_EKSPEKTASI', perilakuKerja: typeof hasilKerja) => ({
  hasilKerja,
  hasilKerjaJustification: 'Sesuai bukti dukung',
  perilakuKerja,
  perilakuKerjaJustification: 'Sesuai hasil survei',
});
const BASIS = { uri: 'https://dms.example.go.id/capaian-organisasi', sha256: 'cd'.repeat(32) };
const ANSWERS = {
  BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI',
  AKUNTABEL: 'DI_ATAS_EKSPEKTASI',
  KOMPETEN: 'SESUAI_EKSPEKTASI',
  HARMONIS: 'SESUAI_EKSPEKTASI',
  LOYAL: 'SESUAI_EKSPEKTASI',
  ADAPTIF: 'SESUAI_EKSPEKTASI',
  KOLABORATIF: 'DI_BAWAH_EKSPEKTASI',
} as const;

/**
 * Writes the year into `into` (default: a SQLite store in memory, closed afterwards) and returns
 * every event it stored, in global order, as readAll gives them.
 */
export async function decidedYear(into?: EventStore): Promise<StoredEvent[]> {
  const store = into ?? SqliteEventStore.open({ path: ':memory:' });
  const clock = new ManualClock(`${YEAR}-01-05T02:00:00.000Z`);
  const path = new CommandPath(store, clock, new SequentialIds(), DEFAULT_POLICY);
  let request = 0;
  const ctx = (actor: Actor, causationId?: string) => {
    request += 1;
    return { actor, requestId: causationId ?? `request-${request}`, correlationId: `correlation-${request}` };
  };
  const id = (employee: Actor) => appraisalIdFor(employee.id, YEAR);
  // Through the api's own handler, so the unit facts a decision needs are read as in production.
  const handler = new RunAppraisalCommandHandler(path);
  const on = async (employee: Actor, actor: Actor, ...commands: AppraisalCommand[]) => {
    for (const command of commands) await handler.execute(new RunAppraisalCommand(id(employee), command, ctx(actor)));
  };
  const onUnit = (unitId: string, actor: Actor, command: UnitCommand) =>
    path.execute(unitStreamId(unitId, YEAR), unitDecider, command, ctx(actor));
  const finalise = async (unitId: string, actor: Actor, members: Actor[], exceptionReason?: string) => {
    const snapshots = [];
    for (const m of members) {
      const folded = await path.fold(appraisalStreamId(id(m)), appraisalDecider);
      snapshots.push(memberSnapshot(folded.state, 'TAHUNAN', folded.revision));
    }
    const command: UnitCommand =
      exceptionReason === undefined
        ? { type: 'FinaliseUnit', data: { period: 'TAHUNAN', members: snapshots } }
        : { type: 'FinaliseUnitWithException', data: { period: 'TAHUNAN', members: snapshots, reason: exceptionReason } };
    const outcome = await onUnit(unitId, actor, command);
    const [finalised] = await store.readStream(outcome.streamId, { fromRevision: outcome.revision });
    for (const checked of (finalised.data as UnitFinalised['data']).checked) {
      const deliver: AppraisalCommand = { type: 'DeliverResult', data: { checked, period: 'TAHUNAN', unitStreamId: outcome.streamId } };
      await path.execute(appraisalStreamId(checked.appraisalId), appraisalDecider, deliver, ctx(actor, finalised.eventId));
    }
  };
  const read = (employee: Actor, actor: Actor, view: 'APPRAISAL' | 'AUDIT_TRAIL') => {
    const event = { type: 'DisputedAppraisalRead', data: { appraisalId: id(employee), view } };
    return path.record(accessStreamId(id(employee)), [event], path.metaFor(ctx(actor), event));
  };
  const open = (employee: Actor, unitId: string, extra: object = {}): AppraisalCommand => ({
    type: 'OpenAppraisal',
    data: {
      appraisalId: id(employee),
      employeeNip: employee.id,
      employeeName: `Pegawai ${employee.id.slice(-3)}`,
      year: YEAR,
      unitId,
      appraiserId: appraiser.id,
      superiorId: superior.id,
      ...extra,
    },
  });
  const draft: AppraisalCommand = {
    type: 'DraftPlan',
    data: { plan: PLAN, dialogue: { heldOn: `${YEAR}-01-02`, notes: 'Target disepakati' } },
  };
  const submit: AppraisalCommand = { type: 'SubmitPlan', data: {} };
  const approve: AppraisalCommand = { type: 'ApprovePlan', data: {} };
  try {
    for (const unitId of ['biro-sdm', 'biro-umum']) {
      await onUnit(unitId, manager, {
        type: 'OpenUnit',
        data: { unitId, year: YEAR, name: `Biro ${unitId}`, leaderId: leader.id, upperLeaderId: upperLeader.id },
      });
    }
    await on(
      e1,
      manager,
      open(e1, 'biro-sdm', { functionalPosition: { name: 'Analis SDM Aparatur Ahli Muda', annualCoefficient: 25 } }),
      { type: 'SetPlanDeadline', data: { planDeadline: `${YEAR}-02-15T23:59+07:00`, reason: 'Perpanjangan untuk pegawai baru' } },
      { type: 'ReassignAppraiser', data: { appraiserId: newAppraiser.id, superiorId: superior.id, reason: 'Mutasi jabatan' } },
    );
    await on(e2, manager, open(e2, 'biro-sdm'));
    await on(e3, manager, open(e3, 'biro-sdm'), {
      type: 'CorrectAppraisalUnit',
      data: { unitId: 'biro-umum', reason: 'Salah unit saat pembukaan' },
    });
    await on(e1, e1, draft, submit);
    await on(e1, newAppraiser, { type: 'ReturnPlan', data: { reason: 'Indikator belum terukur' } });
    await on(e1, e1, { type: 'DraftPlan', data: { plan: PLAN, dialogue: { heldOn: `${YEAR}-01-04` } } }, submit);
    await on(e1, newAppraiser, approve, {
      type: 'SetBehaviourExpectation',
      data: { behaviour: 'AKUNTABEL', expectation: 'Laporan tepat waktu' },
    });
    await on(e2, e2, draft, submit);
    await on(e2, appraiser, approve);
    clock.set(`${YEAR}-02-02T02:00:00.000Z`);
    await on(e3, manager, { type: 'SetDefaultPlan', data: { plan: PLAN, reason: 'Tidak ada SKP sampai batas waktu' } });
    clock.set(`${YEAR}-04-01T02:00:00.000Z`);
    const document = { uri: 'https://dms.example.go.id/doc/1', sha256: 'ab'.repeat(32) };
    await on(
      e1,
      e1,
      {
        type: 'RecordEvidence',
        data: { evidenceId: 'E1', resultId: 'R1', indicatorId: 'R1-I1', period: 'TRIWULAN_I', value: 3, document, note: 'Laporan Q1' },
      },
      {
        type: 'RecordEvidence',
        data: { evidenceId: 'E2', resultId: 'R2', indicatorId: 'R2-I1', period: 'TRIWULAN_I', value: 1, document },
      },
    );
    // Public feedback (SKM): a service of biro-sdm, a code naming e1 and one naming nobody, both answered.
    await onUnit('biro-sdm', manager, { type: 'DeclareService', data: { serviceId: 'loket-sdm', name: 'Loket Layanan SDM' } });
    const facts = { unitId: 'biro-sdm', year: YEAR, serviceId: 'loket-sdm', declared: true, officerUnitId: 'biro-sdm' };
    const onService = (actor: Actor, command: ServiceCommand) =>
      path.execute(serviceStreamId('biro-sdm', YEAR, 'loket-sdm'), serviceDecider, command, ctx(actor));
    const scores = (value: number) => Object.fromEntries(SKM_ELEMENTS.map((e) => [e, value])) as SkmScores;
    const citizen = who('MASYARAKAT', 'masyarakat');
    const [named, anonymous] = ['e'.repeat(64), 'f'.repeat(64)];
    await onService(e1, { type: 'IssueFeedbackCode', data: { codeHash: named, officerId: e1.id, facts } });
    await onService(who('LAYANAN_INTERNAL', 'svc-antrian'), { type: 'IssueFeedbackCode', data: { codeHash: anonymous, facts } });
    const feedbackId = '6f1d2c3b-4a5e-5f60-8a7b-1c2d3e4f5a6b';
    await onService(citizen, {
      type: 'SubmitPublicFeedback',
      data: { codeHash: named, feedbackId, scores: scores(3), comment: 'Ramah, hubungi 081234567890', facts },
    });
    await onService(citizen, {
      type: 'SubmitPublicFeedback',
      data: { codeHash: anonymous, feedbackId: '7a2e3d4c-5b6f-5a71-9b8c-2d3e4f5a6b7c', scores: scores(4), facts },
    });
    await onService(e1, { type: 'RespondToPublicFeedback', data: { feedbackId, text: 'Terima kasih' } });
    await on(
      e1,
      newAppraiser,
      { type: 'GiveFeedback', data: { feedbackId: 'F1', text: 'Pertahankan', about: { evidenceId: 'E1' } } },
      { type: 'GiveFeedback', data: { feedbackId: 'F2', text: 'Tingkatkan koordinasi' } },
    );
    await on(
      e1,
      e1,
      { type: 'RespondToFeedback', data: { feedbackId: 'F2', text: 'Siap' } },
      { type: 'SelfAssess', data: { period: 'TRIWULAN_I', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), note: 'Sesuai target' } },
      { type: 'ProposePlanRevision', data: { plan: PLAN, reason: 'Penugasan baru' } },
    );
    await on(e1, newAppraiser, { type: 'RejectPlanRevision', data: { reason: 'Belum relevan' } });
    await on(e1, e1, { type: 'ProposePlanRevision', data: { plan: PLAN, reason: 'Penugasan baru, diperjelas' } });
    await on(
      e1,
      newAppraiser,
      { type: 'ApprovePlanRevision', data: {} },
      { type: 'AssignRater', data: { period: 'TAHUNAN', raterId: peer.id, relation: 'REKAN_KERJA' } },
      { type: 'AssignRater', data: { period: 'TAHUNAN', raterId: subordinate.id, relation: 'BAWAHAN' } },
    );
    clock.set(`${YEAR}-12-15T02:00:00.000Z`);
    await on(e1, peer, { type: 'SubmitBehaviourSurvey', data: { period: 'TAHUNAN', answers: ANSWERS, comment: 'Kerja sama baik' } });
    await on(e1, subordinate, { type: 'SubmitBehaviourSurvey', data: { period: 'TAHUNAN', answers: ANSWERS } });
    await on(e1, e1, { type: 'SelfAssess', data: { period: 'TAHUNAN', ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } });
    clock.set(`${YEAR + 1}-01-10T02:00:00.000Z`);
    // The organisational predicate comes first (SE MenPANRB 3/2023); no member is rated yet.
    for (const unitId of ['biro-sdm', 'biro-umum']) {
      await onUnit(unitId, leader, {
        type: 'SetOrganisationalPredicate',
        data: { period: 'TAHUNAN', predicate: 'BAIK', basis: BASIS, members: [] },
      });
    }
    await on(
      e1,
      newAppraiser,
      { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } },
      {
        type: 'ReviseRating',
        data: { period: 'TAHUNAN', ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), reason: 'Bukti Q4 diperhitungkan' },
      },
    );
    await on(e2, appraiser, { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } });
    await on(e3, appraiser, { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } });
    // A change after rating: it needs a reason, and records the pattern under both predicates.
    const rated = [];
    for (const m of [e1, e2]) {
      const folded = await path.fold(appraisalStreamId(id(m)), appraisalDecider);
      rated.push(memberSnapshot(folded.state, 'TAHUNAN', folded.revision));
    }
    await onUnit('biro-sdm', leader, {
      type: 'SetOrganisationalPredicate',
      data: {
        period: 'TAHUNAN',
        predicate: 'ISTIMEWA',
        basis: { ...BASIS, uri: `${BASIS.uri}/revisi` },
        reason: 'Capaian organisasi dikoreksi',
        members: rated,
      },
    });
    await finalise('biro-sdm', leader, [e1, e2]);
    await finalise('biro-umum', upperLeader, [e3], 'Unit satu orang: pola distribusi tidak dapat dipenuhi');
    clock.set(`${YEAR + 1}-01-20T02:00:00.000Z`);
    for (const employee of [e1, e2]) {
      await on(employee, employee, { type: 'FileObjection', data: { period: 'TAHUNAN', reasons: 'Bukti dukung belum dinilai' } });
      await on(
        employee,
        superior,
        { type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'PEJABAT_PENILAI', statement: 'Penilaian sesuai bukti' } },
        { type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'PEGAWAI', statement: 'Laporan Q4 terlampir' } },
      );
    }
    await on(e1, superior, { type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId: reviewer.id } });
    await read(e1, reviewer, 'APPRAISAL');
    await read(e1, who('AUDITOR', 'auditor-01'), 'AUDIT_TRAIL');
    await on(e1, reviewer, {
      type: 'SubmitReviewFindings',
      data: { period: 'TAHUNAN', findings: 'Bukti Q4 valid', recommendation: 'AMENDED' },
    });
    await on(e1, superior, {
      type: 'DecideObjection',
      data: { period: 'TAHUNAN', outcome: 'AMENDED', reasons: 'Bukti Q4 valid', amended: pair('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI') },
    });
    await on(e2, superior, { type: 'DecideObjection', data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti' } });
    return await store.readAll({ fromPosition: 0, limit: 10_000 });
  } finally {
    if (into === undefined) await store.close();
  }
}
