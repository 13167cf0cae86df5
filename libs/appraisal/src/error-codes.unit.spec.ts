import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, fail } from './error-codes';

/** The catalogue is what the API docs publish, so it must match what the code throws and tests. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
const all = files(__dirname);
const read = (predicate: (f: string) => boolean) =>
  all
    .filter(predicate)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
const production = read((f) => !f.endsWith('.spec.ts') && !f.endsWith('error-codes.ts') && !f.includes('/testing/'));
const specs = read((f) => f.endsWith('.spec.ts') && !f.endsWith('error-codes.unit.spec.ts'));
const codes = Object.keys(ERROR_CODES);

describe('ERROR_CODES', () => {
  it('are UPPER_SNAKE_CASE with a kind and a description', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'ILLEGAL_STATE']).toContain(entry.kind);
      expect(entry.description.trim()).not.toBe('');
    }
  });

  it('are each thrown somewhere (no dead entries in the published list)', () => {
    expect(codes.filter((code) => !production.includes(`'${code}'`))).toEqual([]);
  });

  it('are each exercised by a spec (every refusal has one)', () => {
    expect(codes.filter((code) => !specs.includes(`'${code}'`))).toEqual([]);
  });

  it('fail() takes the kind from the catalogue', () => {
    const error = fail('RATING_CHANGED_SINCE_CHECK', { period: 'TAHUNAN' });
    expect({ kind: error.kind, code: error.code, details: error.details }).toEqual({
      kind: 'CONFLICT',
      code: 'RATING_CHANGED_SINCE_CHECK',
      details: { period: 'TAHUNAN' },
    });
  });
});
