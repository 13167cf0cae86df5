import { LedgerLogService, type ReadProof } from '../../log/ledger-log.service';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { appraisalStreamId } from '@ledger/appraisal';
import type { EventStore, StreamIntegrity } from '@ledger/event-store';
import { AUDIT_TRAIL, type AuditEntry, type ReadStore } from '@ledger/read-models';
import { EVENT_STORE, READ_STORE } from '../../platform/ledger-runtime';
import type { RequestContext } from '../../platform/request-context';
import { assertMayRead, relationsOfView } from './access';
import { AppraisalReader } from './appraisal-reader';
import { integrityOf } from './integrity-flag';
import {
  readsAsEmployee,
  redactAuditTrailForEmployee,
  redactIntegrityForEmployee,
  type RedactedAuditEntry,
  assertMayHaveProof,
} from './redaction';

export interface AuditTrailResult {
  appraisalId: string;
  entries: Array<AuditEntry | RedactedAuditEntry>;
  /** The appraisal stream's chain as verified now: entries of a BROKEN stream are not plain facts. */
  integrity: StreamIntegrity;
  proof?: ReadProof;
}

/** Every event of the appraisal and of its access log, in ledger order, with who, when and why. */
export class GetAuditTrail extends Query<AuditTrailResult> {
  constructor(
    readonly appraisalId: string,
    readonly ctx: RequestContext,
    readonly proof = false,
  ) {
    super();
  }
}

@QueryHandler(GetAuditTrail)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrail> {
  constructor(
    private readonly reader: AppraisalReader,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LedgerLogService) private readonly log: LedgerLogService,
  ) {}

  async execute({ appraisalId, ctx, proof }: GetAuditTrail): Promise<AuditTrailResult> {
    const view = await this.reader.view(appraisalId);
    const relations = relationsOfView(view, await this.reader.projectedUnitLeaders(view.unitId, view.year));
    assertMayRead(ctx.actor, relations);
    if (proof) assertMayHaveProof(ctx.actor, view.employeeNip);
    await this.reader.logRead(ctx.actor, relations, appraisalId, 'AUDIT_TRAIL', ctx);
    const docs = await this.readStore.find<AuditEntry>(AUDIT_TRAIL, { appraisalId }, { sortBy: 'position' });
    const entries = docs.map((d) => d.doc);
    const integrity = await integrityOf(this.store, appraisalStreamId(appraisalId));
    if (!readsAsEmployee(ctx.actor, view.employeeNip)) {
      return proof
        ? { appraisalId, entries, integrity, proof: this.log.proofOf(entries.map((e) => e.eventId)) }
        : { appraisalId, entries, integrity };
    }
    return { appraisalId, entries: redactAuditTrailForEmployee(entries), integrity: redactIntegrityForEmployee(integrity) };
  }
}
