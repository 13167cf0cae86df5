import { concat, equalBytes, fromBase64, sha256, utf8 } from './bytes';

/** A C2SP signed note (tlog-checkpoint) as docs/ledger-format.md writes it. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** The signed text: the first three lines, each with its newline. */
  body: string;
  signatures: { name: string; keyId: Uint8Array; signature: Uint8Array }[];
}

export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length !== 4 || !/^[1-9]\d*$|^0$/.test(lines[1])) throw new Error('a checkpoint body is origin, size and root');
  const root = fromBase64(lines[2]);
  if (root.length !== 32) throw new Error('the root is 32 bytes');
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (match === null) throw new Error('a signature line is "— <name> <base64>"');
      const bytes = fromBase64(match[2]);
      if (bytes.length < 5) throw new Error('a signature holds a key id and a signature');
      return { name: match[1], keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
    });
  return { origin: lines[0], size: Number(lines[1]), root, body, signatures };
}

/** `<name>+<key id, 8 hex>+<base64(0x01 ‖ Ed25519 public key)>`, its key id recomputed. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (match === null) throw new Error('a verifier key is <name>+<key id>+<base64 key>');
  const key = fromBase64(match[3]);
  if (key.length !== 33 || key[0] !== 1) throw new Error('an Ed25519 verifier key is 0x01 and 32 bytes');
  const keyId = (await sha256(utf8(match[1]), Uint8Array.of(0x0a), key)).slice(0, 4);
  if ([...keyId].map((b) => b.toString(16).padStart(2, '0')).join('') !== match[2]) throw new Error('the key id does not match the key');
  return { name: match[1], keyId, publicKey: key.slice(1) };
}

/** The ledger's own Ed25519 signature on the checkpoint, checked with WebCrypto. */
export async function hasValidSignature(checkpoint: Checkpoint, key: VerifierKey): Promise<boolean> {
  const publicKey = await crypto.subtle.importKey('raw', concat(key.publicKey), { name: 'Ed25519' }, false, ['verify']);
  for (const sig of checkpoint.signatures) {
    if (sig.name !== key.name || !equalBytes(sig.keyId, key.keyId) || sig.signature.length !== 64) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, concat(sig.signature), utf8(checkpoint.body))) return true;
  }
  return false;
}
