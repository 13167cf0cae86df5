import { WriteLocks, writeLocksFor } from './write-locks';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A task that records when it starts and ends, and ends when told. */
function gated(log: string[], name: string) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    task: async () => {
      log.push(`${name}+`);
      await gate;
      log.push(`${name}-`);
      return name;
    },
  };
}

describe('WriteLocks', () => {
  it('runs tasks that share a key one at a time, in the order they came', async () => {
    const locks = new WriteLocks();
    const log: string[] = [];
    const [a, b, c] = [gated(log, 'a'), gated(log, 'b'), gated(log, 'c')];
    const running = [locks.run(['x'], a.task), locks.run(['x'], b.task), locks.run(['x'], c.task)];
    await tick();
    expect(log).toEqual(['a+']);
    c.open();
    b.open();
    await tick();
    expect(log).toEqual(['a+']);
    a.open();
    expect(await Promise.all(running)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(locks.keys()).toEqual([]);
  });

  it('runs tasks with no key in common side by side, and one naming two keys waits for both', async () => {
    const locks = new WriteLocks();
    const log: string[] = [];
    const [a, b, both] = [gated(log, 'a'), gated(log, 'b'), gated(log, 'ab')];
    const running = [locks.run(['x'], a.task), locks.run(['y'], b.task), locks.run(['y', 'x'], both.task)];
    await tick();
    expect(log).toEqual(['a+', 'b+']);
    both.open();
    a.open();
    await tick();
    expect(log).toEqual(['a+', 'b+', 'a-']);
    b.open();
    await Promise.all(running);
    expect(log).toEqual(['a+', 'b+', 'a-', 'b-', 'ab+', 'ab-']);
  });

  it('a task that throws releases its keys, and its caller gets the error', async () => {
    const locks = new WriteLocks();
    const failed = locks.run(['x'], () => Promise.reject(new Error('disk')));
    const next = locks.run(['x'], () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('disk');
    await expect(next).resolves.toBe('next');
    expect(locks.keys()).toEqual([]);
  });

  it('one set of locks per server and database in a process', () => {
    expect(writeLocksFor('h:1', 'a')).toBe(writeLocksFor('h:1', 'a'));
    expect(writeLocksFor('h:1', 'a')).not.toBe(writeLocksFor('h:1', 'b'));
    expect(writeLocksFor('h:1', 'a')).not.toBe(writeLocksFor('h:2', 'a'));
  });
});
