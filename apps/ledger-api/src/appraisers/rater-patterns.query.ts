import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fail, type Period, type Policy } from '@ledger/appraisal';
import { APPRAISALS, type AppraisalView, type ReadStore } from '@ledger/read-models';
import { READ_STORE } from '../platform/ledger-runtime';
import { POLICY } from '../platform/ports';
import type { RequestContext } from '../platform/request-context';
import { raterPatterns, type RaterPatterns } from './rater-patterns';

export class GetRaterPatterns extends Query<RaterPatterns> {
  constructor(
    readonly appraiserId: string,
    readonly year: number,
    readonly period: Period,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** AUDITOR and PENGELOLA_KINERJA see anyone's patterns; an appraiser sees their own. */
@QueryHandler(GetRaterPatterns)
export class GetRaterPatternsHandler implements IQueryHandler<GetRaterPatterns> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ appraiserId, year, period, ctx }: GetRaterPatterns): Promise<RaterPatterns> {
    const { id, role } = ctx.actor;
    const entitled = role === 'AUDITOR' || role === 'PENGELOLA_KINERJA' || (role === 'PEJABAT_PENILAI' && id === appraiserId);
    if (!entitled) throw fail('ROLE_NOT_ALLOWED', { role, appraiserId });
    const agencyYear = await this.readStore.find<AppraisalView>(APPRAISALS, { year });
    return raterPatterns(
      appraiserId,
      year,
      period,
      agencyYear.map((d) => d.doc),
      this.policy.surveyMinimumGroup,
    );
  }
}
