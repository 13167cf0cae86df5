import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALG_COSIGNATURE_V1,
  NoteError,
  NoteSigner,
  encodeVerifierKey,
  formatCheckpoint,
  hasValidSignature,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  validCosignatureTime,
} from './note';
import { EMPTY_ROOT, leafHash, nodeHash } from './merkle';

describe('signed notes (C2SP signed-note, golang.org/x/mod/sumdb/note)', () => {
  // The example of the Go note package's documentation: its key pair and the signed note it prints.
  const skey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const body = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const signed = `${body}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it('signs exactly as the Go note package does', () => {
    const signer = NoteSigner.fromKey(skey);
    expect(signer.verifierKey).toBe(vkey);
    expect(signer.signNote(body)).toBe(signed);
    expect(hasValidSignature(parseNote(signed), parseVerifierKey(vkey))).toBe(true);
  });

  it('refuses an edited body, another key, and a malformed note', () => {
    const key = parseVerifierKey(vkey);
    expect(hasValidSignature(parseNote(signed.replace('answer', 'answers')), key)).toBe(false);
    const other = NoteSigner.fromKey(NoteSigner.generateKey('PeterNeumann'));
    expect(hasValidSignature(parseNote(other.signNote(body)), key)).toBe(false);
    expect(() => parseNote(body)).toThrow(NoteError);
    expect(() => parseNote(`${body}\n— PeterNeumann not-base64!\n`)).toThrow(NoteError);
    expect(() => parseVerifierKey(vkey.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/);
  });

  it('writes and reads C2SP checkpoints', () => {
    const text = formatCheckpoint('ledger.example/log', 0, EMPTY_ROOT);
    expect(text).toBe('ledger.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    expect(parseCheckpoint(text)).toEqual({ origin: 'ledger.example/log', size: 0, root: EMPTY_ROOT, extensions: [] });
    for (const bad of ['o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', 'o\n1\nAAAA\n', 'o\n1\n', 'o\n-1\nx\n']) {
      expect(() => parseCheckpoint(bad)).toThrow(NoteError);
    }
  });

  it('verifies a cosignature/v1 over a checkpoint, with its timestamp', () => {
    const seed = Buffer.alloc(32, 7);
    const privateKey = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = Buffer.from((privateKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
    const witness = parseVerifierKey(encodeVerifierKey('witness.example/w1', ALG_COSIGNATURE_V1, publicKey));
    const checkpoint = formatCheckpoint('ledger.example/log', 0, EMPTY_ROOT);
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(1_700_000_000n);
    const signature = sign(null, Buffer.from(`cosignature/v1\ntime 1700000000\n${checkpoint}`), privateKey);
    const line = `— witness.example/w1 ${Buffer.concat([witness.keyId, timestamp, signature]).toString('base64')}\n`;
    expect(validCosignatureTime(parseNote(`${checkpoint}\n${line}`), witness)).toBe(1_700_000_000);
    expect(validCosignatureTime(parseNote(`${checkpoint.replace('0\n', '1\n')}\n${line}`), witness)).toBeUndefined();
  });
});

describe('the worked example of docs/ledger-format.md', () => {
  it('is what this code computes and signs', () => {
    const h0 = Buffer.from('538fbb7614e78aa297c71cddfdea3f1a2a5048c2ad566b59cb60a89f67dedf73', 'hex');
    const h1 = Buffer.from('5e7a3a5d7e58f2d8c9511998d3151932107244f5ed9594f9450fa54276d49b7c', 'hex');
    const root = nodeHash(leafHash(h0), leafHash(h1));
    expect(root.toString('base64')).toBe('Oc0+xO54LtHYaoa+VvrNC7ktgZ88iKoBo9euBEzZaMQ=');
    const signer = NoteSigner.fromKey('PRIVATE+KEY+ledger.example/log+7cc83a9d+AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB');
    expect(signer.verifierKey).toBe('ledger.example/log+7cc83a9d+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c');
    const doc = readFileSync(join(__dirname, '../../../../docs/ledger-format.md'), 'utf8');
    const note = signer.signNote(formatCheckpoint('ledger.example/log', 2, root));
    expect(doc).toContain(note.trimEnd());
  });
});
