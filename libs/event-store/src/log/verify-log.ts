import type { IntegrityProblem, IntegrityProblemKind } from '../verify';
import { MemoryHashStore, StreamingTree, consistencyProof, leafHash, storedHashCount, verifyConsistency } from './merkle';
import { NoteError, formatCheckpoint, hasValidSignature, parseCheckpoint, parseNote, type VerifierKey } from './note';
import { entryOf, type StoredCheckpoint } from './sqlite-log';

/** What the log check needs of each stored event, in global order (as the store holds them). */
export interface LoggedRow {
  /** Index in the caller's list of rows (the line of an export, the row of a scan). */
  index: number;
  globalPosition: number;
  eventId: string;
  hash: string;
  streamId: string | null;
  streamRevision: number | null;
}

export interface LeafRecord {
  leafIndex: number;
  globalPosition: number;
  eventId: string;
  hash: string;
}

export interface LogVerifyInput {
  rows: readonly LoggedRow[];
  /** The log's own leaves, in leaf order (absent when only an export and checkpoints are at hand). */
  leaves?: readonly LeafRecord[];
  /** The log's stored hashes, index by index (absent as above). */
  storedHashes?: readonly Buffer[];
  /** Checkpoints the store kept. */
  checkpoints: readonly Pick<StoredCheckpoint, 'size' | 'note'>[];
  /** The log's public key (or its keys, across a rotation: a checkpoint verifies with any of them); signatures are checked only when given. */
  logKey?: VerifierKey | readonly VerifierKey[];
  /** Checkpoints kept by the auditor from before (signed notes), each checked for consistency. */
  trusted?: readonly { note: string; source: string }[];
  /** Check every stored checkpoint's signature (default); false: only the latest one. */
  allSignatures?: boolean;
}

export interface LogSummary {
  treeSize: number;
  root: string;
  checkpointsChecked: number;
  latestCheckpointSize: number | null;
  trustedChecked: number;
}

/**
 * Checks the store against its Merkle log and signed checkpoints. The tree is rebuilt from the
 * events as stored (the i-th row in global order is leaf i, its entry the event's hash): every
 * signed root must come out of it, which checks every event's inclusion at once. The log's own
 * leaves name the exact event when it does not: an event the log never recorded, one recorded
 * with another hash or position, a leaf whose event is gone.
 */
export function verifyLog(input: LogVerifyInput): { problems: IntegrityProblem[]; summary: LogSummary } {
  const problems: IntegrityProblem[] = [];
  const rowProblem = (kind: IntegrityProblemKind, row: LoggedRow, message: string, leafIndex?: number) =>
    problems.push({
      kind,
      index: row.index,
      position: row.globalPosition,
      streamId: row.streamId,
      revision: row.streamRevision,
      eventId: row.eventId,
      message,
      ...(leafIndex === undefined ? {} : { leafIndex }),
    });
  const logProblem = (kind: IntegrityProblemKind, message: string, leafIndex?: number, eventId: string | null = null) =>
    problems.push({
      kind,
      index: -1,
      position: null,
      streamId: null,
      revision: null,
      eventId,
      message,
      ...(leafIndex === undefined ? {} : { leafIndex }),
    });

  if (input.leaves !== undefined) compareWithLeaves(input.rows, input.leaves, rowProblem, logProblem);
  if (input.leaves !== undefined && input.storedHashes !== undefined) compareStoredHashes(input.leaves, input.storedHashes, logProblem);

  // Parse and check the signatures of what was kept, and of what the auditor brings.
  const parsed = new Map<number, { root: Buffer; note: string }>();
  const latest = input.checkpoints.reduce((max, c) => Math.max(max, c.size), -1);
  let checked = 0;
  for (const kept of input.checkpoints) {
    const checkSignature = input.allSignatures !== false || kept.size === latest;
    const root = readCheckpoint(kept.note, kept.size, input.logKey, checkSignature, `stored checkpoint ${kept.size}`, logProblem);
    if (root !== undefined) parsed.set(kept.size, { root, note: kept.note });
    checked++;
  }
  const trusted: { size: number; root: Buffer; source: string }[] = [];
  for (const given of input.trusted ?? []) {
    const root = readCheckpoint(given.note, undefined, input.logKey, true, `trusted checkpoint ${given.source}`, logProblem);
    if (root === undefined) continue;
    const size = parseCheckpoint(parseNote(given.note).body).size;
    trusted.push({ size, root, source: given.source });
    const kept = parsed.get(size);
    if (kept !== undefined && !kept.root.equals(root)) {
      logProblem(
        'SPLIT_VIEW',
        `trusted checkpoint ${given.source} and the stored checkpoint of size ${size} are both signed but have different roots (${root.toString('base64')} and ${kept.root.toString('base64')}): two histories were shown`,
      );
    }
  }
  for (let i = 0; i < trusted.length; i++) {
    for (let j = i + 1; j < trusted.length; j++) {
      if (trusted[i].size === trusted[j].size && !trusted[i].root.equals(trusted[j].root)) {
        logProblem(
          'SPLIT_VIEW',
          `trusted checkpoints ${trusted[i].source} and ${trusted[j].source} have size ${trusted[i].size} and different roots`,
        );
      }
    }
  }

  // The tree of what the store holds, and every signed root checked against it.
  const sizes = new Set<number>([...parsed.keys(), ...trusted.map((t) => t.size)]);
  const rootsAt = new Map<number, Buffer>();
  const tree = new StreamingTree();
  const memory = trusted.length > 0 ? new MemoryHashStore() : undefined;
  if (sizes.has(0)) rootsAt.set(0, tree.root());
  for (const row of input.rows) {
    const leaf = leafHash(entryOf(row.hash));
    tree.append(leaf);
    memory?.append(leaf);
    if (sizes.has(tree.size)) rootsAt.set(tree.size, tree.root());
  }
  let rootMismatches = 0;
  for (const [size, kept] of [...parsed.entries()].sort((a, b) => a[0] - b[0])) {
    const actual = rootsAt.get(size);
    if (actual !== undefined && actual.equals(kept.root)) continue;
    rootMismatches++;
    if (rootMismatches <= 3) {
      logProblem(
        'CHECKPOINT_ROOT_MISMATCH',
        actual === undefined
          ? `checkpoint ${size} was signed but the store holds only ${tree.size} events: events were removed`
          : `checkpoint ${size}'s signed root ${kept.root.toString('base64')} is not the root ${actual.toString('base64')} of the store's first ${size} events`,
      );
    }
  }
  if (rootMismatches > 3) logProblem('CHECKPOINT_ROOT_MISMATCH', `${rootMismatches - 3} more checkpoints do not match the store either`);

  for (const t of trusted) {
    const actual = rootsAt.get(t.size);
    if (actual === undefined) {
      logProblem(
        'CHECKPOINT_INCONSISTENT',
        `trusted checkpoint ${t.source} has size ${t.size} but the store holds only ${tree.size} events: the log was cut back`,
      );
    } else if (!actual.equals(t.root)) {
      logProblem(
        'CHECKPOINT_INCONSISTENT',
        `trusted checkpoint ${t.source} (size ${t.size}, root ${t.root.toString('base64')}) is not a prefix of the store: its first ${t.size} events hash to ${actual.toString('base64')}`,
      );
    } else if (memory !== undefined && t.size > 0) {
      // What a third party does with the served proof: consistency from the trusted size to now.
      const proof = consistencyProof(t.size, tree.size, memory.read);
      if (!verifyConsistency(t.size, t.root, tree.size, tree.root(), proof)) {
        logProblem('CHECKPOINT_INCONSISTENT', `no consistency proof from trusted checkpoint ${t.source} to size ${tree.size} verifies`);
      }
    }
  }
  return {
    problems,
    summary: {
      treeSize: tree.size,
      root: tree.root().toString('base64'),
      checkpointsChecked: checked,
      latestCheckpointSize: latest < 0 ? null : latest,
      trustedChecked: trusted.length,
    },
  };
}

/** The root of a well-formed, validly signed checkpoint (signature checked when a key is given and asked for), or undefined with the problem reported. */
function readCheckpoint(
  note: string,
  expectedSize: number | undefined,
  given: VerifierKey | readonly VerifierKey[] | undefined,
  checkSignature: boolean,
  what: string,
  report: (kind: IntegrityProblemKind, message: string) => void,
): Buffer | undefined {
  try {
    const parsedNote = parseNote(note);
    const checkpoint = parseCheckpoint(parsedNote.body);
    if (expectedSize !== undefined && checkpoint.size !== expectedSize) {
      report('CHECKPOINT_SIGNATURE_INVALID', `${what} says size ${checkpoint.size}`);
      return undefined;
    }
    const keys: readonly VerifierKey[] = given === undefined ? [] : 'text' in given ? [given] : given;
    if (keys.length > 0 && !keys.some((key) => key.name === checkpoint.origin)) {
      report('CHECKPOINT_SIGNATURE_INVALID', `${what} has origin ${checkpoint.origin}, the log key is ${keys[0].name}'s`);
      return undefined;
    }
    if (keys.length > 0 && checkSignature && !keys.some((key) => hasValidSignature(parsedNote, key))) {
      report(
        'CHECKPOINT_SIGNATURE_INVALID',
        `${what} carries no valid signature of ${keys.map((k) => `${k.name}+${k.keyId.toString('hex')}`).join(' or ')}`,
      );
      return undefined;
    }
    if (formatCheckpoint(checkpoint.origin, checkpoint.size, checkpoint.root) !== parsedNote.body) {
      report('CHECKPOINT_SIGNATURE_INVALID', `${what} has lines this log does not write`);
    }
    return checkpoint.root;
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    report('CHECKPOINT_SIGNATURE_INVALID', `${what} is not a well-formed signed checkpoint: ${error.message}`);
    return undefined;
  }
}

function compareWithLeaves(
  rows: readonly LoggedRow[],
  leaves: readonly LeafRecord[],
  rowProblem: (kind: IntegrityProblemKind, row: LoggedRow, message: string, leafIndex?: number) => void,
  logProblem: (kind: IntegrityProblemKind, message: string, leafIndex?: number, eventId?: string | null) => void,
): void {
  const byEvent = new Map<string, LeafRecord>();
  leaves.forEach((leaf, i) => {
    if (leaf.leafIndex !== i) logProblem('LOG_HASH_MISMATCH', `leaf ${leaf.leafIndex} stands where leaf ${i} should`, leaf.leafIndex);
    if (i > 0 && !(leaf.globalPosition > leaves[i - 1].globalPosition)) {
      logProblem('LOG_HASH_MISMATCH', `leaf ${i} records position ${leaf.globalPosition}, not after leaf ${i - 1}'s`, i);
    }
    byEvent.set(leaf.eventId, leaf);
  });
  const seen = new Set<string>();
  for (const row of rows) {
    const leaf = byEvent.get(row.eventId);
    if (leaf === undefined) {
      rowProblem(
        'NOT_IN_LOG',
        row,
        `event ${row.eventId} at position ${row.globalPosition} is in no leaf of the log: it was not appended by the ledger`,
      );
      continue;
    }
    seen.add(row.eventId);
    if (leaf.hash !== row.hash) {
      rowProblem(
        'LOG_ENTRY_MISMATCH',
        row,
        `event ${row.eventId} has hash ${row.hash}, the log recorded ${leaf.hash} at leaf ${leaf.leafIndex}: it was rewritten`,
        leaf.leafIndex,
      );
    } else if (leaf.globalPosition !== row.globalPosition) {
      rowProblem(
        'LOG_ENTRY_MISMATCH',
        row,
        `event ${row.eventId} is at position ${row.globalPosition}, the log recorded it at ${leaf.globalPosition} (leaf ${leaf.leafIndex}): it was moved`,
        leaf.leafIndex,
      );
    }
  }
  for (const leaf of leaves) {
    if (!seen.has(leaf.eventId)) {
      logProblem(
        'LOG_ENTRY_MISSING',
        `leaf ${leaf.leafIndex} records event ${leaf.eventId} at position ${leaf.globalPosition}, which the store no longer holds`,
        leaf.leafIndex,
        leaf.eventId,
      );
    }
  }
}

function compareStoredHashes(
  leaves: readonly LeafRecord[],
  stored: readonly Buffer[],
  logProblem: (kind: IntegrityProblemKind, message: string, leafIndex?: number) => void,
): void {
  const memory = new MemoryHashStore();
  for (const leaf of leaves) memory.append(leafHash(entryOf(leaf.hash)));
  const count = storedHashCount(leaves.length);
  if (stored.length !== count)
    logProblem('LOG_HASH_MISMATCH', `the log stores ${stored.length} hashes, ${leaves.length} leaves make ${count}`);
  const expected = memory.read(Array.from({ length: Math.min(count, stored.length) }, (_, i) => i));
  let reported = 0;
  expected.forEach((hash, i) => {
    if (!hash.equals(stored[i]) && reported++ < 3) logProblem('LOG_HASH_MISMATCH', `stored hash ${i} is not the hash its leaves give`);
  });
}
