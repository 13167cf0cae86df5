import { startTracing } from '@ledger/observability';

/**
 * OpenTelemetry for the relay, when the OTEL_* variables ask for traces (README "Operating it");
 * nothing is loaded otherwise. main.ts imports this module first. No instrumentation: the Relay's
 * own PRODUCER span covers each send and puts the W3C trace context into the records' headers
 * itself (instrumentation-kafkajs would replace each record's traceparent with a span of the whole
 * send, and lose the command's trace when one send carries several commands).
 */
export const tracing = startTracing({ service: 'relay', instrumentations: [] });
