import type { AnyProjection } from './projection';
import { planStart, stagingCollection, stateNames } from './projection-state';

const projection = (name: string, version?: number): AnyProjection => ({
  name,
  collection: name,
  ...(version !== undefined && { version }),
  handles: [],
  idsOf: () => [],
  evolve: () => null,
});

describe('planStart: each projection from its stored checkpoints', () => {
  const names = (p: string) => stateNames('read-models', p);

  it('serves a projection whose stored version is the code’s; a missing version is 1', () => {
    const stored = new Map([
      [names('a').serving, 40],
      [names('a').version, 1],
    ]);
    const a = projection('a');
    expect(planStart('read-models', [a], stored).projections).toEqual([{ kind: 'serving', projection: a, position: 40 }]);
  });

  it('rebuilds a changed one from its build checkpoint, with the previous fold when the code still lists it', () => {
    const stored = new Map([
      [names('a').serving, 40],
      [names('a').version, 1],
      [names('a').building(2), 17],
    ]);
    const [v1, v2] = [projection('a', 1), projection('a', 2)];
    expect(planStart('read-models', [v2], stored).projections).toEqual([
      { kind: 'changed', projection: v2, from: 1, position: 17, previous: undefined },
    ]);
    expect(planStart('read-models', [v1, v2], stored).projections).toEqual([
      { kind: 'changed', projection: v2, from: 1, position: 17, previous: v1 },
    ]);
    // Back to version 1 (a rollback) is a change too.
    expect(planStart('read-models', [projection('a', 1)], new Map([[names('a').version, 2]])).projections[0]).toMatchObject({
      kind: 'changed',
      from: 2,
      position: 0,
    });
  });

  it('catches up a new one from zero, or from where an earlier attempt stopped', () => {
    const b = projection('b');
    expect(planStart('read-models', [b], new Map()).projections).toEqual([{ kind: 'new', projection: b, position: 0 }]);
    expect(planStart('read-models', [projection('b')], new Map([[names('b').building(1), 9]])).projections[0]).toMatchObject({
      kind: 'new',
      position: 9,
    });
  });

  it('drops the staging collection of a version the code no longer builds, and only that', () => {
    const stored = new Map([
      [names('a').version, 1],
      [names('a').building(2), 17],
      [names('a').building(3), 5],
      [names('ab').building(2), 4], // another projection whose name starts alike
    ]);
    expect(planStart('read-models', [projection('a', 3), projection('ab')], stored).abandoned).toEqual([
      { collection: stagingCollection('a', 2), checkpoints: { [names('a').building(2)]: null } },
      { collection: stagingCollection('ab', 2), checkpoints: { [names('ab').building(2)]: null } },
    ]);
  });

  it('refuses two listings of one version, and versions of one name in different collections', () => {
    expect(() => planStart('read-models', [projection('a'), projection('a', 1)], new Map())).toThrow('listed twice with version 1');
    expect(() => planStart('read-models', [projection('a', 1), { ...projection('a', 2), collection: 'other' }], new Map())).toThrow(
      'same collection',
    );
  });
});
