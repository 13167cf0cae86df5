import { startTracing } from '@ledger/observability';

/**
 * OpenTelemetry for the api, when the OTEL_* variables ask for traces (README "Operating it");
 * nothing is loaded otherwise. main.ts imports this module first, so that the HTTP and Express
 * instrumentations are in place before Nest requires the modules they patch.
 */
export const tracing = startTracing({ service: 'ledger-api', instrumentations: ['http', 'express'] });
