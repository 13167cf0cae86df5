/**
 * RFC 7807 problem details: the one error shape of the API. `code` is stable and documented;
 * `type` is derived from it. Domain errors keep their own codes (libs/appraisal); the codes below
 * are the ones the HTTP edge itself produces.
 */
export interface FieldError {
  /** Dotted path into the request body, e.g. `plan.results.0.indicators`. */
  field: string;
  messages: string[];
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  errors?: FieldError[];
  details?: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://appraisal-ledger.dev/problems/';

/** `STALE_REVISION` → `https://appraisal-ledger.dev/problems/stale-revision`. */
export const problemType = (code: string): string => `${TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`;

/** The edge's own codes with their status and title. */
export const EDGE_PROBLEMS = {
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  TOKEN_KEY_RETIRED: { status: 401, title: 'The token is signed by a retired key; sign in again' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  INVALID_UTF8: { status: 400, title: 'Body is not valid UTF-8' },
  JSON_TOO_DEEP: { status: 400, title: 'JSON nested deeper than 32 levels' },
  DUPLICATE_JSON_MEMBER: { status: 400, title: 'Duplicate member name in a JSON object' },
  LONE_SURROGATE: { status: 400, title: 'Lone UTF-16 surrogate in a string' },
  NUMBER_NOT_EXACT: { status: 400, title: 'Number has no exact IEEE 754 double value' },
  BODY_NOT_ALLOWED: { status: 400, title: 'This method takes no body' },
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  INVALID_IF_MATCH: { status: 400, title: 'Malformed If-Match header' },
  INVALID_CORRELATION_ID: { status: 400, title: 'Malformed X-Correlation-Id header' },
  DUPLICATE_HEADER: { status: 400, title: 'A header that may be sent once was sent twice' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  MALFORMED_HTTP_REQUEST: { status: 400, title: 'Not a readable HTTP/1.1 request' },
  NOT_ENTITLED: { status: 403, title: 'Not entitled to read this' },
  ROLE_NOT_ALLOWED: { status: 403, title: 'Role not allowed here' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  NOT_YET_OPENED: { status: 404, title: 'The appraisal had not been opened yet at asOf' },
  CHECKPOINT_NOT_FOUND: { status: 404, title: 'No checkpoint of that tree size was signed' },
  LEAF_NOT_FOUND: { status: 404, title: 'No such event or leaf in the log' },
  TILE_NOT_FOUND: { status: 404, title: 'No such tile: the tree is not that large, or the path is not a tile path' },
  TREE_SIZE_AHEAD: { status: 400, title: 'The tree size is larger than the log' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request was not received in time' },
  CONCURRENCY_CONFLICT: { status: 409, title: 'Concurrent change to the same stream' },
  PROJECTOR_EXTERNAL: { status: 409, title: 'The read models are kept by the separate projector process' },
  EVENT_ID_CONFLICT: { status: 409, title: 'Event ids already recorded with other content' },
  LEDGER_INTEGRITY_BROKEN: { status: 409, title: "The stream's hash chain does not verify" },
  STALE_REVISION: { status: 412, title: 'If-Match does not match the current revision' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Body must be application/json' },
  UNSUPPORTED_CONTENT_ENCODING: { status: 415, title: 'Content-Encoding must be identity' },
  RATE_LIMITED: { status: 429, title: 'Too many requests from this address; retry after Retry-After seconds' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  MIN_POSITION_AHEAD: { status: 400, title: '?minPosition names a position the ledger has not reached' },
  READ_MODEL_BEHIND: { status: 503, title: 'Read model has not caught up yet' },
} as const satisfies Record<string, { status: number; title: string }>;
export type EdgeProblemCode = keyof typeof EDGE_PROBLEMS;

/** Domain error kinds and their status (libs/appraisal errors.ts). */
export const DOMAIN_KIND_STATUS = {
  VALIDATION: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_STATE: 422,
} as const;

/** Thrown by the edge (guards, pipes, handlers); rendered by ProblemFilter. */
export class ProblemException extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: EdgeProblemCode,
    detail: string,
    readonly extra: { errors?: FieldError[]; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
    this.status = EDGE_PROBLEMS[code].status;
    this.title = EDGE_PROBLEMS[code].title;
  }
}
