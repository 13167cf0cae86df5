import { createServer, type Server, type Socket } from 'node:net';
import { EsdbConnectionError, redactConnectionString } from './esdb-connection';
import { EsdbEventStore } from './esdb-event-store';

/** A loopback port that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never says a word: a hung server. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, close };
}

async function failure(attempt: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await attempt;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected connect() to fail');
}

describe('EsdbEventStore.connect without a usable server', () => {
  it('fails fast and loudly on a closed port, naming the address without its password', async () => {
    const port = await closedPort();
    const { error, ms } = await failure(
      EsdbEventStore.connect({ connectionString: `esdb://admin:s3cret@127.0.0.1:${port}?tls=false`, timeoutMs: 4_000 }),
    );
    expect(error).toBeInstanceOf(EsdbConnectionError);
    expect((error as Error).message).toContain(`EventStoreDB at esdb://admin:***@127.0.0.1:${port}?tls=false is unreachable`);
    expect((error as Error).message).not.toContain('s3cret');
    expect((error as EsdbConnectionError).address).toBe(`esdb://admin:***@127.0.0.1:${port}?tls=false`);
    expect(ms).toBeLessThan(4_000);
  });

  it('gives up at the deadline on a server that accepts the connection but never answers', async () => {
    const server = await silentServer();
    try {
      const { error, ms } = await failure(
        EsdbEventStore.connect({ connectionString: `esdb://127.0.0.1:${server.port}?tls=false`, timeoutMs: 600 }),
      );
      expect(error).toBeInstanceOf(EsdbConnectionError);
      expect((error as Error).message).toBe(`EventStoreDB at esdb://127.0.0.1:${server.port}?tls=false did not answer within 600 ms`);
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(3_000);
    } finally {
      await server.close();
    }
  });

  it('accepts the kurrentdb:// and kdb:// schemes as esdb://', async () => {
    const port = await closedPort();
    for (const scheme of ['kurrentdb', 'kdb']) {
      const { error } = await failure(
        EsdbEventStore.connect({ connectionString: `${scheme}://127.0.0.1:${port}?tls=false`, timeoutMs: 4_000 }),
      );
      expect((error as Error).message).toContain('is unreachable');
    }
  });

  it('refuses a malformed connection string without echoing its password', async () => {
    const { error } = await failure(EsdbEventStore.connect({ connectionString: 'esdb://admin:s3cret@127.0.0.1:notaport' }));
    expect(error).toBeInstanceOf(EsdbConnectionError);
    expect((error as Error).message).toMatch(/^invalid EventStoreDB connection string esdb:\/\/admin:\*\*\*@127\.0\.0\.1:notaport/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses a timeout that is not positive', async () => {
    await expect(EsdbEventStore.connect({ connectionString: 'esdb://127.0.0.1:2113', timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
  });
});

describe('redactConnectionString', () => {
  it.each([
    ['esdb://admin:changeit@kurrentdb:2113?tls=false', 'esdb://admin:***@kurrentdb:2113?tls=false'],
    ['esdb+discover://ops:p@ss:w0rd@a:2113,b:2113', 'esdb+discover://ops:***@a:2113,b:2113'],
    ['esdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false'],
  ])('%s → %s', (input, redacted) => {
    expect(redactConnectionString(input)).toBe(redacted);
  });
});
