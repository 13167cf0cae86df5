import type { CheckpointValues, ReadStore } from './port';
import type { AnyProjection } from './projection';

/**
 * Where a projector keeps each projection's state, as named checkpoints beside the read models
 * (the read-store port's only state besides documents), all under the projector's name N:
 *   N                     the read models' progress: what a reader waiting for a position waits on
 *                         (CheckpointWatcher, in another process) — the lowest position among the
 *                         projections that serve and follow, and the new ones still catching up
 *   N/<projection>        the position the serving version has applied
 *   N/<projection>#version  the version that serves (a number, like any checkpoint)
 *   N/<projection>@v<k>   a background rebuild of version k: the position it has reached, its
 *                         documents in the staging collection `<collection>__v<k>`
 */
export const stateNames = (projector: string, projection: string) => ({
  serving: `${projector}/${projection}`,
  version: `${projector}/${projection}#version`,
  building: (version: number) => `${projector}/${projection}@v${version}`,
});

export const stagingCollection = (collection: string, version: number): string => `${collection}__v${version}`;

export const versionOf = (projection: AnyProjection): number => projection.version ?? 1;

/** One projection as the projector found it at start. */
export type ProjectionPlan =
  | { kind: 'serving'; projection: AnyProjection; position: number }
  /** A new version is built beside the one that serves; `previous` is its fold when the code still lists it, so that it keeps following. */
  | { kind: 'changed'; projection: AnyProjection; from: number; position: number; previous: AnyProjection | undefined }
  /** Never served here: it catches up from its own position (0 at first) while the others follow live. */
  | { kind: 'new'; projection: AnyProjection; position: number };

export interface StartPlan {
  projections: ProjectionPlan[];
  /** Staging collections of versions the code no longer has, with their checkpoints: dropped at start. */
  abandoned: Array<{ collection: string; checkpoints: CheckpointValues }>;
}

/**
 * The projections by name, each with the version the code builds (the highest listed) and the
 * lower versions still listed (a previous fold kept for one release, so that it keeps following
 * while the new version builds).
 */
function byName(projections: readonly AnyProjection[]): Map<string, AnyProjection[]> {
  const groups = new Map<string, AnyProjection[]>();
  for (const projection of projections) {
    const group = groups.get(projection.name) ?? [];
    if (group.some((p) => versionOf(p) === versionOf(projection))) {
      throw new Error(`projection ${projection.name} is listed twice with version ${versionOf(projection)}`);
    }
    if (group.length > 0 && group[0].collection !== projection.collection) {
      throw new Error(`projection ${projection.name}: every listed version must use the same collection`);
    }
    group.push(projection);
    groups.set(
      projection.name,
      group.sort((a, b) => versionOf(b) - versionOf(a)),
    );
  }
  return groups;
}

/** What to do with each projection, from the stored checkpoints. */
export function planStart(projector: string, projections: readonly AnyProjection[], stored: ReadonlyMap<string, number>): StartPlan {
  const plan: StartPlan = { projections: [], abandoned: [] };
  for (const [name, [target, ...older]] of byName(projections)) {
    const names = stateNames(projector, name);
    const version = versionOf(target);
    const servingVersion = stored.get(names.version);
    const building = stored.get(names.building(version)) ?? 0;
    for (const [checkpoint] of stored) {
      const other = checkpoint.startsWith(`${names.serving}@v`) ? Number(checkpoint.slice(names.serving.length + 2)) : NaN;
      if (Number.isInteger(other) && other !== version) {
        plan.abandoned.push({ collection: stagingCollection(target.collection, other), checkpoints: { [checkpoint]: null } });
      }
    }
    if (servingVersion === version) {
      plan.projections.push({ kind: 'serving', projection: target, position: stored.get(names.serving) ?? 0 });
    } else if (servingVersion === undefined) {
      plan.projections.push({ kind: 'new', projection: target, position: building });
    } else {
      const previous = older.find((p) => versionOf(p) === servingVersion);
      plan.projections.push({ kind: 'changed', projection: target, from: servingVersion, position: building, previous });
    }
  }
  return plan;
}

/**
 * An existing deployment's single shared checkpoint N (before each projection had its own): the
 * projections that were there take it over, without a rebuild. Which were there is told by their
 * documents: version 1 (every projection before versions existed) and a non-empty collection. A
 * projection without documents is taken as new and caught up alone: a wasted pass over the
 * history if it only never had an event, never a projection left empty. Nothing to do when any
 * per-projection state exists already.
 */
export async function migrateSharedCheckpoint(
  readStore: ReadStore,
  projector: string,
  projections: readonly AnyProjection[],
  stored: ReadonlyMap<string, number>,
): Promise<CheckpointValues | null> {
  const shared = stored.get(projector);
  if (shared === undefined || [...stored.keys()].some((name) => name.startsWith(`${projector}/`))) return null;
  const values: CheckpointValues = {};
  for (const [name, [target]] of byName(projections)) {
    if (versionOf(target) !== 1) continue;
    if ((await readStore.find(target.collection, {}, { limit: 1 })).length === 0) continue;
    const names = stateNames(projector, name);
    values[names.serving] = shared;
    values[names.version] = 1;
  }
  return values;
}
