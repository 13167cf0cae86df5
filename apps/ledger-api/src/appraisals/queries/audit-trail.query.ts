import { LedgerLogService, type ReadProof } from '../../log/ledger-log.service';
import { Inject, Logger } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { accessStreamId, appraisalStreamId } from '@ledger/appraisal';
import type { EventStore, StreamIntegrity } from '@ledger/event-store';
import { AUDIT_TRAIL, auditTrailOf, type AuditEntry, type AuditRef, type ReadDoc, type ReadStore } from '@ledger/read-models';
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
  /**
   * The appraisal stream's chain as verified now, and BROKEN too when an entry's event is gone from the
   * store (withMissing): entries of a BROKEN trail are not plain facts.
   */
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
    // The references first, then the events: every event the read model has reached is stored by then.
    const refs = await this.readStore.find<AuditRef>(AUDIT_TRAIL, { appraisalId }, { sortBy: 'position' });
    const streamId = appraisalStreamId(appraisalId);
    const [events, reads] = await Promise.all([this.store.readStream(streamId), this.store.readStream(accessStreamId(appraisalId))]);
    const { entries, missing } = auditTrailOf(refs, [...events, ...reads]);
    const integrity = withMissing(await integrityOf(this.store, streamId, events), missing);
    if (!readsAsEmployee(ctx.actor, view.employeeNip)) {
      return proof
        ? { appraisalId, entries, integrity, proof: this.log.proofOf(entries.map((e) => e.eventId)) }
        : { appraisalId, entries, integrity };
    }
    return { appraisalId, entries: redactAuditTrailForEmployee(entries), integrity: redactIntegrityForEmployee(integrity) };
  }
}

const logger = new Logger('LedgerIntegrity');
/** Once per missing event in this process, as integrityOf logs a broken chain. */
const loggedMissing = new Set<string>();

/**
 * An entry the read model recorded whose event the store no longer holds (a deleted row, or a read
 * store built from another event store) cannot be rendered: the trail leaves it out and says BROKEN
 * rather than pass for whole. A chain found broken already is reported as it was (its first problem).
 */
function withMissing(integrity: StreamIntegrity, missing: ReadonlyArray<ReadDoc<AuditRef>>): StreamIntegrity {
  for (const ref of missing) {
    if (loggedMissing.has(ref.id)) continue;
    loggedMissing.add(ref.id);
    logger.error(
      `LEDGER INTEGRITY BROKEN: the audit trail records event ${ref.id} (${ref.doc.type} at position ${ref.doc.position} of ${ref.doc.streamId}), which the event store does not hold`,
    );
  }
  if (missing.length === 0 || integrity.status === 'BROKEN') return integrity;
  const [first] = missing;
  return {
    status: 'BROKEN',
    firstBrokenRevision: null,
    problem: 'LOG_ENTRY_MISSING',
    detail: `${missing.length} event(s) of the audit trail are no longer in the event store, the first ${first.id} at position ${first.doc.position} of ${first.doc.streamId}`,
  };
}
