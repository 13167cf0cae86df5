/**
 * Folded stream states kept between commands, so a command reads only the events it has not seen
 * (readStream fromRevision) instead of the whole stream. The store stays the authority: every use
 * reads the stream's tail first, so appends by other processes or other code paths are folded in;
 * a stale expectation can still only fail the append (409), never write over anything.
 * Safe because evolve is pure: a cached state object is never mutated.
 */
export interface Folded<S> {
  state: S;
  /** Last revision folded in; -1 when the stream does not exist. */
  revision: number;
  /** Global position of the last event folded in; 0 when none. */
  position: number;
}

interface Entry {
  owner: object;
  folded: Folded<unknown>;
}

export class StateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxStreams = 10_000) {}

  /** The cached fold of `streamId` by `owner` (the decider), if any. */
  get<S>(streamId: string, owner: object): Folded<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.owner !== owner) return undefined;
    // Map order is insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry.folded as Folded<S>;
  }

  set<S>(streamId: string, owner: object, folded: Folded<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { owner, folded });
    if (this.entries.size > this.maxStreams) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
