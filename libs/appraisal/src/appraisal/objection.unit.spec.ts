import type { DecideObjection, FileObjection } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  APPRAISER,
  DELIVERED_AT,
  EMPLOYEE,
  RATER,
  REVIEWER,
  STRANGER,
  SUPERIOR,
  as,
  ctx,
  employee,
  given,
  objectionFiled,
  pair,
  raterAssigned,
  reviewer,
  reviewerAssigned,
  statement,
  superior,
  withApprovedPlan,
  withBothStatements,
  withDeliveredAnnual,
  withObjection,
} from '../testing';

const DAY_14_2359_WIB = '2026-02-24T16:59:00.000Z';
const DAY_15_0000_WIB = '2026-02-24T17:00:00.000Z';
const FILED_AT = '2026-02-11T02:00:00.000Z';
const file = (reasons = 'Bukti dukung belum dipertimbangkan', period: FileObjection['data']['period'] = 'TAHUNAN'): FileObjection => ({
  type: 'FileObjection',
  data: { period, reasons },
});

describe('FileObjection (PP 30/2019 Art. 59)', () => {
  it('the employee objects in writing to a delivered result', () => {
    given(withDeliveredAnnual())
      .when(file(), ctx(employee, FILED_AT))
      .then([objectionFiled('TAHUNAN')]);
  });

  it('counts calendar days in Asia/Jakarta: delivered 23:30 WIB, day 14 at 23:59 WIB is in time', () => {
    given(withDeliveredAnnual())
      .when(file(), ctx(employee, DAY_14_2359_WIB))
      .then([objectionFiled('TAHUNAN')]);
  });

  it('day 15 at 00:00 WIB is late, and the refusal says when it was delivered and the last day in time', () => {
    given(withDeliveredAnnual())
      .when(file(), ctx(employee, DAY_15_0000_WIB))
      .thenThrows('OBJECTION_WINDOW_CLOSED', { deliveredAt: DELIVERED_AT, lastDayInTime: '2026-02-24', timeZone: 'Asia/Jakarta' });
  });

  it('needs written reasons', () => {
    given(withDeliveredAnnual()).when(file('   '), ctx(employee, FILED_AT)).thenThrows('TEXT_REQUIRED', { field: 'reasons' });
    given(withDeliveredAnnual())
      .when(file('x'.repeat(4001)), ctx(employee, FILED_AT))
      .thenThrows('TEXT_TOO_LONG');
  });

  it('only for a delivered result, and once per result', () => {
    given(withApprovedPlan()).when(file(), ctx(employee, FILED_AT)).thenThrows('RESULT_NOT_DELIVERED');
    given(withObjection()).when(file(), ctx(employee, FILED_AT)).thenThrows('OBJECTION_ALREADY_FILED');
  });

  it('the decision is final: no further objection after it', () => {
    const decided: AppraisalEvent = {
      type: 'ObjectionDecided',
      data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'x', previousPredicate: 'BAIK' },
    };
    given([...withBothStatements(), decided])
      .when(file(), ctx(employee, FILED_AT))
      .thenThrows('OBJECTION_ALREADY_FILED');
  });
});

describe('RecordStatement', () => {
  const record = (party: 'PEGAWAI' | 'PEJABAT_PENILAI', text = `Keterangan ${party}`) =>
    ({ type: 'RecordStatement', data: { period: 'TAHUNAN', party, statement: text } }) as const;

  it('the superior records the statement of each party once', () => {
    given(withObjection())
      .when(record('PEJABAT_PENILAI'), ctx(superior))
      .then([statement('TAHUNAN', 'PEJABAT_PENILAI')]);
    given([...withObjection(), statement('TAHUNAN', 'PEJABAT_PENILAI')])
      .when(record('PEGAWAI'), ctx(superior))
      .then([statement('TAHUNAN', 'PEGAWAI')]);
    given([...withObjection(), statement('TAHUNAN', 'PEGAWAI')])
      .when(record('PEGAWAI'), ctx(superior))
      .thenThrows('STATEMENT_ALREADY_RECORDED');
  });

  it('needs an undecided objection, a known party and a statement', () => {
    given(withDeliveredAnnual()).when(record('PEGAWAI'), ctx(superior)).thenThrows('NO_OBJECTION');
    given(withObjection())
      .when({ type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'SAKSI' as never, statement: 'x' } }, ctx(superior))
      .thenThrows('INVALID_VALUE');
    given(withObjection()).when(record('PEGAWAI', ''), ctx(superior)).thenThrows('TEXT_REQUIRED');
  });
});

describe('AssignReviewer and SubmitReviewFindings', () => {
  const assign = (reviewerId: string) => ({ type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId } }) as const;
  const findings = {
    type: 'SubmitReviewFindings',
    data: { period: 'TAHUNAN', findings: 'Bukti mendukung', recommendation: 'AMENDED' },
  } as const;
  const withReviewer = [...withObjection(), reviewerAssigned('TAHUNAN')];

  it('the superior may assign one independent reviewer', () => {
    given(withObjection())
      .when(assign(REVIEWER), ctx(superior))
      .then([reviewerAssigned('TAHUNAN')]);
    given(withReviewer).when(assign(STRANGER), ctx(superior)).thenThrows('REVIEWER_ALREADY_ASSIGNED');
    given(withDeliveredAnnual()).when(assign(REVIEWER), ctx(superior)).thenThrows('NO_OBJECTION');
  });

  it.each([
    ['PEGAWAI', EMPLOYEE],
    ['PEJABAT_PENILAI', APPRAISER],
    ['ATASAN_PEJABAT_PENILAI', SUPERIOR],
    ['REKAN_KERJA', RATER],
  ])('a reviewer has no other role in the appraisal (not %s)', (otherRole, id) => {
    given([...withObjection(), raterAssigned('TRIWULAN_II')])
      .when(assign(id), ctx(superior))
      .thenThrows('REVIEWER_HAS_OTHER_ROLE', { otherRole });
  });

  it('the assigned reviewer submits advisory findings once', () => {
    given(withReviewer)
      .when(findings, ctx(reviewer))
      .then([
        {
          type: 'ReviewFindingsSubmitted',
          data: { period: 'TAHUNAN', reviewerId: REVIEWER, findings: 'Bukti mendukung', recommendation: 'AMENDED' },
        },
      ]);
    const done: AppraisalEvent = {
      type: 'ReviewFindingsSubmitted',
      data: { period: 'TAHUNAN', reviewerId: REVIEWER, findings: 'x', recommendation: 'UPHELD' },
    };
    given([...withReviewer, done])
      .when(findings, ctx(reviewer))
      .thenThrows('FINDINGS_ALREADY_SUBMITTED');
  });

  it('only the reviewer assigned to that objection, with findings and a known recommendation', () => {
    given(withObjection()).when(findings, ctx(reviewer)).thenThrows('NOT_THE_ASSIGNED_REVIEWER');
    given(withReviewer)
      .when(findings, ctx(as('PENINJAU', STRANGER)))
      .thenThrows('NOT_THE_ASSIGNED_REVIEWER');
    given(withReviewer)
      .when({ ...findings, data: { ...findings.data, findings: ' ' } }, ctx(reviewer))
      .thenThrows('TEXT_REQUIRED');
    given(withReviewer)
      .when({ ...findings, data: { ...findings.data, recommendation: 'ANNUL' as never } }, ctx(reviewer))
      .thenThrows('INVALID_VALUE');
  });
});

describe('DecideObjection', () => {
  const upheld: DecideObjection = {
    type: 'DecideObjection',
    data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti' },
  };
  const amend = (amended?: DecideObjection['data']['amended']): DecideObjection => ({
    type: 'DecideObjection',
    data: { period: 'TAHUNAN', outcome: 'AMENDED', reasons: 'Bukti dukung sah', ...(amended ? { amended } : {}) },
  });
  const better = pair('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI', 'setelah keberatan');

  it('upholds the result, with reasons', () => {
    const state = given(withBothStatements())
      .when(upheld, ctx(superior))
      .then([
        {
          type: 'ObjectionDecided',
          data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti', previousPredicate: 'BAIK' },
        },
      ]);
    expect(state.periods.TAHUNAN.rating).toMatchObject({ predicate: 'BAIK', version: 1 });
  });

  it('amends the ratings and recomputes the predicate', () => {
    const state = given(withBothStatements())
      .when(amend(better), ctx(superior))
      .then([
        {
          type: 'ObjectionDecided',
          data: {
            period: 'TAHUNAN',
            outcome: 'AMENDED',
            reasons: 'Bukti dukung sah',
            amended: { ...better, predicate: 'SANGAT_BAIK' },
            previousPredicate: 'BAIK',
          },
        },
      ]);
    expect(state.periods.TAHUNAN.rating).toMatchObject({ predicate: 'SANGAT_BAIK', version: 2 });
    expect(state.periods.TAHUNAN.delivery).toMatchObject({ predicate: 'BAIK' });
  });

  it('needs both statements first', () => {
    given(withObjection())
      .when(upheld, ctx(superior))
      .thenThrows('STATEMENTS_MISSING', { missing: ['PEJABAT_PENILAI', 'PEGAWAI'] });
    given([...withObjection(), statement('TAHUNAN', 'PEGAWAI')])
      .when(upheld, ctx(superior))
      .thenThrows('STATEMENTS_MISSING', { missing: ['PEJABAT_PENILAI'] });
  });

  it('UPHELD carries no amendment; AMENDED needs one that changes a rating, with justifications', () => {
    given(withBothStatements())
      .when({ ...upheld, data: { ...upheld.data, amended: better } }, ctx(superior))
      .thenThrows('AMENDMENT_NOT_ALLOWED');
    given(withBothStatements()).when(amend(), ctx(superior)).thenThrows('AMENDMENT_REQUIRED');
    given(withBothStatements())
      .when(amend(pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'lain')), ctx(superior))
      .thenThrows('AMENDMENT_UNCHANGED');
    given(withBothStatements())
      .when(amend({ ...better, hasilKerjaJustification: ' ' }), ctx(superior))
      .thenThrows('TEXT_REQUIRED', { field: 'amended.hasilKerjaJustification' });
  });

  it('needs reasons and an objection', () => {
    given(withBothStatements())
      .when({ ...upheld, data: { ...upheld.data, reasons: '' } }, ctx(superior))
      .thenThrows('TEXT_REQUIRED', { field: 'reasons' });
    given(withDeliveredAnnual()).when(upheld, ctx(superior)).thenThrows('NO_OBJECTION');
  });

  it('is final: no second decision, no more statements, reviewers or findings', () => {
    const decided: AppraisalEvent = {
      type: 'ObjectionDecided',
      data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'x', previousPredicate: 'BAIK' },
    };
    const after = [...withBothStatements(), reviewerAssigned('TAHUNAN'), decided];
    given(after).when(upheld, ctx(superior)).thenThrows('OBJECTION_ALREADY_DECIDED');
    given(after)
      .when({ type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId: STRANGER } }, ctx(superior))
      .thenThrows('OBJECTION_ALREADY_DECIDED');
    given(after)
      .when({ type: 'SubmitReviewFindings', data: { period: 'TAHUNAN', findings: 'x', recommendation: 'UPHELD' } }, ctx(reviewer))
      .thenThrows('OBJECTION_ALREADY_DECIDED');
  });

  it('after the decision deadline is still decided (flagged by the read side, not refused)', () => {
    given(withBothStatements())
      .when(upheld, ctx(superior, '2026-06-30T03:00:00.000Z'))
      .then([
        {
          type: 'ObjectionDecided',
          data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti', previousPredicate: 'BAIK' },
        },
      ]);
  });

  it('the appraiser never decides, even when named in the superior role', () => {
    given(withBothStatements())
      .when(upheld, ctx(as('PEJABAT_PENILAI', APPRAISER)))
      .thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION');
  });
});
