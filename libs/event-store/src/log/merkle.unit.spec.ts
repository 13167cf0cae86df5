import * as fc from 'fast-check';
import {
  EMPTY_ROOT,
  MemoryHashStore,
  StreamingTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  splitPoint,
  storedHashCount,
  storedHashIndex,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/** RFC 9162 §2.1.1 MTH, PATH and PROOF written out literally over an array: the reference the stored-hash code must agree with. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [mth(leaves)];
  const k = splitPoint(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
function storeOf(leaves: Buffer[]): MemoryHashStore {
  const store = new MemoryHashStore();
  for (const leaf of leaves) store.append(leaf);
  return store;
}
const hex = (b: Buffer) => b.toString('hex');

describe('the Merkle tree (RFC 9162 §2.1)', () => {
  // The RFC 6962 reference inputs used by the Go and C++ CT code bases, with their published roots.
  const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('gives the published roots of the RFC 6962 reference tree, stored and streamed', () => {
    const leaves = inputs.map((input) => leafHash(Buffer.from(input, 'hex')));
    const store = new MemoryHashStore();
    const streaming = new StreamingTree();
    leaves.forEach((leaf, i) => {
      store.append(leaf);
      streaming.append(leaf);
      expect(hex(treeHash(i + 1, store.read))).toBe(roots[i]);
      expect(hex(streaming.root())).toBe(roots[i]);
    });
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('stores hashes where Go tlog does', () => {
    // golang.org/x/mod/sumdb/tlog: StoredHashIndex(0, n) for n = 0..7 and StoredHashCount.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => storedHashIndex(0, n))).toEqual([0, 1, 3, 4, 7, 8, 10, 11]);
    expect(storedHashIndex(1, 0)).toBe(2);
    expect(storedHashIndex(2, 0)).toBe(6);
    expect(storedHashIndex(3, 0)).toBe(14);
    expect([1, 2, 3, 4, 8].map(storedHashCount)).toEqual([1, 3, 4, 7, 15]);
  });

  it('agrees with the literal RFC definitions for every tree size, leaf and pair of sizes up to 70', () => {
    const all = leavesOf(70);
    const store = storeOf(all);
    for (let n = 1; n <= all.length; n++) {
      const leaves = all.slice(0, n);
      const root = mth(leaves);
      expect(hex(treeHash(n, store.read))).toBe(hex(root));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, store.read);
        expect(proof.map(hex)).toEqual(path(m, leaves).map(hex));
        expect(verifyInclusion(m, n, leaves[m], proof, root)).toBe(true);
      }
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(m, n, store.read);
        expect(proof.map(hex)).toEqual(subproof(m, leaves, true).map(hex));
        expect(verifyConsistency(m, mth(all.slice(0, m)), n, root, proof)).toBe(true);
      }
    }
  });

  it('refuses any proof that was changed: a flipped byte, a hash dropped or added, another index or size', () => {
    const all = leavesOf(300);
    const store = storeOf(all);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (n, a, b, c) => {
        const m = a % n;
        const root = treeHash(n, store.read);
        const proof = inclusionProof(m, n, store.read);
        if (proof.length > 0) {
          const flipped = proof.map((h) => Buffer.from(h));
          flipped[b % proof.length][c % HASH] ^= 1 << (c % 8);
          expect(verifyInclusion(m, n, all[m], flipped, root)).toBe(false);
          expect(verifyInclusion(m, n, all[m], proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(m, n, all[m], [...proof, all[0]], root)).toBe(false);
        expect(verifyInclusion((m + 1) % n, n, all[m], proof, root)).toBe(false);
        expect(verifyInclusion(m, n, all[(m + 1) % n], proof, root)).toBe(false);

        const size1 = 1 + (b % (n - 1));
        const root1 = treeHash(size1, store.read);
        const consistency = consistencyProof(size1, n, store.read);
        expect(verifyConsistency(size1, root1, n, root, consistency)).toBe(true);
        const bent = consistency.map((h) => Buffer.from(h));
        bent[c % bent.length][a % HASH] ^= 1;
        expect(verifyConsistency(size1, root1, n, root, bent)).toBe(false);
        expect(verifyConsistency(size1, treeHash(n, store.read), n, root, consistency)).toBe(size1 === n);
        expect(verifyConsistency(size1, root1, n, root, consistency.slice(0, -1))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('treats equal sizes and the empty tree as the RFC does', () => {
    const store = storeOf(leavesOf(5));
    const root = treeHash(5, store.read);
    expect(consistencyProof(5, 5, store.read)).toEqual([]);
    expect(verifyConsistency(5, root, 5, root, [])).toBe(true);
    expect(verifyConsistency(5, root, 5, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(0, EMPTY_ROOT, 5, root, [])).toBe(true);
    expect(verifyConsistency(6, root, 5, root, [])).toBe(false);
    expect(() => inclusionProof(5, 5, store.read)).toThrow(RangeError);
    expect(() => consistencyProof(6, 5, store.read)).toThrow(RangeError);
  });
});

const HASH = 32;
