import { ProblemException } from '../problems/problem';
import type { ServerResponse } from 'node:http';
import type { HttpRequest, NextFunction } from './http-types';
import { JsonRefusal, parseStrictJson } from './strict-json';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const UTF8 = /^utf-?8$/i;

/**
 * Reads a request body byte-exactly or refuses it; it never repairs. Runs after requireJsonBody
 * (so a body here is declared JSON). In order:
 * - a body on a method that takes none (GET, DELETE, ...) → 400 BODY_NOT_ALLOWED;
 * - a Content-Encoding other than identity → 415 UNSUPPORTED_CONTENT_ENCODING (nothing is inflated);
 * - a charset other than UTF-8 → 415 UNSUPPORTED_MEDIA_TYPE;
 * - more than `limitBytes` (declared or received) → 413 PAYLOAD_TOO_LARGE;
 * - bytes that are not UTF-8 → 400 INVALID_UTF8 (fatal decoding: never U+FFFD);
 * - then the I-JSON reader (strict-json.ts): depth, duplicates, surrogates, inexact numbers.
 * A request without a body (no Content-Length or 0, no Transfer-Encoding) leaves `body` undefined.
 */
export function strictJsonBody(limit: number | ((req: HttpRequest) => number)) {
  return (req: HttpRequest, _res: ServerResponse, next: NextFunction): void => {
    // A route may read less than the configured limit (the public form): the smaller one applies from the first byte.
    const limitBytes = typeof limit === 'number' ? limit : limit(req);
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (declared === undefined || Number(declared) === 0)) {
      next();
      return;
    }
    if (!BODY_METHODS.has(req.method ?? '')) {
      next(new ProblemException('BODY_NOT_ALLOWED', `A ${req.method ?? ''} request takes no body`));
      return;
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim();
    if (encoding.toLowerCase() !== 'identity') {
      next(new ProblemException('UNSUPPORTED_CONTENT_ENCODING', 'Content-Encoding must be identity (send the JSON uncompressed)'));
      return;
    }
    const charset = charsetOf(req.headers['content-type'] ?? '');
    if (charset !== undefined && !UTF8.test(charset)) {
      next(new ProblemException('UNSUPPORTED_MEDIA_TYPE', 'A JSON body must be UTF-8 (charset=utf-8 or no charset)'));
      return;
    }
    if (declared !== undefined && Number(declared) > limitBytes) {
      next(tooLarge(limitBytes));
      return;
    }
    readBody(req, limitBytes, (error, bytes) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      try {
        req.body = decodeJson(bytes ?? Buffer.alloc(0));
        next();
      } catch (refusal) {
        next(refusal);
      }
    });
  };
}

/** Strict UTF-8, then strict JSON; every refusal is a ProblemException with a stable code. */
export function decodeJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    // ignoreBOM: a BOM is kept, and then refused as malformed JSON (RFC 8259 8.1: senders MUST NOT add one).
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ProblemException('INVALID_UTF8', 'The body is not valid UTF-8');
  }
  try {
    return parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof JsonRefusal)) throw error;
    const errors = error.code === 'MALFORMED_JSON' ? undefined : [{ field: error.path, messages: [error.message] }];
    throw new ProblemException(error.code, error.message, { ...(errors && { errors }), details: { offset: error.offset } });
  }
}

function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType);
  return match?.[1];
}

const tooLarge = (limitBytes: number) =>
  new ProblemException('PAYLOAD_TOO_LARGE', `The body is larger than ${limitBytes} bytes`, { details: { limitBytes } });

/** Collects the body up to the limit; past it, keeps draining (so the answer can be read) and refuses. */
function readBody(req: HttpRequest, limitBytes: number, done: (error?: unknown, bytes?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error?: unknown, bytes?: Buffer) => {
    if (finished) return;
    finished = true;
    done(error, bytes);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  });
  req.on('end', () => (size > limitBytes ? finish(tooLarge(limitBytes)) : finish(undefined, Buffer.concat(chunks))));
  req.on('error', () => finish(new ProblemException('BAD_REQUEST', 'The request body could not be read')));
  req.on('aborted', () => finish(new ProblemException('BAD_REQUEST', 'The request was aborted')));
}
