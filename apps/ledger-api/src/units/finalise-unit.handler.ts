import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  appraisalDecider,
  appraisalStreamId,
  authoriseDeliveryCompletion,
  DomainError,
  fail,
  unitDecider,
  unitStreamId,
  type CheckedAppraisal,
  type Period,
  type UnitCommand,
  type UnitFinalised,
} from '@ledger/appraisal';
import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@ledger/event-store';
import { assertIfMatch, CommandPath, type CommandOutcome, type EventMeta } from '../commands/command-path';
import { EVENT_STORE } from '../platform/ledger-runtime';
import type { RequestContext } from '../platform/request-context';
import { uuidV5 } from './deterministic-id';
import { UnitMembers } from './unit-members';
import type { DeliveryDto, FinalisationResultDto } from './units.dto';

export class FinaliseUnitPeriod extends Command<FinalisationResultDto> {
  constructor(
    readonly unitId: string,
    readonly year: number,
    readonly period: Period,
    /** Set on the exception route (leader one level up). */
    readonly exceptionReason: string | undefined,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * Finalising a unit spans streams: the unit stream records what was checked (UnitFinalised),
 * then each checked appraisal stream gets its ResultDelivered. There is no transaction across
 * streams, so the deliveries are made retry-safe instead: each has a deterministic event id
 * (derived from the finalisation event id and the appraisal id) and is caused by the
 * UnitFinalised event. Re-POSTing an already finalised period decides nothing new; it only
 * completes deliveries a crash or a concurrent write left out, and answers with the recorded
 * finalisation. A retry can therefore never deliver twice or finalise twice.
 */
@CommandHandler(FinaliseUnitPeriod)
export class FinaliseUnitPeriodHandler implements ICommandHandler<FinaliseUnitPeriod> {
  constructor(
    private readonly path: CommandPath,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly members: UnitMembers,
  ) {}

  async execute(m: FinaliseUnitPeriod): Promise<FinalisationResultDto> {
    const streamId = unitStreamId(m.unitId, m.year);
    const unit = await this.path.load(streamId, unitDecider);
    if (!unit.state.opened) throw fail('UNIT_NOT_FOUND', { unitId: m.unitId, year: m.year });
    const recorded = unit.events.find((e) => e.type === 'UnitFinalised' && (e.data as UnitFinalised['data']).period === m.period);

    let outcome: CommandOutcome;
    let finalisation: { eventId: string; data: UnitFinalised['data'] };
    let deliveryNow: string;
    // A stale If-Match is refused on every path: the client acted on a view that no longer holds.
    assertIfMatch(m.ctx.ifMatch, unit.revision);
    if (recorded === undefined) {
      const members = await this.members.snapshot(m.unitId, m.year, m.period);
      const command: UnitCommand =
        m.exceptionReason === undefined
          ? { type: 'FinaliseUnit', data: { period: m.period, members } }
          : { type: 'FinaliseUnitWithException', data: { period: m.period, members, reason: m.exceptionReason } };
      const meta = this.path.metaFor(m.ctx, command);
      outcome = await this.path.decideAndAppend(streamId, unitDecider, command, unit, meta);
      const [event] = await this.store.readStream(streamId, { fromRevision: outcome.revision, toRevision: outcome.revision });
      if (event?.type !== 'UnitFinalised') throw new Error(`expected UnitFinalised at ${streamId}@${outcome.revision}`);
      finalisation = { eventId: event.eventId, data: event.data as UnitFinalised['data'] };
      // Same instant as the finalisation: deliveredAt = the finalisation's occurredAt.
      deliveryNow = meta.now;
    } else {
      authoriseDeliveryCompletion(unit.state, m.period, m.ctx.actor, m.exceptionReason);
      outcome = { streamId, revision: unit.revision, position: unit.events.at(-1)?.globalPosition ?? 0, events: [] };
      finalisation = { eventId: recorded.eventId, data: recorded.data as UnitFinalised['data'] };
      // A delivery completed later starts the objection window later: the window is the employee's.
      deliveryNow = this.path.now();
    }

    const meta: EventMeta = { actor: m.ctx.actor, now: deliveryNow, correlationId: m.ctx.correlationId, causationId: finalisation.eventId };
    const deliveries: DeliveryDto[] = [];
    for (const checked of finalisation.data.checked) {
      deliveries.push(await this.deliver(checked, finalisation, streamId, meta));
    }
    const position = Math.max(outcome.position, ...deliveries.map((d) => d.position ?? 0));
    return { ...outcome, position, finalisationEventId: finalisation.eventId, finalisation: { ...finalisation.data }, deliveries };
  }

  /**
   * Delivers one checked result. Normally the stream is still at the checked revision, which is
   * then the expected revision: exactly what was checked is delivered. If the stream moved on
   * meanwhile (evidence, feedback...), the decision is made on its current state and the domain
   * refuses it if the rating itself changed (RATING_CHANGED_SINCE_CHECK); that member is then
   * reported NOT_DELIVERED and the others still get theirs.
   */
  private async deliver(
    checked: CheckedAppraisal,
    finalisation: { eventId: string; data: UnitFinalised['data'] },
    unitStream: string,
    meta: EventMeta,
  ): Promise<DeliveryDto> {
    const streamId = appraisalStreamId(checked.appraisalId);
    const eventId = uuidV5(finalisation.eventId, checked.appraisalId);
    const loaded = await this.path.load(streamId, appraisalDecider);
    const existing = loaded.events.find((e: StoredEvent) => e.eventId === eventId);
    if (existing !== undefined)
      return { appraisalId: checked.appraisalId, status: 'ALREADY_DELIVERED', eventId, position: existing.globalPosition };
    const command = { type: 'DeliverResult' as const, data: { checked, period: finalisation.data.period, unitStreamId: unitStream } };
    try {
      const outcome = await this.path.decideAndAppend(streamId, appraisalDecider, command, loaded, meta, [eventId]);
      return { appraisalId: checked.appraisalId, status: 'DELIVERED', eventId, position: outcome.position };
    } catch (error) {
      if (error instanceof DomainError) return { appraisalId: checked.appraisalId, status: 'NOT_DELIVERED', eventId, code: error.code };
      if (error instanceof WrongExpectedRevisionError)
        return { appraisalId: checked.appraisalId, status: 'NOT_DELIVERED', eventId, code: 'CONCURRENCY_CONFLICT' };
      throw error;
    }
  }
}
