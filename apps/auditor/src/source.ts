import Database from 'better-sqlite3';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  parseExportLine,
  scanLedgerFile,
  verifyEvents,
  verifyLedgerFile,
  verifyLog,
  type IntegrityReport,
  type LogSummary,
  type StoredEvent,
  type VerifierKey,
} from '@ledger/event-store';

/** What the auditor brings to verify: the log's published key and checkpoints kept from before. */
export interface LogTrust {
  /** The log's verifier keys (every key across its rotations); a checkpoint verifies with any of them. */
  logKey?: VerifierKey | readonly VerifierKey[];
  trusted?: { note: string; source: string }[];
  /** Progress of the verification, stage by stage (the store file) or line by line (an export). */
  onProgress?: (done: number, total: number) => void;
}

export type VerifyReport = IntegrityReport & { log: LogSummary | null };

/**
 * Where the auditor reads events from: the embedded store file of a ledger data directory, or a
 * JSON Lines export (one StoredEvent per line, global order) produced by `export`. Every source
 * yields every row or line it holds: verify, export and replay read the same events, and verify
 * accounts for each of them (a row at position 0 is a finding, not something to skip).
 */
export interface EventSource {
  /** Every event in stored order, exactly as stored (also the ones verify reports). */
  all(): AsyncIterable<StoredEvent>;
  /** One stream in revision order, up to asOf (metadata.occurredAt, the hashed instant). */
  stream(streamId: string, asOf?: string): Promise<StoredEvent[]>;
  verify(trust?: LogTrust): Promise<VerifyReport>;
  /** One stream's chain, with what only the store file shows of its rows (storage classes, spelling, occurred_at). */
  verifyStream(streamId: string): Promise<IntegrityReport>;
  /** How many events all() yields, when known without reading them (a progress bar's total). */
  count(): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The store file, read through a read-only connection: the auditor never writes, not even the DDL. */
export function storeSource(dataDir: string): EventSource {
  const path = join(dataDir, 'events.sqlite');
  if (!existsSync(path)) throw new Error(`no event store at ${path}`);
  return {
    async *all() {
      yield* scanLedgerFile(path).events;
    },
    stream: async (streamId, asOf) => scanLedgerFile(path, { streamId }).events.filter((e) => isAtOrBefore(e, asOf)),
    verify: async (trust = {}) => verifyLedgerFile(path, { ...trust, onStage: trust.onProgress }),
    count: async () => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()?.n;
      } finally {
        db.close();
      }
    },
    async verifyStream(streamId) {
      const scan = scanLedgerFile(path, { streamId });
      const report = verifyEvents(scan.events);
      const problems = [...scan.problems, ...report.problems].sort((a, b) => a.index - b.index);
      return { ...report, ok: problems.length === 0, problems };
    },
    close: async () => undefined,
  };
}

interface Line {
  number: number;
  /** undefined when the strict reader refused the line (see `refusal`). */
  event: StoredEvent | undefined;
  refusal?: string;
}

export function exportSource(file: string): EventSource {
  if (!existsSync(file)) throw new Error(`no export file at ${file}`);
  async function* lines(): AsyncIterable<Line> {
    const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let number = 0;
    for await (const text of reader) {
      number++;
      const parsed = parseExportLine(text);
      yield parsed.ok ? { number, event: parsed.event } : { number, event: undefined, refusal: parsed.message };
    }
  }
  return {
    async *all() {
      for await (const line of lines()) if (line.event !== undefined) yield line.event;
    },
    async stream(streamId, asOf) {
      const out: StoredEvent[] = [];
      for await (const { event } of lines()) if (event?.streamId === streamId && isAtOrBefore(event, asOf)) out.push(event);
      return out.sort((a, b) => a.streamRevision - b.streamRevision);
    },
    async verify(trust = {}) {
      const read: Line[] = [];
      for await (const line of lines()) read.push(line);
      // A refused line stays in its place (index = line number - 1) and is reported with the reader's reason.
      const report = verifyEvents(read.map((line) => line.event ?? (null as unknown as StoredEvent)));
      const problems = report.problems.map((p) => {
        const refusal = read[p.index]?.refusal;
        return refusal === undefined ? p : { ...p, message: `line ${read[p.index].number}: ${refusal}` };
      });
      // An export carries no leaves: the tree is rebuilt from its lines and checked against the checkpoints the auditor kept.
      if ((trust.trusted ?? []).length === 0) return { ...report, problems, log: null };
      const rows = read.flatMap((line, index) =>
        line.event === undefined
          ? []
          : [
              {
                index,
                globalPosition: line.event.globalPosition,
                eventId: line.event.eventId,
                hash: line.event.hash,
                streamId: line.event.streamId,
                streamRevision: line.event.streamRevision,
              },
            ],
      );
      const checked = verifyLog({ rows, checkpoints: [], logKey: trust.logKey, trusted: trust.trusted });
      const all = [...problems, ...checked.problems].sort((a, b) => a.index - b.index);
      return { ...report, ok: all.length === 0, problems: all, log: checked.summary };
    },
    async verifyStream(streamId) {
      return verifyEvents(await this.stream(streamId));
    },
    count: async () => undefined,
    close: async () => undefined,
  };
}

const isAtOrBefore = (event: StoredEvent, asOf: string | undefined): boolean =>
  asOf === undefined || (typeof event.metadata?.occurredAt === 'string' && event.metadata.occurredAt <= asOf);
