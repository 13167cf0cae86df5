import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { requestOf } from './http-types';

/**
 * What one request did, gathered while it runs and written once when it ends (the request's log
 * line, the command metrics): the command path names the command and its stream, the problem
 * filter the refusal's code. Carried in the request's async context, so the command path needs
 * no HTTP types.
 */
export interface Observation {
  commandType?: string;
  streamId?: string;
  /** The problem code of a refused request; undefined means it succeeded. */
  problemCode?: string;
}

const scope = new AsyncLocalStorage<Observation>();

export const runObserved = <T>(observation: Observation, next: () => T): T => scope.run(observation, next);

/** The first command of a request names it (a finalisation then writes to several streams). */
export function noteCommand(commandType: string, streamId: string): void {
  const current = scope.getStore();
  if (current !== undefined && current.commandType === undefined) Object.assign(current, { commandType, streamId });
}

/** The problem filter has the request at hand (and a refusal of a middleware may come before any context). */
export function noteProblem(request: object, code: string): void {
  const observation = (request as { observation?: Observation }).observation;
  if (observation !== undefined) observation.problemCode = code;
}

/**
 * Runs the route handler inside the request's observation. The request log opened the context
 * already, but a body read from stream events may resume in another one; this puts it back
 * where the command path runs.
 */
@Injectable()
export class ObservationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const observation = (requestOf(context) as { observation?: Observation }).observation;
    if (observation === undefined) return next.handle();
    return new Observable((subscriber) => runObserved(observation, () => next.handle().subscribe(subscriber)));
  }
}
