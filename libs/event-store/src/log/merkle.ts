import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (= RFC 6962 §2.1): leaf = SHA-256(0x00 ‖ entry), node =
 * SHA-256(0x01 ‖ left ‖ right), the empty tree's root = SHA-256(""). Every hash a proof needs
 * is a complete subtree's, stored once at the index Go's golang.org/x/mod/sumdb/tlog gives it
 * (StoredHashIndex), so a root, an inclusion proof or a consistency proof is O(log n) reads of
 * stored hashes and never a scan. Sizes and indexes are plain numbers (exact below 2^53).
 */
export const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Reads stored hashes by their storage indexes, in the order asked; a missing one must throw. */
export type HashReader = (indexes: readonly number[]) => Buffer[];

const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;

/** Where the n-th hash of a level (level 0 = leaves) is stored: Go tlog's StoredHashIndex. */
export function storedHashIndex(level: number, n: number): number {
  let m = n;
  for (let l = level; l > 0; l--) m = 2 * m + 1;
  let index = 0;
  for (; m > 0; m = half(m)) index += m;
  return index + level;
}

/** How many hashes a tree of n leaves stores: Go tlog's StoredHashCount. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let count = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; odd(i); i = half(i)) count++;
  return count;
}

/**
 * The hashes to store, from storedHashIndex(0, n) on, when leaf n (0-based) with this leaf hash
 * is appended: the leaf hash and the hash of every subtree it completes. `read` must already see
 * the hashes of leaves 0..n-1.
 */
export function hashesForNewLeaf(n: number, leaf: Buffer, read: HashReader): Buffer[] {
  const hashes = [leaf];
  let completes = 0;
  for (let i = n; odd(i); i = half(i)) completes++;
  if (completes === 0) return hashes;
  const indexes: number[] = [];
  for (let i = 0; i < completes; i++) indexes.push(storedHashIndex(i, Math.floor(n / 2 ** i) - 1));
  const siblings = read(indexes);
  let hash = leaf;
  for (let i = 0; i < completes; i++) {
    hash = nodeHash(siblings[i], hash);
    hashes.push(hash);
  }
  return hashes;
}

/** The largest power of two strictly below n (n >= 2): RFC 9162's k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[lo:hi]) for a range whose start is aligned to the largest power of two <= hi - lo (true
 * of every range the RFC's recursions ask for): maximal complete subtrees from the left, each one
 * stored hash, folded from the right.
 */
export function rangeHash(lo: number, hi: number, read: HashReader): Buffer {
  if (hi <= lo) throw new RangeError(`empty range ${lo}..${hi}`);
  let largest = 1;
  while (largest * 2 <= hi - lo) largest *= 2;
  if (lo % largest !== 0) throw new RangeError(`range ${lo}..${hi} does not start on a multiple of ${largest}`);
  const indexes: number[] = [];
  for (let start = lo; start < hi;) {
    let size = 1;
    let level = 0;
    while (size * 2 <= hi - start && start % (size * 2) === 0) {
      size *= 2;
      level++;
    }
    indexes.push(storedHashIndex(level, start / size));
    start += size;
  }
  const hashes = read(indexes);
  let hash = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i], hash);
  return hash;
}

/** The root of a tree of n leaves (EMPTY_ROOT for 0). */
export function treeHash(n: number, read: HashReader): Buffer {
  return n === 0 ? EMPTY_ROOT : rangeHash(0, n, read);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the inclusion proof of leaf m in the tree of size n. */
export function inclusionProof(m: number, n: number, read: HashReader): Buffer[] {
  assertIndex(m, n);
  const proof: Buffer[] = [];
  const path = (index: number, lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = splitPoint(hi - lo);
    if (index < k) {
      path(index, lo, lo + k);
      proof.push(rangeHash(lo + k, hi, read));
    } else {
      path(index - k, lo + k, hi);
      proof.push(rangeHash(lo, lo + k, read));
    }
  };
  path(m, 0, n);
  return proof;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): the consistency proof from size m to size n ([] when m is 0 or n). */
export function consistencyProof(m: number, n: number, read: HashReader): Buffer[] {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m <= n)) {
    throw new RangeError(`a consistency proof needs 0 <= from <= to, got ${m} and ${n}`);
  }
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  const subproof = (size: number, lo: number, hi: number, complete: boolean): void => {
    if (size === hi - lo) {
      if (!complete) proof.push(rangeHash(lo, hi, read));
      return;
    }
    const k = splitPoint(hi - lo);
    if (size <= k) {
      subproof(size, lo, lo + k, complete);
      proof.push(rangeHash(lo + k, hi, read));
    } else {
      subproof(size - k, lo + k, hi, false);
      proof.push(rangeHash(lo, lo + k, read));
    }
  };
  subproof(m, 0, n, true);
  return proof;
}

/** RFC 9162 §2.1.3.2: does `proof` show the leaf at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (size2, root2) extends the tree (size1, root1)? */
export function verifyConsistency(
  size1: number,
  root1: Uint8Array,
  size2: number,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) return false;
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(fr).equals(root1) && Buffer.from(sr).equals(root2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function assertIndex(index: number, size: number): void {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) {
    throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  }
}

/**
 * A tree built leaf by leaf in memory, as a verifier streams an export: the compact range (the
 * roots of the complete subtrees so far), so the root at any size is O(log n) away and a
 * million leaves cost two million hashes and no storage.
 */
export class StreamingTree {
  private readonly stack: { hash: Buffer; size: number }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    let node = { hash: leaf, size: 1 };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop() as { hash: Buffer; size: number };
      node = { hash: nodeHash(left.hash, node.hash), size: left.size * 2 };
    }
    this.stack.push(node);
    this.count++;
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i].hash, hash);
    return hash;
  }
}

/** An in-memory store of a whole tree's hashes (tests, and a verifier that needs proofs of an export). */
export class MemoryHashStore {
  private readonly hashes: Buffer[] = [];
  private leaves = 0;

  get size(): number {
    return this.leaves;
  }

  readonly read: HashReader = (indexes) =>
    indexes.map((index) => {
      const hash = this.hashes[index] as Buffer | undefined;
      if (hash === undefined) throw new RangeError(`no stored hash at ${index}`);
      return hash;
    });

  append(leaf: Buffer): void {
    const start = storedHashIndex(0, this.leaves);
    hashesForNewLeaf(this.leaves, leaf, this.read).forEach((hash, i) => (this.hashes[start + i] = hash));
    this.leaves++;
  }
}
