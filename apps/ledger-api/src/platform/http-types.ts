import type { IncomingMessage, ServerResponse } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ledger/appraisal';

/**
 * The request as this app reads it, under either HTTP stack (platform/http-adapter.ts): Node's
 * request plus the fields Express puts on it. Express's req is one; under Fastify the same fields
 * are copied onto the Node request before the handler runs (so middleware, guards, filters and
 * the request log all see one object, whichever stack serves). @types/express is not installed,
 * so these are declared here from Node's own types.
 */
export interface HttpRequest extends IncomingMessage {
  originalUrl: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** Set by the request-context middleware. */
  requestId?: string;
  correlationId?: string;
  /** Set by AuthGuard. */
  actor?: Actor;
}

/**
 * What a handler receives as its response: Express's res (a ServerResponse with helpers) or
 * Fastify's reply (which holds the ServerResponse as `raw`). Only the helpers below touch it, so
 * no controller depends on either stack's API.
 */
export type HttpResponse = ServerResponse | FastifyReplyLike;

/** The part of Fastify's reply used here (the package's types are not imported outside the adapter seam). */
export interface FastifyReplyLike {
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body?: unknown): FastifyReplyLike;
  hijack(): FastifyReplyLike;
}

export type NextFunction = (error?: unknown) => void;

const isFastifyReply = (res: HttpResponse): res is FastifyReplyLike => 'hijack' in res;

/** The Node request behind what Nest hands a guard, filter or handler (Fastify's request keeps it as `raw`). */
export function nodeRequest(req: unknown): HttpRequest {
  const raw = (req as { raw?: unknown }).raw;
  return (raw ?? req) as HttpRequest;
}

/** The request of an HTTP execution context, as HttpRequest on either stack. */
export const requestOf = (context: Pick<ExecutionContext, 'switchToHttp'>): HttpRequest => nodeRequest(context.switchToHttp().getRequest());

/** `@HttpReq()`: the handler's HttpRequest, in place of Nest's `@Req()` (whose object differs by stack). */
export const HttpReq = createParamDecorator((_data: unknown, context: ExecutionContext): HttpRequest => requestOf(context));

/** The Node response, for a stream written by hand (the SSE feed). */
export const nodeResponse = (res: HttpResponse): ServerResponse => (isFastifyReply(res) ? res.raw : res);

/**
 * Sets headers on an answer Nest will still send (a `passthrough` handler, an interceptor).
 * Under Fastify they go on the reply: headers set on the Node response would lose to the reply's
 * own Content-Type when it writes the head.
 */
export function setHeaders(res: HttpResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (isFastifyReply(res)) res.header(name, value);
    else res.setHeader(name, value);
  }
}

/** Sets the status of an answer Nest will still send. */
export function setStatus(res: HttpResponse, status: number): void {
  if (isFastifyReply(res)) res.code(status);
  else res.statusCode = status;
}

/** Sends a whole answer now: the status, the headers (Content-Type among them) and the bytes. */
export function sendBody(res: HttpResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  if (isFastifyReply(res)) {
    res.code(status);
    setHeaders(res, headers);
    res.send(body);
    return;
  }
  res.statusCode = status;
  setHeaders(res, headers);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Takes the answer over as a stream written by hand: Fastify is told not to send one itself
 * (Express never does once a handler takes `@Res()`). Returns the Node response to write to.
 */
export function streamResponse(res: HttpResponse): ServerResponse {
  if (isFastifyReply(res)) res.hijack();
  return nodeResponse(res);
}
