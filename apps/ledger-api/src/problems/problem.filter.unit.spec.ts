import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { fail } from '@ledger/appraisal';
import { EventIdConflictError, WrongExpectedRevisionError } from '@ledger/event-store';
import { ProblemException, problemType } from './problem';
import { renderProblem } from './problem.filter';

const bodyParserError = (type: string, status: number) => Object.assign(new Error('raw parser message'), { type, status, expose: true });

describe('renderProblem', () => {
  it.each([
    ['APPRAISER_CANNOT_DECIDE_OBJECTION', 403],
    ['TEXT_REQUIRED', 400],
    ['APPRAISAL_NOT_FOUND', 404],
    ['APPRAISAL_ALREADY_OPENED', 409],
    ['PLAN_NOT_APPROVED', 422],
  ] as const)('maps the domain error %s to %i with its code and details', (code, status) => {
    const { problem } = renderProblem(fail(code, { field: 'x' }), '/appraisals/1');
    expect(problem).toMatchObject({ status, code, type: problemType(code), instance: '/appraisals/1', details: { field: 'x' } });
    expect(problem.type).toBe(`https://appraisal-ledger.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`);
  });

  it('renders an event-id conflict as 409 EVENT_ID_CONFLICT, not a 500', () => {
    const { problem } = renderProblem(new EventIdConflictError('appraisal-1', ['e-1'], 'stored with other content'), '/x');
    expect(problem).toMatchObject({ status: 409, code: 'EVENT_ID_CONFLICT', details: { streamId: 'appraisal-1', eventIds: ['e-1'] } });
  });

  it('renders a concurrent append conflict as 409 CONCURRENCY_CONFLICT', () => {
    const { problem } = renderProblem(new WrongExpectedRevisionError('appraisal-1', 3, 4), '/x');
    expect(problem).toMatchObject({
      status: 409,
      code: 'CONCURRENCY_CONFLICT',
      details: { streamId: 'appraisal-1', expected: 3, actual: 4 },
    });
  });

  it('keeps the edge problem, its field errors and headers', () => {
    const rendered = renderProblem(
      new ProblemException('VALIDATION_FAILED', 'bad', { errors: [{ field: 'a.b', messages: ['m'] }], headers: { 'Retry-After': '1' } }),
      '/x',
    );
    expect(rendered.problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'a.b', messages: ['m'] }] });
    expect(rendered.headers).toEqual({ 'Retry-After': '1' });
  });

  it.each([
    ['entity.parse.failed', 400, 'MALFORMED_JSON'],
    ['entity.too.large', 413, 'PAYLOAD_TOO_LARGE'],
    ['encoding.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('maps the body-parser error %s to %i %s, without the parser message', (type, status, code) => {
    const exception = new HttpException('raw parser message', status, { cause: bodyParserError(type, status) });
    const { problem } = renderProblem(exception, '/x');
    expect(problem).toMatchObject({ status, code });
    expect(JSON.stringify(problem)).not.toContain('raw parser message');
  });

  it('maps a malformed-JSON BadRequestException (SyntaxError cause) to MALFORMED_JSON', () => {
    const cause = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    expect(renderProblem(new BadRequestException('x', { cause }), '/x').problem.code).toBe('MALFORMED_JSON');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', () => {
    expect(renderProblem(new NotFoundException('Cannot GET /nope'), '/nope').problem).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
    });
  });

  it('never leaks an unexpected error: 500 INTERNAL_ERROR with a generic detail', () => {
    const secret = new Error('SQLITE_CORRUPT at /var/lib/ledger/events.sqlite');
    const { problem } = renderProblem(secret, '/x');
    expect(problem).toEqual({
      type: problemType('INTERNAL_ERROR'),
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: 'An unexpected error occurred',
      instance: '/x',
    });
  });
});
