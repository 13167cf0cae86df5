import type { DeliverResult, RatePerformance, ReviseRating } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  APPRAISAL_COMMANDS,
  APPRAISAL_ID,
  NOW,
  PLAN,
  UNIT_FACTS,
  UNIT_STREAM,
  appraiser,
  ctx,
  delivered,
  drafted,
  given,
  leader,
  manager,
  opened,
  pair,
  rated,
  withApprovedPlan,
} from '../testing';
import type { Rating } from '../vocabulary';
import { memberSnapshot } from './decider';

const rate = (h: Rating, p: Rating, period: RatePerformance['data']['period'] = 'TRIWULAN_I'): RatePerformance => ({
  type: 'RatePerformance',
  data: { period, unit: UNIT_FACTS, ...pair(h, p) },
});
const revise = (h: Rating, p: Rating, reason = 'Bukti dukung baru'): ReviseRating => ({
  type: 'ReviseRating',
  data: { period: 'TRIWULAN_I', ...pair(h, p, 'setelah revisi'), reason },
});
const revised = (h: Rating, p: Rating, predicate: string, version = 2): AppraisalEvent => ({
  type: 'RatingRevised',
  data: {
    period: 'TRIWULAN_I',
    ...pair(h, p, 'setelah revisi'),
    version,
    supersedesVersion: version - 1,
    predicate,
    reason: 'Bukti dukung baru',
  } as never,
});

describe('RatePerformance', () => {
  it('rates both dimensions with justifications; the predicate follows from the matrix', () => {
    given(withApprovedPlan())
      .when(rate('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'), ctx(appraiser))
      .then([
        {
          type: 'PerformanceRated',
          data: { period: 'TRIWULAN_I', ...pair('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'), version: 1, predicate: 'SANGAT_BAIK' },
        },
      ]);
  });

  it('treats behaviour below expectation as misconduct: KURANG even with results above', () => {
    const [event] = given(withApprovedPlan()).when(rate('DI_ATAS_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'), ctx(appraiser)).events();
    expect(event.data).toMatchObject({ predicate: 'KURANG' });
  });

  it('needs an approved plan; a default plan counts', () => {
    given([opened(), drafted()]).when(rate('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser)).thenThrows('PLAN_NOT_APPROVED');
    const defaulted: AppraisalEvent[] = [opened(), { type: 'DefaultPlanSet', data: { plan: PLAN, version: 1, reason: 'Tidak ada SKP' } }];
    given(defaulted)
      .when(rate('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser))
      .then([rated('TRIWULAN_I')]);
  });

  it('needs both justifications, non-blank and of sane length', () => {
    const base = rate('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI');
    given(withApprovedPlan())
      .when({ ...base, data: { ...base.data, hasilKerjaJustification: ' ' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED', { field: 'hasilKerjaJustification' });
    given(withApprovedPlan())
      .when({ ...base, data: { ...base.data, perilakuKerjaJustification: '' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED', { field: 'perilakuKerjaJustification' });
    given(withApprovedPlan())
      .when({ ...base, data: { ...base.data, hasilKerjaJustification: 'x'.repeat(4001) } }, ctx(appraiser))
      .thenThrows('TEXT_TOO_LONG');
    given(withApprovedPlan())
      .when({ ...base, data: { ...base.data, hasilKerja: 'LUAR_BIASA' as never } }, ctx(appraiser))
      .thenThrows('INVALID_VALUE');
  });

  it('refuses to rate a rated period again (revise instead), and a period not in use', () => {
    given([...withApprovedPlan(), rated('TRIWULAN_I')])
      .when(rate('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser))
      .thenThrows('ALREADY_RATED');
    given(withApprovedPlan())
      .when(rate('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BULANAN' as never), ctx(appraiser))
      .thenThrows('PERIOD_NOT_IN_USE');
  });
});

describe('ReviseRating', () => {
  const ratedQ1 = [...withApprovedPlan(), rated('TRIWULAN_I')];

  it('adds a new version that points at the one it supersedes', () => {
    const state = given(ratedQ1)
      .when(revise('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser))
      .then([revised('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BUTUH_PERBAIKAN')]);
    expect(state.periods.TRIWULAN_I.rating).toMatchObject({ version: 2, predicate: 'BUTUH_PERBAIKAN' });
    given([...ratedQ1, revised('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BUTUH_PERBAIKAN')])
      .when(revise('DI_BAWAH_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'), ctx(appraiser))
      .then([revised('DI_BAWAH_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI', 'SANGAT_KURANG', 3)]);
  });

  it('needs an existing rating, a reason and justifications', () => {
    given(withApprovedPlan()).when(revise('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser)).thenThrows('NOT_RATED');
    given(ratedQ1)
      .when(revise('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI', ' '), ctx(appraiser))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
    const noJustification = revise('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI');
    given(ratedQ1)
      .when({ ...noJustification, data: { ...noJustification.data, perilakuKerjaJustification: '' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED');
  });

  it('is refused once the result is final (delivered)', () => {
    given([...ratedQ1, delivered('TRIWULAN_I', NOW)])
      .when(revise('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ctx(appraiser))
      .thenThrows('RESULT_ALREADY_FINAL');
  });
});

describe('DeliverResult (issued by the unit finalisation)', () => {
  const deliver = APPRAISAL_COMMANDS.DeliverResult;
  const ratedQ1 = [...withApprovedPlan(), rated('TRIWULAN_I')];
  const withChecked = (change: Partial<DeliverResult['data']['checked']>): DeliverResult => ({
    ...deliver,
    data: { ...deliver.data, checked: { ...deliver.data.checked, ...change } },
  });

  it('delivers the checked rating version at ctx.now; the result is then final', () => {
    const state = given(ratedQ1)
      .when(deliver, ctx(leader))
      .then([
        {
          type: 'ResultDelivered',
          data: {
            period: 'TRIWULAN_I',
            hasilKerja: 'SESUAI_EKSPEKTASI',
            perilakuKerja: 'SESUAI_EKSPEKTASI',
            predicate: 'BAIK',
            ratingVersion: 1,
            unitStreamId: UNIT_STREAM,
            deliveredAt: NOW,
          },
        },
      ]);
    expect(state.periods.TRIWULAN_I.delivery).toEqual({ deliveredAt: NOW, ratingVersion: 1, predicate: 'BAIK', unitStreamId: UNIT_STREAM });
  });

  it('is a conflict when the rating changed after the check', () => {
    given([...ratedQ1, revised('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BAIK')])
      .when(deliver, ctx(leader))
      .thenThrows('RATING_CHANGED_SINCE_CHECK', { checkedVersion: 1, currentVersion: 2 });
    given(ratedQ1)
      .when(withChecked({ predicate: 'SANGAT_BAIK' }), ctx(leader))
      .thenThrows('RATING_CHANGED_SINCE_CHECK');
  });

  it('is refused when already delivered, when unrated, and for a foreign snapshot', () => {
    given([...ratedQ1, delivered('TRIWULAN_I', NOW)])
      .when(deliver, ctx(leader))
      .thenThrows('RESULT_ALREADY_FINAL');
    given(withApprovedPlan()).when(deliver, ctx(leader)).thenThrows('NOT_RATED');
    given(ratedQ1)
      .when(withChecked({ appraisalId: '2025-199901012020121001' }), ctx(leader))
      .thenThrows('SNAPSHOT_MISMATCH');
    given(ratedQ1)
      .when({ ...deliver, data: { ...deliver.data, unitStreamId: 'unit-lain-2025' } }, ctx(leader))
      .thenThrows('SNAPSHOT_MISMATCH');
  });

  it('only in the name of a unit leader', () => {
    given(ratedQ1).when(deliver, ctx(manager)).thenThrows('ROLE_NOT_ALLOWED', { required: 'PIMPINAN_UNIT' });
  });
});

describe('memberSnapshot', () => {
  it('reads the current rating of the period at the given revision', () => {
    const state = given([...withApprovedPlan(), rated('TRIWULAN_I', 'DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI')]).state;
    expect(memberSnapshot(state, 'TRIWULAN_I', 4)).toEqual({
      appraisalId: APPRAISAL_ID,
      revision: 4,
      rating: { hasilKerja: 'DI_ATAS_EKSPEKTASI', perilakuKerja: 'DI_ATAS_EKSPEKTASI', predicate: 'SANGAT_BAIK', version: 1 },
    });
  });

  it('is null for an unrated period', () => {
    expect(memberSnapshot(given(withApprovedPlan()).state, 'TAHUNAN', 3)).toEqual({ appraisalId: APPRAISAL_ID, revision: 3, rating: null });
  });
});
