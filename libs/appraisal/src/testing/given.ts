import { appraisalDecider } from '../appraisal/decider';
import type { AppraisalState } from '../appraisal/state';
import type { AppraisalCommand } from '../commands';
import type { Decider, DecisionContext } from '../decider';
import { ERROR_CODES, type ErrorCode } from '../error-codes';
import { DomainError } from '../errors';
import type { AppraisalEvent } from '../events';
import { unitDecider } from '../unit/decider';

export interface Outcome<E, S> {
  /** Asserts the decision produced exactly these events; returns the state after them. */
  then(expected: E[]): S;
  /** Asserts a DomainError with this code (and the kind the catalogue gives it); details match partially. */
  thenThrows(code: ErrorCode, details?: Record<string, unknown>): DomainError;
  /** The events decided, for specs that check a few fields only. */
  events(): E[];
}

export interface Scenario<C, E, S> {
  state: S;
  when(command: C, ctx: DecisionContext): Outcome<E, S>;
}

/** given(history).when(command, ctx).then(events) | .thenThrows(code): decider specs in a few lines. */
export function scenarioFor<C, E, S>(decider: Decider<C, E, S>) {
  return (history: E[]): Scenario<C, E, S> => {
    const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
    return {
      state,
      when(command, ctx) {
        const run = (): E[] => decider.decide(command, state, ctx);
        return {
          events: run,
          then(expected) {
            const events = run();
            expect(events).toEqual(expected);
            return events.reduce((s, e) => decider.evolve(s, e), state);
          },
          thenThrows(code, details) {
            let events: E[];
            try {
              events = run();
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              expect({ code: error.code, kind: error.kind }).toEqual({ code, kind: ERROR_CODES[code].kind });
              if (details) expect(error.details).toMatchObject(details);
              return error;
            }
            throw new Error(`Expected ${code}, but the decider accepted: ${JSON.stringify(events)}`);
          },
        };
      },
    };
  };
}

export const given: (history: AppraisalEvent[]) => Scenario<AppraisalCommand, AppraisalEvent, AppraisalState> =
  scenarioFor(appraisalDecider);
export const givenUnit = scenarioFor(unitDecider);
