import type { StoredEvent } from './envelope';

/**
 * The strict reader of one export line (docs/ledger-format.md). RFC 8785 canonicalises I-JSON
 * (RFC 7493), so a line is refused, with the reason and the column, when it is not exactly
 * I-JSON of the documented shape: a duplicate member name (JSON.parse keeps the last one and
 * would hide the first), a lone surrogate (raw or escaped), a number without an exact double
 * value in its one shortest spelling, a member the documentation does not list (it would travel unhashed), a missing member or
 * one of the wrong JSON type. Only then are the hash checks of verifyEvents meaningful.
 */
export type ExportLineResult = { ok: true; event: StoredEvent } | { ok: false; message: string };

export class ExportLineError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} at column ${column}`);
    this.name = 'ExportLineError';
  }
}

const TOP_LEVEL: Record<string, 'string' | 'integer' | 'object'> = {
  eventId: 'string',
  streamId: 'string',
  streamRevision: 'integer',
  globalPosition: 'integer',
  type: 'string',
  schemaVersion: 'integer',
  data: 'object',
  metadata: 'object',
  prevHash: 'string',
  hash: 'string',
};
const METADATA_REQUIRED = ['actorId', 'actorRole', 'occurredAt', 'correlationId', 'causationId'] as const;
const METADATA_OPTIONAL = ['reason'] as const;
const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function parseExportLine(line: string): ExportLineResult {
  let value: unknown;
  try {
    value = parseStrictJson(line);
  } catch (error) {
    if (error instanceof ExportLineError) return { ok: false, message: error.message };
    throw error;
  }
  const shape = describeShape(value);
  return shape === undefined ? { ok: true, event: value as StoredEvent } : { ok: false, message: shape };
}

function describeShape(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the line is not a JSON object';
  for (const key of Object.keys(value))
    if (!Object.hasOwn(TOP_LEVEL, key)) return `member ${JSON.stringify(key)} is not part of the format (it would not be hashed)`;
  for (const [key, type] of Object.entries(TOP_LEVEL)) {
    if (!Object.hasOwn(value, key)) return `member ${key} is missing`;
    const member = value[key];
    const fits = type === 'string' ? typeof member === 'string' : type === 'integer' ? Number.isSafeInteger(member) : isRecord(member);
    if (!fits) return `member ${key} must be ${type === 'integer' ? 'an integer' : `a JSON ${type}`}`;
  }
  const metadata = value.metadata as Record<string, unknown>;
  const allowed: readonly string[] = [...METADATA_REQUIRED, ...METADATA_OPTIONAL];
  for (const key of Object.keys(metadata)) if (!allowed.includes(key)) return `member metadata.${key} is not part of the format`;
  for (const key of METADATA_REQUIRED) if (typeof metadata[key] !== 'string') return `member metadata.${key} must be a string`;
  if (Object.hasOwn(metadata, 'reason') && typeof metadata.reason !== 'string')
    return 'member metadata.reason, when present, must be a string';
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 8259 JSON, refusing what I-JSON refuses; objects are built with own, null-prototype keys. */
export function parseStrictJson(text: string): unknown {
  let at = 0;
  const fail = (message: string): never => {
    throw new ExportLineError(message, at + 1);
  };
  const skipSpace = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH}`);
    skipSpace();
    const char = text[at];
    if (char === '{') return object(depth);
    if (char === '[') return array(depth);
    if (char === '"') return string();
    if (char === '-' || (char >= '0' && char <= '9')) return number();
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    return fail(at >= text.length ? 'unexpected end of line' : `unexpected ${JSON.stringify(char)}`);
  };
  const object = (depth: number): Record<string, unknown> => {
    const result = Object.create(null) as Record<string, unknown>;
    at++;
    skipSpace();
    if (text[at] === '}') return (at++, { ...result });
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail('expected a member name');
      const nameAt = at;
      const name = string();
      if (Object.prototype.hasOwnProperty.call(result, name)) {
        at = nameAt;
        fail(`duplicate member name ${JSON.stringify(name)} (I-JSON forbids it)`);
      }
      skipSpace();
      if (text[at] !== ':') fail('expected ":"');
      at++;
      result[name] = value(depth + 1);
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === '}') break;
      fail('expected "," or "}"');
    }
    at++;
    // A plain object for the rest of the verifier; defineProperty keeps a "__proto__" member an own member.
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(result))
      Object.defineProperty(plain, key, { value: result[key], enumerable: true, writable: true, configurable: true });
    return plain;
  };
  const array = (depth: number): unknown[] => {
    const result: unknown[] = [];
    at++;
    skipSpace();
    if (text[at] === ']') return (at++, result);
    for (;;) {
      result.push(value(depth + 1));
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') break;
      fail('expected "," or "]"');
    }
    at++;
    return result;
  };
  const string = (): string => {
    const start = at;
    at++;
    let result = '';
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      const char = text[at];
      if (char === '"') break;
      if (char < ' ') fail('unescaped control character in a string');
      if (char === '\\') {
        const escape = text[at + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (Object.hasOwn(simple, escape)) {
          result += simple[escape];
          at += 2;
        } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
          result += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
          at += 6;
        } else {
          fail('invalid escape in a string');
        }
      } else {
        result += char;
        at++;
      }
    }
    at++;
    if (LONE_SURROGATE.test(result)) {
      at = start;
      fail('lone UTF-16 surrogate in a string (I-JSON forbids it)');
    }
    return result;
  };
  const number = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (match === null) return fail('malformed number');
    const parsed = Number(match[0]);
    if (!Number.isFinite(parsed)) fail(`number ${match[0]} is outside the IEEE 754 double range (I-JSON)`);
    // Written as JCS writes it (the exporter does): else two spellings would carry one hash, and
    // 9007199254740993 would verify as the …992 the hash covers.
    if (JSON.stringify(parsed) !== match[0]) fail(`number ${match[0]} is not in its exact shortest form ${JSON.stringify(parsed)}`);
    at += match[0].length;
    return parsed;
  };
  const result = value(0);
  skipSpace();
  if (at < text.length) fail('text after the JSON value');
  return result;
}
