export {
  createLogger,
  lineLogger,
  readLogSettings,
  LOG_LEVELS,
  REDACT_PATHS,
  type LogSettings,
  type LogFormat,
  type Logger,
  type DestinationStream,
} from './logger';
export { createRegistry, scrapedGauge, DURATION_BUCKETS, Counter, Gauge, Histogram, Registry } from './metrics';
export { startOpsServer, check, readinessOf, type OpsServer, type OpsServerOptions, type Readiness } from './ops-server';
export { readOpsSettings, type OpsSettings } from './ops-settings';
export {
  startTracing,
  shutdownTracing,
  readTracingSettings,
  appendedTraces,
  batchTraceContext,
  traceHeaders,
  storedTraceContextOf,
  spanContextOfStored,
  followerTraceContext,
  TraceCarrier,
  type StoredTraceContext,
  type Tracing,
  type TracingSettings,
  type TracingInstrumentation,
  type StartTracingOptions,
} from './tracing';
