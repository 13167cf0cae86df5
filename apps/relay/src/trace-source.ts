import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { appendedTraces, followerTraceContext, type TraceCarrier } from '@ledger/observability';
import type { RelayOptions } from './relay';

/**
 * The relay's traceContextOf with traces on: a record carries the traceparent of the command that
 * appended its event, from this process's carrier (a relay beside the command path) or else from
 * the embedded store's side table (the relay in its own process: SqliteEventStore#traceContextOf).
 * A server store keeps none: those records carry the publish span's context.
 */
export function relayTraceContextOf(
  store: EventStore,
  carrier: TraceCarrier = appendedTraces,
): NonNullable<RelayOptions['traceContextOf']> {
  return followerTraceContext(store instanceof SqliteEventStore ? (id) => store.traceContextOf(id) : undefined, carrier);
}
