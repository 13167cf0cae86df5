import type { AppraisalEvent } from '../events';
import {
  APPRAISAL_ID,
  APPRAISER,
  DELIVERED_AT,
  EMPLOYEE,
  PLAN,
  RATER,
  REVIEWER,
  SUPERIOR,
  UNIT_ID,
  UNIT_STREAM,
  YEAR,
  given,
  pair,
  raterAssigned,
  reviewerAssigned,
  withBothStatements,
} from '../testing';
import { appraisalDecider } from './decider';

describe('AppraisalState: what consumers can read after a full history', () => {
  const amended: AppraisalEvent = {
    type: 'ObjectionDecided',
    data: {
      period: 'TAHUNAN',
      outcome: 'AMENDED',
      reasons: 'x',
      previousPredicate: 'BAIK',
      amended: { ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), predicate: 'BAIK' },
    },
  };
  const state = given([raterAssigned('TRIWULAN_II'), ...withBothStatements(), reviewerAssigned('TAHUNAN'), amended]).state;

  it('exposes identity and relationships', () => {
    expect(state).toMatchObject({
      opened: true,
      appraisalId: APPRAISAL_ID,
      employeeNip: EMPLOYEE,
      year: YEAR,
      unitId: UNIT_ID,
      appraiserId: APPRAISER,
      superiorId: SUPERIOR,
    });
  });

  it('exposes the plan status, version and content in force', () => {
    expect(state).toMatchObject({ planStatus: 'APPROVED', planVersion: 1, approvedPlan: PLAN, pendingRevision: null });
  });

  it('exposes per period the rating in force, the delivery, the objection, raters and reviewer', () => {
    expect(state.periods.TAHUNAN.rating).toMatchObject({
      hasilKerja: 'DI_ATAS_EKSPEKTASI',
      perilakuKerja: 'SESUAI_EKSPEKTASI',
      predicate: 'BAIK',
      version: 2,
    });
    expect(state.periods.TAHUNAN.delivery).toEqual({
      deliveredAt: DELIVERED_AT,
      ratingVersion: 1,
      predicate: 'BAIK',
      unitStreamId: UNIT_STREAM,
    });
    expect(state.periods.TAHUNAN.objection).toMatchObject({
      statements: { PEJABAT_PENILAI: 'Keterangan PEJABAT_PENILAI', PEGAWAI: 'Keterangan PEGAWAI' },
      reviewerId: REVIEWER,
      decision: { outcome: 'AMENDED', previousPredicate: 'BAIK', predicate: 'BAIK' },
    });
    expect(state.periods.TRIWULAN_II.raters).toEqual([{ raterId: RATER, relation: 'REKAN_KERJA' }]);
    expect(state.periods.TRIWULAN_I).toMatchObject({ rating: null, delivery: null, objection: null, raters: [] });
  });

  it('ignores an event type it does not know, so newer history still replays', () => {
    const future = { type: 'SomethingNew', data: {} } as unknown as AppraisalEvent;
    expect(appraisalDecider.evolve(state, future)).toBe(state);
  });

  it('never mutates the state it evolves from', () => {
    const before = JSON.stringify(state);
    appraisalDecider.evolve(state, raterAssigned('TRIWULAN_III', '199909092020121099'));
    expect(JSON.stringify(state)).toBe(before);
  });
});
