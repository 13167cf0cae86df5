import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isAppraisalEventType, type AppraisalEvent } from './appraisal.js';
import { openPeerStore } from './store.js';

/**
 * Appends the streams of a JSON Lines file (one `{ streamId, events: [{ type, data, metadata }] }`
 * per line: the ledger's own seeded streams, copied by bench/peer.ts) through Emmett's
 * appendToStream, one append per stream, so the inline projection sees them as it would live.
 * An event type this side does not know fails the seed: the fold must handle every one.
 *   node dist/seed.js <events.jsonl>, with PEER_DB.
 */
interface SeedLine {
  streamId: string;
  events: { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[];
}

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const db = process.env.PEER_DB;
  if (file === undefined || db === undefined) throw new Error('usage: PEER_DB=<file> node dist/seed.js <events.jsonl>');
  const { store, connection } = await openPeerStore(db);
  let streams = 0;
  let events = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as SeedLine;
    const unknown = line.events.find((e) => !isAppraisalEventType(e.type));
    if (unknown !== undefined) throw new Error(`${line.streamId}: the peer's fold does not know ${unknown.type}`);
    await store.appendToStream(line.streamId, line.events as unknown as AppraisalEvent[]);
    streams++;
    events += line.events.length;
  }
  connection.close();
  process.stdout.write(`${JSON.stringify({ streams, events })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`peer seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
