import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithServer, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { TraceCarrier, appendedTraces, startTracing, storedTraceContextOf, type Tracing } from '@ledger/observability';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { Relay } from './relay';
import { relayTraceContextOf } from './trace-source';
import { appraisalEvent } from './testing/ledger-events';
import { TopicCollector } from './testing/topic-collector';

jest.setTimeout(60_000);

/**
 * The relay beside the command path (one process): each record carries the W3C trace context of
 * the span that appended its event, found through appendedTraces, and the relay's PRODUCER span
 * is that command's child. An event whose command is unknown here gets the relay span's context.
 * The relay in its own process: it reads the store file through its own handle, with an empty
 * carrier, and finds each command's context in the file's side table (event_trace_context).
 */
describeWithServer('kafka', 'Relay: W3C trace context in the Kafka record headers', (address) => {
  const brokers = address.split(',');
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let dir: string;
  let store: SqliteEventStore;
  let checkpoints: SqliteReadStore;

  beforeAll(() => {
    tracing = startTracing({ service: 'relay-test', instrumentations: [], spanProcessors: [new SimpleSpanProcessor(exporter)] });
  });
  afterAll(async () => {
    await tracing?.shutdown();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-tracing-'));
    store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    await checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a command's events carry its traceparent; an event appended without a known span carries the relay span's", async () => {
    const kafka = createKafka({ brokers, clientId: 'relay-tracing-test', logger: () => undefined });
    const topic = `relay-tracing-${randomUUID()}`;
    await ensureTopic(kafka, topic, 1);
    // A command as the command path runs it: its span active, the events' ids remembered, then appended.
    const events = [0, 1].map((n) => appraisalEvent('2025-199001012015031001', 'biro-umum', n));
    const command = trace.getTracer('test').startSpan('ledger.command AppraisalOpened');
    appendedTraces.remember(
      events.map((e) => e.eventId),
      command.spanContext(),
    );
    await store.append('appraisal-2025-199001012015031001', 'no_stream', events);
    command.end();
    await store.append('appraisal-2025-199001012015031002', 'no_stream', [appraisalEvent('2025-199001012015031002', 'biro-umum', 0)]);

    const relay = new Relay({
      eventStore: store,
      checkpoints,
      producer: createRelayProducer(kafka),
      topic,
      traceContextOf: (event) => appendedTraces.contextOf(event.eventId),
      logger: () => undefined,
    });
    const collector = await TopicCollector.start(brokers, topic);
    try {
      await relay.start();
      expect(await relay.waitFor(await store.headPosition(), 30_000)).toBe(true);
      await waitUntil(() => collector.messages.length >= 3, 'the three records are consumed', 30_000);
    } finally {
      await relay.stop();
      await collector.stop();
    }

    const { traceId, spanId } = command.spanContext();
    const byEvent = new Map(collector.messages.map((m) => [m.headers.eventId, m.headers]));
    for (const event of events) expect(byEvent.get(event.eventId)?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    const [publish] = exporter.getFinishedSpans().filter((s) => s.name === 'ledger.relay.publish');
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.attributes['messaging.destination.name']).toBe(topic);
    expect(publish.attributes['messaging.batch.message_count']).toBe(3);
    // Two commands' worth of events in one send: one known, linked; the unknown one's record continues the relay's span.
    expect(publish.links.map((link) => link.context.spanId)).toEqual([spanId]);
    expect(publish.parentSpanContext?.spanId).toBe(spanId);
    const other = collector.messages.find((m) => !events.some((e) => e.eventId === m.headers.eventId));
    expect(other?.headers.traceparent).toBe(`00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);
    // The value is the stored envelope, unchanged: no trace id in it.
    for (const message of collector.messages) expect(message.value).not.toContain(traceId);
  });

  test("a relay on its own handle (as in its own process) finds each command's trace context in the store file's side table", async () => {
    const kafka = createKafka({ brokers, clientId: 'relay-tracing-test', logger: () => undefined });
    const topic = `relay-tracing-${randomUUID()}`;
    await ensureTopic(kafka, topic, 1);
    // Two commands as the command path appends them with traces on: the span's W3C context given to the append.
    const commands = [0, 1].map((n) => {
      const span = trace.getTracer('test').startSpan(`ledger.command AppraisalOpened ${n}`);
      return {
        span,
        stream: `appraisal-2025-19900101201503100${n}`,
        events: [0, 1].map((r) => appraisalEvent(`2025-19900101201503100${n}`, 'biro-umum', r)),
      };
    });
    for (const { span, stream, events } of commands) {
      const traceContext = storedTraceContextOf(span.spanContext());
      expect(traceContext).toBeDefined();
      await store.append(stream, 'no_stream', events, traceContext === undefined ? {} : { traceContext });
      span.end();
    }

    const own = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const relay = new Relay({
      eventStore: own,
      checkpoints,
      producer: createRelayProducer(kafka),
      topic,
      traceContextOf: relayTraceContextOf(own, new TraceCarrier()),
      logger: () => undefined,
    });
    const collector = await TopicCollector.start(brokers, topic);
    exporter.reset();
    try {
      await relay.start();
      expect(await relay.waitFor(await own.headPosition(), 30_000)).toBe(true);
      await waitUntil(() => collector.messages.length >= 4, 'the four records are consumed', 30_000);
    } finally {
      await relay.stop();
      await collector.stop();
      await own.close();
    }

    const byEvent = new Map(collector.messages.map((m) => [m.headers.eventId, m.headers]));
    for (const { span, events } of commands) {
      const { traceId, spanId } = span.spanContext();
      for (const event of events) expect(byEvent.get(event.eventId)?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    }
    // Both commands in one send: a new trace linked to each.
    const [publish] = exporter.getFinishedSpans().filter((s) => s.name === 'ledger.relay.publish');
    expect(publish.links.map((link) => link.context.spanId)).toEqual(commands.map(({ span }) => span.spanContext().spanId));
  });
});
