import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { answerClientErrors } from './client-error';

describe('answerClientErrors', () => {
  const answer = (code: string | undefined, writable = true) => {
    const server = new EventEmitter();
    answerClientErrors(server as unknown as Server);
    const socket = {
      writable,
      written: undefined as string | undefined,
      destroyed: false,
      end(text: string) {
        this.written = text;
      },
      destroy() {
        this.destroyed = true;
      },
    };
    server.emit('clientError', Object.assign(new Error('parser'), { code }), socket);
    return socket;
  };
  const codeOf = (text: string | undefined) => JSON.parse(text?.split('\r\n\r\n')[1] ?? 'null') as { code: string; status: number } | null;

  it.each([
    ['HPE_INVALID_HEADER_TOKEN', 400, 'MALFORMED_HTTP_REQUEST'],
    [undefined, 400, 'MALFORMED_HTTP_REQUEST'],
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
  ])('%s → %i %s as problem+json, its Content-Length right', (parserCode, status, code) => {
    const socket = answer(parserCode);
    const statusLine = new RegExp(`^HTTP/1\\.1 ${status} .+\\r\\nContent-Type: application/problem\\+json; charset=utf-8\\r\\n`);
    expect(socket.written).toMatch(statusLine);
    expect(codeOf(socket.written)).toMatchObject({ code, status });
    const [head, body] = (socket.written ?? '').split('\r\n\r\n');
    expect(Number(/Content-Length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(body));
  });

  it('writes nothing to a peer that is gone', () => {
    expect(answer('ECONNRESET')).toMatchObject({ written: undefined, destroyed: true });
    expect(answer('HPE_INVALID_METHOD', false)).toMatchObject({ written: undefined, destroyed: true });
  });
});
