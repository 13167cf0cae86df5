import { envelopeOf, type StoredEvent } from '@ledger/event-store';

/**
 * The feed's wire format (contracts/README.md): one Server-Sent Event per stored event, with the
 * global position as its id so that a reconnecting client resumes with Last-Event-ID, the event
 * type as its name, and the stored envelope as one line of JSON.
 */
export function sseFrame(event: StoredEvent): string {
  // JSON.stringify escapes line breaks inside strings, so the data field is a single line.
  return `id: ${event.globalPosition}\nevent: ${event.type}\ndata: ${JSON.stringify(envelopeOf(event))}\n\n`;
}

/** Sent first: how long a client waits before reconnecting (EventSource's `retry`). */
export const SSE_RETRY = 'retry: 3000\n\n';
/** A comment line: keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';
