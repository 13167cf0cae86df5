import type { EventStore } from '@ledger/event-store';
import type { ReadStore } from './port';
import { compile, type CompiledProjection } from './project-batch';
import type { AnyProjection } from './projection';
import { stagingCollection, stateNames, versionOf } from './projection-state';
import { RebuildBuffer } from './rebuild-buffer';

/** One projection a build makes: its code, the staging collection its documents go to, the checkpoint of its progress. */
export interface BuildTarget {
  projection: AnyProjection;
  /** The projection with `collection` set to the staging collection: what the build folds with. */
  staging: AnyProjection;
  checkpoint: string;
  /** No previous version serves it: readers wait for it (it counts in the progress). */
  isNew: boolean;
}

/**
 * A changed projection builds into its staging collection beside the serving one. A new one with
 * an empty collection builds in place (`inPlace`): nothing else serves it, so what it has
 * written is already what readers should see.
 */
export function buildTarget(projector: string, projection: AnyProjection, isNew: boolean, inPlace: boolean): BuildTarget {
  const version = versionOf(projection);
  return {
    projection,
    staging: inPlace ? projection : { ...projection, collection: stagingCollection(projection.collection, version) },
    checkpoint: stateNames(projector, projection.name).building(version),
    isNew,
  };
}

export interface BuildSettings {
  pageSize: number;
  maxHeldDocs: number;
}

/**
 * Several projections rebuilt in one pass over the history: each page is read once and folded
 * into every target's staging collection (reading is a large share of a rebuild: once per
 * projection would multiply it). Flushes write the held documents with every target's checkpoint,
 * so a build stopped or crashed resumes from there; the serving collections are never touched.
 */
export class BackgroundBuild {
  private readonly compiled: CompiledProjection[];
  private readonly buffer: RebuildBuffer;
  private reached: number;
  private unflushed = false;
  /** Events folded since this build began. */
  events = 0;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly targets: readonly BuildTarget[],
    from: number,
    private readonly settings: BuildSettings,
  ) {
    this.compiled = compile(targets.map((t) => t.staging));
    this.buffer = new RebuildBuffer(readStore, this.compiled, settings.maxHeldDocs);
    this.reached = from;
    this.flushedPosition = from;
  }

  /** The position every target has folded (flushed or held). */
  position(): number {
    return this.reached;
  }

  /** The position written out with the targets' checkpoints. */
  flushedPosition: number;

  /** Indexes on the staging collections before the first write (a store may fill index columns as it writes). */
  async prepare(): Promise<void> {
    for (const { staging } of this.targets) await this.readStore.ensureIndexes(staging.collection, staging.indexes ?? []);
  }

  /** Folds the next page up to `until`; false when there is nothing more to read before it. */
  async step(until: number): Promise<boolean> {
    if (this.reached >= until) return false;
    const page = await this.eventStore.readAll({ fromPosition: this.reached, limit: this.settings.pageSize });
    const upTo = page.filter((e) => e.globalPosition <= until);
    if (upTo.length === 0) return false;
    await this.buffer.apply(upTo);
    this.events += upTo.length;
    this.reached = upTo[upTo.length - 1].globalPosition;
    this.unflushed = true;
    if (this.buffer.full()) await this.flush();
    return true;
  }

  /** Writes out what is held, with every target's checkpoint at the position reached. */
  async flush(): Promise<void> {
    if (!this.unflushed) return;
    const position = this.reached;
    await this.buffer.flush(...this.targets.map(({ checkpoint }) => ({ name: checkpoint, position })));
    this.unflushed = false;
    this.flushedPosition = position;
  }

  /** Before a swap: the staging collections' indexes as their projection declares them (insertNew may have left them out). */
  async finish(): Promise<void> {
    await this.flush();
    for (const { staging } of this.targets) await this.readStore.ensureIndexes(staging.collection, staging.indexes ?? []);
  }
}
