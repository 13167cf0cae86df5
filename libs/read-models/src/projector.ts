import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Link, type Span, type SpanContext } from '@opentelemetry/api';
import type { EventStore, StoredEvent, Subscription } from '@ledger/event-store';
import { BackgroundBuild, buildTarget, type BuildTarget } from './background-build';
import type { Checkpoint, ReadStore } from './port';
import { PositionWaiters } from './position-waiters';
import { compile, projectBatch, type CompiledProjection } from './project-batch';
import type { AnyProjection } from './projection';
import { migrateSharedCheckpoint, planStart, stagingCollection, stateNames, versionOf } from './projection-state';

export interface ProjectorOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projections: readonly AnyProjection[];
  /**
   * The projector's name: its progress checkpoint, and the prefix of each projection's own
   * (projection-state.ts). Default read-models, the name of the single checkpoint that all read
   * models shared before: a store that has only that one is migrated at start, without a rebuild.
   */
  name?: string;
  /** Events per live batch (the subscription's batch size). Default 500. */
  batchSize?: number;
  /**
   * After a live batch smaller than batchSize, wait this long before reading the next one, so
   * that events arriving meanwhile share one commit (one read-store transaction instead of one
   * per event under load). The first event after a quiet spell is still projected at once.
   * Default 5 ms; 0 turns it off.
   */
  liveBatchDelayMs?: number;
  /** Events per page a rebuild (a background one too) reads. Default 1 000: small pages die young (cheap garbage collection). */
  rebuildPageSize?: number;
  /**
   * How many updatable documents a rebuild keeps in memory between pages before it writes them
   * out (with the checkpoint) and reads them back when needed. Default 20 000.
   */
  rebuildMaxHeldDocs?: number;
  logger?: (message: string) => void;
  /**
   * The span that appended an event, when this process knows it (the api's in-process projector:
   * libs/observability appendedTraces). Each live batch's span `ledger.projector.batch` is then a
   * child of the one command its events came from, or linked to each of several.
   */
  traceContextOf?: (event: StoredEvent) => SpanContext | undefined;
}

/** A rebuild reads the history in pages; updatable documents are held across pages (RebuildBuffer). */
const REBUILD_PAGE = 1_000;
const REBUILD_MAX_HELD_DOCS = 20_000;
const LIVE_BATCH = 500;
const LIVE_BATCH_DELAY_MS = 5;

/** A projection that serves and follows the live events from its own checkpoint. */
interface Lane {
  compiled: CompiledProjection;
  checkpoint: string;
  position: number;
}

/** The background rebuild in flight: `done` settles once it has swapped in, stopped or failed. */
interface RunningBuild {
  run: BackgroundBuild;
  done: Promise<void>;
  stopping: boolean;
  /** Caught up and being swapped in: readers may see either version from here on. */
  swapping: boolean;
}

/**
 * Keeps the read models up to date. Each projection has its own checkpoint and version
 * (projection-state.ts): those whose stored version is the code's follow the event store live,
 * through one subscription, each batch's writes and every lane's checkpoint in one commit. A
 * projection that is new, or whose version changed, is rebuilt alone in the background (one
 * pass over the history for all such projections), into a staging collection while the previous
 * version keeps serving reads; once it has caught up, it is swapped in under the live batches'
 * lock (so no live batch falls between its catch-up and the swap), and follows live from there.
 * Projections that did not change are not touched. Delivery is at-least-once; documents remember
 * their position, so a replayed event changes nothing. start/stop/rebuild are serialised.
 */
export class Projector {
  private readonly name: string;
  private readonly waiters = new PositionWaiters();
  private readonly log: (message: string) => void;
  private subscription: Subscription | null = null;
  private lanes: Lane[] = [];
  /** Every event up to here was delivered to the lanes (the subscription's last batch). */
  private livePosition = 0;
  private build: RunningBuild | null = null;
  private buildFailed = false;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private liveLock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProjectorOptions) {
    this.name = options.name ?? 'read-models';
    this.log = options.logger ?? (() => undefined);
  }

  /**
   * Migrates a shared checkpoint, plans each projection (serving, changed, new), follows the store
   * live and starts the background rebuild of the changed and new ones. Returns once following,
   * not once the rebuild is done (`settled()`). No-op if running, unless a background rebuild
   * failed: then it starts again from the checkpoints.
   */
  start(): Promise<void> {
    return this.serialised(async () => {
      if (this.subscription !== null && !this.buildFailed) return;
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.serialised(() => this.stopNow());
  }

  /**
   * The read models' progress: the lowest position among the projections that serve and follow,
   * and the new ones building in place (nothing else serves them). A changed projection whose
   * previous fold is not in the code serves as of its last position while its new version
   * builds; it does not hold readers back (they would wait for the whole rebuild).
   */
  position(): number {
    const positions = this.lanes.map((lane) => lane.position);
    const build = this.build;
    if (build !== null) for (const target of build.run.targets) if (target.isNew) positions.push(build.run.flushedPosition);
    return positions.length === 0 ? this.livePosition : Math.min(...positions);
  }

  /** true as soon as every serving projection has applied `position`; false after timeoutMs. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.position(), position, timeoutMs);
  }

  /** Each projection: its version in the code, and whether it serves or is being rebuilt. */
  status(): Array<{ projection: string; version: number; state: 'serving' | 'building' | 'swapping'; position: number }> {
    const building = this.build?.run.targets ?? [];
    return [
      ...this.lanes
        .filter((lane) => !building.some((t) => t.projection.name === lane.compiled.projection.name))
        .map((lane) => ({
          projection: lane.compiled.projection.name,
          version: versionOf(lane.compiled.projection),
          state: 'serving' as const,
          position: lane.position,
        })),
      ...building.map((t) => ({
        projection: t.projection.name,
        version: versionOf(t.projection),
        state: this.build?.swapping === true ? ('swapping' as const) : ('building' as const),
        position: this.build?.run.position() ?? 0,
      })),
    ];
  }

  /** Settles once the background rebuild in flight (if any) has swapped in, stopped or failed; rejects with its error. */
  settled(): Promise<void> {
    return this.build?.done ?? Promise.resolve();
  }

  /**
   * Drops every read model and replays the whole history up to the current head in pages (not
   * through the live subscription), holding updatable documents in memory so that each is
   * written about once; live appends meanwhile are caught up before it returns, following live
   * from there. Every projection is new after the drop: the background rebuild, awaited.
   */
  rebuild(): Promise<{ events: number; ms: number }> {
    return this.serialised(async () => {
      const started = performance.now();
      await this.stopNow();
      const { readStore, projections } = this.options;
      await readStore.dropAll();
      // Indexes before the first write, as they were (a store may fill its index columns as it writes).
      for (const { collection, indexes } of projections) await readStore.ensureIndexes(collection, indexes ?? []);
      await this.startNow();
      const build = this.build;
      if (build !== null) await build.done;
      const events = build?.run.events ?? 0;
      const ms = Math.round(performance.now() - started);
      this.log(`projector ${this.name}: rebuilt ${events} events in ${ms} ms`);
      return { events, ms };
    });
  }

  private async startNow(): Promise<void> {
    const { readStore, eventStore, projections } = this.options;
    let stored = await readStore.listCheckpoints();
    const migrated = await migrateSharedCheckpoint(readStore, this.name, projections, stored);
    if (migrated !== null) {
      await readStore.setCheckpoints(migrated);
      this.log(`projector ${this.name}: shared checkpoint taken over by ${Object.keys(migrated).length / 2} projections`);
      stored = await readStore.listCheckpoints();
    }
    const plan = planStart(this.name, projections, stored);
    for (const { collection, checkpoints } of plan.abandoned) await readStore.dropCollection(collection, checkpoints);
    const lanes: Lane[] = [];
    const targets: Array<{ target: BuildTarget; from: number }> = [];
    for (const entry of plan.projections) {
      const { projection } = entry;
      const names = stateNames(this.name, projection.name);
      if (entry.kind === 'serving') {
        // A swap that a crash interrupted (MongoDB: checkpoints set, collection not yet renamed) completes here.
        await readStore.replaceCollection(projection.collection, stagingCollection(projection.collection, versionOf(projection)), {});
        lanes.push(await this.lane(projection, names.serving, entry.position));
      } else if (entry.kind === 'changed') {
        if (entry.previous !== undefined) lanes.push(await this.lane(entry.previous, names.serving, stored.get(names.serving) ?? 0));
        targets.push({ target: buildTarget(this.name, projection, false, false), from: entry.position });
        this.log(`projector ${this.name}: ${projection.name} v${entry.from} serves while v${versionOf(projection)} is rebuilt`);
      } else {
        const inPlace = await this.buildsInPlace(projection, stored.has(names.building(versionOf(projection))));
        targets.push({ target: buildTarget(this.name, projection, inPlace, inPlace), from: entry.position });
      }
    }
    this.lanes = lanes;
    this.livePosition = lanes.length === 0 ? await eventStore.headPosition() : Math.min(...lanes.map((lane) => lane.position));
    this.buildFailed = false;
    if (targets.length > 0) this.launch(targets);
    await readStore.setCheckpoints({ [this.name]: this.position() });
    this.waiters.reached(this.position());
    this.follow();
  }

  /**
   * A new projection builds in its own collection when that is empty, or when an earlier attempt
   * did so (it has a build checkpoint and nothing in staging); leftovers in its collection (from
   * a projection of that name removed and listed again) send it to staging and a swap.
   */
  private async buildsInPlace(projection: AnyProjection, resumed: boolean): Promise<boolean> {
    const isEmpty = async (collection: string) => (await this.options.readStore.find(collection, {}, { limit: 1 })).length === 0;
    if (await isEmpty(projection.collection)) return true;
    return resumed && (await isEmpty(stagingCollection(projection.collection, versionOf(projection))));
  }

  private async lane(projection: AnyProjection, checkpoint: string, position: number): Promise<Lane> {
    await this.options.readStore.ensureIndexes(projection.collection, projection.indexes ?? []);
    return { compiled: compile([projection])[0], checkpoint, position };
  }

  private follow(): void {
    const { eventStore, batchSize = LIVE_BATCH } = this.options;
    const subscription = eventStore.subscribe({
      fromPosition: this.livePosition,
      batchSize,
      handler: (events) => this.apply(events),
      onError: (error) => {
        this.log(`projector ${this.name}: stopped at position ${this.position()}: ${error.message}`);
        if (this.subscription === subscription) this.subscription = null;
      },
    });
    this.subscription = subscription;
    this.log(`projector ${this.name}: following from position ${this.livePosition}`);
  }

  private launch(list: ReadonlyArray<{ target: BuildTarget; from: number }>): void {
    const { eventStore, readStore, rebuildPageSize = REBUILD_PAGE, rebuildMaxHeldDocs = REBUILD_MAX_HELD_DOCS } = this.options;
    const from = Math.min(...list.map((t) => t.from));
    const run = new BackgroundBuild(
      eventStore,
      readStore,
      list.map((t) => t.target),
      from,
      { pageSize: rebuildPageSize, maxHeldDocs: rebuildMaxHeldDocs },
    );
    const build: RunningBuild = { run, done: Promise.resolve(), stopping: false, swapping: false };
    const names = run.targets.map((t) => `${t.projection.name} v${versionOf(t.projection)}`).join(', ');
    this.log(`projector ${this.name}: rebuilding ${names} from position ${from} in the background`);
    build.done = this.runBuild(build).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`projector ${this.name}: rebuild of ${names} stopped at position ${run.flushedPosition}: ${message}`);
      if (this.build === build) this.buildFailed = true;
      throw error;
    });
    build.done.catch(() => undefined); // reported above; rebuild() and settled() rethrow it to their callers
    this.build = build;
  }

  /** Pages until near the head, yielding to the event loop between pages, then the swap under the live lock. */
  private async runBuild(build: RunningBuild): Promise<void> {
    const { run } = build;
    const pageSize = this.options.rebuildPageSize ?? REBUILD_PAGE;
    await run.prepare();
    for (;;) {
      if (build.stopping) return run.flush(); // resumes from there at the next start
      const head = await this.options.eventStore.headPosition();
      if (head - run.position() <= pageSize) break;
      const before = run.flushedPosition;
      await run.step(head);
      if (run.flushedPosition !== before) await this.progressed();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.underLiveLock(() => this.swapIn(build));
  }

  /** Catches up to the live batches' position, then swaps each target in and makes it a lane. Under the live lock. */
  private async swapIn(build: RunningBuild): Promise<void> {
    if (build.stopping) return build.run.flush();
    const { run } = build;
    build.swapping = true;
    while (await run.step(this.livePosition));
    await run.finish();
    const position = Math.max(run.position(), this.livePosition);
    const { readStore } = this.options;
    for (const target of run.targets) {
      const { projection } = target;
      const names = stateNames(this.name, projection.name);
      const checkpoints = { [names.serving]: position, [names.version]: versionOf(projection), [target.checkpoint]: null };
      if (target.staging.collection === projection.collection) await readStore.setCheckpoints(checkpoints);
      else await readStore.replaceCollection(projection.collection, target.staging.collection, checkpoints);
      this.lanes = this.lanes.filter((lane) => lane.compiled.projection.name !== projection.name);
      this.lanes.push({ compiled: compile([projection])[0], checkpoint: names.serving, position });
      this.log(`projector ${this.name}: ${projection.name} v${versionOf(projection)} swapped in at position ${position}`);
    }
    this.build = null;
    await this.progressed();
  }

  /** Records the progress checkpoint (forward only) and releases the waiters it reached. */
  private async progressed(): Promise<void> {
    const position = this.position();
    await this.options.readStore.commit([], { name: this.name, position });
    this.waiters.reached(position);
  }

  private async stopNow(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription !== null) await subscription.close();
    const build = this.build;
    if (build !== null) {
      build.stopping = true;
      await build.done.catch(() => undefined);
      this.build = null;
    }
  }

  /** One batch: all document writes and the checkpoints in one commit, in a span `ledger.projector.batch`. */
  private async apply(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const contextOf = this.options.traceContextOf;
    const { parent, links } = batchTraceContext(contextOf === undefined ? [] : events.map(contextOf));
    const attributes = {
      'ledger.projection': this.name,
      'ledger.events.count': events.length,
      'ledger.position.first': events[0].globalPosition,
      'ledger.position.last': events[events.length - 1].globalPosition,
    };
    await trace
      .getTracer('@ledger/read-models')
      .startActiveSpan('ledger.projector.batch', { attributes, links }, parent, async (span: Span) => {
        try {
          await this.underLiveLock(() => this.applyNow(events));
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    const delay = this.options.liveBatchDelayMs ?? LIVE_BATCH_DELAY_MS;
    if (delay > 0 && events.length < (this.options.batchSize ?? LIVE_BATCH)) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** Each lane folds the events after its own position; one commit moves every lane's checkpoint and the progress. */
  private async applyNow(events: StoredEvent[]): Promise<void> {
    const { readStore } = this.options;
    const last = events[events.length - 1].globalPosition;
    const writes = [];
    for (const lane of this.lanes) {
      const fresh = events[0].globalPosition > lane.position ? events : events.filter((e) => e.globalPosition > lane.position);
      if (fresh.length > 0) writes.push(...(await projectBatch(readStore, [lane.compiled], fresh)));
    }
    const moved: Checkpoint[] = this.lanes.map((lane) => ({ name: lane.checkpoint, position: last }));
    // A redelivered older batch must not move a position back (checkpoints do not either).
    const positions = this.lanes.map((lane) => Math.max(lane.position, last));
    this.livePosition = Math.max(this.livePosition, last);
    const progress = Math.min(this.livePosition, ...positions, ...this.buildingInPlace());
    await readStore.commit(writes, ...moved, { name: this.name, position: progress });
    this.lanes.forEach((lane, i) => (lane.position = positions[i]));
    this.waiters.reached(this.position());
  }

  private buildingInPlace(): number[] {
    const build = this.build;
    return build === null ? [] : build.run.targets.filter((t) => t.isNew).map(() => build.run.flushedPosition);
  }

  private underLiveLock<T>(step: () => Promise<T>): Promise<T> {
    const next = this.liveLock.then(step);
    this.liveLock = next.catch(() => undefined);
    return next;
  }

  private serialised<T>(step: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }
}

/**
 * Under the one command a batch's known events came from (parent), or a new trace linked to each of
 * several; a new trace without links when none is known (the same rule as libs/observability's
 * batchTraceContext, which this lib may not import).
 */
function batchTraceContext(contexts: readonly (SpanContext | undefined)[]): { parent: Context; links: Link[] } {
  const distinct = new Map<string, SpanContext>();
  for (const span of contexts) if (span !== undefined) distinct.set(`${span.traceId}-${span.spanId}`, span);
  const links = [...distinct.values()].map((span) => ({ context: span }));
  return { parent: links.length === 1 ? trace.setSpanContext(ROOT_CONTEXT, links[0].context) : ROOT_CONTEXT, links };
}
