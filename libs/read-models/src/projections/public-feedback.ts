import {
  addToTally,
  emptyTally,
  periodsOfQuarter,
  serviceKey,
  type PersonalDataKind,
  type Period,
  type ServiceEvent,
  type SkmTally,
  type UnitEvent,
} from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { asDomain, ignoreUnknown, stampOf, unitOfStream, type Stamp } from './stored';

export const SERVICE_FEEDBACK = 'service_feedback';
export const OFFICER_FEEDBACK = 'officer_feedback';

const SERVICE_PREFIX = 'service-';

/**
 * The `service_feedback` document (id = serviceKey: `<unitId>-<year>-<serviceId>`): the SKM totals of
 * one service per period (each quarter, and TAHUNAN for all four). Sums only, never a response: the
 * IKM and the element means are computed from them when read, exactly (ikmOf).
 */
export interface ServiceFeedbackDoc {
  unitId: string;
  year: number;
  serviceId: string;
  name: string | null;
  declared: Stamp | null;
  periods: Partial<Record<Period, SkmTally>>;
}

/** A comment about an officer, as the officer and their appraiser read it: no code, no citizen, nothing to trace. */
export interface OfficerComment {
  feedbackId: string;
  unitId: string;
  serviceId: string;
  period: Period;
  at: string;
  comment: string;
  masked: PersonalDataKind[];
  response: { at: string; text: string } | null;
}

/** The `officer_feedback` document (id = the officer's NIP): their own SKM feedback, per year. */
export interface OfficerFeedbackDoc {
  officerId: string;
  years: Record<string, { periods: Partial<Record<Period, SkmTally>>; comments: OfficerComment[] }>;
}

type Handled = Extract<UnitEvent, { type: 'ServiceDeclared' }> | ServiceEvent;
const keyOfServiceStream = (streamId: string): string | null =>
  streamId.startsWith(SERVICE_PREFIX) ? streamId.slice(SERVICE_PREFIX.length) : null;

const tallied = (periods: Partial<Record<Period, SkmTally>>, quarter: Period, scores: Parameters<typeof addToTally>[1]) => {
  const next = { ...periods };
  for (const p of periodsOfQuarter(quarter)) next[p] = addToTally(next[p] ?? emptyTally(), scores);
  return next;
};

export const serviceFeedbackProjection: Projection<ServiceFeedbackDoc> = {
  name: SERVICE_FEEDBACK,
  collection: SERVICE_FEEDBACK,
  handles: ['ServiceDeclared', 'PublicFeedbackReceived'],
  idsOf: (event) => {
    if (event.type === 'ServiceDeclared') {
      const unit = unitOfStream(event.streamId);
      return unit === null || typeof event.data.serviceId !== 'string' ? [] : [serviceKey(unit.unitId, unit.year, event.data.serviceId)];
    }
    const key = keyOfServiceStream(event.streamId);
    return key === null ? [] : [key];
  },
  evolve: evolveServiceFeedback,
  indexes: ['unitId', 'year'],
};

export function evolveServiceFeedback(doc: ServiceFeedbackDoc | null, event: StoredEvent): ServiceFeedbackDoc | null {
  const e = asDomain<Handled>(event);
  switch (e.type) {
    case 'ServiceDeclared': {
      const unit = unitOfStream(e.streamId);
      if (unit === null) return doc;
      const base = doc ?? { unitId: unit.unitId, year: unit.year, serviceId: e.data.serviceId, periods: {} };
      return { ...base, name: e.data.name, declared: stampOf(e) };
    }
    case 'PublicFeedbackReceived': {
      const { unitId, year, serviceId, period, scores } = e.data;
      const base = doc ?? { unitId, year, serviceId, name: null, declared: null, periods: {} };
      return { ...base, periods: tallied(base.periods, period, scores) };
    }
    case 'FeedbackCodeIssued':
    case 'PublicFeedbackResponded':
      return doc;
    default:
      return ignoreUnknown(doc, e);
  }
}

export const officerFeedbackProjection: Projection<OfficerFeedbackDoc> = {
  name: OFFICER_FEEDBACK,
  collection: OFFICER_FEEDBACK,
  handles: ['PublicFeedbackReceived', 'PublicFeedbackResponded'],
  // The answer is by the officer themself (the decider allows no one else), so its actor names the document.
  idsOf: (event) => {
    if (event.type === 'PublicFeedbackResponded') return [event.metadata.actorId];
    const officerId = event.data.officerId;
    return typeof officerId === 'string' ? [officerId] : [];
  },
  evolve: evolveOfficerFeedback,
};

export function evolveOfficerFeedback(doc: OfficerFeedbackDoc | null, event: StoredEvent): OfficerFeedbackDoc | null {
  const e = asDomain<ServiceEvent>(event);
  switch (e.type) {
    case 'PublicFeedbackReceived': {
      const d = e.data;
      if (d.officerId === undefined) return doc;
      const base = doc ?? { officerId: d.officerId, years: {} };
      const year = base.years[String(d.year)] ?? { periods: {}, comments: [] };
      const comments =
        d.comment === undefined
          ? year.comments
          : [
              ...year.comments,
              {
                feedbackId: d.feedbackId,
                unitId: d.unitId,
                serviceId: d.serviceId,
                period: d.period,
                at: e.metadata.occurredAt,
                comment: d.comment,
                masked: d.masked ?? [],
                response: null,
              },
            ];
      return { ...base, years: { ...base.years, [String(d.year)]: { periods: tallied(year.periods, d.period, d.scores), comments } } };
    }
    case 'PublicFeedbackResponded': {
      if (doc === null) return null;
      const response = { at: e.metadata.occurredAt, text: e.data.text };
      const years = Object.fromEntries(
        Object.entries(doc.years).map(([year, y]) => [
          year,
          { ...y, comments: y.comments.map((c) => (c.feedbackId === e.data.feedbackId ? { ...c, response } : c)) },
        ]),
      );
      return { ...doc, years };
    }
    case 'FeedbackCodeIssued':
      return doc;
    default:
      return ignoreUnknown(doc, e);
  }
}
