import net from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Ledger } from './support/ledger';

// Requests that Node's HTTP parser refuses before Express sees them: still a 4xx RFC 7807 problem
// document with a stable code (Node alone answers a bare status line), and nothing stored; and
// headers sent twice that Node would silently reduce to one.
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
  type Answer = { status: number; type: string | undefined; body: Record<string, unknown> | undefined; text: string };
  const raw = (text: string) =>
    new Promise<Answer>((resolve) => {
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

  const H = 'Host: x\r\n';
  const BYE = 'Connection: close\r\n\r\n';
  const TWO = `Content-Length: 2\r\n${BYE}`;
  const GET = `GET /health HTTP/1.1\r\n${H}`;
  const POST = `POST /units HTTP/1.1\r\n${H}`;
  const [BAD, TWICE] = ['MALFORMED_HTTP_REQUEST', 'DUPLICATE_HEADER'];
  it.each([
    ['an unreadable Content-Length', `${POST}Content-Length: abc\r\n\r\n{}`, 400, BAD],
    ['two Content-Lengths', `${POST}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, BAD],
    ['Content-Length with Transfer-Encoding', `${POST}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}`, 400, BAD],
    ['a header name with a space', `${GET}Bad Header: 1\r\n\r\n`, 400, BAD],
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, BAD],
    ['two Authorization headers (first kept)', `${GET}Authorization: Bearer a\r\nauthorization: Bearer b\r\n${BYE}`, 400, TWICE],
    ['two Content-Types (first kept)', `${POST}Content-Type: application/json\r\nContent-Type: text/plain\r\n${TWO}{}`, 400, TWICE],
    ['headers past the size limit', `${GET}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ])('%s', async (_title, text, status, code) => {
    const head = await l.store.headPosition();
    const res = await raw(text);
    const type = 'application/problem+json; charset=utf-8';
    expect({ status: res.status, type: res.type, code: res.body?.code }).toEqual({ status, type, code });
    expect(await l.store.headPosition()).toBe(head);
  });

  it('answers a well-formed raw request normally (the rows refuse the defect, not raw requests)', async () => {
    const res = await raw(`${GET}${BYE}`);
    expect(res.status).toBe(200);
  });

  it('refuses a second copy of any header the API reads once, in any spelling of its name (property)', async () => {
    const names = ['Authorization', 'Content-Type', 'Content-Encoding', 'If-Match', 'X-Correlation-Id', 'Last-Event-ID'];
    const spelling = fc.tuple(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 })).map(([name, upper]) =>
      Array.from(name)
        .map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase()))
        .join(''),
    );
    await fc.assert(
      fc.asyncProperty(spelling, spelling, async (first, second) => {
        fc.pre(first.toLowerCase() === second.toLowerCase());
        const head = await l.store.headPosition();
        const res = await raw(`${POST}${first}: a\r\n${second}: b\r\n${TWO}{}`);
        expect({ first, second, status: res.status, code: res.body?.code }).toEqual({
          first,
          second,
          status: 400,
          code: 'DUPLICATE_HEADER',
        });
        expect(await l.store.headPosition()).toBe(head);
      }),
      { numRuns: 30 },
    );
  });

  it('answers any header line with bytes HTTP forbids in a name with a problem document (property)', async () => {
    const forbidden = fc.constantFrom(' ', '(', ')', '"', '/', '[', ']', '{', '}', '@', ',', ';', '=', '\u007f', '\u0001');
    const part = fc.stringMatching(/^[A-Za-z-]{0,8}$/);
    const name = fc.tuple(part, forbidden, part).map(([a, b, c]) => `${a}${b}${c}`);
    await fc.assert(
      fc.asyncProperty(name, async (header) => {
        const res = await raw(`${POST}${header}: 1\r\nContent-Type: application/json\r\n${TWO}{}`);
        expect({ header, status: res.status, code: res.body?.code }).toEqual({ header, status: 400, code: 'MALFORMED_HTTP_REQUEST' });
      }),
      { numRuns: 40 },
    );
  });
});
