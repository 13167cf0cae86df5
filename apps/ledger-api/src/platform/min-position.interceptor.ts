import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import type { ProjectionProgress } from '@ledger/read-models';
import { from, type Observable, switchMap } from 'rxjs';
import { ProblemException } from '../problems/problem';
import { validationFailed } from '../problems/validation';
import { requestOf } from './http-types';
import { EVENT_STORE, PROJECTOR } from './ledger-runtime';

/** How long a query waits for the read models to reach ?minPosition before answering 503. */
export const MIN_POSITION_WAIT_MS = 3000;

/**
 * Read your own writes: a command answers with the position of its last event; a query that
 * passes it as ?minPosition=N is answered only once the read models applied N, or 503
 * READ_MODEL_BEHIND (with Retry-After) if that takes longer than ~3 s. A position past the ledger's
 * head can never be reached: that is the client's mistake (400 MIN_POSITION_AHEAD), not a 5xx.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(PROJECTOR) private readonly projector: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = requestOf(context).query.minPosition;
    if (raw === undefined) return next.handle();
    if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
      throw validationFailed([{ field: 'minPosition', messages: ['minPosition must be a non-negative integer'] }]);
    }
    const minPosition = Number(raw);
    return from(this.reach(minPosition)).pipe(
      switchMap((reached) => {
        if (!reached) {
          throw new ProblemException('READ_MODEL_BEHIND', `The read models have not reached position ${minPosition} yet`, {
            headers: { 'Retry-After': '1' },
            details: { minPosition, position: this.projector.position() },
          });
        }
        return next.handle();
      }),
    );
  }

  private async reach(minPosition: number): Promise<boolean> {
    const head = await this.store.headPosition();
    if (minPosition > head) {
      throw new ProblemException('MIN_POSITION_AHEAD', `The ledger has not reached position ${minPosition}; its head is ${head}`, {
        details: { minPosition, head },
      });
    }
    return this.projector.waitFor(minPosition, MIN_POSITION_WAIT_MS);
  }
}
