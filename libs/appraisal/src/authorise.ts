import type { DecisionContext } from './decider';
import { fail, type ErrorCode } from './error-codes';
import type { Role } from './vocabulary';

/** Auditors may replay and verify everything, but no command ever accepts them. */
export function refuseAuditor(ctx: DecisionContext): void {
  if (ctx.actor.role === 'AUDITOR') throw fail('AUDITOR_READ_ONLY', { role: ctx.actor.role });
}

export function requireRole(ctx: DecisionContext, role: Role): void {
  if (ctx.actor.role !== role) throw fail('ROLE_NOT_ALLOWED', { required: role, actual: ctx.actor.role });
}

/**
 * Authorisation by relationship: the role must fit AND the actor must be the person who holds
 * that relationship (e.g. the appraiser named on this appraisal), else `code`.
 */
export function actAs(ctx: DecisionContext, role: Role, holderId: string, code: ErrorCode): void {
  requireRole(ctx, role);
  if (ctx.actor.id !== holderId) throw fail(code, { actorId: ctx.actor.id });
}
