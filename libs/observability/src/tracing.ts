import {
  ROOT_CONTEXT,
  TraceFlags,
  createTraceState,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type Link,
  type SpanContext,
  type TextMapSetter,
} from '@opentelemetry/api';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as HttpInstrumentation from '@opentelemetry/instrumentation-http';
import type * as ExpressInstrumentation from '@opentelemetry/instrumentation-express';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry traces, off by default: the SDK (and the instrumentations, which patch modules as
 * they load) is required only when the environment asks for traces, so an untraced process loads
 * none of it and its spans are the API's no-op spans. Read README "Operating it" for the variables.
 */
export type TracingInstrumentation = 'http' | 'express';

export interface TracingSettings {
  enabled: boolean;
  /** Why (for the start-up line). */
  reason: string;
}

const TRUE = new Set(['true', '1', 'yes']);

/**
 * Traces are on when OTEL_TRACES_EXPORTER names an exporter other than `none`, or an OTLP endpoint
 * is set (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true
 * turns them off whatever else is set. Nothing set: off (the SDK's own default would be to export
 * to localhost:4318, which an agency's process should not start doing by itself).
 */
export function readTracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  if (TRUE.has((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase())) return { enabled: false, reason: 'OTEL_SDK_DISABLED' };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'null');
  if (exporters.length > 0) {
    if (exporters.every((name) => name === 'none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
    return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    if ((env[name] ?? '').trim() !== '') return { enabled: true, reason: name };
  }
  return { enabled: false, reason: 'no OTEL_TRACES_EXPORTER or OTLP endpoint set' };
}

export interface StartTracingOptions {
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  service: string;
  instrumentations: readonly TracingInstrumentation[];
  env?: NodeJS.ProcessEnv;
  /** Tests: where the spans go (an InMemorySpanExporter behind a SimpleSpanProcessor); else the OTEL_* exporters. */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  settings: TracingSettings;
  /** Flushes the spans in hand and unregisters the SDK. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Starts the SDK if the environment asks for traces (or a test passes span processors); answers
 * undefined otherwise, having loaded nothing. Call it before the instrumented modules (http,
 * express) are required: each app's `tracing.ts`, imported first by its main. Traces only: the
 * SDK's metrics and logs stay off unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER ask for them
 * (the metrics are prom-client's, the logs pino's).
 */
export function startTracing(options: StartTracingOptions): Tracing | undefined {
  if (started !== undefined) return started;
  const env = options.env ?? process.env;
  const settings = options.spanProcessors === undefined ? readTracingSettings(env) : { enabled: true, reason: 'span processors given' };
  if (!settings.enabled) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when traces are on (the SDK alone takes ~0.5 s to load) */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const instrumentations = options.instrumentations.map((name) => {
    if (name === 'http') {
      const { HttpInstrumentation: Http } = require('@opentelemetry/instrumentation-http') as typeof HttpInstrumentation;
      // Probes and scrapes are not traced: they would be most of the spans and say nothing.
      return new Http({ ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? '') });
    }
    const { ExpressInstrumentation: Express } = require('@opentelemetry/instrumentation-express') as typeof ExpressInstrumentation;
    return new Express();
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: (env.OTEL_SERVICE_NAME ?? '').trim() === '' ? options.service : env.OTEL_SERVICE_NAME,
    instrumentations,
    ...(options.spanProcessors !== undefined && { spanProcessors: options.spanProcessors }),
    ...(env.OTEL_METRICS_EXPORTER === undefined && { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER === undefined && { logRecordProcessors: [] }),
  });
  sdk.start();
  const tracing: Tracing = {
    settings,
    shutdown: async () => {
      if (started === tracing) started = undefined;
      await sdk.shutdown();
    },
  };
  started = tracing;
  return tracing;
}

/** Flushes and stops the SDK if one was started (a no-op otherwise): before a process exits. */
export async function shutdownTracing(): Promise<void> {
  await started?.shutdown();
}

/**
 * The in-process hop from an append to the projector and the relay: which span appended each event,
 * by event id. The event envelope and its hash are fixed (docs/ledger-format.md), so no trace id is
 * ever stored with an event; a consumer in the same process (the api's in-process projector, a relay
 * started beside the command path) finds the command's span here. A consumer in another process
 * finds it in the embedded store's side table instead (followerTraceContext); on a server store it
 * finds nothing and starts its own trace. Bounded: the oldest entries go first; only recording
 * spans are kept, so with traces off it stays empty.
 */
export class TraceCarrier {
  private readonly byEvent = new Map<string, SpanContext>();

  constructor(private readonly capacity = 10_000) {}

  remember(eventIds: readonly string[], span: SpanContext | undefined): void {
    if (span === undefined || !isSpanContextValid(span)) return;
    for (const eventId of eventIds) {
      this.byEvent.delete(eventId);
      this.byEvent.set(eventId, span);
    }
    for (const oldest of this.byEvent.keys()) {
      if (this.byEvent.size <= this.capacity) break;
      this.byEvent.delete(oldest);
    }
  }

  contextOf(eventId: string): SpanContext | undefined {
    return this.byEvent.get(eventId);
  }

  get size(): number {
    return this.byEvent.size;
  }

  clear(): void {
    this.byEvent.clear();
  }
}

/** The process's carrier: the command path writes it, the in-process projector and relay read it. */
export const appendedTraces = new TraceCarrier();

/**
 * Where a span over a batch of events belongs: under the one command all its known events came
 * from (parent), or a new trace linked to each such command when there are several; a new trace
 * without links when none is known (another process appended them, or traces were off then).
 */
export function batchTraceContext(contexts: readonly (SpanContext | undefined)[]): { parent: Context; links: Link[] } {
  const distinct = new Map<string, SpanContext>();
  for (const span of contexts) if (span !== undefined) distinct.set(`${span.traceId}-${span.spanId}`, span);
  const links = [...distinct.values()].map((span) => ({ context: span }));
  const parent = distinct.size === 1 ? trace.setSpanContext(ROOT_CONTEXT, links[0].context) : ROOT_CONTEXT;
  return { parent, links };
}

/** The W3C trace context (`traceparent`, `tracestate`) of a span, as record headers (propagation's configured propagator). */
export function traceHeaders(span: SpanContext): Record<string, string> {
  const headers: Record<string, string> = {};
  const setter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => (carrier[key] = value) };
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, span), headers, setter);
  return headers;
}

/** A span's W3C trace context as stored beside an event (the embedded store's side table). */
export interface StoredTraceContext {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C form of a span context, whatever OTEL_PROPAGATORS configures for headers: what the command
 * path gives the append (AppendOptions.traceContext). Undefined for an invalid (no-op) span.
 */
export function storedTraceContextOf(span: SpanContext): StoredTraceContext | undefined {
  if (!isSpanContextValid(span)) return undefined;
  const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  const traceparent = `00-${span.traceId}-${span.spanId}-${flags}`;
  const tracestate = span.traceState?.serialize();
  return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
}

/** The span context a stored trace context names (remote: another process appended it); undefined if it is not W3C level 1. */
export function spanContextOfStored(stored: StoredTraceContext | undefined): SpanContext | undefined {
  const match = stored === undefined ? null : TRACEPARENT.exec(stored.traceparent);
  if (stored === undefined || match === null) return undefined;
  const span: SpanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
    ...(stored.tracestate !== undefined && { traceState: createTraceState(stored.tracestate) }),
  };
  return isSpanContextValid(span) ? span : undefined;
}

/**
 * A follower's traceContextOf (Projector, Relay): this process's carrier first (appendedTraces),
 * then what the store kept beside the event (`stored`: SqliteEventStore#traceContextOf, for a
 * projector or relay in its own process), else nothing (a trace of its own).
 */
export function followerTraceContext(
  stored?: (eventId: string) => StoredTraceContext | undefined,
  carrier: TraceCarrier = appendedTraces,
): (event: { eventId: string }) => SpanContext | undefined {
  return (event) => carrier.contextOf(event.eventId) ?? (stored === undefined ? undefined : spanContextOfStored(stored(event.eventId)));
}
