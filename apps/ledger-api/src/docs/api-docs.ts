import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem';

/** OpenAPI shapes and per-route decorators: every route documents its body, answer and problems. */
export class FieldErrorDto {
  @ApiProperty({ example: 'plan.results.0.indicators' }) field!: string;
  @ApiProperty({ type: [String] }) messages!: string[];
}

export class ProblemDto {
  @ApiProperty({ example: 'https://appraisal-ledger.dev/problems/plan-not-approved' }) type!: string;
  @ApiProperty({ example: 'A rule refused the command' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'PLAN_NOT_APPROVED', description: 'Stable code; see the code table in the API description' }) code!: string;
  @ApiProperty({ example: 'This needs an approved plan.' }) detail!: string;
  @ApiProperty({ example: '/appraisals/2026-199001012020121001/periods/TAHUNAN/rating' }) instance!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'VALIDATION_FAILED: one entry per offending field' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What failed: fields, counts, bounds' })
  details?: Record<string, unknown>;
}

export class RecordedEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'PlanApproved' }) type!: string;
}

export class CommandResultDto {
  @ApiProperty({ example: 'appraisal-2026-199001012020121001' }) streamId!: string;
  @ApiProperty({ description: 'Stream revision after the command; also in ETag' }) revision!: number;
  @ApiProperty({
    description: 'Global position of the last event written; also in X-Ledger-Position. Pass as ?minPosition= to read your writes.',
  })
  position!: number;
  @ApiProperty({ type: [RecordedEventDto] }) events!: RecordedEventDto[];
}

const PROBLEM_STATUSES: Record<number, string> = {
  400:
    'MALFORMED_JSON, INVALID_UTF8, JSON_TOO_DEEP, DUPLICATE_JSON_MEMBER, LONE_SURROGATE, NUMBER_NOT_EXACT, BODY_NOT_ALLOWED, ' +
    'VALIDATION_FAILED (per-field errors; also a query parameter the route does not read), INVALID_IF_MATCH, INVALID_CORRELATION_ID, ' +
    'DUPLICATE_HEADER, MALFORMED_HTTP_REQUEST (refused by the HTTP parser; also 431 HEADERS_TOO_LARGE, 408 REQUEST_TIMEOUT), ' +
    'or a domain VALIDATION code',
  401: 'UNAUTHENTICATED: missing, expired or untrusted bearer token; TOKEN_KEY_RETIRED: signed by a retired key',
  403: 'A domain FORBIDDEN code (wrong actor for the relationship), or NOT_ENTITLED / ROLE_NOT_ALLOWED',
  404: 'APPRAISAL_NOT_FOUND, UNIT_NOT_FOUND, FEEDBACK_NOT_FOUND or ROUTE_NOT_FOUND',
  409: 'CONCURRENCY_CONFLICT (a concurrent append) or a domain CONFLICT code',
  412: 'STALE_REVISION: If-Match names an older revision',
  413: 'PAYLOAD_TOO_LARGE: body over LEDGER_BODY_LIMIT',
  415: 'UNSUPPORTED_MEDIA_TYPE: body not application/json in UTF-8; UNSUPPORTED_CONTENT_ENCODING: a Content-Encoding other than identity',
  422: 'A domain ILLEGAL_STATE code: a rule refused the command',
  503: 'READ_MODEL_BEHIND: ?minPosition not reached in time; retry after Retry-After',
};

export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_STATUSES[status] ?? 'Problem details',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );

const commandHeaders = {
  ETag: { description: 'The stream revision after the command, quoted', schema: { type: 'string' } },
  'X-Ledger-Position': { description: 'Global position of the last event written', schema: { type: 'string' } },
};

/** A command route: 200 (or 201) with CommandResultDto, ETag and X-Ledger-Position, and its problems. */
export function ApiCommand(
  summary: string,
  options: { created?: boolean; result?: Type<unknown>; body?: 'empty'; description?: string } = {},
) {
  const status = options.created ? 201 : 200;
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ summary, description: options.description }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag last read; a different current revision answers 412 STALE_REVISION',
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'Recorded on every event of this command; a new one is made when absent',
    }),
    ...(options.body === 'empty'
      ? [ApiBody({ required: false, schema: { type: 'object', additionalProperties: false, properties: {} } })]
      : []),
    ApiResponse({ status, type: options.result ?? CommandResultDto, headers: commandHeaders }),
    ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 422),
  );
}

/** A query route: accepts ?minPosition (read your writes) and documents its answer and problems. */
export function ApiRead(summary: string, type: Type<unknown> | [Type<unknown>] | undefined, description?: string) {
  return applyDecorators(
    ApiOperation({ summary, description }),
    ApiBearerAuth(),
    ApiQuery({
      name: 'minPosition',
      required: false,
      type: 'integer',
      description: 'Wait (up to ~3 s) until the read model reached this position',
    }),
    ApiResponse({ status: 200, ...(type === undefined ? { schema: { type: 'object', additionalProperties: true } } : { type }) }),
    ApiProblems(400, 401, 403, 404, 503),
  );
}
