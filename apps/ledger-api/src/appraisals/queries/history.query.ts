import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { appraisalDecider, appraisalStreamId, fail, type AppraisalEvent, type AppraisalState } from '@ledger/appraisal';
import type { EventStore, StoredEvent, StreamIntegrity } from '@ledger/event-store';
import { toMessage } from '../../commands/command-path';
import { EVENT_STORE } from '../../platform/ledger-runtime';
import { ProblemException } from '../../problems/problem';
import type { RequestContext } from '../../platform/request-context';
import { assertMayRead, relationsOfState } from './access';
import { AppraisalReader } from './appraisal-reader';
import { integrityOf } from './integrity-flag';
import { LedgerLogService, type ReadProof } from '../../log/ledger-log.service';
import {
  assertMayHaveProof,
  readsAsEmployee,
  redactEventsForEmployee,
  redactIntegrityForEmployee,
  redactStateForEmployee,
} from './redaction';
import type { EmployeeState, RedactedEvent } from './redaction';

export interface HistoryResult {
  appraisalId: string;
  /** The instant asked for (null: now, the whole stream). */
  asOf: string | null;
  /** The stream revision as it stood then (never -1: before the opening the answer is 404 NOT_YET_OPENED). */
  revision: number;
  /** The whole stream's chain as verified now (not only up to asOf). */
  integrity: StreamIntegrity;
  events: Array<StoredEvent | RedactedEvent>;
  state: AppraisalState | EmployeeState;
  proof?: ReadProof;
}

/**
 * The appraisal as it stood at `asOf`: straight from the event store (not a read model), the
 * events up to then folded with the domain's own evolve. Who may read it is decided on the
 * stream as it stands now, since relationships change (reassignment).
 */
export class GetHistory extends Query<HistoryResult> {
  constructor(
    readonly appraisalId: string,
    readonly asOf: string | undefined,
    readonly ctx: RequestContext,
    readonly proof = false,
  ) {
    super();
  }
}

@QueryHandler(GetHistory)
export class GetHistoryHandler implements IQueryHandler<GetHistory> {
  constructor(
    private readonly reader: AppraisalReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LedgerLogService) private readonly log: LedgerLogService,
  ) {}

  async execute({ appraisalId, asOf, ctx, proof }: GetHistory): Promise<HistoryResult> {
    const streamId = appraisalStreamId(appraisalId);
    const all = await this.store.readStream(streamId);
    const current = fold(all);
    if (!current.opened) throw fail('APPRAISAL_NOT_FOUND', { appraisalId });
    const relations = relationsOfState(current, await this.reader.recordedUnitLeaders(current.unitId, current.year));
    assertMayRead(ctx.actor, relations);
    if (proof) assertMayHaveProof(ctx.actor, current.employeeNip);
    await this.reader.logRead(ctx.actor, relations, appraisalId, 'HISTORY', ctx);

    const asOfNormalised = asOf === undefined ? undefined : new Date(asOf).toISOString();
    const events = asOfNormalised === undefined ? all : await this.store.readStream(streamId, { asOf: asOfNormalised });
    // Before its opening the appraisal did not exist: a blank state would read as an empty appraisal.
    if (events.length === 0) {
      throw new ProblemException('NOT_YET_OPENED', 'The appraisal had not been opened yet at asOf', {
        details: { appraisalId, asOf: asOfNormalised, openedAt: all[0].metadata.occurredAt },
      });
    }
    const state = fold(events);
    const integrity = await integrityOf(this.store, streamId, all);
    if (!readsAsEmployee(ctx.actor, current.employeeNip)) {
      const result = { appraisalId, asOf: asOfNormalised ?? null, revision: events.length - 1, integrity, events, state };
      if (!proof) return result;
      await this.log.caughtUp(Math.max(...all.map((e) => e.globalPosition)));
      return { ...result, proof: this.log.proofOf(events.map((e) => e.eventId)) };
    }
    // For the employee the revision counts the events shown: one counting hidden survey events would date them by asOf.
    const shown = redactEventsForEmployee(events);
    const revision = shown.length - 1;
    const employeeState = redactStateForEmployee(state);
    const shownIntegrity = redactIntegrityForEmployee(integrity);
    return { appraisalId, asOf: asOfNormalised ?? null, revision, integrity: shownIntegrity, events: shown, state: employeeState };
  }
}

const fold = (events: StoredEvent[]): AppraisalState =>
  events.reduce((s, e) => appraisalDecider.evolve(s, toMessage<AppraisalEvent>(e)), appraisalDecider.initialState());
