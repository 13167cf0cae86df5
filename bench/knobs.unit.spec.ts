import { intKnob, listKnob } from './knobs';

describe('bench knobs', () => {
  it('take the full size unset, the quick size with BENCH_QUICK=1, and a set value over both', () => {
    expect(intKnob('BENCH_X', 1_000_000, 2_000, {})).toBe(1_000_000);
    expect(intKnob('BENCH_X', 1_000_000, 2_000, { BENCH_QUICK: '1' })).toBe(2_000);
    expect(intKnob('BENCH_X', 1_000_000, 2_000, { BENCH_QUICK: '1', BENCH_X: '7' })).toBe(7);
    expect(listKnob('BENCH_L', [1, 10, 100], [1], { BENCH_L: '2, 20' })).toEqual([2, 20]);
  });

  it('stop the run on a value that is not a positive integer, naming the knob', () => {
    expect(() => intKnob('BENCH_X', 1, 1, { BENCH_X: '10s' })).toThrow('BENCH_X must be a positive integer, got "10s"');
    expect(() => intKnob('BENCH_X', 1, 1, { BENCH_X: '0' })).toThrow('BENCH_X');
    expect(() => listKnob('BENCH_L', [1], [1], { BENCH_L: '1,,2' })).toThrow('BENCH_L');
  });
});
