import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { appendedTraces, storedTraceContextOf } from '@ledger/observability';
import { SCHEMA_VERSIONS as LEDGER_SCHEMA_VERSIONS, type Actor, type Decider, type Policy } from '@ledger/appraisal';
import {
  WrongExpectedRevisionError,
  readVerifiedStream,
  type AppendOptions,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@ledger/event-store';
import { ProblemException } from '../problems/problem';
import { renderProblem } from '../problems/problem.filter';
import { CLOCK, type Clock, IDS, type IdGenerator, POLICY } from '../platform/ports';
import type { RequestContext } from '../platform/request-context';
import { EVENT_STORE } from '../platform/ledger-runtime';
import { LedgerMetrics } from '../platform/ledger-metrics';
import { noteCommand } from '../platform/observation';
import { StateCache, type Folded } from './state-cache';

/** What every command answers: where its events landed. */
export interface CommandOutcome {
  streamId: string;
  /** The stream's last revision after the command (-1: the stream still does not exist). */
  revision: number;
  /** Global position of the last event written (or of the stream's last event if none was). */
  position: number;
  events: { eventId: string; type: string }[];
}

/** The minimum shape of a domain message: a type and its data. */
export interface Message {
  type: string;
  data: object;
}

export interface Loaded<S> {
  state: S;
  revision: number;
  events: StoredEvent[];
}

/** Metadata for the events one decision produces. */
export interface EventMeta {
  actor: Actor;
  now: string;
  correlationId: string;
  causationId: string;
  reason?: string;
}

const SCHEMA_VERSIONS: Record<string, number> = LEDGER_SCHEMA_VERSIONS;

/** Spans of the command path (no-op spans unless tracing.ts started the SDK). */
const tracer = () => trace.getTracer('@ledger/ledger-api');

/**
 * A command's span, `ledger.command <type>`, under the request's: the command type, the stream and
 * the outcome (`OK` or the problem code the answer carries). A refusal is an answer, not an error
 * of the span; only an internal error (500) marks it failed.
 */
async function inCommandSpan<T>(commandType: string, streamId: string, run: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    `ledger.command ${commandType}`,
    { attributes: { 'ledger.command.type': commandType, 'ledger.stream.id': streamId } },
    async (span: Span) => {
      try {
        const result = await run();
        span.setAttribute('ledger.outcome', 'OK');
        return result;
      } catch (error) {
        const { problem } = renderProblem(error, '');
        span.setAttribute('ledger.outcome', problem.code);
        if (problem.status >= 500) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: problem.code });
        }
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * The one command path (STYLE 4): load the stream, fold it with evolve, check If-Match, decide
 * with the actor, the clock's now and the policy, wrap each event in the envelope and append
 * with the loaded revision as expectation. A concurrent writer makes the append fail
 * (WrongExpectedRevisionError → 409); nothing is ever appended on a refusal.
 */
@Injectable()
export class CommandPath {
  private readonly cache = new StateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(POLICY) private readonly policy: Policy,
    // A default for the callers outside Nest (specs, test/support): their counts go nowhere.
    private readonly metrics: LedgerMetrics = new LedgerMetrics(false),
  ) {}

  /** Streams whose fold is cached (the ledger_state_cache_streams gauge). */
  cacheSize(): number {
    return this.cache.size;
  }

  /**
   * `prepare` completes the command with facts of other streams that the decision needs (read after
   * this stream was folded, so they are at least as new as the state they are judged with).
   */
  async execute<C extends Message, E extends Message, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    ctx: RequestContext,
    prepare?: (state: S) => Promise<C>,
  ): Promise<CommandOutcome> {
    noteCommand(command.type, streamId);
    return inCommandSpan(command.type, streamId, () => this.executeNow(streamId, decider, command, ctx, prepare));
  }

  private async executeNow<C extends Message, E extends Message, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    ctx: RequestContext,
    prepare?: (state: S) => Promise<C>,
  ): Promise<CommandOutcome> {
    const folded = await this.fold(streamId, decider);
    assertIfMatch(ctx.ifMatch, folded.revision);
    const meta = this.metaFor(ctx, command);
    const decided = prepare === undefined ? command : await prepare(folded.state);
    const events = decider.decide(decided, folded.state, { actor: meta.actor, now: meta.now, policy: this.policy });
    let outcome: CommandOutcome;
    try {
      outcome = await this.append(streamId, folded, events, meta);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.cache.forget(streamId);
      throw error;
    }
    if (events.length > 0) {
      const state = events.reduce((s, e) => decider.evolve(s, e), folded.state);
      this.cache.set(streamId, decider, { state, revision: outcome.revision, position: outcome.position });
    }
    return outcome;
  }

  /**
   * The stream's current state for deciding: the cached fold plus whatever was appended since
   * (read from the store every time, so the store stays the authority).
   */
  async fold<C, E extends Message, S>(streamId: string, decider: Decider<C, E, S>): Promise<Folded<S>> {
    const cached = this.cache.get<S>(streamId, decider);
    const base: Folded<S> = cached ?? { state: decider.initialState(), revision: -1, position: 0 };
    const tail = await readVerifiedStream(this.store, streamId, { fromRevision: base.revision + 1 });
    if (tail.length === 0) return base;
    const last = tail[tail.length - 1];
    const folded = {
      state: tail.reduce((s, e) => decider.evolve(s, toMessage<E>(e)), base.state),
      revision: last.streamRevision,
      position: last.globalPosition,
    };
    this.cache.set(streamId, decider, folded);
    return folded;
  }

  /** Decides on an already loaded stream and appends after it (for handlers that load themselves). */
  async decideAndAppend<C extends Message, E extends Message, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    loaded: Loaded<S>,
    meta: EventMeta,
    eventIds?: string[],
  ): Promise<CommandOutcome> {
    noteCommand(command.type, streamId);
    return inCommandSpan(command.type, streamId, () => {
      const events = decider.decide(command, loaded.state, { actor: meta.actor, now: meta.now, policy: this.policy });
      const position = loaded.events.at(-1)?.globalPosition ?? 0;
      return this.append(streamId, { revision: loaded.revision, position }, events, meta, eventIds);
    });
  }

  metaFor(ctx: RequestContext, command: Message, now: string = this.now()): EventMeta {
    const reason = reasonOf(command);
    return { actor: ctx.actor, now, correlationId: ctx.correlationId, causationId: ctx.requestId, ...(reason !== undefined && { reason }) };
  }

  async load<C, E extends Message, S>(streamId: string, decider: Decider<C, E, S>, toRevision?: number): Promise<Loaded<S>> {
    const events = await readVerifiedStream(this.store, streamId, toRevision === undefined ? undefined : { toRevision });
    const state = events.reduce((s, e) => decider.evolve(s, toMessage<E>(e)), decider.initialState());
    return { state, revision: events.length - 1, events };
  }

  /** Appends decided events after `loaded`; `eventIds` fixes their ids (deterministic retries). */
  async append(
    streamId: string,
    after: Pick<Folded<unknown>, 'revision' | 'position'>,
    events: Message[],
    meta: EventMeta,
    eventIds?: string[],
  ): Promise<CommandOutcome> {
    if (events.length === 0) return { streamId, revision: after.revision, position: after.position, events: [] };
    const envelopes = events.map((event, i) => this.envelope(event, meta, eventIds?.[i]));
    const expected = after.revision < 0 ? 'no_stream' : after.revision;
    const result = await this.timed(streamId, expected, envelopes, (options) => this.appendTo(streamId, expected, envelopes, options));
    return {
      streamId,
      revision: result.nextExpectedRevision,
      position: result.position,
      events: envelopes.map(({ eventId, type }) => ({ eventId, type })),
    };
  }

  /** Appends without a revision expectation: for logs whose order against other writers does not matter. */
  async record(streamId: string, events: Message[], meta: EventMeta): Promise<number> {
    const envelopes = events.map((event) => this.envelope(event, meta));
    const result = await this.timed(streamId, 'any', envelopes, (options) => this.appendTo(streamId, 'any', envelopes, options));
    return result.position;
  }

  /** The store's append; the options (trace context) only when there are some, so an untraced call is the port's three-argument one. */
  private appendTo(streamId: string, expected: number | 'no_stream' | 'any', envelopes: NewEvent[], options: AppendOptions | undefined) {
    return options === undefined
      ? this.store.append(streamId, expected, envelopes)
      : this.store.append(streamId, expected, envelopes, options);
  }

  /**
   * An append, counted and timed once it is stored (a refused one is not an append), in a span
   * `ledger.append` (stream, expected revision, event count; once stored, the position and
   * revision). The span that asked for it (the command's) is remembered for each event id, for the
   * in-process projector and relay (appendedTraces): the envelope carries no trace context. A refused
   * append leaves its ids there (bounded, and never read: those ids are not stored, or a retry with
   * the same ids overwrites them). The same span's W3C context goes to the append (AppendOptions
   * traceContext): the embedded store keeps it beside the events for followers in other processes.
   */
  private async timed<T extends { position: number; nextExpectedRevision: number }>(
    streamId: string,
    expected: number | 'no_stream' | 'any',
    envelopes: NewEvent[],
    append: (options: AppendOptions | undefined) => Promise<T>,
  ): Promise<T> {
    const asking = trace.getActiveSpan();
    const attributes = {
      'ledger.stream.id': streamId,
      'ledger.stream.expected_revision': String(expected),
      'ledger.events.count': envelopes.length,
    };
    return tracer().startActiveSpan('ledger.append', { attributes }, async (span: Span) => {
      try {
        // Before the append: a subscriber (the in-process projector) may read the events before it returns.
        let options: AppendOptions | undefined;
        if (span.isRecording()) {
          const appending = (asking ?? span).spanContext();
          appendedTraces.remember(
            envelopes.map(({ eventId }) => eventId),
            appending,
          );
          const traceContext = storedTraceContextOf(appending);
          if (traceContext !== undefined) options = { traceContext };
        }
        const stop = this.metrics.appendDuration.startTimer();
        const result = await append(options);
        stop();
        this.metrics.appends.inc();
        for (const { type } of envelopes) this.metrics.eventsAppended.inc({ type });
        span.setAttributes({ 'ledger.position': result.position, 'ledger.stream.revision': result.nextExpectedRevision });
        return result;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'append failed' });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  private envelope(event: Message, meta: EventMeta, eventId = this.ids.uuid()): NewEvent {
    const schemaVersion = SCHEMA_VERSIONS[event.type];
    if (schemaVersion === undefined) throw new Error(`no schema version for event type ${event.type}`);
    return {
      eventId,
      type: event.type,
      schemaVersion,
      data: event.data as Record<string, unknown>,
      metadata: {
        actorId: meta.actor.id,
        actorRole: meta.actor.role,
        occurredAt: meta.now,
        correlationId: meta.correlationId,
        causationId: meta.causationId,
        ...(meta.reason !== undefined && { reason: meta.reason }),
      },
    };
  }
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the event union it folds
export const toMessage = <E extends Message>(event: StoredEvent): E => ({ type: event.type, data: event.data }) as unknown as E;

/** Checked before deciding: a client acting on an old view is told so, whatever the rules say. */
export function assertIfMatch(ifMatch: number | undefined, revision: number): void {
  if (ifMatch !== undefined && ifMatch !== revision) {
    throw new ProblemException('STALE_REVISION', `If-Match names revision ${ifMatch}, but the stream is at ${revision}`, {
      details: { ifMatch, currentRevision: revision },
      headers: revision >= 0 ? { ETag: `"${revision}"` } : {},
    });
  }
}

/** The reason a rule requires travels in the command's data; the envelope records it too. */
export function reasonOf(command: Message): string | undefined {
  const data = command.data as { reason?: unknown; reasons?: unknown };
  if (typeof data.reason === 'string') return data.reason;
  if (typeof data.reasons === 'string') return data.reasons;
  return undefined;
}
