import type { StoredEvent } from '@ledger/event-store';
import type { Checkpoint, DocWrite, ReadStore } from './port';
import { fold, folding, insertWrites, touchedBy, writeOf, type CompiledProjection, type Folding } from './project-batch';

/**
 * Write-behind for a rebuild, into collections just emptied (or new staging ones). Live, every batch reads the
 * documents it touches and writes them back; a replay of the whole history would rewrite a busy
 * document once per page. Here the documents of updatable projections stay in memory across
 * pages and are written once, together with the checkpoint, at flush(): at the end of the
 * replay, or earlier when `maxHeld` documents are held (then later pages read back what they
 * need, as live does). Insert-only projections go to the store page by page (insertNew: their
 * ids are new) without the checkpoint: a crash before the flush leaves the checkpoint behind
 * them, and replaying their events changes nothing.
 */
export class RebuildBuffer {
  private readonly held: Array<Map<string, Folding>>;
  private heldCount = 0;

  constructor(
    private readonly readStore: ReadStore,
    private readonly projections: readonly CompiledProjection[],
    private readonly maxHeld: number,
  ) {
    this.held = projections.map(() => new Map<string, Folding>());
  }

  /** Folds one page of history, in order after the previous one. */
  async apply(events: readonly StoredEvent[]): Promise<void> {
    const inserts: DocWrite[] = [];
    for (let i = 0; i < this.projections.length; i++) {
      const compiled = this.projections[i];
      if (compiled.projection.insertOnly === true) insertWrites(compiled, events, inserts);
      else await this.foldHeld(compiled, this.held[i], events);
    }
    if (inserts.length === 0) return;
    // insertNew's guarantee holds: the collections started empty, and each entry is made by exactly
    // one event. A rebuild resumed after a crash may insert entries again: insertNew converges then too.
    if (this.readStore.insertNew !== undefined) await this.readStore.insertNew(inserts);
    else await this.readStore.commit(inserts);
  }

  /** true once the held documents should be written out before the next page. */
  full(): boolean {
    return this.heldCount >= this.maxHeld;
  }

  /** Writes every changed held document and moves the checkpoints, in one commit; then holds nothing. */
  async flush(...checkpoints: Checkpoint[]): Promise<void> {
    const writes: DocWrite[] = [];
    this.projections.forEach(({ projection }, i) => {
      for (const [id, state] of this.held[i]) {
        const write = writeOf(projection.collection, id, state);
        if (write !== null) writes.push(write);
      }
      this.held[i].clear();
    });
    this.heldCount = 0;
    await this.readStore.commit(writes, ...checkpoints);
  }

  private async foldHeld(compiled: CompiledProjection, held: Map<string, Folding>, events: readonly StoredEvent[]): Promise<void> {
    const touched = touchedBy(compiled, events);
    const missing = [...touched.keys()].filter((id) => !held.has(id));
    if (missing.length > 0) {
      // Empty right after dropAll; after an early flush it returns what was written out.
      const stored = await this.readStore.getMany<unknown>(compiled.projection.collection, missing);
      for (const id of missing) held.set(id, folding(stored.get(id)));
      this.heldCount += missing.length;
    }
    for (const [id, list] of touched) {
      const state = held.get(id);
      if (state !== undefined) fold(compiled.projection, state, list);
    }
  }
}
