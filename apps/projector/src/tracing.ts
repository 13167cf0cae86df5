import { startTracing } from '@ledger/observability';

/**
 * OpenTelemetry for the projector, when the OTEL_* variables ask for traces (README "Operating
 * it"); nothing is loaded otherwise. main.ts imports this module first. No instrumentation: the
 * spans are the Projector's `ledger.projector.batch`, each a trace of its own here (the commands'
 * spans are in the api's process, and the envelope carries no trace context).
 */
export const tracing = startTracing({ service: 'projector', instrumentations: [] });
