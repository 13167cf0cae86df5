import { createHash, randomBytes } from 'node:crypto';
import { SERVICE_ID } from '@ledger/appraisal';
import { PATH_ID } from '../platform/params';

/** Crockford's base32: no I, L, O or U, so a code copied from a receipt is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET = /^[0-9A-HJKMNP-TV-Z]{16}$/;
const SEPARATOR = '~';

export interface ServiceLocation {
  unitId: string;
  year: number;
  serviceId: string;
}

/**
 * A feedback code: `<unitId>~<year>~<serviceId>~<secret>`. The secret is 16 base32 characters from
 * 80 random bits (never from the id generator, which tests make predictable); the rest says where
 * the code's service lives, so the public endpoint finds its stream without any index. `~` appears
 * in none of the ids. The ledger stores only SHA-256(code): 80 bits make it unguessable from the hash.
 */
export function newFeedbackCode(at: ServiceLocation): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let secret = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      secret += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return [at.unitId, String(at.year), at.serviceId, secret].join(SEPARATOR);
}

export const hashOfCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/** Where a code says its service is; null for anything that cannot be a code (then it is unknown). */
export function locateCode(code: unknown): ServiceLocation | null {
  if (typeof code !== 'string' || code.length > 200) return null;
  const parts = code.split(SEPARATOR);
  if (parts.length !== 4) return null;
  const [unitId, year, serviceId, secret] = parts;
  if (!PATH_ID.test(unitId) || !/^\d{4}$/.test(year) || !SERVICE_ID.test(serviceId) || !SECRET.test(secret)) return null;
  return { unitId, year: Number(year), serviceId };
}
