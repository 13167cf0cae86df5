import { MongoServerError, type Collection, type Db, type MongoClient } from 'mongodb';
import type { Checkpoint, CheckpointValues, DocWrite, Filter, FindOptions, ReadDoc, ReadStore } from '../port';
import { applyConditionally, IDS_PER_QUERY, insertOrCollide, moveCheckpoint } from './conditional-writes';
import { addressOf, connectClient, type MongoReadStoreOptions } from './connection';
import {
  assertName,
  CHECKPOINTS,
  chunks,
  newestPerId,
  storedField,
  toMongoFilter,
  toMongoSort,
  toReadDoc,
  type StoredDoc,
} from './documents';
import { writeLocksFor, type WriteLocks } from './write-locks';

type CheckpointDoc = { _id: string; position: number };

/** The lock key of the checkpoints collection (no read model may take its name: assertName refuses it). */
const CHECKPOINT_KEY = CHECKPOINTS;

const NAMESPACE_NOT_FOUND = 26;

/**
 * The read store on a MongoDB-wire server (MongoDB 4.2+, or FerretDB 1.24 on SQLite, which the
 * integration tests run against): one collection per read model, named as the model's
 * collection, plus `_checkpoints`, in a database the store owns. Top-level fields are stored as
 * BSON fields, nested values as JSON text (see documents.ts for the layout and its tombstones).
 *
 * Idempotent by position without transactions: every write is an insert of a new id or a
 * replace conditional on the stored position (conditional-writes.ts). commit applies the writes
 * first and moves the checkpoint after, forward only: a crash in between leaves the checkpoint
 * behind documents that are already newer, and the replay from it changes none of them. Unlike
 * the SQLite store, a commit is not all-or-nothing: a failed commit may have applied some writes
 * (each one whole), and the replay converges all the same.
 *
 * Writes of one document never overlap within a process: every write takes the locks of the
 * collections it touches (write-locks.ts), shared by all stores of the process on the database,
 * because FerretDB 1.24 applies a conditional update non-atomically. Across processes that holds
 * on MongoDB only: on FerretDB run one writer (projector) per read database.
 *
 * Only commands and operators that both MongoDB and FerretDB 1.24 (SQLite backend) support are
 * used: insert, update (replacement, $max), find ($in, $exists, sort, limit, projection),
 * createIndexes (one index per call), dropIndexes, listCollections, drop, ping.
 */
export class MongoReadStore implements ReadStore {
  private readonly db: Db;
  /** Collections whose secondary indexes insertNew dropped; the next ensureIndexes builds them again. */
  private readonly loading = new Set<string>();

  private constructor(
    private readonly client: MongoClient,
    database: string,
    private readonly locks: WriteLocks,
  ) {
    this.db = client.db(database);
  }

  /** Connects and pings; an unreachable server is an error naming its address after serverSelectionTimeoutMS (default 5 s). */
  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    return new MongoReadStore(await connectClient(options), options.database, writeLocksFor(addressOf(options.uri), options.database));
  }

  /**
   * One ascending index per field, named ix_<field>; creating an index that exists is a no-op.
   * One index per call: FerretDB 1.24 panics (and drops the connection) on a createIndexes
   * naming two or more indexes that all exist already.
   */
  async ensureIndexes(collection: string, fields: string[]): Promise<void> {
    assertName('collection', collection);
    for (const field of fields) assertName('field', field);
    await this.locks.run([collection], async () => {
      for (const field of new Set(fields))
        await this.collection(collection).createIndex({ [storedField(field)]: 1 }, { name: `ix_${field}` }, undefined);
      this.loading.delete(collection);
    });
  }

  async get<T = Record<string, unknown>>(collection: string, id: string): Promise<ReadDoc<T> | null> {
    assertName('collection', collection);
    const stored = await this.collection(collection).findOne({ _id: id });
    return stored === null ? null : toReadDoc<T>(stored);
  }

  async getMany<T = Record<string, unknown>>(collection: string, ids: string[]): Promise<Map<string, ReadDoc<T>>> {
    assertName('collection', collection);
    const result = new Map<string, ReadDoc<T>>();
    for (const part of chunks([...new Set(ids)], IDS_PER_QUERY)) {
      for await (const stored of this.collection(collection).find({ _id: { $in: part } })) {
        const doc = toReadDoc<T>(stored);
        if (doc !== null) result.set(doc.id, doc);
      }
    }
    return result;
  }

  async find<T = Record<string, unknown>>(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDoc<T>[]> {
    assertName('collection', collection);
    const query = toMongoFilter(filter);
    const sort = toMongoSort(options);
    // MongoDB reads limit 0 as "no limit"; the port means none.
    const limit = options.limit === undefined ? undefined : Math.max(0, Math.floor(options.limit));
    if (query === null || limit === 0) return [];
    let cursor = this.collection(collection).find(query).sort(sort);
    if (limit !== undefined) cursor = cursor.limit(limit);
    const docs: ReadDoc<T>[] = [];
    for await (const stored of cursor) {
      const doc = toReadDoc<T>(stored);
      if (doc !== null) docs.push(doc);
    }
    return docs;
  }

  /** Writes first (conditional per document, collections in parallel), then the checkpoints. */
  async commit(writes: DocWrite[], ...checkpoints: Checkpoint[]): Promise<void> {
    const byCollection = newestPerId(writes);
    await this.locks.run(byCollection.keys(), () =>
      Promise.all([...byCollection].map(([collection, list]) => applyConditionally(this.collection(collection), list))),
    );
    if (checkpoints.length === 0) return;
    await this.locks.run([CHECKPOINT_KEY], () =>
      Promise.all(checkpoints.map(({ name, position }) => moveCheckpoint(this.checkpoints(), name, position))),
    );
  }

  /**
   * Plain unordered inserts, no position reads: insertNew's caller guarantees new ids. The
   * collection's secondary indexes are dropped at its first such insert and built again by the
   * next ensureIndexes (the projector calls it when a rebuild ends): building an index once costs
   * less than keeping it up insert by insert (about a third of the insert time on FerretDB).
   * The unique index on _id stays, so documents are final when this returns. Should an id exist
   * after all (the guarantee broken), the collection's writes of this call go through commit's
   * conditional path, which keeps what commit would: the newest position, the first among equals.
   */
  async insertNew(writes: DocWrite[]): Promise<void> {
    const byCollection = new Map<string, DocWrite[]>();
    for (const write of writes) {
      const list = byCollection.get(write.collection);
      if (list === undefined) {
        assertName('collection', write.collection);
        byCollection.set(write.collection, [write]);
      } else {
        list.push(write);
      }
    }
    await this.locks.run(byCollection.keys(), () => this.insertNewLocked(byCollection));
  }

  private async insertNewLocked(byCollection: Map<string, DocWrite[]>): Promise<void> {
    await Promise.all(
      [...byCollection].map(async ([name, list]) => {
        if (!this.loading.has(name)) {
          await dropSecondaryIndexes(this.collection(name));
          this.loading.add(name);
        }
        const collided = await insertOrCollide(this.collection(name), list);
        if (collided.length > 0) await applyConditionally(this.collection(name), newestPerId(collided).get(name) ?? []);
      }),
    );
  }

  async getCheckpoint(name: string): Promise<number> {
    const checkpoint = await this.checkpoints().findOne({ _id: name });
    return checkpoint?.position ?? 0;
  }

  async listCheckpoints(): Promise<Map<string, number>> {
    const all = await this.checkpoints().find({}).toArray();
    return new Map(all.map(({ _id, position }) => [_id, position]));
  }

  /** One write per checkpoint: a crash half-way leaves some set; callers order their steps so that setting them again completes them. */
  async setCheckpoints(values: CheckpointValues): Promise<void> {
    await this.locks.run([CHECKPOINT_KEY], () => this.setCheckpointsLocked(values));
  }

  private async setCheckpointsLocked(values: CheckpointValues): Promise<void> {
    for (const [name, position] of Object.entries(values)) {
      if (position === null) await this.checkpoints().deleteOne({ _id: name });
      else await this.checkpoints().replaceOne({ _id: name }, { position }, { upsert: true });
    }
  }

  /**
   * Checkpoints first, then renameCollection with dropTarget (one atomic step on MongoDB). FerretDB
   * 1.24 has no dropTarget (FerretDB#2565): there the old collection is dropped first and the
   * rename follows, and a reader in between finds the collection empty. A crash after the
   * checkpoints leaves the staging collection in place: replace again completes the swap.
   */
  async replaceCollection(collection: string, staging: string, checkpoints: CheckpointValues): Promise<void> {
    assertName('collection', collection);
    assertName('collection', staging);
    await this.locks.run([collection, staging, CHECKPOINT_KEY], () => this.replaceCollectionLocked(collection, staging, checkpoints));
  }

  private async replaceCollectionLocked(collection: string, staging: string, checkpoints: CheckpointValues): Promise<void> {
    await this.setCheckpointsLocked(checkpoints);
    if (!(await this.exists(staging))) return;
    try {
      await this.db.renameCollection(staging, collection, { dropTarget: true });
    } catch (error) {
      if (!(error instanceof MongoServerError) || !/dropTarget/i.test(error.message)) throw error;
      await this.dropIfExists(collection);
      await this.db.renameCollection(staging, collection);
    }
    this.loading.delete(collection);
    if (this.loading.delete(staging)) this.loading.add(collection);
  }

  async dropCollection(collection: string, checkpoints: CheckpointValues = {}): Promise<void> {
    assertName('collection', collection);
    await this.locks.run([collection, CHECKPOINT_KEY], async () => {
      await this.dropIfExists(collection);
      this.loading.delete(collection);
      await this.setCheckpointsLocked(checkpoints);
    });
  }

  /** Drops every collection of the database, checkpoints included (indexes go with them). */
  async dropAll(): Promise<void> {
    await this.locks.run([...this.locks.keys(), CHECKPOINT_KEY], () => this.dropAllLocked());
  }

  private async dropAllLocked(): Promise<void> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    const ours = collections.map(({ name }) => name).filter((name) => !name.startsWith('system.')); // the server's own
    await Promise.all(ours.map((name) => this.db.dropCollection(name)));
    this.loading.clear();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  private async dropIfExists(name: string): Promise<void> {
    try {
      await this.db.dropCollection(name);
    } catch (error) {
      if (!(error instanceof MongoServerError) || error.code !== NAMESPACE_NOT_FOUND) throw error;
    }
  }

  private collection(name: string): Collection<StoredDoc> {
    return this.db.collection<StoredDoc>(name);
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }
}

/** Drops every index but the one on _id ('*'); a collection that does not exist yet has none. */
async function dropSecondaryIndexes(collection: Collection<StoredDoc>): Promise<void> {
  try {
    await collection.dropIndexes();
  } catch (error) {
    if (!(error instanceof MongoServerError) || error.code !== NAMESPACE_NOT_FOUND) throw error;
  }
}
