import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { appraisalStreamId, fail } from '@ledger/appraisal';
import { verifyEvents, type EventStore, type IntegrityReport } from '@ledger/event-store';
import { EVENT_STORE } from '../../platform/ledger-runtime';
import type { RequestContext } from '../../platform/request-context';
import { ProblemException } from '../../problems/problem';

export interface IntegrityResult extends IntegrityReport {
  appraisalId: string;
  streamId: string;
  /** Hash of the last event: compare with an earlier answer to see that nothing changed since. */
  headHash: string | null;
}

/** Recomputes the stream's hash chain from the stored events (auditor and performance manager). */
export class GetIntegrity extends Query<IntegrityResult> {
  constructor(
    readonly appraisalId: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@QueryHandler(GetIntegrity)
export class GetIntegrityHandler implements IQueryHandler<GetIntegrity> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ appraisalId, ctx }: GetIntegrity): Promise<IntegrityResult> {
    if (ctx.actor.role !== 'AUDITOR' && ctx.actor.role !== 'PENGELOLA_KINERJA') {
      throw new ProblemException('ROLE_NOT_ALLOWED', 'Only AUDITOR and PENGELOLA_KINERJA verify the ledger', {
        details: { role: ctx.actor.role },
      });
    }
    const streamId = appraisalStreamId(appraisalId);
    const events = await this.store.readStream(streamId);
    if (events.length === 0) throw fail('APPRAISAL_NOT_FOUND', { appraisalId });
    return { appraisalId, streamId, headHash: events.at(-1)?.hash ?? null, ...verifyEvents(events) };
  }
}
