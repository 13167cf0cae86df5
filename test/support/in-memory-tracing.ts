import * as http from 'node:http';
import { trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '@ledger/observability';

/**
 * Import this first in a spec: it starts the same SDK as the apps' tracing.ts, its spans kept in
 * memory (a simple processor: each span is there as soon as it ends). The HTTP instrumentation is
 * applied by hand: under Jest, `require('module')` is Jest's own Module class, so the
 * require-in-the-middle hook the instrumentation installs never sees http being loaded (in the
 * apps it does); its own patch is applied to the one http module instead, the same code.
 */
export const exporter = new InMemorySpanExporter();
export const tracing = startTracing({
  service: 'ledger-api-test',
  instrumentations: [],
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

const instrumentation = new HttpInstrumentation({ enabled: false });
instrumentation.setTracerProvider(trace.getTracerProvider());
for (const definition of instrumentation.getModuleDefinitions()) {
  if (definition.name === 'http') definition.patch?.(http, process.versions.node);
}
instrumentation.enable();

export const finishedSpans = (): ReadableSpan[] => exporter.getFinishedSpans();
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
