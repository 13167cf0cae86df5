import type { AppraisalCommand } from '../commands';
import type { ErrorCode } from '../error-codes';
import { APPRAISAL_COMMANDS, APPRAISER, STRANGER, appraiser, as, auditor, ctx, employee, given, opened, superior } from '../testing';
import type { Role } from '../vocabulary';

const commands = Object.values(APPRAISAL_COMMANDS) as AppraisalCommand[];

describe('the auditor never writes', () => {
  it.each(commands.map((c) => [c.type, c] as const))('%s refuses the auditor', (_type, command) => {
    given([opened()]).when(command, ctx(auditor)).thenThrows('AUDITOR_READ_ONLY');
  });
});

describe('commands on an appraisal that was never opened', () => {
  it.each(commands.filter((c) => c.type !== 'OpenAppraisal').map((c) => [c.type, c] as const))('%s is NOT_FOUND', (_type, command) => {
    given([]).when(command, ctx(employee)).thenThrows('APPRAISAL_NOT_FOUND');
  });
});

/** [command, the role it needs, the code for someone in that role without the relationship]. */
const relationships: [AppraisalCommand['type'], Role, ErrorCode | null][] = [
  ['OpenAppraisal', 'PENGELOLA_KINERJA', null],
  ['CorrectAppraisalUnit', 'PENGELOLA_KINERJA', null],
  ['ReassignAppraiser', 'PENGELOLA_KINERJA', null],
  ['SetPlanDeadline', 'PENGELOLA_KINERJA', null],
  ['SetDefaultPlan', 'PENGELOLA_KINERJA', null],
  ['DraftPlan', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['SubmitPlan', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['ProposePlanRevision', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['RecordEvidence', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['RespondToFeedback', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['SelfAssess', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['FileObjection', 'PEGAWAI', 'NOT_THE_EMPLOYEE'],
  ['ApprovePlan', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['ReturnPlan', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['ApprovePlanRevision', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['RejectPlanRevision', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['SetBehaviourExpectation', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['GiveFeedback', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['AssignRater', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['RatePerformance', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['ReviseRating', 'PEJABAT_PENILAI', 'NOT_THE_APPRAISER'],
  ['RecordStatement', 'ATASAN_PEJABAT_PENILAI', 'NOT_THE_SUPERIOR'],
  ['AssignReviewer', 'ATASAN_PEJABAT_PENILAI', 'NOT_THE_SUPERIOR'],
  ['DecideObjection', 'ATASAN_PEJABAT_PENILAI', 'NOT_THE_SUPERIOR'],
  ['SubmitBehaviourSurvey', 'REKAN_KERJA', 'NOT_AN_ASSIGNED_RATER'],
  ['SubmitReviewFindings', 'PENINJAU', 'NOT_THE_ASSIGNED_REVIEWER'],
  ['DeliverResult', 'PIMPINAN_UNIT', null],
];

describe('authorisation by relationship', () => {
  it('covers every command type', () => {
    expect(relationships.map(([t]) => t).sort()).toEqual(commands.map((c) => c.type).sort());
  });

  it.each(relationships)('%s needs role %s', (type, role) => {
    const wrongRole: Role = role === 'PEGAWAI' ? 'PEJABAT_PENILAI' : 'PEGAWAI';
    const history = type === 'OpenAppraisal' ? [] : [opened()];
    given(history)
      .when(APPRAISAL_COMMANDS[type], ctx(as(wrongRole, STRANGER)))
      .thenThrows('ROLE_NOT_ALLOWED', { required: role });
  });

  it.each(relationships.filter((r): r is [AppraisalCommand['type'], Role, ErrorCode] => r[2] !== null))(
    '%s in role %s without the relationship is %s',
    (type, role, code) => {
      given([opened()])
        .when(APPRAISAL_COMMANDS[type], ctx(as(role, STRANGER)))
        .thenThrows(code);
    },
  );

  it('the right person in the wrong capacity is refused too (the employee acting as appraiser)', () => {
    given([opened()])
      .when(APPRAISAL_COMMANDS.ApprovePlan, ctx(as('PEJABAT_PENILAI', employee.id)))
      .thenThrows('NOT_THE_APPRAISER');
  });

  it('the appraiser can never decide an objection, in any role', () => {
    given([opened()]).when(APPRAISAL_COMMANDS.DecideObjection, ctx(appraiser)).thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION');
    given([opened()])
      .when(APPRAISAL_COMMANDS.DecideObjection, ctx(as('ATASAN_PEJABAT_PENILAI', APPRAISER)))
      .thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION');
  });

  it('after a reassignment the previous appraiser loses the relationship and the new one holds it', () => {
    const reassigned = [
      opened(),
      { type: 'AppraiserReassigned' as const, data: { appraiserId: STRANGER, superiorId: superior.id, reason: 'Mutasi' } },
    ];
    given(reassigned).when(APPRAISAL_COMMANDS.SetBehaviourExpectation, ctx(appraiser)).thenThrows('NOT_THE_APPRAISER');
    given(reassigned)
      .when(APPRAISAL_COMMANDS.SetBehaviourExpectation, ctx(as('PEJABAT_PENILAI', STRANGER)))
      .then([{ type: 'BehaviourExpectationSet', data: { behaviour: 'AKUNTABEL', expectation: 'Laporan keuangan tepat waktu' } }]);
  });
});
