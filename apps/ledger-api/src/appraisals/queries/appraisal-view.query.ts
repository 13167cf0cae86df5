import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AppraisalView } from '@ledger/read-models';
import type { RequestContext } from '../../platform/request-context';
import { assertMayRead, relationsOfView } from './access';
import { AppraisalReader } from './appraisal-reader';
import { redactViewForEmployee, type EmployeeAppraisalView } from './redaction';

export interface AppraisalViewResult {
  view: AppraisalView | EmployeeAppraisalView;
  revision: number;
}

export class GetAppraisalView extends Query<AppraisalViewResult> {
  constructor(
    readonly appraisalId: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@QueryHandler(GetAppraisalView)
export class GetAppraisalViewHandler implements IQueryHandler<GetAppraisalView> {
  constructor(private readonly reader: AppraisalReader) {}

  async execute({ appraisalId, ctx }: GetAppraisalView): Promise<AppraisalViewResult> {
    const view = await this.reader.view(appraisalId);
    const relations = relationsOfView(view, await this.reader.projectedUnitLeaders(view.unitId, view.year));
    assertMayRead(ctx.actor, relations);
    await this.reader.logRead(ctx.actor, relations, appraisalId, 'APPRAISAL', ctx);
    return { view: ctx.actor.role === 'PEGAWAI' ? redactViewForEmployee(view) : view, revision: view.revision };
  }
}
