import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore, type StoredEvent } from '@ledger/event-store';

/**
 * Where the auditor reads events from: the embedded store file of a ledger data directory, or a
 * JSON Lines export (one StoredEvent per line, global order) produced by `export`.
 */
export interface EventSource {
  all(): AsyncIterable<StoredEvent>;
  stream(streamId: string, asOf?: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

const PAGE = 5_000;

export function storeSource(dataDir: string): EventSource {
  const path = join(dataDir, 'events.sqlite');
  if (!existsSync(path)) throw new Error(`no event store at ${path}`);
  const store = SqliteEventStore.open({ path });
  return {
    async *all() {
      let from = 0;
      for (;;) {
        const page = await store.readAll({ fromPosition: from, limit: PAGE });
        yield* page;
        if (page.length < PAGE) return;
        from = page[page.length - 1].globalPosition;
      }
    },
    stream: (streamId, asOf) => store.readStream(streamId, asOf ? { asOf } : {}),
    close: () => store.close(),
  };
}

export function exportSource(file: string): EventSource {
  if (!existsSync(file)) throw new Error(`no export file at ${file}`);
  async function* lines(): AsyncIterable<StoredEvent> {
    const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) if (line.trim() !== '') yield JSON.parse(line) as StoredEvent;
  }
  return {
    all: lines,
    async stream(streamId, asOf) {
      const out: StoredEvent[] = [];
      for await (const e of lines()) {
        if (e.streamId === streamId && (asOf === undefined || e.metadata.occurredAt <= asOf)) out.push(e);
      }
      return out;
    },
    close: async () => undefined,
  };
}
