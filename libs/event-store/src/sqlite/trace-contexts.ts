import type Database from 'better-sqlite3';
import { InvalidEventError } from '../errors';
import type { TraceContextHeaders } from '../port';
import { TRACE_CONTEXT_TABLE } from './schema';

/** W3C trace context level 1: version 00, a non-zero trace id and span id, the flags. */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
/** The recommendation's limit for a tracestate a vendor must propagate. */
const MAX_TRACESTATE = 512;

/** Default number of newest positions whose trace context the embedded store keeps. */
export const DEFAULT_TRACE_CONTEXT_RETENTION = 10_000;

/** Refuses what is not a W3C traceparent/tracestate (a caller's bug: nothing is appended). */
export function assertValidTraceContext(context: TraceContextHeaders): void {
  if (typeof context.traceparent !== 'string' || !TRACEPARENT.test(context.traceparent)) {
    throw new InvalidEventError(`traceContext.traceparent is not a W3C traceparent: ${JSON.stringify(context.traceparent)}`);
  }
  const { tracestate } = context;
  if (tracestate !== undefined && (typeof tracestate !== 'string' || tracestate.length > MAX_TRACESTATE || /[\r\n]/.test(tracestate))) {
    throw new InvalidEventError(`traceContext.tracestate must be a string of at most ${MAX_TRACESTATE} characters on one line`);
  }
}

/**
 * The embedded store's side table `event_trace_context` (schema.ts TRACE_CONTEXT_DDL): which
 * span appended each event, for followers in other processes. Outside the ledger: rows are
 * written in the append's transaction and deleted once their event is more than `retention`
 * positions behind the newest one written.
 */
export class SqliteTraceContexts {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly retention: number = DEFAULT_TRACE_CONTEXT_RETENTION,
  ) {
    if (!(Number.isSafeInteger(retention) && retention > 0))
      throw new TypeError(`traceContextRetention must be an integer > 0, got ${retention}`);
    this.statements = {
      insert: db.prepare<[number, string, string, string | null]>(
        `INSERT OR REPLACE INTO ${TRACE_CONTEXT_TABLE} (global_position, event_id, traceparent, tracestate) VALUES (?, ?, ?, ?)`,
      ),
      prune: db.prepare<[number]>(`DELETE FROM ${TRACE_CONTEXT_TABLE} WHERE global_position <= ?`),
      byEvent: db.prepare<[string], { traceparent: string; tracestate: string | null }>(
        `SELECT traceparent, tracestate FROM ${TRACE_CONTEXT_TABLE} WHERE event_id = ?`,
      ),
      count: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${TRACE_CONTEXT_TABLE}`),
    };
  }

  /** In the append's transaction: one row per event just inserted, then the prune. */
  write(entries: readonly { globalPosition: number; eventId: string }[], context: TraceContextHeaders): void {
    if (entries.length === 0) return;
    for (const { globalPosition, eventId } of entries) {
      this.statements.insert.run(globalPosition, eventId, context.traceparent, context.tracestate ?? null);
    }
    this.statements.prune.run(entries[entries.length - 1].globalPosition - this.retention);
  }

  contextOf(eventId: string): TraceContextHeaders | undefined {
    const row = this.statements.byEvent.get(eventId);
    if (row === undefined) return undefined;
    return row.tracestate === null ? { traceparent: row.traceparent } : { traceparent: row.traceparent, tracestate: row.tracestate };
  }

  count(): number {
    return this.statements.count.get()?.n ?? 0;
  }
}
