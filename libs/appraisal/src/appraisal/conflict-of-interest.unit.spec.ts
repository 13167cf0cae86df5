import type { AppraisalCommand, ReassignAppraiser } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  APPRAISAL_COMMANDS,
  APPRAISER,
  EMPLOYEE,
  RATER,
  REVIEWER,
  STRANGER,
  SUPERIOR,
  as,
  ctx,
  given,
  manager,
  pair,
  raterAssigned,
  reviewerAssigned,
  statement,
  withBothStatements,
  withObjection,
} from '../testing';

// PP 30/2019 Art. 59: the appraiser never decides an objection to their own rating. The rule is
// about people: nobody who rated or revised the disputed period, and not the employee, decides it,
// records the statements as its decider, or reviews it, whatever the reassignments did.

const NEW_APPRAISER = '198111112006041011';
const reassign = (appraiserId: string, superiorId: string): AppraisalEvent => ({
  type: 'AppraiserReassigned',
  data: { appraiserId, superiorId, reason: 'Mutasi' },
});
const reassignCmd = (appraiserId: string, superiorId: string): ReassignAppraiser => ({
  type: 'ReassignAppraiser',
  data: { appraiserId, superiorId, reason: 'Mutasi' },
});
const decide: AppraisalCommand = APPRAISAL_COMMANDS.DecideObjection;
const recordStatement: AppraisalCommand = APPRAISAL_COMMANDS.RecordStatement;
const assignReviewer = (reviewerId: string): AppraisalCommand => ({ type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId } });

describe('reassignment cannot choose who decides an objection', () => {
  it('refuses to make the appraiser who rated the disputed period its superior (the named attack)', () => {
    given(withObjection())
      .when(reassignCmd(NEW_APPRAISER, APPRAISER), ctx(manager))
      .thenThrows('SUPERIOR_HAS_RATED', { superiorId: APPRAISER, periods: ['TAHUNAN'] });
  });

  it('refuses it before delivery too: the rater of a period that can still be disputed never becomes its superior', () => {
    const rated = withObjection().slice(0, -2); // plan approved and TAHUNAN rated, not yet delivered
    given(rated).when(reassignCmd(NEW_APPRAISER, APPRAISER), ctx(manager)).thenThrows('SUPERIOR_HAS_RATED');
  });

  it('allows it once the objection on every period they rated is decided', () => {
    const decided: AppraisalEvent = {
      type: 'ObjectionDecided',
      data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Sesuai bukti', previousPredicate: 'BAIK' },
    };
    expect(
      given([...withBothStatements(), decided])
        .when(reassignCmd(NEW_APPRAISER, APPRAISER), ctx(manager))
        .events(),
    ).toHaveLength(1);
  });

  it('judges by person even if history already seated the rater as superior (an older ledger)', () => {
    const seated = [...withObjection(), reassign(NEW_APPRAISER, APPRAISER)];
    const asFormerAppraiser = ctx(as('ATASAN_PEJABAT_PENILAI', APPRAISER));
    given(seated)
      .when(recordStatement, asFormerAppraiser)
      .thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION', { period: 'TAHUNAN', rated: true });
    given(seated).when(assignReviewer(REVIEWER), asFormerAppraiser).thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION');
    const heard = [...seated, statement('TAHUNAN', 'PEJABAT_PENILAI'), statement('TAHUNAN', 'PEGAWAI')];
    given(heard).when(decide, asFormerAppraiser).thenThrows('APPRAISER_CANNOT_DECIDE_OBJECTION', { rated: true });
  });

  it('a reviser counts like a rater', () => {
    const revised: AppraisalEvent = {
      type: 'RatingRevised',
      data: {
        period: 'TAHUNAN',
        ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
        version: 2,
        supersedesVersion: 1,
        predicate: 'BAIK',
        reason: 'Bukti baru',
      },
    };
    const history = withObjection();
    const deliveredAt = history.findIndex((e) => e.type === 'ResultDelivered');
    const byNewAppraiser = [...history.slice(0, deliveredAt), reassign(NEW_APPRAISER, SUPERIOR), revised, ...history.slice(deliveredAt)];
    given(byNewAppraiser)
      .when(reassignCmd(APPRAISER, NEW_APPRAISER), ctx(manager))
      .thenThrows('SUPERIOR_HAS_RATED', { superiorId: NEW_APPRAISER });
    given(byNewAppraiser).when(reassignCmd(STRANGER, APPRAISER), ctx(manager)).thenThrows('SUPERIOR_HAS_RATED', { superiorId: APPRAISER });
  });
});

/**
 * Every pair of roles: a person who holds role A may never be given role B in the same appraisal.
 * Roles are given by opening/reassignment (appraiser, superior), AssignRater and AssignReviewer.
 */
describe('no person holds two roles in one appraisal: every role pair', () => {
  const base = withObjection();
  const withRater = [...base.slice(0, 4), raterAssigned('TAHUNAN', RATER), ...base.slice(4)];
  const withReviewer = [...withRater, reviewerAssigned('TAHUNAN', REVIEWER)];
  const holders = {
    PEGAWAI: EMPLOYEE,
    PEJABAT_PENILAI: APPRAISER,
    ATASAN_PEJABAT_PENILAI: SUPERIOR,
    REKAN_KERJA: RATER,
    PENINJAU: REVIEWER,
  } as const;
  type Held = keyof typeof holders;
  const superiorCtx = ctx(as('ATASAN_PEJABAT_PENILAI', SUPERIOR));
  const appraiserCtx = ctx(as('PEJABAT_PENILAI', APPRAISER));

  /** Gives `person` role `target`; the history has everyone of `holders` in their role. */
  const give = (target: Held, person: string) => {
    switch (target) {
      case 'PEJABAT_PENILAI':
        return given(withReviewer).when(reassignCmd(person, person === SUPERIOR ? STRANGER : SUPERIOR), ctx(manager));
      case 'ATASAN_PEJABAT_PENILAI':
        return given(withReviewer).when(reassignCmd(person === APPRAISER ? STRANGER : APPRAISER, person), ctx(manager));
      case 'REKAN_KERJA':
        return given(withReviewer).when(
          { type: 'AssignRater', data: { period: 'TRIWULAN_I', raterId: person, relation: 'REKAN_KERJA' } },
          appraiserCtx,
        );
      case 'PENINJAU':
        return given(withRater).when(assignReviewer(person), superiorCtx);
      case 'PEGAWAI':
        return null; // the employee is fixed at opening; distinctness is checked there
    }
  };
  const pairs = (Object.keys(holders) as Held[]).flatMap((held) =>
    (Object.keys(holders) as Held[]).filter((t) => t !== held && t !== 'PEGAWAI').map((t) => [held, t] as const),
  );

  // The superior moving to the appraiser seat (someone else taking the superior's) is a move, not a
  // second role: they hold one seat afterwards, and decide nothing they rated.
  const moves = pairs.filter(([held, target]) => !(held === 'ATASAN_PEJABAT_PENILAI' && target === 'PEJABAT_PENILAI'));

  it('the superior may move to the appraiser seat, holding one role afterwards', () => {
    const state = given(withReviewer)
      .when(reassignCmd(SUPERIOR, STRANGER), ctx(manager))
      .then([reassign(SUPERIOR, STRANGER)]);
    expect({ appraiserId: state.appraiserId, superiorId: state.superiorId }).toEqual({ appraiserId: SUPERIOR, superiorId: STRANGER });
  });

  it.each(moves)('the %s is never made %s', (held, target) => {
    const outcome = give(target, holders[held]);
    if (!outcome) throw new Error('unreachable');
    let refused = false;
    try {
      outcome.events();
    } catch {
      refused = true;
    }
    expect({ held, target, refused }).toEqual({ held, target, refused: true });
  });

  it('while a stranger is given each role without trouble (the refusals above are about the person)', () => {
    const newcomer = '199912312020121099';
    for (const target of ['PEJABAT_PENILAI', 'REKAN_KERJA', 'PENINJAU'] as const) {
      expect(give(target, newcomer)?.events()).toHaveLength(1);
    }
    // The superior seat goes to a newcomer only while the disputed rater keeps away from it.
    expect(give('ATASAN_PEJABAT_PENILAI', newcomer)?.events()).toHaveLength(1);
  });

  it('names the conflict it refuses', () => {
    given(withReviewer)
      .when({ type: 'AssignRater', data: { period: 'TRIWULAN_I', raterId: SUPERIOR, relation: 'BAWAHAN' } }, appraiserCtx)
      .thenThrows('RATER_IS_SUPERIOR', { raterId: SUPERIOR });
    given(withReviewer).when(reassignCmd(STRANGER, RATER), ctx(manager)).thenThrows('RATER_IS_SUPERIOR', { superiorId: RATER });
    given(withReviewer).when(reassignCmd(STRANGER, REVIEWER), ctx(manager)).thenThrows('REVIEWER_HAS_OTHER_ROLE', { reviewerId: REVIEWER });
  });

  it('a former appraiser or superior is never the reviewer: "no other role in this appraisal" includes past ones', () => {
    const moved = [...withRater, reassign(NEW_APPRAISER, STRANGER)];
    const byNewSuperior = ctx(as('ATASAN_PEJABAT_PENILAI', STRANGER));
    given(moved).when(assignReviewer(APPRAISER), byNewSuperior).thenThrows('REVIEWER_HAS_OTHER_ROLE', { reviewerId: APPRAISER });
    given(moved)
      .when(assignReviewer(SUPERIOR), byNewSuperior)
      .thenThrows('REVIEWER_HAS_OTHER_ROLE', { reviewerId: SUPERIOR, otherRole: 'FORMER_HOLDER' });
  });
});
