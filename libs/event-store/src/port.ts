import type { NewEvent, StoredEvent } from './envelope';

/** 'no_stream': the stream must not exist; 'any': no check; n: the stream's last revision must be n. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream (= the next expected revision). */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
}

/**
 * The W3C trace context (https://www.w3.org/TR/trace-context/) of the span that asked for an
 * append. Never part of an event: the envelope and its hash are fixed (docs/ledger-format.md).
 */
export interface TraceContextHeaders {
  /** `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
  traceparent: string;
  tracestate?: string;
}

export interface AppendOptions {
  /**
   * Kept beside the events, outside the ledger, by an adapter that can (the embedded store: its
   * `event_trace_context` side table, read by followers in other processes through
   * SqliteEventStore#traceContextOf); ignored by the others. Give it only when traces are on.
   */
  traceContext?: TraceContextHeaders;
}

export interface ReadStreamOptions {
  /** Only events with metadata.occurredAt <= asOf (ISO instant): the stream as it stood then. */
  asOf?: string;
  /** Only events with streamRevision <= toRevision. */
  toRevision?: number;
  /** Only events with streamRevision >= fromRevision: a cached fold reads just what it has not seen. */
  fromRevision?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with globalPosition > fromPosition. 0 = from the start: every stored event, whatever its position. */
  fromPosition: number;
  /** Maximum number of events to return. */
  limit: number;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is in flight. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive start position (typically a stored checkpoint). */
  fromPosition: number;
  /** Called in global order, one batch at a time; the next batch waits for the returned promise. */
  handler: (events: StoredEvent[]) => Promise<void>;
  /** Called if the subscription stops because of an error (handler throw or store failure). */
  onError?: (error: Error) => void;
  batchSize?: number;
}

/**
 * The event-store port. Every adapter passes libs/event-store/src/testing's contract suite.
 * Guarantees: appends to one stream are atomic and ordered; an append whose event ids are already
 * stored, in order, as the stream's latest run is an idempotent retry (returns the original
 * result, stores nothing); hashes chain per stream. An event id belongs to one stream: appending it
 * to another is an EventIdConflictError on every adapter (the EventStoreDB one claims each id: esdb/).
 */
export interface EventStore {
  /**
   * Throws WrongExpectedRevisionError when the expectation fails. `options` (optional, added later:
   * an adapter may ignore it) carries what is stored beside the events, never in them.
   */
  append(streamId: string, expected: ExpectedRevision, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** All events of a stream in revision order ([] when the stream does not exist). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /** Global position of the latest event (0 when empty). */
  headPosition(): Promise<number>;
  /** Catch up from a position, then follow live appends (from this and other processes). */
  subscribe(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
