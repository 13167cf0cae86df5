import fc from 'fast-check';

/**
 * Generators of request bodies from an OpenAPI document's schemas: valid ones, and malformed
 * members of every class the edge must refuse. A body is generated as bytes (not an object), so
 * duplicate members, deep nesting and invalid UTF-8 can be expressed.
 */
export type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
};
export type Schemas = Record<string, Schema>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export interface BodyCase {
  kind: string;
  /** The bytes sent. */
  bytes: Buffer;
  /** The body as an object when it is plain JSON (for the no-alteration check on a 2xx). */
  sent?: Json;
  headers?: Record<string, string>;
}

export const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

export function resolve(schema: Schema, schemas: Schemas): Schema {
  if (schema.$ref !== undefined) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')], schemas);
  if (schema.allOf !== undefined && schema.allOf.length === 1) return resolve(schema.allOf[0], schemas);
  return schema;
}

const INSTANT = fc.constantFrom('2026-02-15T16:59:59.999Z', '2026-06-30T17:00:00Z', '2026-12-01T08:00:00+07:00');
const DATE = fc.constantFrom('2026-01-05', '2026-03-01', '2025-12-31');

/** A valid value for the schema (as far as a schema can tell: ids may still not exist). */
export function validValue(schema: Schema, schemas: Schemas, depth = 0): fc.Arbitrary<Json> {
  const s = resolve(schema, schemas);
  if (s.enum !== undefined) return fc.constantFrom(...(s.enum as Json[]));
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time') return INSTANT;
      if (s.format === 'date') return DATE;
      if (s.pattern !== undefined) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 1000));
      return fc
        .string({ minLength: Math.max(1, s.minLength ?? 1), maxLength: Math.min(s.maxLength ?? 30, 30), unit: 'grapheme' })
        .filter((x) => x.trim().length > 0);
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 });
    case 'number':
      return fc.oneof(
        fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 }),
        fc.double({ min: s.minimum ?? 0, max: s.maximum ?? 100, noNaN: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validValue(s.items ?? {}, schemas, depth + 1);
      const min = s.minItems ?? 0;
      return fc.array(item, { minLength: min, maxLength: Math.min(s.maxItems ?? min + 2, min + 2) });
    }
    case undefined:
    default: {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const record: Record<string, fc.Arbitrary<Json>> = {};
      for (const [key, prop] of Object.entries(props)) record[key] = validValue(prop, schemas, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
  }
}

/** Every path in a JSON value, with the value there. */
function paths(value: Json, at: Path = []): { path: Path; value: Json }[] {
  const here = { path: at, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object') return [here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [here];
}

function setAt(value: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === undefined && rest.length === 0) copy.splice(Number(head), 1);
    else copy[Number(head)] = setAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>))
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (replacement === undefined && rest.length === 0) Reflect.deleteProperty(copy, String(head));
  else
    Object.defineProperty(copy, String(head), {
      value: setAt(copy[String(head)] ?? {}, rest, replacement),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

const text = (value: Json) => Buffer.from(JSON.stringify(value), 'utf8');
const WRONG: fc.Arbitrary<Json> = fc.constantFrom<Json>(null, [], {}, [null], [[]], true, 0, -1, 'x', '', ' ', [1, 2], { a: 1 }, 1.5);
const BOUNDARY_NUMBERS = [
  '1e400',
  '-1e400',
  '-0',
  '1.0',
  '1e-400',
  '12345678901234567890',
  '9007199254740993',
  '0.30000000000000000001',
  '1E2',
  '-1',
  '2.5',
  '1e15',
];
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]];
const EXTRA_KEYS = [...PROTOTYPE_NAMES, 'actorId', 'occurredAt', 'x'];

/** One malformed (or mutated-valid) body derived from a valid one. */
export function malformed(valid: Json): fc.Arbitrary<BodyCase> {
  const all = paths(valid);
  const objects = all.filter((p) => p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value));
  const leaves = all.filter((p) => p.path.length > 0);
  const strings = leaves.filter((p) => typeof p.value === 'string');
  const numbers = leaves.filter((p) => typeof p.value === 'number');
  const arrays = all.filter((p) => Array.isArray(p.value) && p.value.length > 0);
  const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
  const cases: fc.Arbitrary<BodyCase>[] = [];
  const json =
    (kind: string) =>
    (body: Json): BodyCase => ({ kind, bytes: text(body), sent: body });
  if (leaves.length > 0) {
    cases.push(fc.tuple(pick(leaves), WRONG).map(([p, w]) => json('wrong type')(setAt(valid, p.path, w))));
    cases.push(pick(leaves).map((p) => json('missing')(setAt(valid, p.path, undefined))));
    cases.push(
      fc.tuple(pick(leaves), fc.integer({ min: 33, max: 10_000 }), fc.boolean()).map(([p, n, obj]) => {
        const marker = '"__DEEP__"';
        const deep = obj ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
        return { kind: 'deep', bytes: Buffer.from(JSON.stringify(setAt(valid, p.path, '__DEEP__')).replace(marker, deep)) };
      }),
    );
  }
  cases.push(
    fc.tuple(pick(objects), pick(EXTRA_KEYS), WRONG).map(([p, k, w]) => {
      const target = p.value as Record<string, Json>;
      const extended: Record<string, Json> = {};
      for (const [key, v] of Object.entries(target)) extended[key] = v;
      Object.defineProperty(extended, k, { value: w, enumerable: true, writable: true, configurable: true });
      return json(`extra key ${k}`)(setAt(valid, p.path, extended));
    }),
  );
  cases.push(fc.constantFrom<Json>(null, [], 'x', 1, true, [valid]).map((b) => json('not an object')(b)));
  if (arrays.length > 0)
    cases.push(
      fc
        .tuple(pick(arrays), fc.constantFrom<Json>(null, [], [[]], 1, 'x'))
        .map(([p, w]) => json('array item')(setAt(valid, [...p.path, 0], w))),
    );
  if (strings.length > 0) {
    cases.push(
      fc
        .tuple(pick(strings), fc.constantFrom('\ud800', '\udfff', 'a\udc00b', '\ud83d'))
        .map(([p, s]) => json('lone surrogate')(setAt(valid, p.path, `${p.value as string}${s}`))),
    );
    cases.push(
      fc
        .tuple(pick(strings), fc.constantFrom(1001, 5001, 70_000))
        .map(([p, n]) => json('huge string')(setAt(valid, p.path, 'x'.repeat(n)))),
    );
    cases.push(
      fc.tuple(pick(strings), pick(INVALID_UTF8)).map(([p, bad]) => {
        const marker = '__BYTES__';
        const [before, after] = JSON.stringify(setAt(valid, p.path, marker)).split(marker);
        return { kind: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]) };
      }),
    );
    // Slightly changed but valid: must be refused by a rule or stored exactly.
    cases.push(
      fc
        .tuple(pick(strings), fc.constantFrom(' ', '\u00e9', '\ud83d\ude00', '\u0000', '\t', 'e\u0301'))
        .map(([p, s]) => json('valid, changed string')(setAt(valid, p.path, `${p.value as string}${s}`))),
    );
  }
  cases.push(
    fc.constantFrom('\ud800', 'k\udfff').map((k) => {
      const withKey: Record<string, Json> = { ...(valid as Record<string, Json>) };
      withKey[k] = 1;
      return json('lone surrogate key')(withKey);
    }),
  );
  if (numbers.length > 0) {
    cases.push(
      fc.tuple(pick(numbers), pick(BOUNDARY_NUMBERS)).map(([p, n]) => {
        const marker = '"__NUM__"';
        return { kind: `number ${n}`, bytes: Buffer.from(JSON.stringify(setAt(valid, p.path, '__NUM__')).replace(marker, n)) };
      }),
    );
  }
  const topKeys = Object.keys(valid as Record<string, Json>);
  if (topKeys.length > 0) {
    cases.push(
      fc.tuple(pick(topKeys), WRONG).map(([k, w]) => ({
        kind: 'duplicate key',
        bytes: Buffer.from(JSON.stringify(valid).replace(/^\{/, () => `{${JSON.stringify(k)}:${JSON.stringify(w)},`)),
      })),
    );
  }
  cases.push(fc.constant<BodyCase>({ kind: 'valid', bytes: text(valid), sent: valid }));
  cases.push(
    fc
      .constantFrom<[string, Record<string, string>]>(
        ['gzip', { 'Content-Encoding': 'gzip' }],
        ['latin1', { 'Content-Type': 'application/json; charset=latin1' }],
        ['no content type', { 'Content-Type': '' }],
        ['text/plain', { 'Content-Type': 'text/plain' }],
        ['weak If-Match', { 'If-Match': 'W/"1"' }],
        ['list If-Match', { 'If-Match': '"1", "2"' }],
        ['bad If-Match', { 'If-Match': '"1e3"' }],
        ['long correlation', { 'X-Correlation-Id': 'c'.repeat(129) }],
        ['odd correlation', { 'X-Correlation-Id': 'a b' }],
      )
      .map(([kind, headers]) => ({ kind: `header: ${kind}`, bytes: text(valid), headers })),
  );
  // A counterexample prints as its kind and first bytes, not as a 10,000-element Buffer.
  return fc.oneof(...cases).map((c) =>
    Object.assign(c, {
      [fc.toStringMethod]: () => `${c.kind}: ${c.bytes.subarray(0, 160).toString('latin1')} (${c.bytes.length} bytes)`,
    }),
  );
}
