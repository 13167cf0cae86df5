// First: the SDK and the HTTP instrumentation, before supertest and the app load http.
import { exporter, finishedSpans, parentOf, tracing } from './support/in-memory-tracing';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { join } from 'node:path';
import { TraceCarrier, appendedTraces, followerTraceContext } from '@ledger/observability';
import { SqliteEventStore } from '@ledger/event-store';
import { PROJECTIONS, Projector, SqliteReadStore, type ProjectionProgress } from '@ledger/read-models';
import { PROJECTOR } from '../apps/ledger-api/src/platform/ledger-runtime';
import { Ledger, P, UNIT, YEAR, as } from './support/ledger';

/**
 * One HTTP command's trace, read from the in-memory exporter: the request's server span, the
 * command's span under it, the append under that, and the in-process projector's batch under the
 * command. The events themselves carry no trace context (their envelope and hash are fixed): the
 * store file keeps it in its side table, where a projector on another handle (its own process)
 * finds it. test/tracing-off.e2e.spec.ts: with traces off nothing is written there.
 */
jest.setTimeout(30_000);

describe('traces: one HTTP command, one trace from the request to the projector', () => {
  let l: Ledger;

  beforeAll(async () => {
    l = await Ledger.start();
  });
  afterAll(async () => {
    await l.close();
    await tracing?.shutdown();
  });

  const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);

  /** The read models hold the head, and the batch span that got them there has ended (right after its commit). */
  async function projected(): Promise<void> {
    const head = await l.store.headPosition();
    expect(await l.t.app.get<ProjectionProgress>(PROJECTOR).waitFor(head, 10_000)).toBe(true);
    const ended = () => finishedSpans().some((s) => s.name === 'ledger.projector.batch' && s.attributes['ledger.position.last'] === head);
    for (let i = 0; i < 500 && !ended(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  test('request span -> ledger.command -> ledger.append, and ledger.projector.batch, all of one trace; the event metadata has no trace id', async () => {
    expect(tracing).toBeDefined();
    exporter.reset();
    const res = await l.post(as.manager, '/units', {
      unitId: UNIT,
      year: YEAR,
      name: 'Biro Umum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    expect(res.status).toBe(201);
    await projected();
    const spans = finishedSpans();

    const commands = spans.filter((s) => s.name.startsWith('ledger.command '));
    expect(commands).toHaveLength(1);
    const [command] = commands;
    expect(command.name).toBe(`ledger.command ${String(command.attributes['ledger.command.type'])}`);
    const traceId = command.spanContext().traceId;
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.spanContext().traceId === traceId);
    expect(server).toBeDefined();
    expect(parentOf(command)).toBe(server?.spanContext().spanId);
    expect(command.attributes['ledger.stream.id']).toBe(`unit-${UNIT}-${YEAR}`);
    expect(command.attributes['ledger.outcome']).toBe('OK');

    const [append] = byName(spans, 'ledger.append').filter((s) => s.spanContext().traceId === traceId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    const stored = await l.streamOf(`unit-${UNIT}-${YEAR}`);
    expect(append.attributes['ledger.position']).toBe(stored.at(-1)?.globalPosition);
    expect(append.attributes['ledger.stream.revision']).toBe(stored.length - 1);

    const batch = byName(spans, 'ledger.projector.batch').find((s) => s.spanContext().traceId === traceId);
    expect(batch).toBeDefined();
    expect(parentOf(batch as ReadableSpan)).toBe(command.spanContext().spanId);
    expect(batch?.attributes['ledger.position.last']).toBe(stored.at(-1)?.globalPosition);

    // The carrier is in memory; the stored envelope is what it always was.
    expect(appendedTraces.contextOf(stored[0].eventId)?.spanId).toBe(command.spanContext().spanId);
    expect(JSON.stringify(stored.map((e) => e.metadata))).not.toContain(traceId);
  });

  test('a refused command: its span names the problem code, nothing is appended, no append span', async () => {
    exporter.reset();
    const res = await l.post(as.manager, '/units', {
      unitId: UNIT,
      year: YEAR,
      name: 'Biro Umum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const spans = finishedSpans();
    const command = spans.find((s) => s.name.startsWith('ledger.command '));
    expect(command?.attributes['ledger.outcome']).toBe((res.body as { code: string }).code);
    expect(byName(spans, 'ledger.append')).toHaveLength(0);
  });

  test("across processes: the store file keeps the command's trace context beside its events, and a projector on its own handle (as in its own process) continues the command's trace", async () => {
    // Another handle on the same file, and an empty carrier: what the projector or relay process has.
    const other = SqliteEventStore.open({ path: join(l.t.dataDir, 'events.sqlite') });
    const readStore = SqliteReadStore.open({ path: join(l.t.dataDir, 'separate-read-models.sqlite') });
    const contextOf = followerTraceContext((id) => other.traceContextOf(id), new TraceCarrier());
    const projector = new Projector({
      eventStore: other,
      readStore,
      projections: PROJECTIONS,
      name: 'separate-read-models',
      liveBatchDelayMs: 0,
      traceContextOf: contextOf,
    });
    try {
      await projector.start();
      const before = await other.headPosition();
      expect(await projector.waitFor(before, 10_000)).toBe(true);
      const ours = () =>
        byName(finishedSpans(), 'ledger.projector.batch').filter(
          (s) => s.attributes['ledger.projection'] === 'separate-read-models' && Number(s.attributes['ledger.position.first']) > before,
        );
      exporter.reset();
      const res = await l.post(as.manager, '/units', {
        unitId: 'biro-keuangan',
        year: YEAR,
        name: 'Biro Keuangan',
        leaderId: P.leader,
        upperLeaderId: P.upperLeader,
      });
      expect(res.status).toBe(201);
      const stored = await l.streamOf(`unit-biro-keuangan-${YEAR}`);
      const head = stored[stored.length - 1].globalPosition;
      expect(await projector.waitFor(head, 10_000)).toBe(true);
      for (let i = 0; i < 500 && ours().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));

      const command = finishedSpans().find((s) => s.name.startsWith('ledger.command '));
      expect(command).toBeDefined();
      const { traceId, spanId } = (command as ReadableSpan).spanContext();
      for (const event of stored) {
        expect(other.traceContextOf(event.eventId)?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
        expect(contextOf(event)).toMatchObject({ traceId, spanId, isRemote: true });
      }
      const [batch] = ours();
      expect(batch.attributes['ledger.position.last']).toBe(head);
      expect(batch.spanContext().traceId).toBe(traceId);
      expect(parentOf(batch)).toBe(spanId);
      // Still nothing in the envelope.
      expect(JSON.stringify(stored)).not.toContain(traceId);
    } finally {
      await projector.stop();
      await readStore.close();
      await other.close();
    }
  });
});
