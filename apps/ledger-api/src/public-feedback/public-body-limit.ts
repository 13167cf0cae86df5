import type { HttpRequest } from '../platform/http-types';

/** The public form's body limit [policy: 8 KiB]: nine scores, a code and a 1,000-character comment fit with room to spare. */
export const PUBLIC_BODY_LIMIT_BYTES = 8 * 1024;

/** The limit of a route open to people without an account; undefined elsewhere (the configured one applies). */
export const publicBodyLimit = (req: HttpRequest): number | undefined =>
  (req.url ?? '').split('?')[0].startsWith('/public/') ? PUBLIC_BODY_LIMIT_BYTES : undefined;
