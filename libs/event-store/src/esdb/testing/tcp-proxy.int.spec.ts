import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { waitUntil } from '../../testing/wait';
import { TcpProxy } from './tcp-proxy';

/** The network-drop tests trust this proxy to cut connections for real; here is the proof. */
describe('TcpProxy', () => {
  let echo: Server;
  let echoPort: number;
  let proxy: TcpProxy;
  beforeEach(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as { port: number }).port;
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: echoPort });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  function dial(): Promise<{ socket: Socket; received: () => string; closed: () => boolean; refused: () => boolean }> {
    let data = '';
    let closed = false;
    let refused = false;
    const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => (refused = true));
    return new Promise((resolve) => {
      const done = () => resolve({ socket, received: () => data, closed: () => closed, refused: () => refused });
      socket.once('connect', done);
      socket.once('error', done);
    });
  }

  it('forwards both ways, and sever() closes the client side', async () => {
    const client = await dial();
    client.socket.write('ping');
    await waitUntil(() => client.received() === 'ping', 'the echo comes back');
    proxy.sever();
    await waitUntil(() => client.closed(), 'the client sees the connection close');
    const again = await dial();
    again.socket.write('pong');
    await waitUntil(() => again.received() === 'pong', 'a new connection works');
    again.socket.destroy();
    expect(proxy.accepted).toBe(2);
  });

  it('pause() refuses new connections until resume() listens on the same port', async () => {
    const port = proxy.port;
    await proxy.pause();
    const refused = await dial();
    await waitUntil(() => refused.refused(), 'the connection is refused');
    await proxy.resume();
    expect(proxy.port).toBe(port);
    const client = await dial();
    client.socket.write('back');
    await waitUntil(() => client.received() === 'back', 'the echo comes back after resume');
    client.socket.destroy();
  });
});
