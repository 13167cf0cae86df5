/**
 * First-come, first-served locks by name, for the writes of a MongoReadStore: a task waits for
 * every earlier task that named one of its keys, then runs; tasks with no key in common run side
 * by side. A task's keys are all taken at once when it is queued, so tasks never wait on each
 * other in a cycle.
 *
 * Why: FerretDB 1.24 does not apply a conditional update atomically (it finds the documents that
 * match the filter, then writes them by _id: FerretDB/FerretDB#3040), so two writes of one
 * document in flight at once can leave the older one stored, and `$max` on a checkpoint can move
 * it back. On MongoDB the filter holds atomically and this only orders what would converge anyway.
 */
export class WriteLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    const names = [...new Set(keys)];
    const before = names.map((name) => this.tails.get(name)).filter((p): p is Promise<void> => p !== undefined);
    let done: () => void = () => undefined;
    const tail = new Promise<void>((resolve) => (done = resolve));
    for (const name of names) this.tails.set(name, tail);
    try {
      await Promise.all(before);
      return await task();
    } finally {
      done();
      for (const name of names) if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }

  /** Every key with a task queued or running (dropAll waits for all of them). */
  keys(): string[] {
    return [...this.tails.keys()];
  }
}

const shared = new Map<string, WriteLocks>();

/** One set of locks per database per process: every store of this process on that database shares it. */
export function writeLocksFor(address: string, database: string): WriteLocks {
  const key = `${address}\u0000${database}`;
  let locks = shared.get(key);
  if (locks === undefined) {
    locks = new WriteLocks();
    shared.set(key, locks);
  }
  return locks;
}
