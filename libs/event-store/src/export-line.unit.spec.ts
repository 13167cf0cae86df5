import fc from 'fast-check';
import { hashEvent, toHashedFields } from './chain';
import { GENESIS_HASH, type StoredEvent } from './envelope';
import { parseExportLine, parseStrictJson } from './export-line';
import { newEvent } from './testing/events';

function storedEvent(data: Record<string, unknown>): StoredEvent {
  const fields = { ...newEvent({ data }), streamId: 'appraisal-2026-199001012015031001', streamRevision: 0, prevHash: GENESIS_HASH };
  return { ...fields, globalPosition: 1, hash: hashEvent(toHashedFields(fields)) };
}
const TOP = ['eventId', 'streamId', 'streamRevision', 'globalPosition', 'type', 'schemaVersion', 'data', 'metadata', 'prevHash', 'hash'];
// JSON values JSON.stringify writes faithfully (no -0, no lone surrogates: fast-check's json() is I-JSON).
const jsonData = fc.dictionary(
  fc.string(),
  fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  { maxKeys: 5 },
);
const refused = (line: string) => {
  const result = parseExportLine(line);
  return result.ok ? undefined : result.message;
};

describe('parseExportLine', () => {
  it('reads exactly what JSON.parse reads for every line the exporter writes', () => {
    fc.assert(
      fc.property(jsonData, (data) => {
        const line = JSON.stringify(storedEvent(data));
        const result = parseExportLine(line);
        expect(result).toEqual({ ok: true, event: JSON.parse(line) });
      }),
    );
  });

  it('refuses a duplicate member name anywhere, naming it', () => {
    fc.assert(
      fc.property(jsonData, fc.constantFrom(...TOP, 'data.n', 'metadata.actorId'), (data, where) => {
        const event = storedEvent({ ...data, n: 1 }) as unknown as Record<string, unknown>;
        const line = JSON.stringify(event);
        const [outer, inner] = where.split('.');
        // Repeat the member as text: JSON.parse would silently keep the last one.
        const target = inner === undefined ? line : JSON.stringify(event[outer]);
        const name = inner ?? outer;
        const member = `"${name}":${JSON.stringify((inner === undefined ? event : (event[outer] as Record<string, unknown>))[name])}`;
        // Replacer functions: generated text such as "$&" must not be read as a replacement pattern.
        const doubled = target.replace('{', () => `{${member},`);
        const forged = inner === undefined ? doubled : line.replace(target, () => doubled);
        expect(refused(forged)).toMatch(new RegExp(`duplicate member name "${name}"`));
      }),
    );
  });

  it('refuses an extra top-level or metadata member, a missing one, and one of the wrong type', () => {
    const line = JSON.stringify(storedEvent({ n: 1 }));
    const event = JSON.parse(line) as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => !TOP.includes(k)),
        fc.jsonValue(),
        (key, value) => {
          // A replacer function: a key such as "$'" must not be read as a replacement pattern.
          expect(refused(line.replace('{', () => `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},`))).toMatch(
            /is not part of the format/,
          );
        },
      ),
    );
    expect(refused(line.replace('"metadata":{', '"metadata":{"signedBy":"x",'))).toMatch(/metadata.signedBy is not part/);
    for (const key of TOP) {
      const { [key]: _omitted, ...rest } = event;
      expect(refused(JSON.stringify(rest))).toBe(`member ${key} is missing`);
      const wrong = { ...event, [key]: typeof event[key] === 'string' ? 1 : 'x' };
      expect(refused(JSON.stringify(wrong))).toMatch(new RegExp(`member ${key} must be`));
    }
    expect(refused(JSON.stringify({ ...event, streamRevision: 1.5 }))).toBe('member streamRevision must be an integer');
    expect(refused(JSON.stringify({ ...event, metadata: { ...(event.metadata as object), reason: null } }))).toMatch(/metadata.reason/);
  });

  it('refuses what I-JSON refuses: lone surrogates, inexact numbers, and anything that is not JSON', () => {
    const line = JSON.stringify(storedEvent({ s: 'x', n: 1 }));
    fc.assert(
      fc.property(fc.integer({ min: 0xd800, max: 0xdfff }), (code) => {
        const escaped = `\\u${code.toString(16)}`;
        expect(refused(line.replace('"s":"x"', `"s":"${escaped}"`))).toMatch(/lone UTF-16 surrogate/);
        expect(refused(line.replace('"s":"x"', `"s":"${String.fromCharCode(code)}"`))).toMatch(/lone UTF-16 surrogate/);
      }),
    );
    expect(refused(line.replace('"s":"x"', '"s":"\\ud83d\\ude00"'))).toBeUndefined(); // a pair is fine
    expect(refused(line.replace('"n":1', '"n":9007199254740993'))).toMatch(/not in its exact shortest form 9007199254740992/);
    expect(refused(line.replace('"n":1', '"n":1.0'))).toMatch(/not in its exact shortest form 1 /);
    expect(refused(line.replace('"n":1', '"n":-0'))).toMatch(/not in its exact shortest form 0 /);
    expect(refused(line.replace('"n":1', '"n":1e400'))).toMatch(/outside the IEEE 754 double range/);
    for (const bad of ['', '{', '{"a":1,}', '{"a":01}', "{'a':1}", '{"a":1} x', '{"a":"\u0001"}', '{"a":"\\x"}', '[1,]', 'nul']) {
      expect(() => parseStrictJson(bad)).toThrow(/at column \d+/);
    }
  });

  it('keeps a member named __proto__ as an own member, so it is seen and refused', () => {
    const line = JSON.stringify(storedEvent({ n: 1 }));
    expect(refused(line.replace('{', '{"__proto__":{},'))).toMatch(/"__proto__" is not part of the format/);
    expect((parseStrictJson('{"data":{"__proto__":1}}') as { data: object }).data).toEqual(JSON.parse('{"__proto__":1}'));
  });
});
