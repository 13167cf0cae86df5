import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fail, type Period, type Policy } from '@ledger/appraisal';
import { mayReadUnit } from './unit-access';
import {
  APPRAISALS,
  SERVICE_FEEDBACK,
  UNITS,
  composeUnitView,
  type AppraisalView,
  type ReadStore,
  type ServiceFeedbackDoc,
  type UnitDoc,
  type UnitPeriodComposite,
} from '@ledger/read-models';
import { READ_STORE } from '../platform/ledger-runtime';
import { POLICY } from '../platform/ports';
import { unitPublicFeedback, type UnitPublicFeedback } from '../public-feedback/ikm-views';
import type { RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';

export type UnitViewResult = UnitPeriodComposite & { publicFeedback: UnitPublicFeedback };

export class GetUnitView extends Query<UnitViewResult> {
  constructor(
    readonly unitId: string,
    readonly year: number,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * One unit in one period: the recorded finalisation next to the distribution as it stands now,
 * with any exception and any result amended after finalisation. For the unit's leaders, the
 * performance manager and auditors.
 */
@QueryHandler(GetUnitView)
export class GetUnitViewHandler implements IQueryHandler<GetUnitView> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ unitId, year, period, ctx }: GetUnitView): Promise<UnitViewResult> {
    const unit = await this.readStore.get<UnitDoc>(UNITS, `${unitId}-${year}`);
    if (unit === null) throw fail('UNIT_NOT_FOUND', { unitId, year });
    const { actor } = ctx;
    if (!mayReadUnit(actor, unit.doc))
      throw new ProblemException('NOT_ENTITLED', 'Only the unit leaders, PENGELOLA_KINERJA and AUDITOR read a unit', {
        details: { role: actor.role },
      });
    const members = await this.readStore.find<AppraisalView>(APPRAISALS, { unitId, year });
    // The public's voice beside the organisational achievement: the unit's IKM in this period.
    const services = await this.readStore.find<ServiceFeedbackDoc>(SERVICE_FEEDBACK, { unitId, year });
    const view = composeUnitView(
      unit.doc,
      members.map((m) => m.doc),
      period,
    );
    const publicFeedback = unitPublicFeedback(
      services.map((s) => s.doc),
      period,
      this.policy.feedbackMinimumResponses,
    );
    return { ...view, publicFeedback };
  }
}
