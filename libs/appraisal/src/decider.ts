import type { Policy } from './policy';
import type { Actor } from './vocabulary';

/** Everything a decision needs besides the command and the state; time and actor come from outside. */
export interface DecisionContext {
  actor: Actor;
  /** ISO 8601 UTC instant: "now" for this decision. */
  now: string;
  policy: Policy;
}

/** A decider: pure functions, no framework, no I/O. decide throws DomainError when a rule says no. */
export interface Decider<C, E, S> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, context: DecisionContext): E[];
}
