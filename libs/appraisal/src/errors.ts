/**
 * The error taxonomy. The domain throws DomainError only; the HTTP edge renders it as RFC 7807
 * problem details: VALIDATION → 400, FORBIDDEN → 403, NOT_FOUND → 404, CONFLICT → 409,
 * ILLEGAL_STATE (a rule said no) → 422. `code` is stable and documented; `details` carries
 * what failed (field names, counts, bounds).
 */
export type ErrorKind = 'VALIDATION' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'ILLEGAL_STATE';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validation = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('VALIDATION', code, message, details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('FORBIDDEN', code, message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('NOT_FOUND', code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('CONFLICT', code, message, details);
export const illegal = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('ILLEGAL_STATE', code, message, details);
