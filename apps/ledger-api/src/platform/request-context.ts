import type { ServerResponse } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ledger/appraisal';
import { ProblemException } from '../problems/problem';
import { type HttpRequest, type NextFunction, requestOf } from './http-types';
import type { IdGenerator } from './ports';

/** Everything a use case needs from the HTTP request besides its body and path. */
export interface RequestContext {
  actor: Actor;
  /** This request's id: the causation id of the events it records. */
  requestId: string;
  correlationId: string;
  /** The revision the client last saw (If-Match), when it sent one. */
  ifMatch?: number;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Headers the API reads, that a request may carry once. Node keeps the first Authorization or
 * Content-Type of several and drops the rest, and joins the others with ", ": the request would be
 * read as one of the senders' meanings, silently. Two of them are refused (400 DUPLICATE_HEADER).
 */
const SINGLE_HEADERS = new Set(['authorization', 'content-type', 'content-encoding', 'if-match', 'x-correlation-id', 'last-event-id']);

export function duplicateHeaders(rawHeaders: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (SINGLE_HEADERS.has(name)) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([name]) => name);
}

/** Assigns the request id and takes the correlation id from X-Correlation-Id (or a new one). */
export function requestIds(ids: IdGenerator) {
  return (req: HttpRequest, res: ServerResponse, next: NextFunction): void => {
    // The request log (the first middleware) drew the id already, so its line and the answer agree.
    const logged = (req as { id?: unknown }).id;
    req.requestId = typeof logged === 'string' ? logged : ids.uuid();
    const repeated = duplicateHeaders(req.rawHeaders ?? []);
    if (repeated.length > 0) {
      res.setHeader('X-Request-Id', req.requestId);
      const detail = `These headers may be sent once: ${repeated.join(', ')}`;
      next(new ProblemException('DUPLICATE_HEADER', detail, { details: { headers: repeated } }));
      return;
    }
    const header = req.headers['x-correlation-id'];
    if (header !== undefined && (typeof header !== 'string' || !CORRELATION_ID.test(header))) {
      next(new ProblemException('INVALID_CORRELATION_ID', 'X-Correlation-Id must be 1-128 characters of A-Z a-z 0-9 . _ : -'));
      return;
    }
    req.correlationId = header ?? ids.uuid();
    res.setHeader('X-Request-Id', req.requestId);
    res.setHeader('X-Correlation-Id', req.correlationId);
    next();
  };
}

/**
 * A body must be JSON. Without this check the JSON parser would silently skip a text/plain body
 * and the command would be validated as if it were empty.
 */
export function requireJsonBody(req: HttpRequest, _res: ServerResponse, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (BODY_METHODS.has(req.method ?? '') && hasBody && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(
      new ProblemException(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type must be application/json, got "${req.headers['content-type'] ?? 'none'}"`,
      ),
    );
    return;
  }
  next();
}

/** `"7"` → 7. Weak tags are refused: If-Match compares strongly (RFC 9110 13.1.1). `*` = no check. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  // The revision as ETag spells it: `"007"` is another entity tag than `"7"` (strong comparison), not the same one.
  const match = /^\s*"(0|[1-9]\d{0,14})"\s*$/.exec(header);
  if (match === null) throw new ProblemException('INVALID_IF_MATCH', 'If-Match must be one quoted revision, e.g. "3", as sent in ETag');
  return Number(match[1]);
}

export const etagOf = (revision: number): string => `"${revision}"`;

/** The authenticated actor with the request's ids and If-Match. Only on routes behind AuthGuard. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const req = requestOf(context);
  if (req.actor === undefined || req.requestId === undefined || req.correlationId === undefined) {
    throw new Error('request context missing: route not behind AuthGuard or requestIds middleware');
  }
  const header = req.headers['if-match'];
  const ifMatch = parseIfMatch(Array.isArray(header) ? header.join(',') : header);
  return { actor: req.actor, requestId: req.requestId, correlationId: req.correlationId, ...(ifMatch !== undefined && { ifMatch }) };
});
