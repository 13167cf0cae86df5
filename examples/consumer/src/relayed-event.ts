/**
 * The relay's message format, as a subscriber sees it (this example imports no ledger code, as a
 * service outside the repository could not):
 * key = appraisal id (unit streams: the stream id), value = the stored event envelope as JSON,
 * headers eventId, type, schemaVersion, globalPosition, hash, streamId as UTF-8 strings.
 */
export interface RelayedEvent {
  key: string;
  eventId: string;
  streamId: string;
  streamRevision: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
}

export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

const HEADERS = ['eventId', 'type', 'schemaVersion', 'globalPosition', 'hash', 'streamId'] as const;

/** The event, or why the message is not one: headers missing or disagreeing with the value. */
export function parseRelayedEvent(message: RawMessage): { event: RelayedEvent } | { problem: string } {
  const headers: Record<string, string> = {};
  for (const name of HEADERS) {
    const value = message.headers?.[name];
    if (value === undefined || Array.isArray(value)) return { problem: `header ${name} missing or repeated` };
    headers[name] = value.toString();
  }
  if (message.key === null || message.value === null) return { problem: 'message without key or value' };
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(message.value.toString()) as Record<string, unknown>;
  } catch {
    return { problem: `value of ${headers.eventId} is not JSON` };
  }
  for (const name of HEADERS) {
    if (String(envelope[name]) !== headers[name])
      return { problem: `header ${name}=${headers[name]} disagrees with the value (${String(envelope[name])})` };
  }
  const { data, metadata, streamRevision } = envelope;
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof metadata !== 'object' ||
    metadata === null ||
    typeof streamRevision !== 'number'
  ) {
    return { problem: `value of ${headers.eventId} is not an event envelope` };
  }
  return {
    event: {
      key: message.key.toString(),
      eventId: headers.eventId,
      streamId: headers.streamId,
      streamRevision,
      globalPosition: Number(headers.globalPosition),
      type: headers.type,
      schemaVersion: Number(headers.schemaVersion),
      data: data as Record<string, unknown>,
      metadata: metadata as Record<string, unknown>,
      hash: headers.hash,
    },
  };
}
