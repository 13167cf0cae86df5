import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '@ledger/appraisal';

/**
 * The slice of Express's request and response this app uses. @types/express is not installed,
 * so these are declared here from Node's own types plus what Express adds.
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

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  set(headers: Record<string, string>): this;
  set(name: string, value: string): this;
  type(contentType: string): this;
  send(body?: unknown): this;
  json(body: unknown): this;
}

export type NextFunction = (error?: unknown) => void;
