import net from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Ledger } from './support/ledger';

// Requests that Node's HTTP parser refuses before Express sees them: still a 4xx RFC 7807 problem
// document with a stable code (Node alone answers a bare status line), and nothing stored.
describe('requests the HTTP parser refuses', () => {
  let l: Ledger;
  let port: number;

  beforeAll(async () => {
    l = await Ledger.start();
    await new Promise<void>((resolve) => l.t.server.listen(0, '127.0.0.1', () => resolve()));
    port = (l.t.server.address() as AddressInfo).port;
  });
  afterAll(() => l.close());

  /** Sends raw bytes; resolves with status, content type and the parsed body of the one answer. */
  const raw = (text: string) =>
    new Promise<{ status: number; type: string | undefined; body: Record<string, unknown> | undefined; text: string }>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text, 'latin1'));
      let out = '';
      const timer = setTimeout(() => socket.destroy(), 3000);
      socket.on('data', (chunk) => (out += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        const [head = '', payload = ''] = out.split('\r\n\r\n');
        const type = /^content-type:\s*(.+)$/im.exec(head)?.[1];
        let body: Record<string, unknown> | undefined;
        try {
          body = JSON.parse(payload) as Record<string, unknown>;
        } catch {
          body = undefined;
        }
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), type, body, text: out.slice(0, 200) });
      });
    });

  it.each([
    ['an unreadable Content-Length', 'POST /units HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}', 400, 'MALFORMED_HTTP_REQUEST'],
    ['two Content-Lengths', 'POST /units HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'MALFORMED_HTTP_REQUEST'],
    ['Content-Length with Transfer-Encoding', 'POST /units HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}', 400, 'MALFORMED_HTTP_REQUEST'],
    ['a header name with a space', 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400, 'MALFORMED_HTTP_REQUEST'],
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'MALFORMED_HTTP_REQUEST'],
    ['headers past the size limit', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ])('%s', async (_title, text, status, code) => {
    const head = await l.store.headPosition();
    const res = await raw(text);
    expect({ status: res.status, type: res.type, code: res.body?.code }).toEqual({ status, type: 'application/problem+json; charset=utf-8', code });
    expect(await l.store.headPosition()).toBe(head);
  });

  it('answers a well-formed raw request normally (the rows refuse the defect, not raw requests)', async () => {
    const res = await raw('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
  });

  it('answers any header line with bytes HTTP forbids in a name with a problem document (property)', async () => {
    const forbidden = fc.constantFrom(' ', '(', ')', '"', '/', '[', ']', '{', '}', '@', ',', ';', '=', '\u007f', '\u0001');
    const name = fc.tuple(fc.stringMatching(/^[A-Za-z-]{0,8}$/), forbidden, fc.stringMatching(/^[A-Za-z-]{0,8}$/)).map(([a, b, c]) => `${a}${b}${c}`);
    await fc.assert(
      fc.asyncProperty(name, async (header) => {
        const res = await raw(`POST /units HTTP/1.1\r\nHost: x\r\n${header}: 1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
        expect({ header, status: res.status, code: res.body?.code }).toEqual({ header, status: 400, code: 'MALFORMED_HTTP_REQUEST' });
      }),
      { numRuns: 40 },
    );
  });
});
