import request from 'supertest';
import { Ledger, P, YEAR, as, planBody, rating, type Caller, orgPredicate, surveyAnswers } from './support/ledger';

// Every refusal a rule implies, over HTTP, with its status and stable code; none stores anything.
const N = {
  a: P.employees[0],
  b: P.employees[1],
  c: P.employees[2],
  d: P.employees[3],
  x: '199101012021011005',
  y: '199101012021011006',
  z: '199101012021011007',
};
const id = (nip: string) => `${YEAR}-${nip}`;
const A = `/appraisals/${id(N.a)}`;
const B = `/appraisals/${id(N.b)}`;
const C = `/appraisals/${id(N.c)}`;
const D = `/appraisals/${id(N.d)}`;
const X = `/appraisals/${id(N.x)}`;
const Y = `/appraisals/${id(N.y)}`;
const Z = `/appraisals/${id(N.z)}`;
const U1 = `/units/biro-umum/years/${YEAR}`;
const U2 = `/units/biro-hukum/years/${YEAR}`;
const emp = (nip: string): Caller => ({ sub: nip, role: 'PEGAWAI' });
const otherAppraiser: Caller = { sub: '198601012011011001', role: 'PEJABAT_PENILAI' };
const otherSuperior: Caller = { sub: '197601012001011001', role: 'ATASAN_PEJABAT_PENILAI' };
const rater2: Caller = { sub: P.rater2, role: 'REKAN_KERJA' };
const answers = surveyAnswers();
const openBody = (nip: string, unitId = 'biro-umum') => ({
  employeeNip: nip,
  employeeName: 'Pegawai',
  year: YEAR,
  unitId,
  appraiserId: P.appraiser,
  superiorId: P.superior,
});
const evidence = (indicatorId = 'iki-1') => ({
  resultId: 'rhk-1',
  indicatorId,
  period: 'TRIWULAN_II',
  value: 1,
  document: { uri: 'https://dms.example.go.id/d/1', sha256: 'b'.repeat(64) },
});
const decision = (outcome: string, amended?: object) => ({ outcome, reasons: 'Pertimbangan atasan', ...(amended && { amended }) });

type Case = [
  name: string,
  caller: Caller,
  method: 'POST' | 'GET',
  path: string,
  body: object | undefined,
  status: number,
  code: string,
  at?: string,
];

const CASES: Case[] = [
  // opening and units
  ['an employee cannot open an appraisal', as.employee(0), 'POST', '/appraisals', openBody('199901012020121099'), 403, 'ROLE_NOT_ALLOWED'],
  ['an auditor never writes', as.auditor, 'POST', '/appraisals', openBody('199901012020121099'), 403, 'AUDITOR_READ_ONLY'],
  ['one appraisal per employee and year', as.manager, 'POST', '/appraisals', openBody(N.a), 409, 'APPRAISAL_ALREADY_OPENED'],
  [
    'employee, appraiser and superior differ',
    as.manager,
    'POST',
    '/appraisals',
    { ...openBody('199901012020121099'), appraiserId: '199901012020121099' },
    400,
    'PARTIES_NOT_DISTINCT',
  ],
  [
    'a command on an unknown appraisal',
    as.employee(0),
    'POST',
    `/appraisals/${YEAR}-199901012020121099/plan/submit`,
    {},
    404,
    'APPRAISAL_NOT_FOUND',
  ],
  [
    'one unit per id and year',
    as.manager,
    'POST',
    '/units',
    { unitId: 'biro-umum', year: YEAR, name: 'x', leaderId: P.leader, upperLeaderId: P.upperLeader },
    409,
    'UNIT_ALREADY_OPENED',
  ],
  [
    'the two unit leaders differ',
    as.manager,
    'POST',
    '/units',
    { unitId: 'biro-x', year: YEAR, name: 'x', leaderId: P.leader, upperLeaderId: P.leader },
    400,
    'LEADERS_NOT_DISTINCT',
  ],
  [
    'a command on an unknown unit',
    as.leader,
    'POST',
    `/units/biro-nope/years/${YEAR}/periods/TAHUNAN/organisational-predicate`,
    orgPredicate('BAIK'),
    404,
    'UNIT_NOT_FOUND',
  ],
  // plan
  [
    'only the employee of the appraisal drafts',
    emp(N.b),
    'POST',
    `${A}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '2026-01-05' } },
    403,
    'NOT_THE_EMPLOYEE',
  ],
  [
    'an appraiser does not draft',
    as.appraiser,
    'POST',
    `${A}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '2026-01-05' } },
    403,
    'ROLE_NOT_ALLOWED',
  ],
  ['only the named appraiser approves', otherAppraiser, 'POST', `${X}/plan/approve`, {}, 403, 'NOT_THE_APPRAISER'],
  ['nothing to submit without a draft', emp(N.y), 'POST', `${Y}/plan/submit`, {}, 422, 'PLAN_NOT_DRAFTED'],
  ['nothing to approve before submission', as.appraiser, 'POST', `${Y}/plan/approve`, {}, 422, 'PLAN_NOT_SUBMITTED'],
  [
    'a submitted plan is not redrafted',
    emp(N.x),
    'POST',
    `${X}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '2026-01-05' } },
    422,
    'PLAN_NOT_EDITABLE',
  ],
  [
    'a plan needs a main result',
    emp(N.y),
    'POST',
    `${Y}/plan/draft`,
    { plan: { results: [{ ...planBody().results[0], kind: 'TAMBAHAN' }] }, dialogue: { heldOn: '2026-01-05' } },
    400,
    'PLAN_WITHOUT_MAIN_RESULT',
  ],
  [
    'no default plan before the deadline',
    as.manager,
    'POST',
    `${Y}/plan/default`,
    { plan: planBody(), reason: 'Tidak menyusun' },
    422,
    'PLAN_DEADLINE_NOT_PASSED',
    '2026-01-20T02:00:00.000Z',
  ],
  [
    'no default plan over a submitted one',
    as.manager,
    'POST',
    `${X}/plan/default`,
    { plan: planBody(), reason: 'Tidak menyusun' },
    422,
    'PLAN_ALREADY_SUBMITTED',
  ],
  ['no revision to approve', as.appraiser, 'POST', `${A}/plan/revisions/approve`, {}, 422, 'NO_PENDING_REVISION'],
  [
    'one pending revision at a time',
    emp(N.z),
    'POST',
    `${Z}/plan/revisions`,
    { plan: planBody('lagi'), reason: 'x' },
    422,
    'REVISION_ALREADY_PENDING',
  ],
  [
    'no default plan over an approved one',
    as.manager,
    'POST',
    `${Z}/plan/default`,
    { plan: planBody(), reason: 'x' },
    422,
    'PLAN_ALREADY_APPROVED',
  ],
  [
    'plan ids are unique',
    emp(N.y),
    'POST',
    `${Y}/plan/draft`,
    { plan: { results: [planBody().results[0], planBody().results[0]] }, dialogue: { heldOn: '2026-01-05' } },
    400,
    'DUPLICATE_PLAN_ID',
  ],
  [
    'the dialogue date is a real date',
    emp(N.y),
    'POST',
    `${Y}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '2026-02-30' } },
    400,
    'INVALID_DATE',
  ],
  [
    'a deadline instant names its zone',
    as.manager,
    'POST',
    `${Y}/plan-deadline`,
    { planDeadline: '2026-02-15T16:59:59', reason: 'x' },
    400,
    'INVALID_INSTANT',
  ],
  ['a reason is not blank', as.appraiser, 'POST', `${X}/plan/return`, { reason: '   ' }, 400, 'TEXT_REQUIRED'],
  // during the year
  ['evidence names an indicator of the plan', emp(N.a), 'POST', `${A}/evidence`, evidence('iki-9'), 400, 'UNKNOWN_INDICATOR'],
  ['evidence names a result of the plan', emp(N.a), 'POST', `${A}/evidence`, { ...evidence(), resultId: 'rhk-9' }, 400, 'UNKNOWN_RESULT'],
  [
    'a document reference is a URI',
    emp(N.a),
    'POST',
    `${A}/evidence`,
    { ...evidence(), document: { uri: 'not a uri', sha256: 'b'.repeat(64) } },
    400,
    'INVALID_URI',
  ],
  [
    'feedback about evidence names recorded evidence',
    as.appraiser,
    'POST',
    `${A}/feedback`,
    { text: 'x', about: { evidenceId: 'ev-none' } },
    400,
    'UNKNOWN_EVIDENCE',
  ],
  [
    'feedback is about one thing at most',
    as.appraiser,
    'POST',
    `${A}/feedback`,
    { text: 'x', about: { resultId: 'rhk-1', behaviour: 'LOYAL' } },
    400,
    'FEEDBACK_SUBJECT_AMBIGUOUS',
  ],
  [
    'a response needs existing feedback',
    emp(N.a),
    'POST',
    `${A}/feedback/no-such-feedback/responses`,
    { text: 'x' },
    404,
    'FEEDBACK_NOT_FOUND',
  ],
  // evaluation
  [
    'a period the agency does not use',
    as.appraiser,
    'POST',
    `${A}/periods/SEMESTER_I/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'rating needs an approved plan',
    as.appraiser,
    'POST',
    `${X}/periods/TAHUNAN/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    422,
    'PLAN_NOT_APPROVED',
  ],
  [
    'only the named appraiser rates',
    otherAppraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    403,
    'NOT_THE_APPRAISER',
  ],
  [
    'a period is rated once; then revised',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_II/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    422,
    'ALREADY_RATED',
  ],
  [
    'no revision without a rating',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/rating/revisions`,
    { ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), reason: 'x' },
    422,
    'NOT_RATED',
  ],
  [
    'a delivered result is final',
    as.appraiser,
    'POST',
    `${D}/periods/TAHUNAN/rating/revisions`,
    { ...rating('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), reason: 'x' },
    422,
    'RESULT_ALREADY_FINAL',
  ],
  [
    'one self-assessment per period',
    emp(N.a),
    'POST',
    `${A}/periods/TRIWULAN_II/self-assessment`,
    { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'x' },
    422,
    'ALREADY_SELF_ASSESSED',
  ],
  [
    'the employee never rates themself',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/raters`,
    { raterId: N.a, relation: 'REKAN_KERJA' },
    422,
    'RATER_IS_EMPLOYEE',
  ],
  [
    'the appraiser is never a 360 rater',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/raters`,
    { raterId: P.appraiser, relation: 'BAWAHAN' },
    422,
    'RATER_IS_APPRAISER',
  ],
  [
    'a rater is assigned once',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_II/raters`,
    { raterId: P.rater, relation: 'REKAN_KERJA' },
    422,
    'RATER_ALREADY_ASSIGNED',
  ],
  [
    'only an assigned rater answers the survey',
    rater2,
    'POST',
    `${A}/periods/TRIWULAN_II/surveys`,
    { answers },
    403,
    'NOT_AN_ASSIGNED_RATER',
  ],
  ['a rater answers once', as.rater, 'POST', `${A}/periods/TRIWULAN_II/surveys`, { answers }, 422, 'SURVEY_ALREADY_SUBMITTED'],
  // unit finalisation
  [
    'only the unit leader sets the organisational predicate',
    as.upperLeader,
    'POST',
    `${U1}/periods/TRIWULAN_III/organisational-predicate`,
    orgPredicate('BAIK'),
    403,
    'NOT_THE_UNIT_LEADER',
  ],
  [
    'a finalised period keeps its predicate',
    as.leader,
    'POST',
    `${U1}/periods/TAHUNAN/organisational-predicate`,
    orgPredicate('ISTIMEWA'),
    422,
    'PERIOD_ALREADY_FINALISED',
  ],
  [
    'finalisation needs the organisational predicate',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_I/finalisation`,
    {},
    422,
    'ORG_PREDICATE_NOT_SET',
  ],
  [
    'a unit without appraisals is not finalised',
    as.leader,
    'POST',
    `/units/biro-kosong/years/${YEAR}/periods/TAHUNAN/finalisation`,
    {},
    400,
    'NO_MEMBERS',
  ],
  ['finalisation needs every member rated', as.leader, 'POST', `${U2}/periods/TAHUNAN/finalisation`, {}, 422, 'MEMBERS_NOT_RATED'],
  [
    'only the leader one level up records an exception',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_II/finalisation/exception`,
    { reason: 'x' },
    403,
    'NOT_THE_UPPER_LEADER',
  ],
  [
    'no exception where the distribution fits',
    as.upperLeader,
    'POST',
    `${U1}/periods/TRIWULAN_II/finalisation/exception`,
    { reason: 'x' },
    422,
    'EXCEPTION_NOT_NEEDED',
  ],
  [
    'completing deliveries is for the unit leader too',
    as.upperLeader,
    'POST',
    `${U1}/periods/TAHUNAN/finalisation`,
    {},
    403,
    'NOT_THE_UNIT_LEADER',
  ],
  ['an employee does not finalise', emp(N.a), 'POST', `${U1}/periods/TAHUNAN/finalisation`, {}, 403, 'ROLE_NOT_ALLOWED'],
  // objection
  ['no objection before delivery', emp(N.a), 'POST', `${A}/periods/TRIWULAN_II/objection`, { reasons: 'x' }, 422, 'RESULT_NOT_DELIVERED'],
  ['only the employee objects', as.appraiser, 'POST', `${D}/periods/TAHUNAN/objection`, { reasons: 'x' }, 403, 'ROLE_NOT_ALLOWED'],
  ['not another employee either', emp(N.a), 'POST', `${D}/periods/TAHUNAN/objection`, { reasons: 'x' }, 403, 'NOT_THE_EMPLOYEE'],
  [
    'day 15 after delivery is too late',
    emp(N.d),
    'POST',
    `${D}/periods/TAHUNAN/objection`,
    { reasons: 'x' },
    422,
    'OBJECTION_WINDOW_CLOSED',
    '2027-01-03T17:00:00.000Z',
  ],
  ['one objection per result', emp(N.a), 'POST', `${A}/periods/TAHUNAN/objection`, { reasons: 'x' }, 422, 'OBJECTION_ALREADY_FILED'],
  [
    'statements need an objection',
    as.superior,
    'POST',
    `${D}/periods/TAHUNAN/objection/statements`,
    { party: 'PEGAWAI', statement: 'x' },
    422,
    'NO_OBJECTION',
  ],
  [
    'only the named superior records statements',
    otherSuperior,
    'POST',
    `${A}/periods/TAHUNAN/objection/statements`,
    { party: 'PEGAWAI', statement: 'x' },
    403,
    'NOT_THE_SUPERIOR',
  ],
  [
    'a statement is recorded once',
    as.superior,
    'POST',
    `${B}/periods/TAHUNAN/objection/statements`,
    { party: 'PEGAWAI', statement: 'x' },
    422,
    'STATEMENT_ALREADY_RECORDED',
  ],
  [
    'a reviewer has no other role',
    as.superior,
    'POST',
    `${A}/periods/TAHUNAN/objection/reviewer`,
    { reviewerId: P.rater },
    422,
    'REVIEWER_HAS_OTHER_ROLE',
  ],
  [
    'one reviewer per objection',
    as.superior,
    'POST',
    `${B}/periods/TAHUNAN/objection/reviewer`,
    { reviewerId: 'inspektorat-02' },
    422,
    'REVIEWER_ALREADY_ASSIGNED',
  ],
  [
    'only the assigned reviewer submits findings',
    as.reviewer,
    'POST',
    `${A}/periods/TAHUNAN/objection/findings`,
    { findings: 'x', recommendation: 'UPHELD' },
    403,
    'NOT_THE_ASSIGNED_REVIEWER',
  ],
  [
    'findings are submitted once',
    as.reviewer,
    'POST',
    `${B}/periods/TAHUNAN/objection/findings`,
    { findings: 'x', recommendation: 'UPHELD' },
    422,
    'FINDINGS_ALREADY_SUBMITTED',
  ],
  [
    'the appraiser never decides the objection',
    as.appraiser,
    'POST',
    `${B}/periods/TAHUNAN/objection/decision`,
    decision('UPHELD'),
    403,
    'APPRAISER_CANNOT_DECIDE_OBJECTION',
  ],
  [
    'both statements come before the decision',
    as.superior,
    'POST',
    `${A}/periods/TAHUNAN/objection/decision`,
    decision('UPHELD'),
    422,
    'STATEMENTS_MISSING',
  ],
  [
    'an amendment names the new ratings',
    as.superior,
    'POST',
    `${B}/periods/TAHUNAN/objection/decision`,
    decision('AMENDED'),
    400,
    'AMENDMENT_REQUIRED',
  ],
  // the holes closed by issue 7: references, conflicts of interest, finality, time, the pattern
  [
    'an appraisal is opened into an opened unit only',
    as.manager,
    'POST',
    '/appraisals',
    openBody('199901012020121099', 'biro-tidak-ada'),
    400,
    'UNKNOWN_UNIT',
  ],
  [
    'no appraisal joins a unit whose year is final',
    as.manager,
    'POST',
    '/appraisals',
    openBody('199901012020121099'),
    422,
    'UNIT_YEAR_FINALISED',
  ],
  [
    'no appraisal two years ahead',
    as.manager,
    'POST',
    '/appraisals',
    { ...openBody('199901012020121099'), year: 2028 },
    400,
    'YEAR_TOO_FAR_AHEAD',
  ],
  [
    'no unit two years ahead',
    as.manager,
    'POST',
    '/units',
    { unitId: 'biro-x', year: 2028, name: 'x', leaderId: P.leader, upperLeaderId: P.upperLeader },
    400,
    'YEAR_TOO_FAR_AHEAD',
  ],
  ['a corrected unit exists', as.manager, 'POST', `${Y}/unit`, { unitId: 'biro-tidak-ada', reason: 'Salah unit' }, 400, 'UNKNOWN_UNIT'],
  ['a correction changes the unit', as.manager, 'POST', `${Y}/unit`, { unitId: 'biro-hukum', reason: 'Salah unit' }, 400, 'UNIT_UNCHANGED'],
  [
    'a final result fixes the unit',
    as.manager,
    'POST',
    `${A}/unit`,
    { unitId: 'biro-hukum', reason: 'Salah unit' },
    422,
    'UNIT_FIXED_BY_FINAL_RESULT',
  ],
  ['only HR corrects the unit', as.appraiser, 'POST', `${Y}/unit`, { unitId: 'biro-umum', reason: 'Salah unit' }, 403, 'ROLE_NOT_ALLOWED'],
  [
    'a dialogue lies in the appraisal year',
    emp(N.y),
    'POST',
    `${Y}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '1999-01-10' } },
    400,
    'DATE_OUTSIDE_APPRAISAL_YEAR',
  ],
  [
    'a dialogue is not in the future',
    emp(N.y),
    'POST',
    `${Y}/plan/draft`,
    { plan: planBody(), dialogue: { heldOn: '2026-12-30' } },
    400,
    'DATE_IN_FUTURE',
  ],
  [
    'a plan deadline lies in the appraisal year',
    as.manager,
    'POST',
    `${Y}/plan-deadline`,
    { planDeadline: '2030-02-15T16:59:59.999Z', reason: 'x' },
    400,
    'DATE_OUTSIDE_APPRAISAL_YEAR',
  ],
  [
    'a quarter is rated in its evaluation window only',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    422,
    'EVALUATION_NOT_OPEN',
    '2026-08-20T02:00:00.000Z',
  ],
  [
    'a self-assessment waits for the window too',
    emp(N.a),
    'POST',
    `${A}/periods/TRIWULAN_III/self-assessment`,
    { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI' },
    422,
    'EVALUATION_NOT_OPEN',
    '2026-08-20T02:00:00.000Z',
  ],
  [
    'a finalisation waits for the window',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_III/finalisation`,
    {},
    422,
    'EVALUATION_NOT_OPEN',
    '2026-08-20T02:00:00.000Z',
  ],
  [
    'the organisational predicate comes before the rating',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/rating`,
    rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    422,
    'ORG_PREDICATE_FIRST',
  ],
  [
    'the self-assessment comes before the rating',
    emp(N.b),
    'POST',
    `${B}/periods/TRIWULAN_II/self-assessment`,
    { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI' },
    422,
    'SELF_ASSESSMENT_AFTER_RATING',
  ],
  [
    'a revision changes a rating',
    as.appraiser,
    'POST',
    `${B}/periods/TRIWULAN_II/rating/revisions`,
    { ...rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'), reason: 'x' },
    400,
    'REVISION_UNCHANGED',
  ],
  [
    'a final annual result fixes the plan',
    emp(N.a),
    'POST',
    `${A}/plan/revisions`,
    { plan: planBody('telat'), reason: 'x' },
    422,
    'PLAN_FIXED_BY_FINAL_RESULT',
  ],
  [
    'a revision pending at delivery is not approved after it',
    as.appraiser,
    'POST',
    `${D}/plan/revisions/approve`,
    {},
    422,
    'PLAN_FIXED_BY_FINAL_RESULT',
  ],
  [
    'a final annual result fixes the behaviour expectations',
    as.appraiser,
    'POST',
    `${A}/plan/behaviour-expectations`,
    { behaviour: 'LOYAL', expectation: 'x' },
    422,
    'PLAN_FIXED_BY_FINAL_RESULT',
  ],
  [
    'the rater of a disputed period never becomes its superior',
    as.manager,
    'POST',
    `${A}/appraiser`,
    { appraiserId: otherAppraiser.sub, superiorId: P.appraiser, reason: 'Mutasi' },
    422,
    'SUPERIOR_HAS_RATED',
  ],
  [
    'the superior is never a 360 rater',
    as.appraiser,
    'POST',
    `${A}/periods/TRIWULAN_III/raters`,
    { raterId: P.superior, relation: 'BAWAHAN' },
    422,
    'RATER_IS_SUPERIOR',
  ],
  [
    'a 360 rater never becomes the superior',
    as.manager,
    'POST',
    `${A}/appraiser`,
    { appraiserId: P.appraiser, superiorId: P.rater, reason: 'Mutasi' },
    422,
    'RATER_IS_SUPERIOR',
  ],
  [
    'the organisational predicate rests on a basis',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_III/organisational-predicate`,
    { predicate: 'BAIK' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'the basis is a document reference with its hash',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_III/organisational-predicate`,
    orgPredicate('BAIK', { basis: { uri: 'capaian', sha256: 'd'.repeat(64) } }),
    400,
    'INVALID_URI',
  ],
  [
    'after rating, a change of the organisational predicate needs a reason',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_II/organisational-predicate`,
    orgPredicate('ISTIMEWA'),
    400,
    'TEXT_REQUIRED',
  ],
  [
    'a setting that changes nothing is refused',
    as.leader,
    'POST',
    `${U1}/periods/TRIWULAN_II/organisational-predicate`,
    orgPredicate('BAIK'),
    400,
    'ORG_PREDICATE_UNCHANGED',
  ],
  [
    'an exception on a finalised period is refused, not dropped',
    as.upperLeader,
    'POST',
    `${U1}/periods/TAHUNAN/finalisation/exception`,
    { reason: 'Alasan baru' },
    422,
    'PERIOD_ALREADY_FINALISED',
  ],
  [
    'an upheld result carries no amendment',
    as.superior,
    'POST',
    `${B}/periods/TAHUNAN/objection/decision`,
    decision('UPHELD', rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI')),
    400,
    'AMENDMENT_NOT_ALLOWED',
  ],
  [
    'an amendment changes something',
    as.superior,
    'POST',
    `${B}/periods/TAHUNAN/objection/decision`,
    decision('AMENDED', rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI')),
    400,
    'AMENDMENT_UNCHANGED',
  ],
  [
    'the decision is final',
    as.superior,
    'POST',
    `${C}/periods/TAHUNAN/objection/decision`,
    decision('UPHELD'),
    422,
    'OBJECTION_ALREADY_DECIDED',
  ],
  // reads
  ['a rater does not read the appraisal', as.rater, 'GET', A, undefined, 403, 'NOT_ENTITLED'],
  ['an employee reads only their own', emp(N.b), 'GET', A, undefined, 403, 'NOT_ENTITLED'],
  ['a reviewer reads only while assigned', as.reviewer, 'GET', `${A}/audit-trail`, undefined, 403, 'NOT_ENTITLED'],
  [
    'a leader of another unit does not read',
    { sub: '196001011985011001', role: 'PIMPINAN_UNIT' },
    'GET',
    `${A}/history`,
    undefined,
    403,
    'NOT_ENTITLED',
  ],
  ['an appraiser does not read the unit', as.appraiser, 'GET', `${U1}?period=TAHUNAN`, undefined, 403, 'NOT_ENTITLED'],
  ['an employee does not list disputes', emp(N.a), 'GET', '/disputes', undefined, 403, 'NOT_ENTITLED'],
  ['integrity is for auditors and HR', emp(N.a), 'GET', `${A}/integrity`, undefined, 403, 'ROLE_NOT_ALLOWED'],
  ['read models are rebuilt by HR only', as.auditor, 'POST', '/admin/read-models/rebuild', {}, 403, 'ROLE_NOT_ALLOWED'],
  ['an unknown appraisal', as.auditor, 'GET', `/appraisals/${YEAR}-199901012020121099`, undefined, 404, 'APPRAISAL_NOT_FOUND'],
  ['an unknown unit', as.auditor, 'GET', `/units/biro-nope/years/${YEAR}?period=TAHUNAN`, undefined, 404, 'UNIT_NOT_FOUND'],
  ['an unknown route', as.auditor, 'GET', '/nope', undefined, 404, 'ROUTE_NOT_FOUND'],
];

describe('refusals over HTTP', () => {
  let l: Ledger;
  const DEFAULT_NOW = '2026-12-28T02:00:00.000Z';

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    await l.ok(as.manager, '/units', {
      unitId: 'biro-umum',
      year: YEAR,
      name: 'Biro Umum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    await l.ok(as.manager, '/units', {
      unitId: 'biro-hukum',
      year: YEAR,
      name: 'Biro Hukum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    await l.ok(as.manager, '/units', {
      unitId: 'biro-kosong',
      year: YEAR,
      name: 'Biro Kosong',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    await l.ok(as.leader, `/units/biro-kosong/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, orgPredicate('BAIK'));
    for (const nip of [N.a, N.b, N.c, N.d]) {
      await l.ok(as.manager, '/appraisals', openBody(nip));
      await l.ok(emp(nip), `/appraisals/${id(nip)}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
      await l.ok(emp(nip), `/appraisals/${id(nip)}/plan/submit`);
      await l.ok(as.appraiser, `/appraisals/${id(nip)}/plan/approve`);
    }
    await l.ok(as.manager, '/appraisals', openBody(N.x, 'biro-hukum'));
    await l.ok(as.manager, '/appraisals', openBody(N.y, 'biro-hukum'));
    await l.ok(emp(N.x), `${X}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
    await l.ok(emp(N.x), `${X}/plan/submit`);
    await l.ok(as.manager, '/appraisals', openBody(N.z, 'biro-hukum'));
    await l.ok(emp(N.z), `${Z}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
    await l.ok(emp(N.z), `${Z}/plan/submit`);
    await l.ok(as.appraiser, `${Z}/plan/approve`);
    await l.ok(emp(N.z), `${Z}/plan/revisions`, { plan: planBody('revisi'), reason: 'Perubahan prioritas' });

    l.clock.set('2026-07-01T02:00:00.000Z');
    await l.ok(emp(N.a), `${A}/periods/TRIWULAN_II/self-assessment`, {
      hasilKerja: 'SESUAI_EKSPEKTASI',
      perilakuKerja: 'SESUAI_EKSPEKTASI',
      note: 'x',
    });
    await l.ok(as.appraiser, `${A}/periods/TRIWULAN_II/raters`, { raterId: P.rater, relation: 'REKAN_KERJA' });
    await l.ok(as.rater, `${A}/periods/TRIWULAN_II/surveys`, { answers });
    const fitting = [
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    ];
    for (const period of ['TRIWULAN_II', 'TAHUNAN']) {
      if (period === 'TAHUNAN') l.clock.set('2026-12-10T02:00:00.000Z');
      await l.ok(as.leader, `${U1}/periods/${period}/organisational-predicate`, orgPredicate('BAIK'));
      for (const [i, nip] of [N.a, N.b, N.c, N.d].entries())
        await l.ok(as.appraiser, `/appraisals/${id(nip)}/periods/${period}/rating`, fitting[i]);
    }
    await l.ok(as.leader, `${U2}/periods/TAHUNAN/organisational-predicate`, orgPredicate('BAIK'));
    // Proposed before the annual result is final; its approval after that is refused.
    await l.ok(emp(N.d), `${D}/plan/revisions`, { plan: planBody('revisi'), reason: 'Perubahan prioritas' });

    l.clock.set('2026-12-20T02:00:00.000Z');
    await l.ok(as.leader, `${U1}/periods/TAHUNAN/finalisation`);
    l.clock.set('2026-12-22T02:00:00.000Z');
    await l.ok(emp(N.a), `${A}/periods/TAHUNAN/objection`, { reasons: 'Tidak sesuai' });
    for (const [nip, path] of [
      [N.b, B],
      [N.c, C],
    ] as const) {
      await l.ok(emp(nip), `${path}/periods/TAHUNAN/objection`, { reasons: 'Tidak sesuai' });
      await l.ok(as.superior, `${path}/periods/TAHUNAN/objection/statements`, { party: 'PEJABAT_PENILAI', statement: 'x' });
      await l.ok(as.superior, `${path}/periods/TAHUNAN/objection/statements`, { party: 'PEGAWAI', statement: 'y' });
    }
    await l.ok(as.superior, `${B}/periods/TAHUNAN/objection/reviewer`, { reviewerId: P.reviewer });
    await l.ok(as.reviewer, `${B}/periods/TAHUNAN/objection/findings`, { findings: 'x', recommendation: 'UPHELD' });
    await l.ok(as.superior, `${C}/periods/TAHUNAN/objection/decision`, decision('UPHELD'));
  });
  afterAll(() => l.close());

  // One argument per row: jest reads a test function with more parameters than row cells as taking `done`.
  it.each(CASES.map((c) => [c[0], c] as const))('%s', async (_title, [, caller, method, path, body, status, code, at]) => {
    l.clock.set(at ?? DEFAULT_NOW);
    const head = await l.store.headPosition();
    const res = method === 'GET' ? await l.read(caller, path) : await l.post(caller, path, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringContaining(code.toLowerCase().replace(/_/g, '-')),
      title: expect.any(String),
      detail: expect.any(String),
      instance: path.split('?')[0],
    });
    expect(await l.store.headPosition()).toBe(head);
  });

  it('refuses a stale If-Match on a finalised period too (no silent 200)', async () => {
    const head = await l.store.headPosition();
    const res = await l.post(as.leader, `${U1}/periods/TAHUNAN/finalisation`, {}, { 'If-Match': '"0"' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 412, code: 'STALE_REVISION' });
    expect(await l.store.headPosition()).toBe(head);
  });

  it('answers 401 UNAUTHENTICATED without a token or with a foreign one', async () => {
    const none = await request(l.t.server).get(A);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const forged = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6IkFVRElUT1IifQ.c2lnbmF0dXJl';
    const bad = await request(l.t.server).get(A).set('Authorization', `Bearer ${forged}`);
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses a weak or malformed If-Match with 400 INVALID_IF_MATCH', async () => {
    for (const ifMatch of ['W/"3"', '3', '"three"']) {
      const res = await l.post(
        as.appraiser,
        `${A}/plan/behaviour-expectations`,
        { behaviour: 'LOYAL', expectation: 'x' },
        { 'If-Match': ifMatch },
      );
      expect({ ifMatch, status: res.status, code: res.body.code }).toEqual({ ifMatch, status: 400, code: 'INVALID_IF_MATCH' });
    }
  });

  it('answers 400 MIN_POSITION_AHEAD at once for a ?minPosition past the ledger head (it could never be reached)', async () => {
    const head = await l.store.headPosition();
    const started = Date.now();
    const res = await l.get(as.auditor, `${A}?minPosition=${head + 1}`);
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
      status: 400,
      code: 'MIN_POSITION_AHEAD',
      details: { minPosition: head + 1, head },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await l.get(as.auditor, `${A}?minPosition=${head}`)).status).toBe(200);
  });

  it('accepts an objection on day 14 (Asia/Jakarta), and flags it overdue after the decision deadline', async () => {
    l.clock.set('2027-01-03T16:59:00.000Z'); // 23:59 WIB on day 14
    expect((await l.post(emp(N.d), `${D}/periods/TAHUNAN/objection`, { reasons: 'Tidak sesuai' })).status).toBe(200);
    l.clock.set('2027-01-10T02:00:00.000Z');
    const open = await l.read(as.manager, '/disputes?status=OPEN');
    const byId = Object.fromEntries(open.body.disputes.map((d: { appraisalId: string }) => [d.appraisalId, d]));
    expect(byId[id(N.a)]).toMatchObject({ overdue: true, decisionDeadline: '2027-01-05' });
    expect(byId[id(N.d)]).toMatchObject({ overdue: false });
    expect(byId[id(N.c)]).toBeUndefined();
    const reviewer = await l.read(as.reviewer, '/disputes');
    expect(reviewer.body.disputes.map((d: { appraisalId: string }) => d.appraisalId)).toEqual([id(N.b)]);
  });
});
