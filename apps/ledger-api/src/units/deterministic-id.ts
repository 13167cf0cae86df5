import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of namespace bytes + name). The same
 * (namespace, name) always gives the same id, so an event written under it by a retry is
 * recognised as already stored instead of being written twice.
 */
export function uuidV5(namespace: string, name: string): string {
  const ns = UUID.test(namespace) ? Buffer.from(namespace.replace(/-/g, ''), 'hex') : Buffer.from(namespace, 'utf8');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
