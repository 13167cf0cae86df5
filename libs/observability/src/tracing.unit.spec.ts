import { ROOT_CONTEXT, createTraceState, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import {
  TraceCarrier,
  batchTraceContext,
  followerTraceContext,
  readTracingSettings,
  spanContextOfStored,
  startTracing,
  storedTraceContextOf,
  traceHeaders,
} from './tracing';

const span = (n: number): SpanContext => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  traceFlags: TraceFlags.SAMPLED,
});

describe('tracing: off by default, on when the OTEL_* variables ask', () => {
  test.each([
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'x' }, false],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console,otlp' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
  ])('%j -> enabled %s', (env, enabled) => {
    expect(readTracingSettings(env).enabled).toBe(enabled);
  });

  test('with no variable set nothing is started or registered: spans are no-ops, the carrier stays empty, no header is written', () => {
    expect(startTracing({ service: 'test', instrumentations: ['http', 'express'], env: {} })).toBeUndefined();
    expect(
      startTracing({ service: 'test', instrumentations: ['http'], env: { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' } }),
    ).toBe(undefined);
    // The API's global registry holds no tracer provider (the SDK registers one when it starts).
    const registry = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('opentelemetry.js.api.1')];
    expect(registry?.trace).toBeUndefined();
    const noop = trace.getTracer('test').startSpan('ledger.command X');
    expect(noop.isRecording()).toBe(false);
    const carrier = new TraceCarrier();
    carrier.remember(['e1'], noop.spanContext());
    expect(carrier.size).toBe(0);
    expect(traceHeaders(noop.spanContext())).toEqual({});
  });
});

describe('TraceCarrier: the in-process hop from an append to its consumers', () => {
  test('finds the span of each event id; keeps the newest `capacity` ids', () => {
    const carrier = new TraceCarrier(3);
    carrier.remember(['a', 'b'], span(1));
    carrier.remember(['c', 'd'], span(2));
    expect(carrier.size).toBe(3);
    expect(carrier.contextOf('a')).toBeUndefined();
    expect(carrier.contextOf('b')).toEqual(span(1));
    expect(carrier.contextOf('d')).toEqual(span(2));
    carrier.remember(['b'], span(3)); // a retry with the same ids: the newest span, and fresh again
    carrier.remember(['e'], span(4));
    expect(carrier.contextOf('b')).toEqual(span(3));
    expect(carrier.contextOf('c')).toBeUndefined();
  });

  test('a batch is a child of its one command, linked to each of several, a new trace when none is known', () => {
    const one = batchTraceContext([span(1), undefined, span(1)]);
    expect(trace.getSpanContext(one.parent)).toEqual(span(1));
    expect(one.links).toEqual([{ context: span(1) }]);
    const several = batchTraceContext([span(1), span(2)]);
    expect(several.parent).toBe(ROOT_CONTEXT);
    expect(several.links.map((l) => l.context.spanId)).toEqual([span(1).spanId, span(2).spanId]);
    expect(batchTraceContext([undefined])).toEqual({ parent: ROOT_CONTEXT, links: [] });
  });
});

describe('the stored trace context: the hop to a follower in another process', () => {
  test('a span context as W3C traceparent/tracestate and back (remote), whatever the configured propagator', () => {
    const sampled = { ...span(7), traceState: createTraceState('ledger=1,other=x') };
    const stored = storedTraceContextOf(sampled);
    expect(stored).toEqual({ traceparent: `00-${span(7).traceId}-${span(7).spanId}-01`, tracestate: 'ledger=1,other=x' });
    const back = spanContextOfStored(stored);
    expect(back).toMatchObject({ traceId: span(7).traceId, spanId: span(7).spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(back?.traceState?.get('other')).toBe('x');
    expect(storedTraceContextOf({ ...span(8), traceFlags: TraceFlags.NONE })).toEqual({
      traceparent: `00-${span(8).traceId}-${span(8).spanId}-00`,
    });
    expect(
      storedTraceContextOf(trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }).spanContext()),
    ).toBe(undefined);
    expect(spanContextOfStored({ traceparent: 'ff-garbage' })).toBeUndefined();
    expect(spanContextOfStored(undefined)).toBeUndefined();
  });

  test("a follower asks this process's carrier first, then the store, else knows nothing", () => {
    const carrier = new TraceCarrier();
    carrier.remember(['here'], span(1));
    const table = new Map([
      ['here', storedTraceContextOf(span(9))],
      ['there', storedTraceContextOf(span(2))],
    ]);
    const contextOf = followerTraceContext((id) => table.get(id), carrier);
    expect(contextOf({ eventId: 'here' })).toEqual(span(1));
    expect(contextOf({ eventId: 'there' })?.spanId).toBe(span(2).spanId);
    expect(contextOf({ eventId: 'nowhere' })).toBeUndefined();
    expect(followerTraceContext(undefined, carrier)({ eventId: 'there' })).toBeUndefined();
  });
});
