import { MongoBulkWriteError, MongoServerError, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import type { DocWrite } from '../port';
import { chunks, toStored, type StoredDoc } from './documents';

/** Ids per `$in` query: keeps each query document small, whatever the caller asks for. */
export const IDS_PER_QUERY = 5_000;

/** Rounds of "read positions, insert the absent" before giving up on a collection that keeps changing under us. */
const MAX_ROUNDS = 5;

const DUPLICATE_KEY = 11000;

/**
 * Applies writes to one collection, each only if its position is newer than the stored one,
 * without transactions. Every write either inserts (no document with that id yet) or replaces
 * conditionally ({_id, _pos: {$lt: position}}), so applying the same writes again, in any
 * order, by any number of writers, ends in the same documents.
 *
 * Why not one bulk of `replaceOne(..., {upsert: true})` and duplicate-key errors read as "a newer
 * version exists": FerretDB 1.24 stops an `update` command at its first write error even when it
 * is unordered, and reports that error at the wrong index, so the writes after it are silently
 * not applied. Instead the stored positions are read first (one indexed `$in` query): absent ids
 * are inserted (an unordered insert does go on past a duplicate, on both servers), older ones
 * replaced with the position in the filter, newer or equal ones skipped. An insert that meets a
 * duplicate (a concurrent writer got there first) sends its writes round again.
 *
 * `writes`: one per id (see newestPerId).
 */
export async function applyConditionally(collection: Collection<StoredDoc>, writes: readonly DocWrite[]): Promise<void> {
  let pending = writes;
  for (let round = 1; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) {
      throw new Error(`${collection.collectionName}: ${pending.length} writes still met duplicates after ${MAX_ROUNDS} rounds`);
    }
    const stored = await storedPositions(
      collection,
      pending.map((w) => w.id),
    );
    const inserts: DocWrite[] = [];
    const replaces: AnyBulkWriteOperation<StoredDoc>[] = [];
    for (const write of pending) {
      const position = stored.get(write.id);
      if (position === undefined) inserts.push(write);
      else if (position < write.position) replaces.push(conditionalReplace(write));
    }
    if (replaces.length > 0) await collection.bulkWrite(replaces, { ordered: false });
    pending = await insertOrCollide(collection, inserts);
  }
}

/**
 * Inserts documents whose ids are expected to be new (unordered: one duplicate does not stop the
 * others). Returns the writes that met a duplicate key, for the caller to decide conditionally;
 * any other error is thrown.
 */
export async function insertOrCollide(collection: Collection<StoredDoc>, writes: readonly DocWrite[]): Promise<DocWrite[]> {
  if (writes.length === 0) return [];
  try {
    await collection.insertMany(writes.map(toStored), { ordered: false });
    return [];
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failed = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (failed.length === 0 || failed.some((e: { code?: unknown }) => e.code !== DUPLICATE_KEY)) throw error;
    // Every write of the batch goes round again, not only the reported indexes: a re-read
    // position tells which were stored, whatever the server's error report got wrong.
    return [...writes];
  }
}

function conditionalReplace(write: DocWrite): AnyBulkWriteOperation<StoredDoc> {
  const { _id, ...replacement } = toStored(write);
  return { replaceOne: { filter: { _id, _pos: { $lt: write.position } }, replacement } };
}

async function storedPositions(collection: Collection<StoredDoc>, ids: readonly string[]): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  for (const part of chunks(ids, IDS_PER_QUERY)) {
    const cursor = collection.find({ _id: { $in: part } }, { projection: { _pos: 1 } });
    for await (const doc of cursor) positions.set(doc._id, doc._pos);
  }
  return positions;
}

/** Moves a checkpoint forward only ($max); a duplicate key from a racing first upsert is retried as a plain update. */
export async function moveCheckpoint(
  checkpoints: Collection<{ _id: string; position: number }>,
  name: string,
  position: number,
): Promise<void> {
  try {
    await checkpoints.updateOne({ _id: name }, { $max: { position } }, { upsert: true });
  } catch (error) {
    if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
    await checkpoints.updateOne({ _id: name }, { $max: { position } });
  }
}
