import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { HASH_BYTES } from './merkle';

/**
 * C2SP signed-note (https://c2sp.org/signed-note), tlog-checkpoint and tlog-cosignature, in
 * exactly the encodings golang.org/x/mod/sumdb/note reads, so an auditor verifies with their
 * own code:
 *   signer key   PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte Ed25519 seed)>
 *   verifier key <name>+<8 hex key id>+<base64(0x01 ‖ 32-byte public key)>
 *   key id       SHA-256(<name> ‖ 0x0A ‖ 0x01 ‖ public key)[:4]  (0x04 for a cosigner)
 *   note         <body, ending in a newline> 0x0A then one line per signature:
 *                "— <name> <base64(key id ‖ signature)>" 0x0A
 */
export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;
const DASH = '\u2014';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

/** A key name: non-empty, no spaces, no '+' (the separator of the key encodings). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !name.includes(DASH);
}

export function keyId(name: string, algorithm: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, algorithm]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  algorithm: number;
  publicKey: Buffer;
  /** The encoded key, as given. */
  text: string;
}

export function parseVerifierKey(text: string): VerifierKey {
  const parts = splitN(text.trim(), 3);
  if (parts.length !== 3) throw new NoteError(`a verifier key is <name>+<key id>+<key>, got ${JSON.stringify(text)}`);
  const [name, idHex, encoded] = parts;
  if (!isKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('the key id of a verifier key is 8 lower-case hex digits');
  const raw = decodeBase64(encoded, 'verifier key');
  if (raw.length !== 33 || (raw[0] !== ALG_ED25519 && raw[0] !== ALG_COSIGNATURE_V1)) {
    throw new NoteError('only Ed25519 verifier keys (0x01, or 0x04 for a cosigner) are supported');
  }
  const publicKey = raw.subarray(1);
  const id = keyId(name, raw[0], publicKey);
  if (id.toString('hex') !== idHex) throw new NoteError(`the key id ${idHex} does not match the key (expected ${id.toString('hex')})`);
  return { name, keyId: id, algorithm: raw[0], publicKey, text: text.trim() };
}

export function encodeVerifierKey(name: string, algorithm: number, publicKey: Uint8Array): string {
  const id = keyId(name, algorithm, publicKey).toString('hex');
  return `${name}+${id}+${Buffer.concat([Buffer.from([algorithm]), publicKey]).toString('base64')}`;
}

/** What signs the log's checkpoints: one key (NoteSigner) or a keyring during a rotation (LogKeyring). */
export interface CheckpointSigner {
  /** The key name: the log's origin. */
  readonly name: string;
  /** The newest key's verifier key. */
  readonly verifierKey: string;
  /** The whole signed note: body, blank line, a signature line per signing key. */
  signNote(body: string): string;
}

/** Signs note bodies with an Ed25519 key: the log's own key. */
export class NoteSigner implements CheckpointSigner {
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
  readonly verifierKey: string;
  private readonly privateKey: KeyObject;

  private constructor(
    readonly name: string,
    seed: Buffer,
  ) {
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    this.publicKey = publicKeyOf(this.privateKey);
    this.keyId = keyId(name, ALG_ED25519, this.publicKey);
    this.verifierKey = encodeVerifierKey(name, ALG_ED25519, this.publicKey);
  }

  /** A new signer key, encoded as Go's note.GenerateKey does. */
  static generateKey(name: string): string {
    if (!isKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
    const seed = randomBytes(32);
    const signer = new NoteSigner(name, seed);
    return `PRIVATE+KEY+${name}+${signer.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
  }

  static fromKey(text: string): NoteSigner {
    const parts = splitN(text.trim(), 5);
    if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY')
      throw new NoteError('a signer key is PRIVATE+KEY+<name>+<id>+<key>');
    const [, , name, idHex, encoded] = parts;
    if (!isKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
    const raw = decodeBase64(encoded, 'signer key');
    if (raw.length !== 33 || raw[0] !== ALG_ED25519) throw new NoteError('only Ed25519 signer keys are supported');
    const signer = new NoteSigner(name, raw.subarray(1));
    if (signer.keyId.toString('hex') !== idHex) throw new NoteError(`the signer key's id ${idHex} does not match its key`);
    return signer;
  }

  /** The whole signed note: body, blank line, this key's signature line. */
  signNote(body: string): string {
    return `${body}\n${this.signatureLine(body)}`;
  }

  signatureLine(body: string): string {
    assertBody(body);
    const signature = sign(null, Buffer.from(body, 'utf8'), this.privateKey);
    return `${DASH} ${this.name} ${Buffer.concat([this.keyId, signature]).toString('base64')}\n`;
  }
}

/** Split at the first n-1 '+' only, as Go's note package does: base64 key material contains '+'. */
function splitN(text: string, n: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < n - 1) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

function publicKeyOf(privateKey: KeyObject): Buffer {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  /** What follows the key id: the signature (or, for a cosignature, timestamp ‖ signature). */
  signature: Buffer;
  line: string;
}

export interface ParsedNote {
  body: string;
  signatures: NoteSignature[];
}

/** Splits a note into its body (ending in a newline) and its signature lines; throws on anything else. */
export function parseNote(text: string): ParsedNote {
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('a note is a body, a blank line and signature lines');
  const body = text.slice(0, split + 1);
  assertBody(body);
  const block = text.slice(split + 2);
  if (!block.endsWith('\n')) throw new NoteError('the last signature line must end in a newline');
  const signatures = block
    .slice(0, -1)
    .split('\n')
    .map((line): NoteSignature => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (match === null) throw new NoteError(`malformed signature line ${JSON.stringify(line)}`);
      const raw = decodeBase64(match[2], 'signature');
      if (raw.length < 5) throw new NoteError('a signature is a key id and at least one byte');
      return { name: match[1], keyId: raw.subarray(0, 4), signature: raw.subarray(4), line: `${line}\n` };
    });
  return { body, signatures };
}

function matching(note: ParsedNote, key: VerifierKey): NoteSignature[] {
  return note.signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
}

/** Whether the note carries a valid Ed25519 signature of `key` (a note signature, alg 0x01). */
export function hasValidSignature(note: ParsedNote, key: VerifierKey): boolean {
  if (key.algorithm !== ALG_ED25519) return false;
  const publicKey = ed25519PublicKey(key.publicKey);
  return matching(note, key).some((s) => s.signature.length === 64 && verify(null, Buffer.from(note.body, 'utf8'), publicKey, s.signature));
}

/** The timestamp (POSIX seconds) of a valid cosignature/v1 of `key` on the note, or undefined. */
export function validCosignatureTime(note: ParsedNote, key: VerifierKey): number | undefined {
  if (key.algorithm !== ALG_COSIGNATURE_V1) return undefined;
  const publicKey = ed25519PublicKey(key.publicKey);
  for (const s of matching(note, key)) {
    if (s.signature.length !== 8 + 64) continue;
    const timestamp = s.signature.readBigUInt64BE(0);
    if (timestamp === 0n || timestamp > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    const message = `cosignature/v1\ntime ${timestamp.toString()}\n${note.body}`;
    if (verify(null, Buffer.from(message, 'utf8'), publicKey, s.signature.subarray(8))) return Number(timestamp);
  }
  return undefined;
}

function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  /** Lines after the root, as given (this log writes none). */
  extensions: string[];
}

/** The body of a C2SP tlog-checkpoint: origin, decimal size, base64 root, each ending in a newline. */
export function formatCheckpoint(origin: string, size: number, root: Buffer): string {
  if (!isKeyName(origin)) throw new NoteError(`invalid origin ${JSON.stringify(origin)}`);
  if (!(Number.isSafeInteger(size) && size >= 0)) throw new NoteError(`invalid tree size ${size}`);
  if (root.length !== HASH_BYTES) throw new NoteError('a root hash is 32 bytes');
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

export function parseCheckpoint(body: string): Checkpoint {
  assertBody(body);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('a checkpoint has an origin, a size and a root line');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === '') throw new NoteError('the checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new NoteError(`the checkpoint size ${JSON.stringify(sizeText)} is not a decimal without leading zeros`);
  }
  const root = decodeBase64(rootText, 'root hash');
  if (root.length !== HASH_BYTES) throw new NoteError('the checkpoint root is not a base64 SHA-256 hash');
  if (extensions.some((line) => line === '')) throw new NoteError('a checkpoint has no empty lines');
  return { origin, size: Number(sizeText), root, extensions };
}

function assertBody(body: string): void {
  if (!body.endsWith('\n') || body.includes('\n\n') || body.startsWith('\n')) {
    throw new NoteError('a note body ends in a newline and has no empty line');
  }
}

/** Strict standard base64 (RFC 4648 §4, padded): Buffer.from would skip what it cannot read. */
export function decodeBase64(text: string, what: string): Buffer {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new NoteError(`the ${what} is not base64`);
  const raw = Buffer.from(text, 'base64');
  if (raw.toString('base64') !== text) throw new NoteError(`the ${what} is not canonical base64`);
  return raw;
}
