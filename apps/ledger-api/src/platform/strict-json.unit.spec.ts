import fc from 'fast-check';
import { decodeJson } from './json-body';
import { JSON_MAX_DEPTH, JsonRefusal, parseStrictJson } from './strict-json';

const refusal = (text: string): { code: string; path: string } => {
  try {
    parseStrictJson(text);
  } catch (error) {
    if (error instanceof JsonRefusal) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
};

describe('parseStrictJson (I-JSON)', () => {
  it('reads what JSON.parse reads, for any JSON value of doubles and well-formed strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('refuses nesting past the limit, at any depth and in arrays or objects, without recursing further', () => {
    expect(() => parseStrictJson(`${'['.repeat(JSON_MAX_DEPTH)}${']'.repeat(JSON_MAX_DEPTH)}`)).not.toThrow();
    fc.assert(
      fc.property(fc.integer({ min: JSON_MAX_DEPTH + 1, max: 100_000 }), fc.boolean(), (n, objects) => {
        const text = objects ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
        expect(refusal(text).code).toBe('JSON_TOO_DEEP');
      }),
      { numRuns: 30 },
    );
  });

  it.each(['{"a":1,"a":2}', '{"b":{"a":1,"a":1}}', '[{"__proto__":1,"__proto__":2}]'])('refuses duplicate member names: %s', (text) => {
    expect(refusal(text).code).toBe('DUPLICATE_JSON_MEMBER');
  });

  it.each(['"\\ud800"', '"\\udc00"', '"a\\ud83dx"', '{"\\ud800":1}', '"\\ud800\\u0041"', `"\ud800"`])(
    'refuses a lone surrogate: %s',
    (text) => {
      expect(refusal(text).code).toBe('LONE_SURROGATE');
    },
  );

  it('keeps a surrogate pair', () => expect(parseStrictJson('"\\ud83d\\ude00"')).toBe('\u{1F600}'));

  it.each(['1e400', '-1e400', '1e-400', '12345678901234567890', '9007199254740993', '0.30000000000000000001'])(
    'refuses the inexact number %s',
    (n) => {
      expect(refusal(`{"v":${n}}`)).toEqual({ code: 'NUMBER_NOT_EXACT', path: 'v' });
    },
  );

  it.each([
    ['1.0', 1],
    ['1E2', 100],
    ['-0', -0],
    ['0.1', 0.1],
    ['9007199254740992', 2 ** 53],
  ])('accepts %s, the same number as %d', (n, value) => {
    expect(parseStrictJson(n)).toBe(value);
  });

  it('makes `__proto__` an own key and leaves the prototype alone', () => {
    const value = parseStrictJson('{"__proto__":{"polluted":true},"constructor":1}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['', ' ', '{', '{"a":1,}', '[1,]', '{"a" 1}', "{'a':1}", '"\t"', '"\\x"', '01', '1.', 'NaN', '{"a":1}x', '\ufeff{}'])(
    'refuses the malformed text %j',
    (text) => expect(refusal(text).code).toBe('MALFORMED_JSON'),
  );
});

describe('decodeJson (bytes)', () => {
  it.each([[[0xff]], [[0xc3, 0x28]], [[0xed, 0xa0, 0x80]], [[0xc0, 0xaf]], [[0xf4, 0x90, 0x80, 0x80]], [[0xe2, 0x82]]])(
    'refuses invalid UTF-8 %j instead of storing U+FFFD',
    (bad) => {
      const bytes = Buffer.concat([Buffer.from('{"text":"a'), Buffer.from(bad), Buffer.from('"}')]);
      expect(() => decodeJson(bytes)).toThrow(expect.objectContaining({ code: 'INVALID_UTF8' }));
    },
  );

  it('decodes well-formed UTF-8 exactly', () => {
    expect(decodeJson(Buffer.from('{"text":"é😀"}', 'utf8'))).toEqual({ text: 'é😀' });
  });
});
