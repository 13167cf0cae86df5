import { randomUUID } from 'node:crypto';
import type { AppraisalEvent, UnitEvent } from '@ledger/appraisal';
import { appraisalIdFor, appraisalStreamId, BEHAVIOURS, EVENT_SCHEMA_VERSIONS, unitStreamId } from '@ledger/appraisal';
import type { NewEvent } from '@ledger/event-store';

/** Domain-shaped streams for benchmarks: one unit, and appraisals of 20 events each. */
export const nip = (n: number): string => `19900101${String(n).padStart(10, '0')}`;
const APPRAISER = '198001012005011002';
const SUPERIOR = '197001012000011003';

function envelope(e: AppraisalEvent | UnitEvent, at: number, actorId: string, actorRole: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: e.type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[e.type],
    data: e.data as Record<string, unknown>,
    metadata: { actorId, actorRole, occurredAt: new Date(at).toISOString(), correlationId: randomUUID(), causationId: randomUUID() },
  };
}

export function unitStream(unitId: string, year: number): { streamId: string; events: NewEvent[] } {
  const opened: UnitEvent = {
    type: 'UnitOpened',
    data: { unitId, year, name: `Unit ${unitId}`, leaderId: '196501011990011001', upperLeaderId: '196001011985011001' },
  };
  return { streamId: unitStreamId(unitId, year), events: [envelope(opened, Date.UTC(year, 0, 2), 'hr-1', 'PENGELOLA_KINERJA')] };
}

/** Twenty events: open, plan, feedback, evidence, 360, self-assessment, rating. */
export function appraisalStream(n: number, unitId: string, year: number): { streamId: string; events: NewEvent[] } {
  const employee = nip(n);
  const appraisalId = appraisalIdFor(employee, year);
  let t = Date.UTC(year, 0, 3, 2, 0, 0) + n;
  const at = () => (t += 60_000);
  const plan = {
    results: [
      {
        id: 'r1',
        kind: 'UTAMA' as const,
        description: 'Layanan izin selesai tepat waktu',
        indicators: [{ id: 'i1', description: 'Izin diproses', aspect: 'KUANTITAS' as const, target: { value: 120, unit: 'izin' } }],
      },
    ],
  };
  const answers = Object.fromEntries(BEHAVIOURS.map((b) => [b, 'SESUAI_EKSPEKTASI'])) as Record<
    (typeof BEHAVIOURS)[number],
    'SESUAI_EKSPEKTASI'
  >;
  const byEmployee = (e: AppraisalEvent) => envelope(e, at(), employee, 'PEGAWAI');
  const byAppraiser = (e: AppraisalEvent) => envelope(e, at(), APPRAISER, 'PEJABAT_PENILAI');
  const events: NewEvent[] = [
    envelope(
      {
        type: 'AppraisalOpened',
        data: {
          appraisalId,
          employeeNip: employee,
          employeeName: `Pegawai ${n}`,
          year,
          unitId,
          appraiserId: APPRAISER,
          superiorId: SUPERIOR,
          planDeadline: `${year}-01-31T16:59:59.999Z`,
        },
      },
      at(),
      'hr-1',
      'PENGELOLA_KINERJA',
    ),
    byEmployee({ type: 'PlanDrafted', data: { plan, dialogue: { heldOn: `${year}-01-05` } } }),
    byEmployee({ type: 'PlanSubmitted', data: {} }),
    byAppraiser({ type: 'PlanApproved', data: { version: 1 } }),
  ];
  for (let i = 0; i < 4; i++) {
    events.push(
      byAppraiser({
        type: 'FeedbackGiven',
        data: { feedbackId: `f${i}`, text: 'Pertahankan ketepatan waktu layanan.', about: { resultId: 'r1' } },
      }),
    );
    events.push(byEmployee({ type: 'FeedbackResponded', data: { feedbackId: `f${i}`, text: 'Siap, terima kasih.' } }));
  }
  for (let i = 0; i < 4; i++) {
    events.push(
      byEmployee({
        type: 'EvidenceRecorded',
        data: {
          evidenceId: `e${i}`,
          resultId: 'r1',
          indicatorId: 'i1',
          period: 'TAHUNAN',
          value: 30,
          document: { uri: `https://dms.example.go.id/doc/${n}/${i}`, sha256: 'a'.repeat(64) },
        },
      }),
    );
  }
  events.push(
    byEmployee({
      type: 'SelfAssessed',
      data: { period: 'TAHUNAN', hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'Target tercapai.' },
    }),
  );
  events.push(byAppraiser({ type: 'RaterAssigned', data: { period: 'TAHUNAN', raterId: nip(n + 1_000_000), relation: 'REKAN_KERJA' } }));
  events.push(
    envelope(
      { type: 'BehaviourSurveySubmitted', data: { period: 'TAHUNAN', raterId: nip(n + 1_000_000), answers } },
      at(),
      nip(n + 1_000_000),
      'REKAN_KERJA',
    ),
  );
  events.push(
    byAppraiser({
      type: 'PerformanceRated',
      data: {
        period: 'TAHUNAN',
        version: 1,
        hasilKerja: 'SESUAI_EKSPEKTASI',
        hasilKerjaJustification: 'Target izin tercapai 100%.',
        perilakuKerja: 'SESUAI_EKSPEKTASI',
        perilakuKerjaJustification: 'Konsisten melayani.',
        predicate: 'BAIK',
      },
    }),
  );
  return { streamId: appraisalStreamId(appraisalId), events };
}
