/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation, the byte format the hash chain covers.
 *
 * Why not `import canonicalize from 'canonicalize'`: canonicalize@4 is ESM-only and exports only
 * an "import" condition, so neither our CommonJS build (ERR_PACKAGE_PATH_NOT_EXPORTED) nor Jest on
 * Node 20 can load it. This is the same algorithm as canonicalize@4.0.0 (object keys sorted by
 * UTF-16 code units, primitives via ECMAScript JSON.stringify, which is JCS's number format), and
 * canonical-json.int.spec.ts checks it against the package itself in a native ESM child process.
 *
 * Differences, all stricter: functions, bigints and symbols at the top level or in arrays throw
 * instead of producing invalid JSON, because a ledger must never hash what it cannot store.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, new Set());
  if (text === undefined) throw new CanonicalJsonError('value has no JSON form');
  return text;
}

/** The value cannot be canonicalised (and so could not be stored and hashed faithfully). */
export class CanonicalJsonError extends TypeError {
  constructor(message: string) {
    super(`canonicalJson: ${message}`);
    this.name = 'CanonicalJsonError';
  }
}

function serialize(value: unknown, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not allowed`);
      return JSON.stringify(value);
    case 'string':
      if (hasLoneSurrogate(value)) throw new CanonicalJsonError('lone surrogate is not allowed');
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'null' : serializeObject(value, seen);
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
    default:
      // typeof has exactly the eight results above; this only guards against a future ninth.
      throw new CanonicalJsonError(`unexpected ${typeof value}`);
  }
}

function serializeObject(value: object, seen: Set<object>): string | undefined {
  if (seen.has(value)) throw new CanonicalJsonError('circular reference');
  seen.add(value);
  try {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return serialize(withToJson.toJSON(), seen);
    if (Array.isArray(value)) {
      // As JSON.stringify does: an undefined array element is written as null.
      return `[${value.map((item: unknown) => serialize(item, seen) ?? 'null').join(',')}]`;
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    // Array#sort without a comparator orders by UTF-16 code units, exactly what RFC 8785 §3.2.3 asks.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      // As JSON.stringify does: members whose value is undefined or a function are left out.
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      members.push(`${serialize(key, seen)}:${serialize(member, seen)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}
