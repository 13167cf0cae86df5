import type { AllStreamResolvedEvent, EventData } from '@eventstore/db-client';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';

export interface RecordPlace {
  streamId: string;
  revision: number;
  /** $all commit position; prepare defaults to the same (an implicit transaction). */
  commit: bigint;
  prepare?: bigint;
}

/**
 * The record EventStoreDB sends back for `event` once stored at `place`, as the client decodes it.
 * The bytes are encoded exactly as the client's append encodes them (JSON.stringify, UTF-8; the
 * server keeps data and metadata verbatim), carried in the protobuf message the server sends for a
 * read, serialised and parsed again, and converted by the client's own convertGrpcEvent. Only the
 * network and the server's storage are left out: this is the mapping's real input, not a mock.
 */
export function asServerReturns(event: EventData, place: RecordPlace): AllStreamResolvedEvent {
  const id = new UUID();
  id.setString(event.id);
  const stream = new StreamIdentifier();
  stream.setStreamName(Buffer.from(place.streamId, 'utf8'));
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(id);
  recorded.setStreamIdentifier(stream);
  recorded.setStreamRevision(String(place.revision));
  recorded.setCommitPosition(String(place.commit));
  recorded.setPreparePosition(String(place.prepare ?? place.commit));
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', String(BigInt(Date.parse('2026-01-05T03:00:01.000Z')) * 10_000n));
  recorded.setData(event.contentType === 'application/json' ? Buffer.from(JSON.stringify(event.data), 'utf8') : event.data);
  if (event.metadata !== undefined) {
    recorded.setCustomMetadata(event.metadata instanceof Uint8Array ? event.metadata : Buffer.from(JSON.stringify(event.metadata), 'utf8'));
  }
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(String(place.commit));
  const wire = ReadResp.ReadEvent.deserializeBinary(read.serializeBinary());
  return convertGrpcEvent<AllStreamResolvedEvent>(wire);
}
