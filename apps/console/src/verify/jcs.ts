/**
 * JSON Canonicalization Scheme (RFC 8785) for values that came out of JSON.parse: no whitespace,
 * members sorted by their names' UTF-16 code units (what the default sort compares), strings and
 * numbers exactly as ECMAScript's JSON.stringify writes them. Members whose value is undefined are
 * absent, as in the hashed object of docs/ledger-format.md.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('JCS has no form for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`JCS has no form for a ${typeof value}`);
}
