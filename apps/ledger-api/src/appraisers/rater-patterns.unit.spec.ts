import { appraisalStreamId, BEHAVIOURS, predicateFor, type Rating } from '@ledger/appraisal';
import { appraisalsProjection, type AppraisalView } from '@ledger/read-models';
import { StoredEventLog } from '@ledger/read-models/testing';
import { distribution, raterPatterns } from './rater-patterns';

const LENIENT = '198001012005011002';
const OTHER = '198201012006011003';
const K = 3; // the policy's surveyMinimumGroup
const plan = {
  results: [
    {
      id: 'r1',
      kind: 'UTAMA' as const,
      description: 'd',
      indicators: [{ id: 'i1', description: 'd', aspect: 'KUANTITAS' as const, target: { value: 1, unit: 'u' } }],
    },
  ],
};

interface Spec {
  n: number;
  unitId: string;
  appraiserId: string;
  hasil: Rating;
  perilaku: Rating;
  peers?: Rating;
  raters?: number;
  self?: Rating;
}

function view({ n, unitId, appraiserId, hasil, perilaku, peers, raters = K, self }: Spec): AppraisalView {
  const nip = `19900101201501${String(n).padStart(4, '0')}`;
  const log = new StoredEventLog();
  const s = appraisalStreamId(`2026-${nip}`);
  const appraiser = { id: appraiserId, role: 'PEJABAT_PENILAI' as const };
  const employee = { id: nip, role: 'PEGAWAI' as const };
  log.record(
    s,
    'AppraisalOpened',
    {
      appraisalId: `2026-${nip}`,
      employeeNip: nip,
      employeeName: 'x',
      year: 2026,
      unitId,
      appraiserId,
      superiorId: '197001012000011009',
      planDeadline: '2026-01-31T16:59:59.999Z',
    },
    { id: 'hr', role: 'PENGELOLA_KINERJA' },
  );
  log.record(s, 'PlanDrafted', { plan, dialogue: { heldOn: '2026-01-05' } }, employee);
  log.record(s, 'PlanSubmitted', {}, employee);
  log.record(s, 'PlanApproved', { version: 1 }, appraiser);
  if (self) log.record(s, 'SelfAssessed', { period: 'TAHUNAN', hasilKerja: self, perilakuKerja: self, note: 'n' }, employee);
  for (let i = 0; peers && i < raters; i++) {
    const rater = `19910505201801177${i}`;
    log.record(s, 'RaterAssigned', { period: 'TAHUNAN', raterId: rater, relation: 'REKAN_KERJA' }, appraiser);
    const answers = Object.fromEntries(BEHAVIOURS.map((b) => [b, peers])) as Record<(typeof BEHAVIOURS)[number], Rating>;
    log.record(s, 'BehaviourSurveySubmitted', { period: 'TAHUNAN', raterId: rater, answers }, { id: rater, role: 'REKAN_KERJA' });
  }
  log.record(
    s,
    'PerformanceRated',
    {
      period: 'TAHUNAN',
      version: 1,
      predicate: predicateFor(hasil, perilaku),
      hasilKerja: hasil,
      hasilKerjaJustification: 'j',
      perilakuKerja: perilaku,
      perilakuKerjaJustification: 'j',
    },
    appraiser,
  );
  return log.events.reduce<AppraisalView | null>((doc, e) => appraisalsProjection.evolve(doc, e), null) as AppraisalView;
}

describe('rater patterns', () => {
  const ATAS = 'DI_ATAS_EKSPEKTASI',
    SESUAI = 'SESUAI_EKSPEKTASI',
    BAWAH = 'DI_BAWAH_EKSPEKTASI';
  const agency = [
    view({ n: 1, unitId: 'a', appraiserId: LENIENT, hasil: ATAS, perilaku: ATAS, peers: SESUAI, self: SESUAI }),
    view({ n: 2, unitId: 'a', appraiserId: LENIENT, hasil: ATAS, perilaku: ATAS, peers: ATAS }),
    view({ n: 3, unitId: 'a', appraiserId: OTHER, hasil: SESUAI, perilaku: SESUAI }),
    view({ n: 4, unitId: 'a', appraiserId: OTHER, hasil: BAWAH, perilaku: SESUAI, self: ATAS }),
    view({ n: 5, unitId: 'b', appraiserId: OTHER, hasil: SESUAI, perilaku: SESUAI }),
  ];

  it('sets one appraiser’s predicates beside their unit (without them) and the agency', () => {
    const p = raterPatterns(LENIENT, 2026, 'TAHUNAN', agency, K);
    expect(p.appraiser).toMatchObject({ n: 2, counts: { SANGAT_BAIK: 2, BAIK: 0 }, shares: { SANGAT_BAIK: 1 } });
    expect(p.units).toEqual([
      {
        unitId: 'a',
        all: distribution(['SANGAT_BAIK', 'SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN']),
        others: distribution(['BAIK', 'BUTUH_PERBAIKAN']),
      },
    ]);
    expect(p.agency).toMatchObject({
      n: 5,
      counts: { SANGAT_BAIK: 2, BAIK: 2, BUTUH_PERBAIKAN: 1 },
      shares: { SANGAT_BAIK: 0.4, BAIK: 0.4, BUTUH_PERBAIKAN: 0.2 },
    });
  });

  it('counts where the appraiser’s behaviour rating sits against the 360 peers and the self-assessment', () => {
    const p = raterPatterns(LENIENT, 2026, 'TAHUNAN', agency, K);
    expect(p.versusPeers).toEqual({ compared: 2, appraiserHigher: 1, same: 1, appraiserLower: 0 });
    expect(p.versusSelf).toEqual({ compared: 1, appraiserHigher: 1, same: 0, appraiserLower: 0 });
    expect(raterPatterns(OTHER, 2026, 'TAHUNAN', agency, K).versusSelf).toEqual({
      compared: 1,
      appraiserHigher: 0,
      same: 0,
      appraiserLower: 1,
    });
  });

  it('leaves out the peer view of a period with fewer 360 surveys than the minimum group, for every size below it', () => {
    for (let raters = 1; raters < K; raters++) {
      const small = [view({ n: 9, unitId: 'a', appraiserId: LENIENT, hasil: ATAS, perilaku: ATAS, peers: SESUAI, raters })];
      const none = { compared: 0, appraiserHigher: 0, same: 0, appraiserLower: 0 };
      expect(raterPatterns(LENIENT, 2026, 'TAHUNAN', small, K).versusPeers).toEqual(none);
    }
    const enough = [view({ n: 9, unitId: 'a', appraiserId: LENIENT, hasil: ATAS, perilaku: ATAS, peers: SESUAI, raters: K })];
    expect(raterPatterns(LENIENT, 2026, 'TAHUNAN', enough, K).versusPeers.compared).toBe(1);
  });

  it('leaves unrated appraisals and other periods out', () => {
    expect(raterPatterns(LENIENT, 2026, 'TRIWULAN_I', agency, K).agency.n).toBe(0);
    expect(distribution([]).shares.BAIK).toBe(0);
  });
});
