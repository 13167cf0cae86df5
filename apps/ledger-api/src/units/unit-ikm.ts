import { Inject, Injectable } from '@nestjs/common';
import {
  addToTally,
  emptyTally,
  ikmOf,
  mergeTallies,
  periodsOfQuarter,
  serviceStreamId,
  type CitedIkm,
  type Period,
  type SkmScores,
  type UnitState,
} from '@ledger/appraisal';
import { readVerifiedStream, type EventStore } from '@ledger/event-store';
import { EVENT_STORE } from '../platform/ledger-runtime';

/**
 * The unit's IKM for a period, read by the handler from the event store (never from a read model,
 * never from the client) when the leader cites it beside the organisational predicate: the public
 * feedback of every service the unit declared, each stream's chain verified as it is read.
 */
@Injectable()
export class UnitIkm {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async of(unit: UnitState, period: Period): Promise<CitedIkm | null> {
    const serviceIds = Object.keys(unit.services).sort();
    const tallies = [];
    const contributing: string[] = [];
    for (const serviceId of serviceIds) {
      const events = await readVerifiedStream(this.store, serviceStreamId(unit.unitId, unit.year, serviceId));
      let tally = emptyTally();
      for (const event of events) {
        if (event.type !== 'PublicFeedbackReceived') continue;
        const data = event.data as { period: Period; scores: SkmScores };
        if (periodsOfQuarter(data.period).includes(period)) tally = addToTally(tally, data.scores);
      }
      if (tally.responses > 0) {
        tallies.push(tally);
        contributing.push(serviceId);
      }
    }
    const result = ikmOf(mergeTallies(tallies));
    return result === null ? null : { ikm: result.ikm, grade: result.grade, responses: result.responses, serviceIds: contributing };
  }
}
