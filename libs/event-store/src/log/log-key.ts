import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NoteError, NoteSigner, type CheckpointSigner } from './note';

/**
 * The log's signing key: a Go note signer key (PRIVATE+KEY+<origin>+<id>+<seed>) in a file. On
 * the embedded default it lives in <data dir>/keys/log-ed25519.key, created at first start with
 * the configured origin (or appraisal-ledger.local/<random>); a configured file must exist. The
 * key's name is the log's origin line. Beside it, log-ed25519.vkey holds the public verifier key
 * (also served at GET /log/key): that is what auditors and witnesses are given.
 */
export interface LogKeyOptions {
  dataDir: string;
  /** A key file the operator manages (it must exist); default: created in the data dir. */
  keyFile?: string;
  /** The origin for a key created here; when given with an existing key, the two must agree. */
  origin?: string;
}

export const defaultLogKeyFile = (dataDir: string) => path.join(dataDir, 'keys', 'log-ed25519.key');

export function loadOrCreateLogSigner(options: LogKeyOptions): NoteSigner {
  const file = options.keyFile ?? defaultLogKeyFile(options.dataDir);
  if (!fs.existsSync(file)) {
    if (options.keyFile !== undefined) throw new NoteError(`the log key file ${file} does not exist`);
    createKeyFile(file, options.origin ?? `appraisal-ledger.local/${randomBytes(4).toString('hex')}`);
  }
  const signer = NoteSigner.fromKey(fs.readFileSync(file, 'utf8'));
  if (options.origin !== undefined && signer.name !== options.origin) {
    throw new NoteError(`the log key in ${file} is for origin ${signer.name}, but LEDGER_LOG_ORIGIN is ${options.origin}`);
  }
  return signer;
}

function createKeyFile(file: string, origin: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = NoteSigner.generateKey(origin);
  // Written aside and hard-linked into place: link() fails if the file exists, so when two
  // processes start at once exactly one key wins.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${key}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    fs.writeFileSync(file.replace(/\.key$/, '') + '.vkey', `${NoteSigner.fromKey(key).verifierKey}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Rotating the log's key. A C2SP note may carry several signatures, so a rotation is gentle: the
 * new key signs every checkpoint from then on, and the earlier keys go on co-signing (and being
 * published) until each is retired; a witness or auditor given only an older key keeps verifying
 * the newest checkpoints meanwhile. All keys share the name, the log's origin: a key under another
 * name would be another log. Earlier keys live in log-ed25519.keyring.json beside the key file
 * (mode 0600: it holds their signing halves until they are retired, then only the verifier key).
 */
export interface LogKeyringEntry {
  /** The signing key while it still co-signs; null once retired. */
  skey: string | null;
  vkey: string;
  addedAt: string;
  retiredAt: string | null;
}

export interface LogKeyInfo {
  keyId: string;
  vkey: string;
  state: 'ACTIVE' | 'CO_SIGNING' | 'RETIRED';
  addedAt: string | null;
  retiredAt: string | null;
}

const keyringFileOf = (keyFile: string) => keyFile.replace(/\.key$/, '') + '.keyring.json';

function readLogKeyring(keyFile: string): LogKeyringEntry[] {
  const file = keyringFileOf(keyFile);
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: LogKeyringEntry[] };
  if (!Array.isArray(parsed.keys)) throw new NoteError(`${file} is not a log keyring`);
  return parsed.keys;
}

function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

/** The log's keys: the active one and the earlier ones that still co-sign; follows rotations made while it runs (reload). */
export class LogKeyring implements CheckpointSigner {
  private signers: NoteSigner[] = [];
  private entries: LogKeyringEntry[] = [];
  private stamp = '';

  private constructor(private readonly keyFile: string) {
    this.reload();
  }

  static load(options: LogKeyOptions): LogKeyring {
    loadOrCreateLogSigner(options); // creates the first key, checks the origin
    return new LogKeyring(options.keyFile ?? defaultLogKeyFile(options.dataDir));
  }

  get name(): string {
    return this.signers[0].name;
  }

  get verifierKey(): string {
    return this.signers[0].verifierKey;
  }

  /** Every key a verifier of this log's history may need, newest first. */
  keys(): LogKeyInfo[] {
    const active = this.signers[0];
    return [
      { keyId: active.keyId.toString('hex'), vkey: active.verifierKey, state: 'ACTIVE', addedAt: null, retiredAt: null },
      ...[...this.entries].reverse().map((e) => ({
        keyId: e.vkey.split('+')[1],
        vkey: e.vkey,
        state: e.retiredAt === null ? ('CO_SIGNING' as const) : ('RETIRED' as const),
        addedAt: e.addedAt,
        retiredAt: e.retiredAt,
      })),
    ];
  }

  signNote(body: string): string {
    return `${body}\n${this.signers.map((s) => s.signatureLine(body)).join('')}`;
  }

  /** Re-reads the key files when they changed (a rotation or retirement by the log-keys command). */
  reload(): void {
    const keyring = keyringFileOf(this.keyFile);
    const stamp = [this.keyFile, keyring]
      .map((f) => (fs.existsSync(f) ? `${fs.statSync(f).mtimeMs}:${fs.statSync(f).size}` : '-'))
      .join('|');
    if (stamp === this.stamp) return;
    const active = NoteSigner.fromKey(fs.readFileSync(this.keyFile, 'utf8'));
    const entries = readLogKeyring(this.keyFile);
    const earlier = entries.filter((e) => e.retiredAt === null && e.skey !== null).map((e) => NoteSigner.fromKey(e.skey as string));
    for (const signer of earlier) {
      if (signer.name !== active.name)
        throw new NoteError(`keyring key ${signer.verifierKey} is not named ${active.name}: another log's key`);
    }
    this.signers = [active, ...earlier.reverse()];
    this.entries = entries;
    this.stamp = stamp;
  }
}

/** A new active key under the same origin; the previous one co-signs until retired. Not safe against a concurrent rotate. */
export function rotateLogKey(options: LogKeyOptions, now: Date = new Date()): { keyId: string; vkey: string; previousKeyId: string } {
  const file = options.keyFile ?? defaultLogKeyFile(options.dataDir);
  const previous = loadOrCreateLogSigner(options);
  const entries = readLogKeyring(file);
  const skey = fs.readFileSync(file, 'utf8').trim();
  entries.push({ skey, vkey: previous.verifierKey, addedAt: now.toISOString(), retiredAt: null });
  // The keyring first: a crash between the writes leaves the old key active and also co-signing, which signs the same.
  writeAtomically(keyringFileOf(file), JSON.stringify({ keys: entries }, null, 2), 0o600);
  const next = NoteSigner.generateKey(previous.name);
  writeAtomically(file, `${next}\n`, 0o600);
  const signer = NoteSigner.fromKey(next);
  fs.writeFileSync(file.replace(/\.key$/, '') + '.vkey', `${signer.verifierKey}\n`);
  return { keyId: signer.keyId.toString('hex'), vkey: signer.verifierKey, previousKeyId: previous.keyId.toString('hex') };
}

/** An earlier key stops co-signing and its signing half is dropped; its verifier key stays listed (RETIRED) for the history it signed. */
export function retireLogKey(options: LogKeyOptions, keyId: string, now: Date = new Date()): void {
  const file = options.keyFile ?? defaultLogKeyFile(options.dataDir);
  const entries = readLogKeyring(file);
  const entry = entries.find((e) => e.vkey.split('+')[1] === keyId);
  if (entry === undefined) {
    const active = loadOrCreateLogSigner(options);
    throw new NoteError(
      active.keyId.toString('hex') === keyId
        ? `key ${keyId} is the active key: rotate first`
        : `no earlier log key ${keyId} in the keyring`,
    );
  }
  if (entry.retiredAt !== null) throw new NoteError(`log key ${keyId} is already retired`);
  entry.retiredAt = now.toISOString();
  entry.skey = null;
  writeAtomically(keyringFileOf(file), JSON.stringify({ keys: entries }, null, 2), 0o600);
}
