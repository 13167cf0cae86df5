import {
  ALL_EVENT_TYPES,
  type AppraisalEvent,
  type DisputedAppraisalRead,
  type Predicate,
  type ServiceEvent,
  type UnitEvent,
} from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { asDomain, type Stored } from './stored';

type Described = AppraisalEvent | UnitEvent | ServiceEvent | DisputedAppraisalRead;

/** Every type describeEvent has a sentence for (its switch is exhaustive over Described). */
const KNOWN: ReadonlySet<string> = new Set<string>(ALL_EVENT_TYPES);

const MAX_QUOTE = 160;
/** Free text is quoted, shortened: the full text stays in the entry's data. */
const quote = (text: string): string => `"${text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text}"`;
const results = (n: number): string => `${n} work result${n === 1 ? '' : 's'}`;
const ratings = (hasilKerja: string, perilakuKerja: string, predicate: string): string =>
  `hasil kerja ${hasilKerja}, perilaku kerja ${perilakuKerja} → ${predicate}`;
const countsText = (counts: Record<Predicate, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`)
    .join(', ') || 'none rated';

const unknownEvent = (e: never): string => `recorded ${String((e as { type?: unknown }).type)}`;

/**
 * One readable sentence per event: "<role> <actor> <what happened>". A 360 survey's sentence never
 * names its rater, for every reader [beyond: raters stay anonymous]: the text is shown beside the
 * answers, and those entitled to know the rater read it from actorId.
 */
export function describeEvent(event: StoredEvent): string {
  const who = event.type === 'BehaviourSurveySubmitted' ? 'a 360 rater' : `${event.metadata.actorRole} ${event.metadata.actorId}`;
  if (!KNOWN.has(event.type)) return `${who} recorded ${event.type} (schema version ${event.schemaVersion})`;
  return `${who} ${describeDomain(asDomain<Described>(event))}`;
}

function describeDomain(e: Stored<Described>): string {
  switch (e.type) {
    case 'AppraisalOpened': {
      const d = e.data;
      return `opened the ${d.year} appraisal of ${d.employeeName} (${d.employeeNip}) in unit ${d.unitId}: appraiser ${d.appraiserId}, superior ${d.superiorId}, plan due ${d.planDeadline}`;
    }
    case 'AppraisalUnitCorrected':
      return `corrected the unit from ${e.data.previousUnitId} to ${e.data.unitId}: ${quote(e.data.reason)}`;
    case 'AppraiserReassigned':
      return `reassigned the appraiser to ${e.data.appraiserId} (superior ${e.data.superiorId}): ${quote(e.data.reason)}`;
    case 'PlanDeadlineSet':
      return `set the plan deadline to ${e.data.planDeadline}: ${quote(e.data.reason)}`;
    case 'PlanDrafted':
      return `drafted the plan (${results(e.data.plan.results.length)}) after the performance dialogue of ${e.data.dialogue.heldOn}`;
    case 'PlanSubmitted':
      return 'submitted the plan for approval';
    case 'PlanApproved':
      return `approved the plan as version ${e.data.version}`;
    case 'PlanReturned':
      return `returned the plan: ${quote(e.data.reason)}`;
    case 'PlanRevisionProposed':
      return `proposed a plan revision (${results(e.data.plan.results.length)}): ${quote(e.data.reason)}`;
    case 'PlanRevisionApproved':
      return `approved the plan revision as version ${e.data.version}`;
    case 'PlanRevisionRejected':
      return `rejected the proposed plan revision: ${quote(e.data.reason)}`;
    case 'DefaultPlanSet':
      return `set a default plan as version ${e.data.version} (${results(e.data.plan.results.length)}): ${quote(e.data.reason)}`;
    case 'BehaviourExpectationSet':
      return `set the expectation for ${e.data.behaviour}: ${quote(e.data.expectation)}`;
    case 'EvidenceRecorded': {
      const d = e.data;
      return `recorded evidence ${d.evidenceId} for ${d.period}: value ${d.value} on indicator ${d.indicatorId} of result ${d.resultId} (document sha256 ${d.document.sha256.slice(0, 12)}…)`;
    }
    case 'FeedbackGiven': {
      const about = e.data.about;
      const on = about?.resultId ?? about?.behaviour ?? about?.evidenceId;
      return `gave feedback ${e.data.feedbackId}${on === undefined ? '' : ` on ${on}`}: ${quote(e.data.text)}`;
    }
    case 'FeedbackResponded':
      return `responded to feedback ${e.data.feedbackId}: ${quote(e.data.text)}`;
    case 'SelfAssessed':
      return `self-assessed ${e.data.period}: hasil kerja ${e.data.hasilKerja}, perilaku kerja ${e.data.perilakuKerja}`;
    case 'RaterAssigned':
      return `assigned ${e.data.raterId} as ${e.data.relation} rater for ${e.data.period}`;
    case 'BehaviourSurveySubmitted':
      return `submitted the behaviour survey for ${e.data.period}`;
    case 'PerformanceRated': {
      const d = e.data;
      return `rated ${d.period}: ${ratings(d.hasilKerja, d.perilakuKerja, d.predicate)}`;
    }
    case 'RatingRevised': {
      const d = e.data;
      return `revised the ${d.period} rating to version ${d.version} (supersedes version ${d.supersedesVersion}): ${ratings(d.hasilKerja, d.perilakuKerja, d.predicate)}; reason ${quote(d.reason)}`;
    }
    case 'ResultDelivered':
      return `delivered the final ${e.data.period} result: ${e.data.predicate} (rating version ${e.data.ratingVersion})`;
    case 'ObjectionFiled':
      return `filed an objection to the ${e.data.period} result: ${quote(e.data.reasons)}`;
    case 'StatementRecorded':
      return `recorded the statement of ${e.data.party} on the ${e.data.period} objection`;
    case 'ReviewerAssigned':
      return `assigned ${e.data.reviewerId} as third-party reviewer of the ${e.data.period} objection`;
    case 'ReviewFindingsSubmitted':
      return `submitted review findings on the ${e.data.period} objection, recommending ${e.data.recommendation}`;
    case 'ObjectionDecided': {
      const d = e.data;
      const outcome =
        d.amended === undefined
          ? `UPHELD, ${d.previousPredicate} stands`
          : `AMENDED, ${d.previousPredicate} → ${ratings(d.amended.hasilKerja, d.amended.perilakuKerja, d.amended.predicate)}`;
      return `decided the ${d.period} objection: ${outcome}; reasons ${quote(d.reasons)}`;
    }
    case 'UnitOpened': {
      const d = e.data;
      return `opened unit ${d.name} (${d.unitId}) for ${d.year}: leader ${d.leaderId}, leader one level up ${d.upperLeaderId}`;
    }
    case 'OrganisationalPredicateSet': {
      const d = e.data;
      const set = `set the organisational predicate for ${d.period} to ${d.predicate}${d.basis ? ` on ${d.basis.uri}` : ''}`;
      if (!d.change) return d.reason === undefined ? set : `${set}: ${quote(d.reason)}`;
      const escape =
        d.change.failedUnderPrevious.length > 0 && d.change.failedUnderNew.length === 0
          ? ' — the change lets a failing distribution pass'
          : '';
      return `${set}, changed from ${d.change.previousPredicate} after ${d.change.ratedCount} of ${d.change.memberCount} members were rated${escape}: ${quote(d.reason ?? '')}`;
    }
    case 'UnitFinalised': {
      const d = e.data;
      const fit =
        d.exception === undefined
          ? 'the distribution fits the pattern'
          : `EXCEPTION to the pattern (failed: ${d.exception.failedRules.join(', ')}): ${quote(d.exception.reason)}`;
      return `finalised ${d.period} under organisational predicate ${d.organisationalPredicate}: ${d.n} appraisals (${countsText(d.counts)}); ${fit}`;
    }
    case 'ServiceDeclared':
      return `declared service ${e.data.serviceId} (${e.data.name})`;
    // Never the hash itself in prose: it is in the entry's data for those who verify.
    case 'FeedbackCodeIssued': {
      const d = e.data;
      return `issued a feedback code for service ${d.serviceId} (${d.period}${d.officerId === undefined ? '' : `, officer ${d.officerId}`}), valid until ${d.expiresAt}`;
    }
    case 'PublicFeedbackReceived': {
      const d = e.data;
      const masked = d.masked === undefined ? '' : ` (personal data masked: ${d.masked.join(', ')})`;
      return `gave SKM feedback ${d.feedbackId} on service ${d.serviceId} for ${d.period}${d.comment === undefined ? '' : `: ${quote(d.comment)}`}${masked}`;
    }
    case 'PublicFeedbackResponded':
      return `responded to public feedback ${e.data.feedbackId}: ${quote(e.data.text)}`;
    case 'DisputedAppraisalRead':
      return `read the ${e.data.view} view of disputed appraisal ${e.data.appraisalId}`;
    default:
      return unknownEvent(e);
  }
}
