import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { EDGE_PROBLEMS, type EdgeProblemCode, PROBLEM_CONTENT_TYPE, problemType } from '../problems/problem';

/** Node's HTTP parser errors by code, with the edge code they are answered with (everything else: MALFORMED_HTTP_REQUEST). */
const PARSER_ERRORS: Record<string, EdgeProblemCode> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
};

/**
 * A request that Node's HTTP parser refuses (an unreadable Content-Length, two of them, a header
 * name with a space, a request line that is not HTTP, headers past the size limit) never reaches
 * Express or Fastify, and Node answers it with a bare status line: a 4xx without a problem document or a code.
 * This answers it as RFC 7807 with a stable code instead, and closes the connection (the parser's
 * state is unknown after the error, so nothing more is read from it). Nothing was stored.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', answerClientError);
}

/** The 'clientError' listener itself: Fastify takes it as its clientErrorHandler (platform/http-adapter.ts). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // The peer is gone (or the answer already started): there is nobody to answer.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(PARSER_ERRORS[error.code ?? ''] ?? 'MALFORMED_HTTP_REQUEST'));
}

export function clientErrorResponse(code: EdgeProblemCode): string {
  const { status, title } = EDGE_PROBLEMS[code];
  const body = JSON.stringify({ type: problemType(code), title, status, code, detail: `${title}; the connection is closed`, instance: '' });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
