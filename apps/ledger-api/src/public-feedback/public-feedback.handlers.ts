import { Inject, Injectable } from '@nestjs/common';
import {
  appraisalDecider,
  appraisalIdFor,
  appraisalStreamId,
  serviceDecider,
  serviceStreamId,
  unitDecider,
  unitStreamId,
  type Actor,
  type Period,
  type ServiceCommand,
  type ServiceFacts,
  type SkmScores,
} from '@ledger/appraisal';
import type { EventStore } from '@ledger/event-store';
import { CommandPath, type CommandOutcome } from '../commands/command-path';
import { EVENT_STORE } from '../platform/ledger-runtime';
import type { RequestContext } from '../platform/request-context';
import { uuidV5 } from '../units/deterministic-id';
import { hashOfCode, locateCode, newFeedbackCode, type ServiceLocation } from './feedback-code';

/** Namespace of public feedback ids: one feedback per code, so its id is derived from the code's hash. */
const FEEDBACK_NAMESPACE = '5b0e6c1e-7a7d-4d5e-9a43-2f1c0b8e5d21';
/** Who the public is in the ledger: a role and a fixed id, never an address, a device or a person. */
export const PUBLIC_ACTOR: Actor = { id: 'masyarakat', role: 'MASYARAKAT' };

export interface IssuedCode extends CommandOutcome {
  code: string;
  expiresAt: string;
  period: Period;
}

export interface ReceivedFeedback {
  feedbackId: string;
  position: number;
  period: Period;
  comment?: string;
  masked: string[];
}

/**
 * The public feedback use cases on the generic command path. The facts a decision needs of other
 * streams (is the service declared, which unit is the officer's appraisal in) are read here from
 * the streams themselves, never taken from a client.
 */
@Injectable()
export class PublicFeedbackCommands {
  constructor(
    private readonly path: CommandPath,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async issueCode(at: ServiceLocation, officerId: string | undefined, ctx: RequestContext): Promise<IssuedCode> {
    const code = newFeedbackCode(at);
    const command: ServiceCommand = {
      type: 'IssueFeedbackCode',
      data: { codeHash: hashOfCode(code), ...(officerId !== undefined && { officerId }) },
    };
    const person = officerId ?? (ctx.actor.role === 'PEGAWAI' ? ctx.actor.id : undefined);
    const outcome = await this.path.execute(serviceStreamId(at.unitId, at.year, at.serviceId), serviceDecider, command, ctx, async () => ({
      ...command,
      data: { ...command.data, facts: await this.facts(at, person) },
    }));
    const [event] = await this.store.readStream(outcome.streamId, { fromRevision: outcome.revision });
    const data = event.data as { expiresAt: string; period: Period };
    return { ...outcome, code, expiresAt: data.expiresAt, period: data.period };
  }

  /** A malformed code cannot have been issued: it is refused as unknown, like any code never issued. */
  async submit(body: { code: string; scores: SkmScores; comment?: string }, ctx: RequestContext): Promise<ReceivedFeedback> {
    const at = locateCode(body.code);
    const codeHash = hashOfCode(body.code);
    const facts = at === null ? undefined : { ...at, declared: true, officerUnitId: null };
    const command: ServiceCommand = {
      type: 'SubmitPublicFeedback',
      data: {
        codeHash,
        feedbackId: uuidV5(FEEDBACK_NAMESPACE, codeHash),
        scores: body.scores,
        ...(body.comment !== undefined && { comment: body.comment }),
        ...(facts && { facts }),
      },
    };
    // An unknown location folds an empty stream (nothing is written by folding), and the decider refuses it.
    const streamId = at === null ? 'service-unknown' : serviceStreamId(at.unitId, at.year, at.serviceId);
    const outcome = await this.path.execute(streamId, serviceDecider, command, ctx);
    const [event] = await this.store.readStream(outcome.streamId, { fromRevision: outcome.revision });
    const data = event.data as { feedbackId: string; period: Period; comment?: string; masked?: string[] };
    return {
      feedbackId: data.feedbackId,
      position: outcome.position,
      period: data.period,
      ...(data.comment !== undefined && { comment: data.comment }),
      masked: data.masked ?? [],
    };
  }

  respond(at: ServiceLocation, feedbackId: string, text: string, ctx: RequestContext): Promise<CommandOutcome> {
    const command: ServiceCommand = { type: 'RespondToPublicFeedback', data: { feedbackId, text } };
    return this.path.execute(serviceStreamId(at.unitId, at.year, at.serviceId), serviceDecider, command, ctx);
  }

  private async facts(at: ServiceLocation, person: string | undefined): Promise<ServiceFacts> {
    const unit = (await this.path.fold(unitStreamId(at.unitId, at.year), unitDecider)).state;
    const declared = unit.opened && Object.hasOwn(unit.services, at.serviceId);
    let officerUnitId: string | null = null;
    if (person !== undefined && /^\d{18}$/.test(person)) {
      const appraisal = (await this.path.fold(appraisalStreamId(appraisalIdFor(person, at.year)), appraisalDecider)).state;
      officerUnitId = appraisal.opened ? appraisal.unitId : null;
    }
    return { ...at, declared, officerUnitId };
  }
}
