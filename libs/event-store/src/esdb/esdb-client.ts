import type { EventStoreDBClient } from '@eventstore/db-client';

/** What the adapter uses of @eventstore/db-client's client (a scripted server implements the same in tests). */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/** The part of a gRPC channel that matters here. */
interface ClosableChannel {
  close(): void;
}

/**
 * The client's dispose() cancels its calls but never closes the gRPC channels it opened (nor does
 * anything else in @eventstore/db-client 6.2.1: a channel is closed only when a call fails with
 * UNAVAILABLE), so a closed store would keep its HTTP/2 connection, and the process its event
 * loop, alive. This records every channel the client creates (its createChannel, an instance
 * property, is the only place one is made) and returns what closes them all.
 */
export function trackChannels(client: EventStoreDBClient): () => Promise<void> {
  const internals = client as unknown as { createChannel?: () => Promise<ClosableChannel> };
  const create = internals.createChannel;
  if (typeof create !== 'function') {
    throw new TypeError('@eventstore/db-client no longer has createChannel: check how its channels are closed');
  }
  const channels = new Set<Promise<ClosableChannel>>();
  internals.createChannel = () => {
    const channel = create();
    channels.add(channel);
    return channel;
  };
  return async () => {
    for (const pending of [...channels]) {
      channels.delete(pending);
      const channel = await pending.catch(() => undefined);
      channel?.close();
    }
  };
}
