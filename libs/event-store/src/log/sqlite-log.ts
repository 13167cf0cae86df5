import type Database from 'better-sqlite3';
import { EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, nodeHash, storedHashIndex, treeHash, type HashReader } from './merkle';
import { formatCheckpoint, type CheckpointSigner } from './note';

/**
 * The log's tables, in the store's own SQLite file (the embedded default: written in the append
 * transaction) or in a file of its own (a follower of another store). Append-only like the events:
 * the triggers refuse UPDATE and DELETE from any connection.
 *
 *   log_leaves       leaf i = the i-th event in global order; its entry is the event's hash (32 bytes)
 *   log_hashes       every complete subtree's hash, at Go tlog's stored-hash index
 *   log_checkpoints  every signed checkpoint (one per commit), the C2SP note as handed out
 *   log_cosignatures witness cosignature lines received for a checkpoint
 */
export const LOG_TABLES = ['log_leaves', 'log_hashes', 'log_checkpoints', 'log_cosignatures'] as const;

export const LOG_DDL = `
CREATE TABLE IF NOT EXISTS log_leaves (
  leaf_index      INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  global_position INTEGER NOT NULL UNIQUE,
  event_id        TEXT    NOT NULL UNIQUE,
  event_hash      TEXT    NOT NULL CHECK (length(event_hash) = 64)
) STRICT;

CREATE TABLE IF NOT EXISTS log_hashes (
  hash_index INTEGER PRIMARY KEY CHECK (hash_index >= 0),
  hash       BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE IF NOT EXISTS log_checkpoints (
  tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 0),
  root      BLOB    NOT NULL CHECK (length(root) = 32),
  note      TEXT    NOT NULL,
  signed_at TEXT    NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS log_cosignatures (
  tree_size   INTEGER NOT NULL,
  cosigner    TEXT    NOT NULL,
  line        TEXT    NOT NULL,
  cosigned_at INTEGER NOT NULL,
  received_at TEXT    NOT NULL,
  PRIMARY KEY (tree_size, cosigner)
) STRICT;
${LOG_TABLES.map(
  (table) => `
CREATE TRIGGER IF NOT EXISTS ${table}_refuse_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused'); END;

CREATE TRIGGER IF NOT EXISTS ${table}_refuse_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused'); END;
`,
).join('')}`;

export interface LogEntry {
  globalPosition: number;
  eventId: string;
  /** The event's hash, 64 hex digits: its raw 32 bytes are the leaf's entry. */
  hash: string;
}

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The signed note (C2SP tlog-checkpoint), exactly as signed. */
  note: string;
  signedAt: string;
}

export interface Cosignature {
  size: number;
  cosigner: string;
  /** The signature line, with its newline, as the witness returned it. */
  line: string;
  /** The witness's timestamp (POSIX seconds). */
  cosignedAt: number;
  receivedAt: string;
}

/** The store holds rows its log did not record, or the log records rows the store lacks: nothing may be appended or signed. */
export class LogDisagreesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogDisagreesError';
  }
}

/** The entry of a leaf: the 32 bytes of the event's hash. */
export const entryOf = (eventHash: string): Buffer => Buffer.from(eventHash, 'hex');

interface LeafRow {
  leaf_index: number;
  global_position: number;
  event_id: string;
  event_hash: string;
}
interface CheckpointRow {
  tree_size: number;
  root: Buffer;
  note: string;
  signed_at: string;
}
interface CosignatureRow {
  tree_size: number;
  cosigner: string;
  line: string;
  cosigned_at: number;
  received_at: string;
}

/**
 * What the one writer keeps in memory between appends: the size, the first and last leaves'
 * positions and the frontier (the hashes of the complete subtrees on the tree's right edge, largest
 * first), so an append writes its leaf and the subtrees it completes, and the new root, with no read.
 */
export interface WriterState {
  size: number;
  firstPosition: number | null;
  lastPosition: number | null;
  frontier: { hash: Buffer; size: number }[];
}

/** The Merkle log over one SQLite database. Synchronous: appends run inside the caller's transaction. */
export class SqliteMerkleLog {
  private readonly statements;
  readonly read: HashReader;
  /** The writer's state as of the last commit (undefined: read it from the file when next needed). */
  private committed: WriterState | undefined;
  /** The state an append in an open transaction has produced: becomes `committed` once it commits. */
  private pending: WriterState | undefined;

  constructor(private readonly db: Database.Database) {
    const s = {
      lastLeaf: db.prepare<[], LeafRow>('SELECT * FROM log_leaves ORDER BY leaf_index DESC LIMIT 1'),
      firstLeaf: db.prepare<[], LeafRow>('SELECT * FROM log_leaves ORDER BY leaf_index LIMIT 1'),
      leaf: db.prepare<[number], LeafRow>('SELECT * FROM log_leaves WHERE leaf_index = ?'),
      leafOfEvent: db.prepare<[string], LeafRow>('SELECT * FROM log_leaves WHERE event_id = ?'),
      leaves: db.prepare<[number, number], LeafRow>(
        'SELECT * FROM log_leaves WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index',
      ),
      insertLeaf: db.prepare('INSERT INTO log_leaves (leaf_index, global_position, event_id, event_hash) VALUES (?, ?, ?, ?)'),
      hash: db.prepare<[number], { hash: Buffer }>('SELECT hash FROM log_hashes WHERE hash_index = ?'),
      hashes: db.prepare<[number, number], { hash: Buffer }>(
        'SELECT hash FROM log_hashes WHERE hash_index >= ? AND hash_index <= ? ORDER BY hash_index',
      ),
      insertHash: db.prepare('INSERT INTO log_hashes (hash_index, hash) VALUES (?, ?)'),
      checkpoint: db.prepare<[number], CheckpointRow>('SELECT * FROM log_checkpoints WHERE tree_size = ?'),
      latestCheckpoint: db.prepare<[], CheckpointRow>('SELECT * FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1'),
      checkpointsFrom: db.prepare<[number, number], CheckpointRow>(
        'SELECT * FROM log_checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT ?',
      ),
      insertCheckpoint: db.prepare('INSERT INTO log_checkpoints (tree_size, root, note, signed_at) VALUES (?, ?, ?, ?)'),
      cosignatures: db.prepare<[number], CosignatureRow>('SELECT * FROM log_cosignatures WHERE tree_size = ? ORDER BY cosigner'),
      insertCosignature: db.prepare(
        'INSERT OR IGNORE INTO log_cosignatures (tree_size, cosigner, line, cosigned_at, received_at) VALUES (?, ?, ?, ?, ?)',
      ),
      leafAtOrBefore: db.prepare<[number], { leaf_index: number }>(
        'SELECT leaf_index FROM log_leaves WHERE global_position <= ? ORDER BY global_position DESC LIMIT 1',
      ),
      checkpointAtOrBelow: db.prepare<[number], CheckpointRow>(
        'SELECT * FROM log_checkpoints WHERE tree_size <= ? ORDER BY tree_size DESC LIMIT 1',
      ),
      latestQuorum: db.prepare<[number], { tree_size: number }>(
        'SELECT tree_size FROM log_cosignatures GROUP BY tree_size HAVING COUNT(*) >= ? ORDER BY tree_size DESC LIMIT 1',
      ),
      latestCosigned: db.prepare<[string], { tree_size: number }>(
        'SELECT MAX(tree_size) AS tree_size FROM log_cosignatures WHERE cosigner = ?',
      ),
    };
    this.statements = s;
    this.read = (indexes) =>
      indexes.map((index) => {
        const row = s.hash.get(index);
        if (row === undefined) throw new LogDisagreesError(`the log has no stored hash at index ${index}`);
        return row.hash;
      });
  }

  /** Number of leaves. */
  size(): number {
    const last = this.statements.lastLeaf.get();
    return last === undefined ? 0 : last.leaf_index + 1;
  }

  lastLeaf(): { leafIndex: number; globalPosition: number } | undefined {
    const row = this.statements.lastLeaf.get();
    return row === undefined ? undefined : { leafIndex: row.leaf_index, globalPosition: row.global_position };
  }

  firstLeafPosition(): number | undefined {
    return this.statements.firstLeaf.get()?.global_position;
  }

  /** The writer's view: the pending state inside an append's transaction, else the committed one (read once from the file). */
  writerState(): WriterState {
    if (this.pending !== undefined) return this.pending;
    this.committed ??= this.loadWriterState();
    return this.committed;
  }

  /** The append's transaction committed: its state is the log's. */
  commitPending(): void {
    if (this.pending !== undefined) this.committed = this.pending;
    this.pending = undefined;
  }

  /** The append's transaction rolled back: forget its state, and read the file again when next needed. */
  discardPending(): void {
    this.pending = undefined;
    this.committed = undefined;
  }

  private loadWriterState(): WriterState {
    const size = this.size();
    const frontier: WriterState['frontier'] = [];
    for (let start = 0, rest = size; rest > 0;) {
      let block = 1;
      let level = 0;
      while (block * 2 <= rest) {
        block *= 2;
        level++;
      }
      frontier.push({ hash: this.read([storedHashIndex(level, start / block)])[0], size: block });
      start += block;
      rest -= block;
    }
    return { size, firstPosition: this.firstLeafPosition() ?? null, lastPosition: this.lastLeaf()?.globalPosition ?? null, frontier };
  }

  /**
   * Appends leaves for these events (in global order) and the hashes they complete, from the
   * in-memory frontier (no read). Call inside a transaction, then commitPending or discardPending.
   */
  append(entries: readonly LogEntry[]): number {
    const state = this.writerState();
    const frontier = [...state.frontier];
    let { size, firstPosition, lastPosition } = state;
    for (const entry of entries) {
      this.statements.insertLeaf.run(size, entry.globalPosition, entry.eventId, entry.hash);
      let node = { hash: leafHash(entryOf(entry.hash)), size: 1 };
      let index = storedHashIndex(0, size);
      this.statements.insertHash.run(index, node.hash);
      // Each subtree the leaf completes is stored right after it (Go tlog's order).
      while (frontier.length > 0 && frontier[frontier.length - 1].size === node.size) {
        const left = frontier.pop() as { hash: Buffer; size: number };
        node = { hash: nodeHash(left.hash, node.hash), size: node.size * 2 };
        this.statements.insertHash.run(++index, node.hash);
      }
      frontier.push(node);
      firstPosition ??= entry.globalPosition;
      lastPosition = entry.globalPosition;
      size++;
    }
    this.pending = { size, firstPosition, lastPosition, frontier };
    return size;
  }

  /** The root of the writer's tree, from the frontier: what the next checkpoint is signed on. */
  writerRoot(): Buffer {
    const { frontier } = this.writerState();
    if (frontier.length === 0) return EMPTY_ROOT;
    let hash = frontier[frontier.length - 1].hash;
    for (let i = frontier.length - 2; i >= 0; i--) hash = nodeHash(frontier[i].hash, hash);
    return hash;
  }

  /** Signs and stores the checkpoint of the writer's current size. Call inside the append's transaction. */
  signCheckpoint(signer: CheckpointSigner, signedAt: string): StoredCheckpoint {
    const { size } = this.writerState();
    const root = this.writerRoot();
    const note = signer.signNote(formatCheckpoint(signer.name, size, root));
    this.statements.insertCheckpoint.run(size, root, note, signedAt);
    return { size, root, note, signedAt };
  }

  root(size: number): Buffer {
    this.assertSize(size);
    return treeHash(size, this.read);
  }

  leaf(index: number): (LogEntry & { leafIndex: number }) | undefined {
    const row = this.statements.leaf.get(index);
    return row === undefined ? undefined : toEntry(row);
  }

  leafOfEvent(eventId: string): (LogEntry & { leafIndex: number }) | undefined {
    const row = this.statements.leafOfEvent.get(eventId);
    return row === undefined ? undefined : toEntry(row);
  }

  /** Leaves [from, to) in order. */
  leaves(from: number, to: number): (LogEntry & { leafIndex: number })[] {
    return this.statements.leaves.all(from, to).map(toEntry);
  }

  inclusionProof(index: number, size: number): Buffer[] {
    this.assertSize(size);
    return inclusionProof(index, size, this.read);
  }

  consistencyProof(from: number, to: number): Buffer[] {
    this.assertSize(to);
    return consistencyProof(from, to, this.read);
  }

  /** The hashes of C2SP tile level `level`, index `index`, `width` wide (1..256), or undefined when the tree is not that large. */
  tile(level: number, index: number, width: number): Buffer | undefined {
    const height = 8 * level;
    const first = index * 256;
    const needed = (first + width) * 2 ** height;
    if (needed > this.size()) return undefined;
    const hashes: Buffer[] = [];
    for (let i = 0; i < width; i++) hashes.push(this.read([storedHashIndex(height, first + i)])[0]);
    return Buffer.concat(hashes);
  }

  checkpoint(size: number): StoredCheckpoint | undefined {
    const row = this.statements.checkpoint.get(size);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    const row = this.statements.latestCheckpoint.get();
    return row === undefined ? undefined : toCheckpoint(row);
  }

  /** Checkpoints with a size above `after`, in size order. */
  checkpointsAfter(after: number, limit: number): StoredCheckpoint[] {
    return this.statements.checkpointsFrom.all(after, limit).map(toCheckpoint);
  }

  cosignatures(size: number): Cosignature[] {
    return this.statements.cosignatures.all(size).map((row) => ({
      size: row.tree_size,
      cosigner: row.cosigner,
      line: row.line,
      cosignedAt: row.cosigned_at,
      receivedAt: row.received_at,
    }));
  }

  addCosignature(cosignature: Cosignature): void {
    this.statements.insertCosignature.run(
      cosignature.size,
      cosignature.cosigner,
      cosignature.line,
      cosignature.cosignedAt,
      cosignature.receivedAt,
    );
  }

  /** The latest checkpoint whose tree holds no event after `position` (what a follower that reached `position` can vouch for). */
  checkpointCovering(position: number): StoredCheckpoint | undefined {
    const leaf = this.statements.leafAtOrBefore.get(position);
    if (leaf === undefined) return undefined;
    const row = this.statements.checkpointAtOrBelow.get(leaf.leaf_index + 1);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  /** The latest checkpoint with at least `quorum` cosignatures (the latest signed one for a quorum of 0). */
  latestWithCosignatures(quorum: number): StoredCheckpoint | undefined {
    if (quorum <= 0) return this.latestCheckpoint();
    const row = this.statements.latestQuorum.get(quorum);
    return row === undefined ? undefined : this.checkpoint(row.tree_size);
  }

  /** The largest size this cosigner has cosigned (0 when none). */
  latestCosignedSize(cosigner: string): number {
    return this.statements.latestCosigned.get(cosigner)?.tree_size ?? 0;
  }

  private assertSize(size: number): void {
    const current = this.size();
    if (!(Number.isSafeInteger(size) && size >= 0 && size <= current)) {
      throw new RangeError(`tree size ${size} is not in 0..${current}`);
    }
  }
}

const toEntry = (row: LeafRow) => ({
  leafIndex: row.leaf_index,
  globalPosition: row.global_position,
  eventId: row.event_id,
  hash: row.event_hash,
});
const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  size: row.tree_size,
  root: row.root,
  note: row.note,
  signedAt: row.signed_at,
});

/** Everything the log keeps, read whole (the verifiers); undefined when the file has no log tables. */
export function readLogTables(
  db: Database.Database,
  options: { storedHashes?: boolean } = {},
): { leaves: (LogEntry & { leafIndex: number })[]; storedHashes?: Buffer[]; checkpoints: StoredCheckpoint[] } | undefined {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'log_%'").all();
  const present = new Set(tables.map((t) => t.name));
  if (!LOG_TABLES.every((table) => present.has(table))) return undefined;
  return {
    leaves: db.prepare<[], LeafRow>('SELECT * FROM log_leaves ORDER BY leaf_index').all().map(toEntry),
    ...(options.storedHashes !== false && {
      storedHashes: denseHashes(
        db.prepare<[], { hash_index: number; hash: Buffer }>('SELECT hash_index, hash FROM log_hashes ORDER BY hash_index').all(),
      ),
    }),
    checkpoints: db.prepare<[], CheckpointRow>('SELECT * FROM log_checkpoints ORDER BY tree_size').all().map(toCheckpoint),
  };
}

/** Stored hashes by index; a missing index reads as 32 zero bytes, which no real hash is, so the comparison names it. */
function denseHashes(rows: { hash_index: number; hash: Buffer }[]): Buffer[] {
  const hashes: Buffer[] = [];
  for (const row of rows) {
    while (hashes.length < row.hash_index) hashes.push(Buffer.alloc(32));
    hashes.push(row.hash);
  }
  return hashes;
}
