import { Inject, Injectable } from '@nestjs/common';
import { accessStreamId, fail, unitDecider, unitStreamId, type Actor } from '@ledger/appraisal';
import { APPRAISALS, UNITS, type AppraisalView, type ReadStore, type UnitDoc } from '@ledger/read-models';
import { CommandPath } from '../../commands/command-path';
import { READ_STORE } from '../../platform/ledger-runtime';
import type { RequestContext } from '../../platform/request-context';
import { isLoggedRead, type ReadRelations } from './access';

export type ReadKind = 'APPRAISAL' | 'AUDIT_TRAIL' | 'HISTORY';

/** The shared steps of the appraisal queries: find it, know who relates to it, log disputed reads. */
@Injectable()
export class AppraisalReader {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly path: CommandPath,
  ) {}

  async view(appraisalId: string): Promise<AppraisalView> {
    const doc = await this.readStore.get<AppraisalView>(APPRAISALS, appraisalId);
    if (doc === null) throw fail('APPRAISAL_NOT_FOUND', { appraisalId });
    return doc.doc;
  }

  /** From the read model: good enough for the view, which is itself a read model. */
  async projectedUnitLeaders(unitId: string, year: number): Promise<string[]> {
    const unit = await this.readStore.get<UnitDoc>(UNITS, `${unitId}-${year}`);
    return unit === null ? [] : [unit.doc.leaderId, unit.doc.upperLeaderId];
  }

  /** From the unit stream: for the queries answered from the event store. */
  async recordedUnitLeaders(unitId: string, year: number): Promise<string[]> {
    const unit = await this.path.load(unitStreamId(unitId, year), unitDecider);
    return unit.state.opened ? [unit.state.leaderId, unit.state.upperLeaderId] : [];
  }

  /** Appends DisputedAppraisalRead before the answer leaves: no logged read goes unrecorded. */
  async logRead(actor: Actor, relations: ReadRelations, appraisalId: string, view: ReadKind, ctx: RequestContext): Promise<void> {
    if (!isLoggedRead(actor, relations)) return;
    const event = { type: 'DisputedAppraisalRead', data: { appraisalId, view } };
    await this.path.record(accessStreamId(appraisalId), [event], this.path.metaFor(ctx, event));
  }
}
