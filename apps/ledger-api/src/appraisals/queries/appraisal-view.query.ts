import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { appraisalStreamId, type Policy } from '@ledger/appraisal';
import type { EventStore, StreamIntegrity } from '@ledger/event-store';
import { APPRAISALS, OFFICER_FEEDBACK, type AppraisalView, type OfficerFeedbackDoc, type ReadStore } from '@ledger/read-models';
import { officerPublicFeedback, type OfficerPublicFeedback } from '../../public-feedback/ikm-views';
import { EVENT_STORE, READ_STORE } from '../../platform/ledger-runtime';
import { CLOCK, POLICY, type Clock } from '../../platform/ports';
import type { RequestContext } from '../../platform/request-context';
import { assertMayRead, relationsOfView } from './access';
import { appraisalOutlook, type AppraisalOutlook } from './appraisal-outlook';
import { AppraisalReader } from './appraisal-reader';
import { integrityOf } from './integrity-flag';
import { readsAsEmployee, redactIntegrityForEmployee } from './redaction';
import { redactOutlookForEmployee, redactViewForEmployee, type EmployeeAppraisalView } from './redaction';

export interface AppraisalViewResult {
  view: (AppraisalView | EmployeeAppraisalView) & {
    outlook: AppraisalOutlook;
    integrity: StreamIntegrity;
    publicFeedback: OfficerPublicFeedback;
  };
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
  constructor(
    private readonly reader: AppraisalReader,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ appraisalId, ctx }: GetAppraisalView): Promise<AppraisalViewResult> {
    const view = await this.reader.view(appraisalId);
    const relations = relationsOfView(view, await this.reader.projectedUnitLeaders(view.unitId, view.year));
    assertMayRead(ctx.actor, relations);
    await this.reader.logRead(ctx.actor, relations, appraisalId, 'APPRAISAL', ctx);
    // Follow-up flags look at the employee's earlier years (two years in a row).
    const years = await this.readStore.find<AppraisalView>(APPRAISALS, { employeeNip: view.employeeNip });
    const earlier = years.map((d) => d.doc).filter((v) => v.year < view.year);
    const integrity = await integrityOf(this.store, appraisalStreamId(appraisalId));
    const outlook = appraisalOutlook(view, earlier, this.clock.now().toISOString(), this.policy);
    // The public's feedback on this officer: evidence for Berorientasi Pelayanan, beside the ratings the appraiser gives.
    const officer = await this.readStore.get<OfficerFeedbackDoc>(OFFICER_FEEDBACK, view.employeeNip);
    const publicFeedback = officerPublicFeedback(officer?.doc ?? null, view.year, this.policy.feedbackMinimumResponses);
    // The one redaction policy (redaction.ts) decides what the employee sees, the outlook included.
    if (!readsAsEmployee(ctx.actor, view.employeeNip))
      return { view: { ...view, outlook, integrity, publicFeedback }, revision: view.revision };
    const k = this.policy.surveyMinimumGroup;
    const shown = { ...redactViewForEmployee(view, k), outlook: redactOutlookForEmployee(outlook, view, k) };
    return { view: { ...shown, integrity: redactIntegrityForEmployee(integrity), publicFeedback }, revision: view.revision };
  }
}
