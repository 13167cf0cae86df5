import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fail, type Period } from '@ledger/appraisal';
import {
  APPRAISALS,
  UNITS,
  composeUnitView,
  type AppraisalView,
  type ReadStore,
  type UnitDoc,
  type UnitPeriodComposite,
} from '@ledger/read-models';
import { READ_STORE } from '../platform/ledger-runtime';
import type { RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';

export class GetUnitView extends Query<UnitPeriodComposite> {
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
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ unitId, year, period, ctx }: GetUnitView): Promise<UnitPeriodComposite> {
    const unit = await this.readStore.get<UnitDoc>(UNITS, `${unitId}-${year}`);
    if (unit === null) throw fail('UNIT_NOT_FOUND', { unitId, year });
    const { actor } = ctx;
    const entitled =
      actor.role === 'AUDITOR' ||
      actor.role === 'PENGELOLA_KINERJA' ||
      (actor.role === 'PIMPINAN_UNIT' && [unit.doc.leaderId, unit.doc.upperLeaderId].includes(actor.id));
    if (!entitled)
      throw new ProblemException('NOT_ENTITLED', 'Only the unit leaders, PENGELOLA_KINERJA and AUDITOR read a unit', {
        details: { role: actor.role },
      });
    const members = await this.readStore.find<AppraisalView>(APPRAISALS, { unitId, year });
    return composeUnitView(
      unit.doc,
      members.map((m) => m.doc),
      period,
    );
  }
}
