/**
 * The one JSON reader of request bodies. JSON.parse accepts what RFC 8259 allows and then changes
 * it silently: a duplicate member keeps the last value, `"\ud800"` yields a lone surrogate that the
 * canonical encoding refuses only at append time, 1e400 becomes Infinity, 12345678901234567890
 * loses digits, and a 10,000-deep array overflows the stack of whatever walks it next. This reader
 * takes I-JSON (RFC 7493) instead and refuses everything else, with the JSON path where it failed:
 * - nesting deeper than JSON_MAX_DEPTH (checked while reading: recursion is bounded by it);
 * - duplicate member names; lone surrogates in strings or member names (escaped or raw);
 * - numbers whose double is not exactly the decimal sent (only -0 → 0 and spellings such as
 *   1.0 or 1e2 are the same number); raw control characters and anything RFC 8259 forbids.
 * Objects are built with own data properties only, so a member named `__proto__` stays an own
 * key (and is then refused as unknown by the validation) instead of replacing the prototype.
 */
export const JSON_MAX_DEPTH = 32;

export type JsonRefusalCode = 'MALFORMED_JSON' | 'JSON_TOO_DEEP' | 'DUPLICATE_JSON_MEMBER' | 'LONE_SURROGATE' | 'NUMBER_NOT_EXACT';

export class JsonRefusal extends Error {
  constructor(
    readonly code: JsonRefusalCode,
    message: string,
    /** Dotted path of the value (or member) where reading stopped; `(body)` for the top level. */
    readonly path: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonRefusal';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseStrictJson(text: string, maxDepth = JSON_MAX_DEPTH): unknown {
  const reader = new Reader(text, maxDepth);
  reader.skipWhitespace();
  const value = reader.value(0, []);
  reader.skipWhitespace();
  if (reader.pos !== text.length) reader.fail('MALFORMED_JSON', 'unexpected content after the JSON value', []);
  return value;
}

class Reader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  fail(code: JsonRefusalCode, message: string, path: readonly (string | number)[]): never {
    throw new JsonRefusal(code, `${message} at offset ${this.pos}`, path.length === 0 ? '(body)' : path.join('.'), this.pos);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  value(depth: number, path: (string | number)[]): unknown {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (depth >= this.maxDepth) this.fail('JSON_TOO_DEEP', `JSON nested deeper than ${this.maxDepth} levels`, path);
      return c === '{' ? this.object(depth + 1, path) : this.array(depth + 1, path);
    }
    if (c === '"') return this.string(path);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(path);
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    return this.fail('MALFORMED_JSON', c === undefined ? 'unexpected end of JSON' : 'unexpected character', path);
  }

  private object(depth: number, path: (string | number)[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('MALFORMED_JSON', 'expected a member name', path);
      const key = this.string(path);
      const memberPath = [...path, key];
      if (Object.prototype.hasOwnProperty.call(result, key))
        this.fail('DUPLICATE_JSON_MEMBER', `duplicate member name "${key}"`, memberPath);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail('MALFORMED_JSON', 'expected ":"', memberPath);
      this.pos++;
      this.skipWhitespace();
      // defineProperty, not assignment: `__proto__` must become an own key, not the prototype.
      Object.defineProperty(result, key, { value: this.value(depth, memberPath), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === '}') return result;
      if (next !== ',') this.fail('MALFORMED_JSON', 'expected "," or "}"', path);
      this.skipWhitespace();
    }
  }

  private array(depth: number, path: (string | number)[]): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth, [...path, result.length]));
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === ']') return result;
      if (next !== ',') this.fail('MALFORMED_JSON', 'expected "," or "]"', path);
      this.skipWhitespace();
    }
  }

  private string(path: (string | number)[]): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('MALFORMED_JSON', 'unterminated string', path);
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('MALFORMED_JSON', 'raw control character in a string', path);
      if (c === 0x5c) {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          out += this.escapedCodePoint(path);
          continue;
        }
        const escaped = e === undefined ? undefined : ESCAPES[e];
        if (escaped === undefined) this.fail('MALFORMED_JSON', 'invalid escape', path);
        out += escaped;
        this.pos += 2;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // A raw surrogate can only come from a caller that bypassed strict UTF-8 decoding.
        const low = this.text.charCodeAt(this.pos + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) this.fail('LONE_SURROGATE', 'lone UTF-16 surrogate in a string', path);
        out += this.text.slice(this.pos, this.pos + 2);
        this.pos += 2;
        continue;
      }
      out += this.text[this.pos++];
    }
  }

  /** `\uXXXX`, or a `\uD8xx\uDCxx` pair; a surrogate without its partner is refused. */
  private escapedCodePoint(path: (string | number)[]): string {
    const unit = this.hex4(this.pos + 2, path);
    this.pos += 6;
    if (unit < 0xd800 || unit > 0xdfff) return String.fromCharCode(unit);
    if (unit > 0xdbff || this.text[this.pos] !== '\\' || this.text[this.pos + 1] !== 'u') {
      this.fail('LONE_SURROGATE', 'lone UTF-16 surrogate escape in a string', path);
    }
    const low = this.hex4(this.pos + 2, path);
    if (low < 0xdc00 || low > 0xdfff) this.fail('LONE_SURROGATE', 'lone UTF-16 surrogate escape in a string', path);
    this.pos += 6;
    return String.fromCharCode(unit, low);
  }

  private hex4(at: number, path: (string | number)[]): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('MALFORMED_JSON', 'invalid \\u escape', path);
    return parseInt(digits, 16);
  }

  private number(path: (string | number)[]): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('MALFORMED_JSON', 'invalid number', path);
    const literal = match[0];
    const value = Number(literal);
    if (!Number.isFinite(value) || decimalOf(literal) !== decimalOf(String(value))) {
      this.fail('NUMBER_NOT_EXACT', `the number ${literal.slice(0, 40)} has no exact IEEE 754 double value`, path);
    }
    this.pos += literal.length;
    return value;
  }
}

/** A decimal literal as `<sign><significant digits>e<exponent>`, so equal numbers compare equal; zero has no sign. */
export function decimalOf(literal: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (match === null) return literal;
  const [, sign, int = '', frac = '', exp = '0'] = match;
  let digits = `${int}${frac}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let exponent = BigInt(exp) - BigInt(frac.length);
  const trimmed = digits.replace(/0+$/, '');
  exponent += BigInt(digits.length - trimmed.length);
  digits = trimmed;
  return `${sign}${digits}e${exponent}`;
}
