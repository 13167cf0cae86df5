import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { canonicalJson } from './canonical-json';
import { newEvent } from './testing/events';

// canonical-json.ts re-implements canonicalize@4 because neither Jest nor our CommonJS build can
// load that ESM-only package. Node itself can, natively: this asks the package for its answers.
const root = resolve(__dirname, '../../..');
const viaPackage = (values: unknown[]): string[] => {
  const script = `
    import canonicalize from 'canonicalize';
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(input).map((v) => canonicalize(v)))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, input: JSON.stringify(values) });
  return JSON.parse(out.toString()) as string[];
};

describe('canonicalJson agrees with the canonicalize package', () => {
  it('on values an event can hold', () => {
    const values: unknown[] = [
      {
        ...newEvent({ data: { results: [{ id: 'r1', target: { value: 12.5, unit: 'dokumen' } }], note: 'Ünïcødé ✓ 🎉' } }),
        streamRevision: 3,
      },
      { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7, B: 8, a: 9, aa: 10, '': 11 },
      // Literals as an auditor's tool writes them: some spell more digits than a double keeps, which is the point.
      // eslint-disable-next-line no-loss-of-precision
      [0, -1, 0.1, 0.2 + 0.3, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, 333333333.33333329, 2 ** 53],
      ['\u0000\u001f\u007f', '"\\/', '\u2028\u2029', 'tab\tnew\nline'],
      { nested: [[[]], {}, [{ z: null, y: false, x: true }]] },
      'just a string',
      null,
    ];
    expect(values.map((value) => canonicalJson(value))).toEqual(viaPackage(values));
  });
});
