import type { ServiceCommand, ServiceFacts } from '../commands';
import type { ServiceEvent, UnitEvent } from '../events';
import { EMPLOYEE, STRANGER, UNIT_COMMANDS, UNIT_ID, YEAR, as, auditor, ctx, givenUnit, leader, manager, upperLeader } from '../testing';
import { scenarioFor } from '../testing/given';
import { serviceDecider } from './decider';
import { SKM_ELEMENTS, type SkmScores } from './skm';

const givenService = scenarioFor(serviceDecider);
const officer = as('PEGAWAI', EMPLOYEE);
const counter = as('LAYANAN_INTERNAL', 'svc-antrian');
const citizen = as('MASYARAKAT', 'masyarakat');
const NOW = `${YEAR}-05-10T03:00:00.000Z`;
const HASH = 'c'.repeat(64);
const FACTS: ServiceFacts = { unitId: UNIT_ID, year: YEAR, serviceId: 'loket-1', declared: true, officerUnitId: UNIT_ID };
const scores = (value = 3): SkmScores => Object.fromEntries(SKM_ELEMENTS.map((e) => [e, value])) as SkmScores;
const issue = (data: Partial<Extract<ServiceCommand, { type: 'IssueFeedbackCode' }>['data']> = {}): ServiceCommand => ({
  type: 'IssueFeedbackCode',
  data: { codeHash: HASH, facts: FACTS, ...data },
});
const submit = (data: Partial<Extract<ServiceCommand, { type: 'SubmitPublicFeedback' }>['data']> = {}): ServiceCommand => ({
  type: 'SubmitPublicFeedback',
  data: { codeHash: HASH, feedbackId: 'fb-1', scores: scores(), facts: FACTS, ...data },
});
const issued: ServiceEvent = {
  type: 'FeedbackCodeIssued',
  data: {
    unitId: UNIT_ID,
    year: YEAR,
    serviceId: 'loket-1',
    codeHash: HASH,
    officerId: EMPLOYEE,
    period: 'TRIWULAN_II',
    expiresAt: `${YEAR}-05-17T03:00:00.000Z`,
  },
};
const received: ServiceEvent = {
  type: 'PublicFeedbackReceived',
  data: {
    unitId: UNIT_ID,
    year: YEAR,
    serviceId: 'loket-1',
    feedbackId: 'fb-1',
    codeHash: HASH,
    period: 'TRIWULAN_II',
    officerId: EMPLOYEE,
    scores: scores(),
    comment: 'Ramah',
  },
};

describe('services and their feedback codes', () => {
  const opened: UnitEvent = { type: 'UnitOpened', data: UNIT_COMMANDS.OpenUnit.data };
  const declare = UNIT_COMMANDS.DeclareService;

  it('a unit declares a service: the performance manager or its own leader, once per id', () => {
    const declared: UnitEvent = { type: 'ServiceDeclared', data: declare.data };
    givenUnit([opened]).when(declare, ctx(manager)).then([declared]);
    givenUnit([opened]).when(declare, ctx(leader)).then([declared]);
    givenUnit([opened]).when(declare, ctx(upperLeader)).thenThrows('NOT_THE_UNIT_LEADER');
    givenUnit([opened]).when(declare, ctx(officer)).thenThrows('ROLE_NOT_ALLOWED');
    givenUnit([opened, declared]).when(declare, ctx(manager)).thenThrows('SERVICE_ALREADY_DECLARED', { serviceId: 'loket-kepegawaian' });
    givenUnit([opened])
      .when({ type: 'DeclareService', data: { serviceId: 'Loket 1', name: 'x' } }, ctx(manager))
      .thenThrows('INVALID_VALUE', { field: 'serviceId' });
    givenUnit([]).when(declare, ctx(manager)).thenThrows('UNIT_NOT_FOUND');
  });

  it('issues a code for the serving officer: its hash, the quarter, the officer, and an expiry 7 days on', () => {
    givenService([])
      .when(issue({ officerId: EMPLOYEE }), ctx(officer, NOW))
      .then([issued]);
    const [anonymous] = givenService([]).when(issue(), ctx(counter, NOW)).events();
    expect(anonymous.data).not.toHaveProperty('officerId');
  });

  it('refuses a code outside the unit, the year, or for someone else', () => {
    givenService([])
      .when(issue({ officerId: STRANGER }), ctx(officer, NOW))
      .thenThrows('NOT_THE_OFFICER');
    givenService([])
      .when(issue({ facts: { ...FACTS, officerUnitId: 'biro-lain' } }), ctx(officer, NOW))
      .thenThrows('OFFICER_NOT_IN_UNIT', { officerId: EMPLOYEE, officerUnitId: 'biro-lain' });
    givenService([])
      .when(issue({ officerId: STRANGER, facts: { ...FACTS, officerUnitId: null } }), ctx(counter, NOW))
      .thenThrows('OFFICER_NOT_IN_UNIT');
    givenService([])
      .when(issue(), ctx(officer, `${YEAR + 1}-01-02T03:00:00.000Z`))
      .thenThrows('OUTSIDE_SERVICE_YEAR');
    givenService([])
      .when(issue({ facts: { ...FACTS, declared: false } }), ctx(officer, NOW))
      .thenThrows('SERVICE_NOT_FOUND');
    givenService([]).when(issue(), ctx(manager, NOW)).thenThrows('ROLE_NOT_ALLOWED');
    givenService([]).when(issue(), ctx(auditor, NOW)).thenThrows('AUDITOR_READ_ONLY');
    givenService([])
      .when(issue({ codeHash: 'x' }), ctx(counter, NOW))
      .thenThrows('INVALID_SHA256');
  });

  it('takes one feedback per code, carrying the code’s service, quarter and officer', () => {
    givenService([issued])
      .when(submit({ comment: 'Ramah' }), ctx(citizen, NOW))
      .then([received]);
  });

  it('refuses an unknown, used or expired code, wrong scores, and anyone but the public', () => {
    givenService([]).when(submit(), ctx(citizen, NOW)).thenThrows('FEEDBACK_CODE_UNKNOWN');
    givenService([issued, received]).when(submit(), ctx(citizen, NOW)).thenThrows('FEEDBACK_CODE_USED');
    givenService([issued])
      .when(submit(), ctx(citizen, `${YEAR}-05-17T03:00:00.001Z`))
      .thenThrows('FEEDBACK_CODE_EXPIRED', { expiresAt: `${YEAR}-05-17T03:00:00.000Z` });
    expect(
      givenService([issued])
        .when(submit(), ctx(citizen, `${YEAR}-05-17T03:00:00.000Z`))
        .events(),
    ).toHaveLength(1);
    for (const bad of [
      { ...scores(), PERSYARATAN: 5 },
      { ...scores(), BIAYA_TARIF: 2.5 },
      { ...scores(), KEBERSIHAN: 3 },
    ]) {
      givenService([issued])
        .when(submit({ scores: bad }), ctx(citizen, NOW))
        .thenThrows('INVALID_SCORE');
    }
    const { SARANA_PRASARANA: _missing, ...eight } = scores();
    givenService([issued])
      .when(submit({ scores: eight as SkmScores }), ctx(citizen, NOW))
      .thenThrows('INVALID_SCORE', { field: 'scores.SARANA_PRASARANA' });
    givenService([issued])
      .when(submit({ comment: 'x'.repeat(1001) }), ctx(citizen, NOW))
      .thenThrows('TEXT_TOO_LONG');
    givenService([issued]).when(submit(), ctx(officer, NOW)).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('masks personal data in the comment and records which kinds', () => {
    const [event] = givenService([issued])
      .when(submit({ comment: 'Hubungi saya 081234567890 atau a.b@mail.com' }), ctx(citizen, NOW))
      .events();
    expect(event.data).toMatchObject({ comment: 'Hubungi saya [NOMOR TELEPON] atau [EMAIL]', masked: ['NOMOR_TELEPON', 'EMAIL'] });
  });

  it('lets only the named officer answer a comment about them', () => {
    const answer: ServiceCommand = { type: 'RespondToPublicFeedback', data: { feedbackId: 'fb-1', text: 'Terima kasih' } };
    givenService([issued, received])
      .when(answer, ctx(officer, NOW))
      .then([{ type: 'PublicFeedbackResponded', data: { feedbackId: 'fb-1', text: 'Terima kasih' } }]);
    givenService([issued, received])
      .when(answer, ctx(as('PEGAWAI', STRANGER), NOW))
      .thenThrows('NOT_THE_OFFICER');
    givenService([issued]).when(answer, ctx(officer, NOW)).thenThrows('PUBLIC_FEEDBACK_NOT_FOUND');
  });
});
