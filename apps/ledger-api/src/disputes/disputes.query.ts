import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Policy } from '@ledger/appraisal';
import {
  APPRAISALS,
  DISPUTES,
  disputeTimeliness,
  withParticipants,
  type AppraisalView,
  type DisputeView,
  type DisputeWithParticipants,
  type Filter,
  type ReadStore,
} from '@ledger/read-models';
import { READ_STORE } from '../platform/ledger-runtime';
import { CLOCK, type Clock, POLICY } from '../platform/ports';
import type { RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';

export type DisputeListItem = DisputeWithParticipants & { decisionDeadline: string; overdue: boolean };

export class ListDisputes extends Query<{ disputes: DisputeListItem[] }> {
  constructor(
    readonly ctx: RequestContext,
    readonly status: 'OPEN' | 'DECIDED' | undefined,
  ) {
    super();
  }
}

/**
 * Objections, with the decision deadline and the overdue flag computed now, under the configured
 * policy and clock (a stored flag would go stale the day after it was written).
 * AUDITOR and PENGELOLA_KINERJA see all; a superior those on appraisals they are superior of;
 * a reviewer those assigned to them.
 */
@QueryHandler(ListDisputes)
export class ListDisputesHandler implements IQueryHandler<ListDisputes> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ ctx, status }: ListDisputes): Promise<{ disputes: DisputeListItem[] }> {
    const filter = await this.scope(ctx);
    if (filter === null) return { disputes: [] };
    const docs = await this.readStore.find<DisputeView>(DISPUTES, { ...filter, ...(status && { status }) }, { sortBy: 'filedAt' });
    const appraisals = await this.readStore.getMany<AppraisalView>(APPRAISALS, [...new Set(docs.map((d) => d.doc.appraisalId))]);
    const now = this.clock.now().toISOString();
    const disputes = docs.map(({ doc }) => ({
      ...withParticipants(doc, appraisals.get(doc.appraisalId)?.doc ?? null),
      ...disputeTimeliness(doc, now, this.policy),
    }));
    return { disputes };
  }

  /** The disputes filter for this actor; null = entitled, but nothing can match. */
  private async scope(ctx: RequestContext): Promise<Filter | null> {
    const { actor } = ctx;
    switch (actor.role) {
      case 'AUDITOR':
      case 'PENGELOLA_KINERJA':
        return {};
      case 'PENINJAU':
        return { reviewerId: actor.id };
      case 'ATASAN_PEJABAT_PENILAI': {
        const theirs = await this.readStore.find<AppraisalView>(APPRAISALS, { superiorId: actor.id });
        return theirs.length === 0 ? null : { appraisalId: theirs.map((a) => a.id) };
      }
      case 'PEGAWAI':
      case 'PEJABAT_PENILAI':
      case 'REKAN_KERJA':
      case 'PIMPINAN_UNIT':
      case 'LAYANAN_INTERNAL':
      case 'MASYARAKAT':
        throw new ProblemException('NOT_ENTITLED', `A ${actor.role} does not list disputes`, { details: { role: actor.role } });
      default:
        return unreachable(actor.role);
    }
  }
}

function unreachable(role: never): never {
  throw new Error(`unhandled role ${String(role)}`);
}
