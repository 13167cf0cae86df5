import { createServer } from 'node:net';
import { describeWithServer } from '@ledger/event-store/testing';
import { MongoReadStore } from './mongo-read-store';

/** A loopback port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

describeWithServer('mongodb', 'MongoReadStore.connect', (uri) => {
  it('reaches the configured server and answers', async () => {
    const store = await MongoReadStore.connect({ uri, database: 'connect_check' });
    expect(await store.getCheckpoint('none')).toBe(0);
    await store.close();
  });

  it('fails fast on a closed loopback port, naming the address and not the credentials', async () => {
    const port = await closedPort();
    const started = Date.now();
    const attempt = MongoReadStore.connect({
      uri: `mongodb://reader:s3cret@127.0.0.1:${port}/`,
      database: 'nowhere',
      serverSelectionTimeoutMS: 500,
    });
    await expect(attempt).rejects.toThrow(`cannot reach a server at 127.0.0.1:${port}`);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('gives up after about 5 s by default rather than hanging', async () => {
    const port = await closedPort();
    const started = Date.now();
    await expect(MongoReadStore.connect({ uri: `mongodb://127.0.0.1:${port}/`, database: 'nowhere' })).rejects.toThrow(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
