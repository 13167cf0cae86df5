import {
  UNIT_EVENT_TYPES,
  type BoundCheck,
  type CheckedAppraisal,
  type CitedIkm,
  type DocumentRef,
  type OrgPredicate,
  type OrgPredicateChange,
  type Period,
  type Predicate,
  type UnitEvent,
} from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { asDomain, ignoreUnknown, stampOf, unitOfStream, type Stamp, type Stored } from './stored';

export const UNITS = 'units';

/** What the finalisation event recorded: the snapshot the distribution rule was decided on. */
export interface FinalisationView extends Stamp {
  organisationalPredicate: OrgPredicate;
  checked: CheckedAppraisal[];
  counts: Record<Predicate, number>;
  n: number;
  bounds: BoundCheck[];
  exception: { reason: string; failedRules: string[] } | null;
}

/**
 * One setting of the organisational predicate. `flag` says what a reader must notice:
 * AFTER_RATING (changed once members were rated) or ESCAPES_PATTERN (the rated members' predicates
 * failed the previous pattern and fit the new one: the change a refused finalisation would need).
 */
export interface OrgPredicateSettingView extends Stamp {
  predicate: OrgPredicate;
  basis: DocumentRef | null;
  reason: string | null;
  change: OrgPredicateChange | null;
  flag: 'AFTER_RATING' | 'ESCAPES_PATTERN' | null;
  /** The unit's IKM cited beside the basis (SKM feedback), as the ledger computed it then. */
  ikm: CitedIkm | null;
}

export interface UnitPeriodView {
  organisationalPredicate: OrgPredicate | null;
  organisationalPredicateSet: Stamp | null;
  /** Every setting, oldest first: shown beside the finalisation. */
  organisationalPredicateHistory: OrgPredicateSettingView[];
  finalised: FinalisationView | null;
}

/**
 * The `units` document (id = `${unitId}-${year}`). Only the unit stream's own facts: the live
 * distribution and amendments after finalisation come from the member appraisals at query time
 * (composeUnitView), since they change on other streams.
 */
export interface UnitDoc {
  unitId: string;
  year: number;
  name: string;
  leaderId: string;
  upperLeaderId: string;
  opened: Stamp;
  /** Stream revision of the last applied event (ETag for unit commands). */
  revision: number;
  lastEventAt: string;
  periods: Partial<Record<Period, UnitPeriodView>>;
  /** Services the unit declared for the year (absent on documents built before services existed). */
  services?: Record<string, { name: string } & Stamp>;
}

const HANDLES = UNIT_EVENT_TYPES;

export const unitsProjection: Projection<UnitDoc> = {
  name: 'units',
  collection: UNITS,
  handles: HANDLES,
  idsOf: (event) => {
    const unit = unitOfStream(event.streamId);
    return unit === null ? [] : [unit.key];
  },
  evolve: evolveUnit,
  indexes: ['unitId', 'year'],
};

const emptyUnitPeriod = (): UnitPeriodView => ({
  organisationalPredicate: null,
  organisationalPredicateSet: null,
  organisationalPredicateHistory: [],
  finalised: null,
});

const flagOf = (change: OrgPredicateChange | undefined): OrgPredicateSettingView['flag'] => {
  if (change === undefined) return null;
  return change.failedUnderPrevious.length > 0 && change.failedUnderNew.length === 0 ? 'ESCAPES_PATTERN' : 'AFTER_RATING';
};

/** Pure. UnitOpened is revision 0 of its stream; anything before it is ignored. */
export function evolveUnit(doc: UnitDoc | null, event: StoredEvent): UnitDoc | null {
  const e = asDomain<UnitEvent>(event);
  if (doc === null) {
    if (e.type !== 'UnitOpened') return null;
    const { unitId, year, name, leaderId, upperLeaderId } = e.data;
    return {
      unitId,
      year,
      name,
      leaderId,
      upperLeaderId,
      opened: stampOf(e),
      revision: e.streamRevision,
      lastEventAt: e.metadata.occurredAt,
      periods: {},
    };
  }
  return { ...apply(doc, e), revision: e.streamRevision, lastEventAt: e.metadata.occurredAt };
}

function withPeriod(doc: UnitDoc, period: Period, change: Partial<UnitPeriodView>): UnitDoc {
  return { ...doc, periods: { ...doc.periods, [period]: { ...(doc.periods[period] ?? emptyUnitPeriod()), ...change } } };
}

function apply(doc: UnitDoc, e: Stored<UnitEvent>): UnitDoc {
  switch (e.type) {
    case 'UnitOpened':
      return doc;
    case 'OrganisationalPredicateSet': {
      const { period, predicate, basis, reason, change, ikm } = e.data;
      const setting: OrgPredicateSettingView = {
        predicate,
        basis: basis ?? null,
        reason: reason ?? null,
        change: change ?? null,
        flag: flagOf(change),
        ikm: ikm ?? null,
        ...stampOf(e),
      };
      const history = [...(doc.periods[period]?.organisationalPredicateHistory ?? []), setting];
      return withPeriod(doc, period, {
        organisationalPredicate: predicate,
        organisationalPredicateSet: stampOf(e),
        organisationalPredicateHistory: history,
      });
    }
    case 'UnitFinalised': {
      const { period, organisationalPredicate, checked, counts, n, bounds, exception } = e.data;
      const finalised: FinalisationView = {
        organisationalPredicate,
        checked,
        counts,
        n,
        bounds,
        exception: exception ?? null,
        ...stampOf(e),
      };
      return withPeriod(doc, period, { organisationalPredicate, finalised });
    }
    case 'ServiceDeclared':
      return { ...doc, services: { ...doc.services, [e.data.serviceId]: { name: e.data.name, ...stampOf(e) } } };
    default:
      return ignoreUnknown(doc, e);
  }
}
