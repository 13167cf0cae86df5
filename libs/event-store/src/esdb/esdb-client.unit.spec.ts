import { createServer, type Server } from 'node:net';
import { EventStoreDBClient } from '@eventstore/db-client';
import { trackChannels } from './esdb-client';

/** grpc-js connectivity states: 4 is SHUTDOWN, what Channel#close() leaves. */
const SHUTDOWN = 4;

/** A real client against a loopback port that accepts connections and never answers (no server needed). */
async function silentPort(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function channelOf(client: EventStoreDBClient): Promise<{ getConnectivityState(connect: boolean): number }> {
  return (client as unknown as { getChannel(): Promise<{ getConnectivityState(connect: boolean): number }> }).getChannel();
}

describe('trackChannels', () => {
  it("closes the gRPC channel the client's dispose() leaves open", async () => {
    const { server, port } = await silentPort();
    try {
      const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
      const closeChannels = trackChannels(client);
      const read = client.readAll({ maxCount: 1 });
      read.on('error', () => undefined);
      const channel = await channelOf(client);
      await read.cancel();
      await client.dispose();
      expect(channel.getConnectivityState(false)).not.toBe(SHUTDOWN);
      await closeChannels();
      expect(channel.getConnectivityState(false)).toBe(SHUTDOWN);
    } finally {
      server.close();
    }
  });
});
