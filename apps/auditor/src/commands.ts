import { appraisalDecider, appraisalStreamId, endOfLocalDay, type AppraisalEvent } from '@ledger/appraisal';
import type { EventSource } from './source';

type Out = NodeJS.WritableStream;

export async function runVerify(source: EventSource, json: boolean, out: Out): Promise<number> {
  const report = await source.verify();
  if (json) {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    out.write(`${report.ok ? 'INTACT' : 'BROKEN'}: ${report.eventsChecked} events in ${report.streamsChecked} streams checked\n`);
    for (const p of report.problems) {
      const where = `position=${p.position ?? '-'} stream=${p.streamId ?? '-'} revision=${p.revision ?? '-'} event=${p.eventId ?? '-'}`;
      out.write(`  ${p.kind} ${where}: ${p.message}\n`);
    }
  }
  return report.ok ? 0 : 1;
}

/** A bare date is the end of that day in the agency's time zone; anything else must be an instant. */
export function parseAsOf(value: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return endOfLocalDay(value, timeZone);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new Error(`--as-of: not a date or an ISO instant: ${value}`);
  return instant.toISOString();
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
  // The replayed stream is verified as read: a broken chain is said first and makes the exit code 1.
  const integrity = await source.verifyStream(appraisalStreamId(appraisalId));
  const state = events.reduce(
    (s, e) => appraisalDecider.evolve(s, { type: e.type, data: e.data } as AppraisalEvent),
    appraisalDecider.initialState(),
  );
  if (json) {
    out.write(`${JSON.stringify({ appraisalId, asOf, revision: events.length - 1, integrity, events, state }, null, 2)}\n`);
    return integrity.ok ? 0 : 1;
  }
  if (!integrity.ok) {
    out.write(`BROKEN: this stream's chain does not verify; the events below are not facts\n`);
    for (const p of integrity.problems)
      out.write(`  ${p.kind} revision=${p.revision ?? '-'} position=${p.position ?? '-'}: ${p.message}\n`);
    out.write('\n');
  }
  out.write(`appraisal ${appraisalId} as of ${asOf} (revision ${events.length - 1})\n\n`);
  for (const e of events) {
    const why = e.metadata.reason ? `  — ${e.metadata.reason}` : '';
    out.write(`#${e.streamRevision} ${e.metadata.occurredAt} ${e.metadata.actorRole} ${e.metadata.actorId} ${e.type}${why}\n`);
  }
  out.write(`\nstate:\n${JSON.stringify(state, null, 2)}\n`);
  return integrity.ok ? 0 : 1;
}

export async function runExport(source: EventSource, out: Out): Promise<number> {
  let count = 0;
  for await (const event of source.all()) {
    out.write(`${JSON.stringify(event)}\n`);
    count++;
  }
  return count;
}
