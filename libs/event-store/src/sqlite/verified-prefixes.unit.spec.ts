import type { EventRowValues } from './rows';
import { VerifiedPrefixes } from './verified-prefixes';

const row = (data: string, metadata: string, position = 1): EventRowValues => [
  position,
  'e1',
  's',
  position - 1,
  'T',
  1,
  data,
  metadata,
  'a'.repeat(64),
  'b'.repeat(64),
];

describe('VerifiedPrefixes', () => {
  it('knows a prefix only while its rows are byte for byte the ones verified', () => {
    const prefixes = new VerifiedPrefixes();
    const rows = [row('{"n":1}', '{"m":1}', 1), row('{"n":2}', '{"m":2}', 2)];
    expect(prefixes.check('s', rows).hashesVerified).toBe(0);
    prefixes.check('s', rows).verified();
    expect(prefixes.check('s', [...rows, row('{"n":3}', '{}', 3)]).hashesVerified).toBe(2);
    expect(prefixes.check('s', [rows[0], row('{"n":2}', '{"m":3}', 2)]).hashesVerified).toBe(0);
    expect(prefixes.check('s', [rows[0]]).hashesVerified).toBe(0); // fewer rows than verified: a row is gone
  });

  it('tells apart rows whose columns joined give the same text (each column is length-prefixed)', () => {
    const prefixes = new VerifiedPrefixes();
    prefixes.check('s', [row('{"n":1}', '{"m":1}')]).verified();
    expect(prefixes.check('s', [row('{"n":1', '}{"m":1}')]).hashesVerified).toBe(0);
  });

  it('forgets the least recently read stream first', () => {
    const prefixes = new VerifiedPrefixes(2);
    const rows = [row('{}', '{}')];
    for (const id of ['a', 'b']) prefixes.check(id, rows).verified();
    prefixes.check('a', rows).verified(); // read again: now the most recent
    prefixes.check('c', rows).verified();
    expect(prefixes.size()).toBe(2);
    expect(prefixes.check('a', rows).hashesVerified).toBe(1);
    expect(prefixes.check('b', rows).hashesVerified).toBe(0);
  });
});
