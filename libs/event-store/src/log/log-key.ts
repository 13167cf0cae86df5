import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NoteError, NoteSigner } from './note';

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
