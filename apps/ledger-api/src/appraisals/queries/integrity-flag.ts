import { Logger } from '@nestjs/common';
import { streamIntegrityOf, type EventStore, type StoredEvent, type StreamIntegrity } from '@ledger/event-store';

const logger = new Logger('LedgerIntegrity');
/** Once per stream and problem (kind, revision, what was found) in this process: loud, not a flood on every read. */
const logged = new Set<string>();

/**
 * The `integrity` field of every answer that shows an appraisal (view, audit trail, history): its
 * stream's chain verified as it is read, so a forged or edited event is never shown as plain fact.
 * Commands on a broken stream are refused (readVerifiedStream); reads are answered with the flag.
 */
export async function integrityOf(store: EventStore, streamId: string, events?: readonly StoredEvent[]): Promise<StreamIntegrity> {
  const integrity = streamIntegrityOf(events ?? (await store.readStream(streamId)));
  if (integrity.status === 'BROKEN') {
    const key = `${streamId} ${integrity.problem} ${String(integrity.firstBrokenRevision)} ${integrity.detail}`;
    if (!logged.has(key)) {
      logged.add(key);
      logger.error(
        `LEDGER INTEGRITY BROKEN: ${streamId} at revision ${String(integrity.firstBrokenRevision)}, ${integrity.problem}: ${integrity.detail}`,
      );
    }
  }
  return integrity;
}
