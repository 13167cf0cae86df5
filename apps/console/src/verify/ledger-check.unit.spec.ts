import fc from 'fast-check';
// The ledger's own JCS, itself checked against the canonicalize package (canonical-json.int.spec.ts).
import { canonicalJson as ledgerCanonicalJson } from '../../../../libs/event-store/src/canonical-json';
import { concat, fromBase64, fromHex, sha256, toBase64, toHex, utf8 } from './bytes';
import { canonicalJson } from './jcs';
import { checkLedgerRead, eventHash, type LedgerEvent, type ReadProof } from './ledger-check';
import { leafHash, verifyInclusion } from './merkle';
import { hasValidSignature, parseCheckpoint, parseVerifierKey } from './note';

// The worked examples of docs/ledger-format.md, checked with the browser's code on Node's WebCrypto.
const EXAMPLE: LedgerEvent = {
  eventId: '6f1c2a3e-9b7d-4c11-8e2f-0a1b2c3d4e5f',
  streamId: 'appraisal-2026-199001012015031001',
  streamRevision: 0,
  globalPosition: 1,
  type: 'PlanSubmitted',
  schemaVersion: 1,
  data: {},
  metadata: {
    actorId: '199001012015031001',
    actorRole: 'PEGAWAI',
    occurredAt: '2026-01-20T02:15:00.000Z',
    correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    causationId: 'c0ffee00-0000-4000-8000-000000000001',
  },
  prevHash: '0'.repeat(64),
  hash: '538fbb7614e78aa297c71cddfdea3f1a2a5048c2ad566b59cb60a89f67dedf73',
};
const H1 = '5e7a3a5d7e58f2d8c9511998d3151932107244f5ed9594f9450fa54276d49b7c';
const VKEY = 'ledger.example/log+7cc83a9d+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c';
const NOTE =
  'ledger.example/log\n2\nOc0+xO54LtHYaoa+VvrNC7ktgZ88iKoBo9euBEzZaMQ=\n\n' +
  '\u2014 ledger.example/log fMg6nVaC+xamVmgJrL+09/94ISPebljsv7em4wVUHBidBjBYdLmg7lmgm4zQtcqMdhtJ8VmVhkho8PIkelCMV6CGvAQ=\n';

describe('the browser verifier on the worked examples of docs/ledger-format.md', () => {
  it('hashes the example event to its documented hash', async () => {
    await expect(eventHash(EXAMPLE)).resolves.toBe(EXAMPLE.hash);
    await expect(eventHash({ ...EXAMPLE, data: { x: 1 } })).resolves.not.toBe(EXAMPLE.hash);
  });

  it('writes JCS exactly as the ledger does', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === ledgerCanonicalJson(value)));
    expect(canonicalJson({ b: [1, 'é', null], a: { d: 1e21, c: 0.1 } })).toBe('{"a":{"c":0.1,"d":1e+21},"b":[1,"é",null]}');
  });

  it('proves each leaf of the two-leaf tree into its root, and nothing else', async () => {
    const root = parseCheckpoint(NOTE).root;
    const l0 = await leafHash(fromHex(EXAMPLE.hash));
    const l1 = await leafHash(fromHex(H1));
    expect(toHex(l0)).toBe('53ad9e7d9a145dbe20bdb6f59aa328c3008158ab9b1bd742cef164c8737a6801');
    await expect(verifyInclusion(0, 2, l0, [l1], root)).resolves.toBe(true);
    await expect(verifyInclusion(1, 2, l1, [l0], root)).resolves.toBe(true);
    await expect(verifyInclusion(1, 2, l0, [l1], root)).resolves.toBe(false);
    await expect(verifyInclusion(0, 3, l0, [l1], root)).resolves.toBe(false);
    await expect(verifyInclusion(0, 2, l0, [], root)).resolves.toBe(false);
  });

  it('verifies the example checkpoint with its verifier key (Ed25519 in WebCrypto), and refuses an edited one', async () => {
    const key = await parseVerifierKey(VKEY);
    await expect(hasValidSignature(parseCheckpoint(NOTE), key)).resolves.toBe(true);
    await expect(hasValidSignature(parseCheckpoint(NOTE.replace('\n2\n', '\n3\n')), key)).resolves.toBe(false);
    await expect(parseVerifierKey(VKEY.replace('7cc83a9d', '7cc83a9e'))).rejects.toThrow('key id');
  });
});

/** A small ledger signed with a fresh Ed25519 key: what /history?proof=true answers. */
async function signedLedger(n: number) {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const origin = 'test.example/log';
  const keyId = (await sha256(utf8(origin), Uint8Array.of(0x0a, 0x01), publicKey)).slice(0, 4);
  const vkey = `${origin}+${toHex(keyId)}+${toBase64(concat(Uint8Array.of(1), publicKey))}`;
  const events: LedgerEvent[] = [];
  for (let i = 0; i < n; i++) {
    const event = {
      ...EXAMPLE,
      eventId: `e-${i}`,
      streamRevision: i,
      globalPosition: i + 1,
      data: { i },
      prevHash: i === 0 ? '0'.repeat(64) : events[i - 1].hash,
    };
    events.push({ ...event, hash: await eventHash(event) });
  }
  // Three leaves: root = node(node(l0, l1), l2); proofs leaf upwards.
  const leaves = await Promise.all(events.map((e) => leafHash(fromHex(e.hash))));
  const node = (a: Uint8Array, b: Uint8Array) => sha256(Uint8Array.of(1), a, b);
  const n01 = await node(leaves[0], leaves[1]);
  const root = await node(n01, leaves[2]);
  const body = `${origin}\n3\n${toBase64(root)}\n`;
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, utf8(body)));
  const proof: ReadProof = {
    checkpoint: `${body}\n\u2014 ${origin} ${toBase64(concat(keyId, signature))}\n\u2014 witness.example/w1 ${toBase64(new Uint8Array(76))}\n`,
    treeSize: 3,
    root: toBase64(root),
    verifierKey: vkey,
    published: true,
    inclusions: [
      { eventId: 'e-0', leafIndex: 0, hashes: [toBase64(leaves[1]), toBase64(leaves[2])] },
      { eventId: 'e-1', leafIndex: 1, hashes: [toBase64(leaves[0]), toBase64(leaves[2])] },
      { eventId: 'e-2', leafIndex: 2, hashes: [toBase64(n01)] },
    ],
  };
  return { events, proof, vkey };
}

describe('checkLedgerRead', () => {
  it('finds an intact read intact: chain, signature, every inclusion; lists the cosigners', async () => {
    const { events, proof, vkey } = await signedLedger(3);
    await expect(checkLedgerRead(events, proof, vkey)).resolves.toEqual({
      ok: true,
      eventsChecked: 3,
      treeSize: 3,
      origin: 'test.example/log',
      cosigners: ['witness.example/w1'],
      problems: [],
    });
  });

  it('names the edited event, the broken link, a proof that does not fit, and a foreign key', async () => {
    const { events, proof, vkey } = await signedLedger(3);
    const edited = events.map((e, i) => (i === 1 ? { ...e, data: { i: 99 } } : e));
    expect((await checkLedgerRead(edited, proof, vkey)).problems).toEqual([{ kind: 'HASH_MISMATCH', revision: 1, eventId: 'e-1' }]);

    const relinked = events.map((e, i) => (i === 2 ? { ...e, prevHash: 'f'.repeat(64) } : e));
    const relinkedKinds = (await checkLedgerRead(relinked, proof, vkey)).problems.map((p) => p.kind);
    expect(relinkedKinds).toEqual(['HASH_MISMATCH', 'BROKEN_LINK']);

    // A rewritten event with its hash recomputed passes the chain but not the signed tree.
    const rewritten = { ...events[2], data: { i: 7 } };
    const recomputed = [events[0], events[1], { ...rewritten, hash: await eventHash(rewritten) }];
    expect((await checkLedgerRead(recomputed, proof, vkey)).problems).toEqual([{ kind: 'INCLUSION_INVALID', revision: 2, eventId: 'e-2' }]);

    const other = await signedLedger(3);
    const foreign = await checkLedgerRead(events, proof, other.vkey);
    expect(foreign.ok).toBe(false);
    expect(foreign.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['KEY_MISMATCH', 'SIGNATURE_INVALID']));

    const notIncluded = {
      ...proof,
      inclusions: proof.inclusions.map((p) => (p.eventId === 'e-0' ? { ...p, leafIndex: null, hashes: [] } : p)),
    };
    expect((await checkLedgerRead(events, notIncluded, vkey)).problems).toEqual([{ kind: 'NOT_INCLUDED', revision: 0, eventId: 'e-0' }]);
    expect((await checkLedgerRead(events, { ...proof, checkpoint: 'garbage' }, vkey)).problems).toEqual([{ kind: 'CHECKPOINT_MALFORMED' }]);
    expect(fromBase64(proof.root)).toHaveLength(32);
  });
});
