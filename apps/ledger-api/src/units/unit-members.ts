import { Inject, Injectable } from '@nestjs/common';
import { appraisalDecider, appraisalStreamId, memberSnapshot, type MemberSnapshot, type Period } from '@ledger/appraisal';
import type { EventStore } from '@ledger/event-store';
import type { AppraisalView, ProjectionProgress, ReadStore } from '@ledger/read-models';
import { CommandPath } from '../commands/command-path';
import { EVENT_STORE, PROJECTOR, READ_STORE } from '../platform/ledger-runtime';
import { ProblemException } from '../problems/problem';

/** How long a unit decision waits for the read model to list every member appraisal. */
const CATCH_UP_MS = 5000;

/**
 * What a unit decision reads of its member appraisals for one period (finalisation, and a change of
 * the organisational predicate). Members come from the read model (the only index of appraisals by
 * unit), after it caught up with everything stored so far; their state and revision come from their
 * own streams, which are authoritative. The decision records what it saw.
 */
@Injectable()
export class UnitMembers {
  constructor(
    private readonly path: CommandPath,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionProgress,
  ) {}

  async snapshot(unitId: string, year: number, period: Period): Promise<MemberSnapshot[]> {
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
      // The read model may still list an appraisal whose unit was corrected away a moment ago.
      if (member.state.unitId === unitId) snapshots.push(memberSnapshot(member.state, period, member.revision));
    }
    return snapshots;
  }
}
