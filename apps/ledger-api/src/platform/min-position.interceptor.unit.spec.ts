import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import type { ProjectionProgress } from '@ledger/read-models';
import { lastValueFrom, of } from 'rxjs';
import { ProblemException } from '../problems/problem';
import { MinPositionInterceptor } from './min-position.interceptor';

// The two ways a ?minPosition is not served: past the head (the client's mistake, 400 at once) and a
// read model that lags behind a position the ledger has (503 with Retry-After: the server's state).
const contextWith = (minPosition: string): ExecutionContext =>
  ({ switchToHttp: () => ({ getRequest: () => ({ query: { minPosition } }) }) }) as unknown as ExecutionContext;
const handler: CallHandler = { handle: () => of('served') };
const store = (head: number) => ({ headPosition: () => Promise.resolve(head) }) as unknown as EventStore;
const projector = (reaches: boolean): ProjectionProgress => ({ waitFor: () => Promise.resolve(reaches), position: () => 4 });

async function codeOf(interceptor: MinPositionInterceptor, minPosition: string): Promise<string> {
  try {
    return String(await lastValueFrom(interceptor.intercept(contextWith(minPosition), handler)));
  } catch (error) {
    return error instanceof ProblemException ? error.code : 'other';
  }
}

describe('MinPositionInterceptor', () => {
  it('serves once the read models reached the position', async () => {
    expect(await codeOf(new MinPositionInterceptor(projector(true), store(10)), '10')).toBe('served');
  });
  it('answers 503 READ_MODEL_BEHIND when a position the ledger has is not reached in time', async () => {
    expect(await codeOf(new MinPositionInterceptor(projector(false), store(10)), '7')).toBe('READ_MODEL_BEHIND');
  });
  it('answers 400 MIN_POSITION_AHEAD for a position past the head, without waiting', async () => {
    expect(await codeOf(new MinPositionInterceptor(projector(true), store(10)), '11')).toBe('MIN_POSITION_AHEAD');
  });
});
