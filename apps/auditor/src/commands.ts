import { appraisalDecider, appraisalStreamId, type AppraisalEvent } from '@ledger/appraisal';
import { verifyEvents, type StoredEvent } from '@ledger/event-store';
import type { EventSource } from './source';

type Out = NodeJS.WritableStream;

export async function runVerify(source: EventSource, json: boolean, out: Out): Promise<number> {
  const events: StoredEvent[] = [];
  for await (const event of source.all()) events.push(event);
  const report = verifyEvents(events);
  if (json) {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    out.write(`${report.ok ? 'INTACT' : 'BROKEN'}: ${report.eventsChecked} events in ${report.streamsChecked} streams checked\n`);
    for (const p of report.problems) {
      out.write(`  ${p.kind} stream=${p.streamId} revision=${p.revision ?? '-'} event=${p.eventId ?? '-'}: ${p.message}\n`);
    }
  }
  return report.ok ? 0 : 1;
}

/** A bare date is the end of that day in the agency's time zone; anything else must be an instant. */
export function parseAsOf(value: string, timeZone: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return endOfLocalDay(Number(date[1]), Number(date[2]), Number(date[3]), timeZone);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new Error(`--as-of: not a date or an ISO instant: ${value}`);
  return instant.toISOString();
}

function endOfLocalDay(year: number, month: number, day: number, timeZone: string): string {
  const guess = Date.UTC(year, month - 1, day, 23, 59, 59, 999);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const localAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), 999);
  return new Date(guess - (localAsUtc - guess)).toISOString();
}

export async function runReplay(
  source: EventSource,
  appraisalId: string,
  asOfInput: string,
  timeZone: string,
  json: boolean,
  out: Out,
): Promise<number> {
  const asOf = parseAsOf(asOfInput, timeZone);
  const events = await source.stream(appraisalStreamId(appraisalId), asOf);
  if (events.length === 0) {
    out.write(`no events of appraisal ${appraisalId} at or before ${asOf}\n`);
    return 1;
  }
  const state = events.reduce(
    (s, e) => appraisalDecider.evolve(s, { type: e.type, data: e.data } as AppraisalEvent),
    appraisalDecider.initialState(),
  );
  if (json) {
    out.write(`${JSON.stringify({ appraisalId, asOf, revision: events.length - 1, events, state }, null, 2)}\n`);
    return 0;
  }
  out.write(`appraisal ${appraisalId} as of ${asOf} (revision ${events.length - 1})\n\n`);
  for (const e of events) {
    const why = e.metadata.reason ? `  — ${e.metadata.reason}` : '';
    out.write(`#${e.streamRevision} ${e.metadata.occurredAt} ${e.metadata.actorRole} ${e.metadata.actorId} ${e.type}${why}\n`);
  }
  out.write(`\nstate:\n${JSON.stringify(state, null, 2)}\n`);
  return 0;
}

export async function runExport(source: EventSource, out: Out): Promise<number> {
  let count = 0;
  for await (const event of source.all()) {
    out.write(`${JSON.stringify(event)}\n`);
    count++;
  }
  return count;
}
