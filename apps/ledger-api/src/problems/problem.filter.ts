import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type HttpResponse, nodeResponse, requestOf, sendBody } from '../platform/http-types';
import { noteProblem } from '../platform/observation';
import { DomainError } from '@ledger/appraisal';
import { EventIdConflictError, LedgerIntegrityError, LogDisagreesError, WrongExpectedRevisionError } from '@ledger/event-store';
import {
  DOMAIN_KIND_STATUS,
  EDGE_PROBLEMS,
  type EdgeProblemCode,
  PROBLEM_CONTENT_TYPE,
  type ProblemDocument,
  ProblemException,
  problemType,
} from './problem';

interface Rendered {
  problem: ProblemDocument;
  headers: Record<string, string>;
}

const DOMAIN_TITLES: Record<DomainError['kind'], string> = {
  VALIDATION: 'The command is not valid',
  FORBIDDEN: 'Not allowed for this actor',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflicts with what is recorded',
  ILLEGAL_STATE: 'A rule refused the command',
};

/** body-parser's error types (carried as the cause of the HttpException Nest maps them to). */
const BODY_ERRORS: Record<string, EdgeProblemCode> = {
  'entity.parse.failed': 'MALFORMED_JSON',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one exception filter: everything thrown anywhere in a request ends up here and leaves as
 * RFC 7807 problem details. Nothing but the stable code, a message and the declared details is
 * sent: never a stack trace or an internal message of an unexpected error (that is logged).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = requestOf(host);
    const response = host.switchToHttp().getResponse<HttpResponse>();
    // The path identifies the occurrence; the query string is not part of it.
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const { problem, headers } = renderProblem(exception, path);
    noteProblem(request, problem.code);
    if (problem.status >= 500 && problem.code === 'INTERNAL_ERROR') {
      // The path, never the query string (the log's rules: README "Operating it").
      this.logger.error(`${request.method} ${path}: ${describe(exception)}`);
    }
    if (nodeResponse(response).headersSent) return;
    sendBody(response, problem.status, { ...headers, 'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8` }, JSON.stringify(problem));
  }
}

export function renderProblem(exception: unknown, instance: string): Rendered {
  if (exception instanceof ProblemException) {
    const { errors, details, headers = {} } = exception.extra;
    return {
      problem: {
        ...base(exception.code, exception.status, exception.title, exception.message, instance),
        ...(errors && { errors }),
        ...(details && { details }),
      },
      headers,
    };
  }
  if (exception instanceof DomainError) {
    const status = DOMAIN_KIND_STATUS[exception.kind];
    const problem = base(exception.code, status, DOMAIN_TITLES[exception.kind], exception.message, instance);
    return { problem: { ...problem, ...(exception.details && { details: exception.details }) }, headers: {} };
  }
  if (exception instanceof WrongExpectedRevisionError) {
    const details = { streamId: exception.streamId, expected: exception.expected, actual: exception.actual };
    return edge('CONCURRENCY_CONFLICT', 'Another change was recorded on this stream at the same time; reload and retry', instance, details);
  }
  if (exception instanceof EventIdConflictError) {
    // A retry whose ids are stored with other content: nothing was appended.
    const details = { streamId: exception.streamId, eventIds: exception.eventIds };
    return edge('EVENT_ID_CONFLICT', 'These event ids are already recorded with other content; nothing was appended', instance, details);
  }
  if (exception instanceof LedgerIntegrityError) {
    // The stream's chain does not verify: no decision is taken on it (docs/ledger-format.md).
    const details = { streamId: exception.streamId, ...exception.integrity };
    return edge(
      'LEDGER_INTEGRITY_BROKEN',
      "This stream's hash chain does not verify; nothing is decided on it until an auditor has looked",
      instance,
      details,
    );
  }
  if (exception instanceof LogDisagreesError) {
    // Rows the signed log did not record (or lost): nothing is appended or signed until an auditor has looked.
    return edge(
      'LEDGER_INTEGRITY_BROKEN',
      'The event store disagrees with its signed Merkle log; nothing is appended until an auditor has looked',
      instance,
      { log: exception.message },
    );
  }
  if (exception instanceof HttpException) return fromHttpException(exception, instance);
  if (isFastifyRefusal(exception)) return fromHttpException(new HttpException(exception.message, exception.statusCode), instance);
  return edge('INTERNAL_ERROR', 'An unexpected error occurred', instance);
}

function fromHttpException(exception: HttpException, instance: string): Rendered {
  const bodyErrorType = (exception.cause as { type?: unknown } | undefined)?.type;
  const bodyCode = typeof bodyErrorType === 'string' ? BODY_ERRORS[bodyErrorType] : undefined;
  if (bodyCode === 'MALFORMED_JSON') return edge(bodyCode, 'The request body is not valid JSON', instance);
  if (bodyCode === 'PAYLOAD_TOO_LARGE') return edge(bodyCode, 'The request body exceeds the configured limit', instance);
  if (bodyCode !== undefined) return edge(bodyCode, 'The request body uses an unsupported encoding or charset', instance);
  const status = exception.getStatus();
  if (status === 404) return edge('ROUTE_NOT_FOUND', `No route for ${instance}`, instance);
  if (status >= 500) return edge('INTERNAL_ERROR', 'An unexpected error occurred', instance);
  const text = STATUS_CODES[status] ?? 'Error';
  const code = text.toUpperCase().replace(/[^A-Z]+/g, '_');
  return { problem: base(code, status, text, text, instance), headers: {} };
}

/**
 * A refusal of Fastify's own (FST_ERR_BAD_URL for a percent-escape that is not UTF-8) carries its
 * 4xx as statusCode: answered by that status, as Express's URIError is (400 BAD_REQUEST).
 */
function isFastifyRefusal(exception: unknown): exception is Error & { statusCode: number } {
  const { code, statusCode } = exception as { code?: unknown; statusCode?: unknown };
  return (
    exception instanceof Error &&
    typeof code === 'string' &&
    code.startsWith('FST_ERR_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  );
}

function edge(code: EdgeProblemCode, detail: string, instance: string, details?: Record<string, unknown>): Rendered {
  const { status, title } = EDGE_PROBLEMS[code];
  return { problem: { ...base(code, status, title, detail, instance), ...(details && { details }) }, headers: {} };
}

function base(code: string, status: number, title: string, detail: string, instance: string): ProblemDocument {
  return { type: problemType(code), title, status, code, detail, instance };
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
