import { Counter, DURATION_BUCKETS, Histogram, createRegistry, type Registry } from '@ledger/observability';

/**
 * The api's own metrics (the store, projector, feed and cache gauges are read at scrape time:
 * ../ops/ops-endpoint.ts). Labels are closed sets: route patterns (never a raw path), command
 * and event types, problem codes.
 */
export class LedgerMetrics {
  /** processMetrics: false for the instances outside a process's own (specs), which would only repeat them. */
  constructor(private readonly processMetrics = true) {}

  // Parameter properties are assigned before these initialisers run.
  readonly registry: Registry = createRegistry('ledger-api', this.processMetrics);

  readonly httpRequests = new Counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Commands that reached the command path, by command type and outcome (OK or the problem code)',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'ledger_command_duration_seconds',
    help: 'Time from request to answer of a command, by command type and outcome',
    labelNames: ['type', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'ledger_appends_total',
    help: 'Appends to the event store (one transaction each); rate() gives appends per second',
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events appended, by event type; rate() gives events per second',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time one append to the event store takes (the commit included)',
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
}
