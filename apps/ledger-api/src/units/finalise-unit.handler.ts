import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  appraisalDecider,
  appraisalStreamId,
  DomainError,
  fail,
  memberSnapshot,
  unitDecider,
  unitStreamId,
  type CheckedAppraisal,
  type MemberSnapshot,
  type Period,
  type UnitCommand,
  type UnitFinalised,
  type UnitState,
} from '@ledger/appraisal';
import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@ledger/event-store';
import type { AppraisalView, ProjectionProgress, ReadStore } from '@ledger/read-models';
import { assertIfMatch, CommandPath, type CommandOutcome, type EventMeta } from '../commands/command-path';
import { EVENT_STORE, PROJECTOR, READ_STORE } from '../platform/ledger-runtime';
import type { RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';
import { uuidV5 } from './deterministic-id';
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

/** How long finalisation waits for the read model to list every member appraisal. */
const CATCH_UP_MS = 5000;

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
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionProgress,
  ) {}

  async execute(m: FinaliseUnitPeriod): Promise<FinalisationResultDto> {
    const streamId = unitStreamId(m.unitId, m.year);
    const unit = await this.path.load(streamId, unitDecider);
    if (!unit.state.opened) throw fail('UNIT_NOT_FOUND', { unitId: m.unitId, year: m.year });
    const recorded = unit.events.find((e) => e.type === 'UnitFinalised' && (e.data as UnitFinalised['data']).period === m.period);

    let outcome: CommandOutcome;
    let finalisation: { eventId: string; data: UnitFinalised['data'] };
    let deliveryNow: string;
    if (recorded === undefined) {
      assertIfMatch(m.ctx.ifMatch, unit.revision);
      const members = await this.snapshot(m.unitId, m.year, m.period);
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
      this.authoriseRepair(unit.state, m);
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
   * Members come from the read model (the only index of appraisals by unit), after it caught up
   * with everything stored so far; their state and revision come from their own streams, which
   * are authoritative. The recorded snapshot says exactly what was checked.
   */
  private async snapshot(unitId: string, year: number, period: Period): Promise<MemberSnapshot[]> {
    const head = await this.store.headPosition();
    if (!(await this.projector.waitFor(head, CATCH_UP_MS))) {
      throw new ProblemException('READ_MODEL_BEHIND', 'The appraisal list of the unit is not up to date yet; retry shortly', {
        headers: { 'Retry-After': '1' },
        details: { required: head, reached: this.projector.position() },
      });
    }
    const docs = await this.readStore.find<AppraisalView>('appraisals', { unitId, year }, { sortBy: 'id' });
    const snapshots: MemberSnapshot[] = [];
    for (const doc of docs) {
      const member = await this.path.fold(appraisalStreamId(doc.id), appraisalDecider);
      snapshots.push(memberSnapshot(member.state, period, member.revision));
    }
    return snapshots;
  }

  /** Completing deliveries is part of finalising: the same people may do it, and no one else. */
  private authoriseRepair(unit: UnitState, m: FinaliseUnitPeriod): void {
    const { actor } = m.ctx;
    if (actor.role === 'AUDITOR') throw fail('AUDITOR_READ_ONLY', { role: actor.role });
    if (actor.role !== 'PIMPINAN_UNIT') throw fail('ROLE_NOT_ALLOWED', { required: 'PIMPINAN_UNIT', actual: actor.role });
    const exception = m.exceptionReason !== undefined;
    if (actor.id !== (exception ? unit.upperLeaderId : unit.leaderId)) {
      throw fail(exception ? 'NOT_THE_UPPER_LEADER' : 'NOT_THE_UNIT_LEADER', { actorId: actor.id });
    }
  }

  /**
   * Delivers one checked result. Normally the stream is still at the checked revision, which is
   * then the expected revision: exactly what was checked is delivered. If the stream moved on
   * meanwhile (evidence, feedback...), the decision is made on its current state and the domain
   * refuses it if the rating itself changed (RATING_CHANGED_SINCE_CHECK); that member is then
   * reported NOT_DELIVERED and the others still get theirs.
   */
  private async deliver(checked: CheckedAppraisal, finalisation: { eventId: string; data: UnitFinalised['data'] }, unitStream: string, meta: EventMeta): Promise<DeliveryDto> {
    const streamId = appraisalStreamId(checked.appraisalId);
    const eventId = uuidV5(finalisation.eventId, checked.appraisalId);
    const loaded = await this.path.load(streamId, appraisalDecider);
    const existing = loaded.events.find((e: StoredEvent) => e.eventId === eventId);
    if (existing !== undefined) return { appraisalId: checked.appraisalId, status: 'ALREADY_DELIVERED', eventId, position: existing.globalPosition };
    const command = { type: 'DeliverResult' as const, data: { checked, period: finalisation.data.period, unitStreamId: unitStream } };
    try {
      const outcome = await this.path.decideAndAppend(streamId, appraisalDecider, command, loaded, meta, [eventId]);
      return { appraisalId: checked.appraisalId, status: 'DELIVERED', eventId, position: outcome.position };
    } catch (error) {
      if (error instanceof DomainError) return { appraisalId: checked.appraisalId, status: 'NOT_DELIVERED', eventId, code: error.code };
      if (error instanceof WrongExpectedRevisionError) return { appraisalId: checked.appraisalId, status: 'NOT_DELIVERED', eventId, code: 'CONCURRENCY_CONFLICT' };
      throw error;
    }
  }
}
