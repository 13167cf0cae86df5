import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fail, type Actor, type Period, type Policy } from '@ledger/appraisal';
import { mayReadUnit, readsEveryUnit } from '../units/unit-access';
import { APPRAISALS, UNITS, type AppraisalView, type ReadStore, type UnitDoc } from '@ledger/read-models';
import { assertMayRead, relationsOfView } from '../appraisals/queries/access';
import { AppraisalReader } from '../appraisals/queries/appraisal-reader';
import { READ_STORE } from '../platform/ledger-runtime';
import { POLICY } from '../platform/ports';
import type { RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';
import {
  agencyAnalytics,
  appraisalAgreement,
  appraiserAnalytics,
  unitAnalytics,
  type AgencyAnalytics,
  type AppraisalAgreement,
  type AppraiserAnalytics,
  type UnitAnalytics,
} from './subjectivity';

const notEntitled = (actor: Actor, what: string) =>
  new ProblemException('NOT_ENTITLED', `A ${actor.role} without a relationship to ${what} may not read its analytics`, {
    details: { role: actor.role },
  });

const isOversight = readsEveryUnit;

export class GetAppraiserAnalytics extends Query<AppraiserAnalytics> {
  constructor(
    readonly appraiserId: string,
    readonly year: number,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** AUDITOR, PENGELOLA_KINERJA and the appraiser: everything; a unit leader: the appraiser's work in the units they lead. */
@QueryHandler(GetAppraiserAnalytics)
export class GetAppraiserAnalyticsHandler implements IQueryHandler<GetAppraiserAnalytics> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ appraiserId, year, period, ctx }: GetAppraiserAnalytics): Promise<AppraiserAnalytics> {
    const { actor } = ctx;
    const agencyYear = (await this.readStore.find<AppraisalView>(APPRAISALS, { year })).map((d) => d.doc);
    let scope: string[] | null = null;
    if (actor.role === 'PIMPINAN_UNIT') {
      const led = (await this.readStore.find<UnitDoc>(UNITS, { year }))
        .map((d) => d.doc)
        .filter((u) => u.leaderId === actor.id || u.upperLeaderId === actor.id)
        .map((u) => u.unitId);
      scope = led.filter((unitId) => agencyYear.some((v) => v.unitId === unitId && v.appraiserId === appraiserId));
      if (scope.length === 0) throw notEntitled(actor, 'this appraiser');
    } else if (!isOversight(actor) && !(actor.role === 'PEJABAT_PENILAI' && actor.id === appraiserId)) {
      throw notEntitled(actor, 'this appraiser');
    }
    return appraiserAnalytics(appraiserId, year, period, agencyYear, scope, this.policy.surveyMinimumGroup);
  }
}

export class GetUnitAnalytics extends Query<UnitAnalytics> {
  constructor(
    readonly unitId: string,
    readonly year: number,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** As the unit view: the unit's leaders, PENGELOLA_KINERJA and AUDITOR. */
@QueryHandler(GetUnitAnalytics)
export class GetUnitAnalyticsHandler implements IQueryHandler<GetUnitAnalytics> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ unitId, year, period, ctx }: GetUnitAnalytics): Promise<UnitAnalytics> {
    const unit = await this.readStore.get<UnitDoc>(UNITS, `${unitId}-${year}`);
    if (unit === null) throw fail('UNIT_NOT_FOUND', { unitId, year });
    const { actor } = ctx;
    if (!mayReadUnit(actor, unit.doc)) throw notEntitled(actor, 'this unit');
    const members = (await this.readStore.find<AppraisalView>(APPRAISALS, { unitId, year })).map((d) => d.doc);
    return unitAnalytics(unit.doc, members, period, this.policy.periods, actor, this.policy.surveyMinimumGroup);
  }
}

export class GetAgencyAnalytics extends Query<AgencyAnalytics> {
  constructor(
    readonly year: number,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** The whole agency: PENGELOLA_KINERJA and AUDITOR. */
@QueryHandler(GetAgencyAnalytics)
export class GetAgencyAnalyticsHandler implements IQueryHandler<GetAgencyAnalytics> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ year, period, ctx }: GetAgencyAnalytics): Promise<AgencyAnalytics> {
    if (!isOversight(ctx.actor)) throw notEntitled(ctx.actor, 'the agency');
    const units = (await this.readStore.find<UnitDoc>(UNITS, { year })).map((d) => d.doc);
    const views = (await this.readStore.find<AppraisalView>(APPRAISALS, { year })).map((d) => d.doc);
    return agencyAnalytics(year, units, views, period, this.policy.periods, ctx.actor, this.policy.surveyMinimumGroup);
  }
}

export class GetAppraisalAgreement extends Query<AppraisalAgreement> {
  constructor(
    readonly appraisalId: string,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * Whoever may read the appraisal (its employee included, under the redaction policy's analytics rules);
 * a read by a reviewer or an auditor of a disputed appraisal is recorded, as a read of the appraisal.
 */
@QueryHandler(GetAppraisalAgreement)
export class GetAppraisalAgreementHandler implements IQueryHandler<GetAppraisalAgreement> {
  constructor(
    private readonly reader: AppraisalReader,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ appraisalId, period, ctx }: GetAppraisalAgreement): Promise<AppraisalAgreement> {
    const view = await this.reader.view(appraisalId);
    const relations = relationsOfView(view, await this.reader.projectedUnitLeaders(view.unitId, view.year));
    assertMayRead(ctx.actor, relations);
    await this.reader.logRead(ctx.actor, relations, appraisalId, 'APPRAISAL', ctx);
    return appraisalAgreement(view, period, ctx.actor, this.policy.surveyMinimumGroup);
  }
}
