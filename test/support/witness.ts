import { execFileSync } from 'node:child_process';

/**
 * The C2SP witness test/infra/up.sh starts (litewitness from filippo.io/torchwood), as its
 * LEDGER_WITNESS_* variables describe it. Logs are registered by editing its SQLite file with
 * witnessctl while it runs; it reads the file on every request, so no restart is needed.
 */
export interface TestWitness {
  /** Base URL: checkpoints go to POST `${url}/add-checkpoint` (c2sp.org/tlog-witness). */
  url: string;
  /** Its cosigner name, the key name on the cosignature lines it returns. */
  name: string;
  /** Its cosigner verifier key, `<name>+<8 hex key id>+<base64(0x04 || Ed25519 public key)>` (c2sp.org/tlog-cosignature). */
  vkey: string;
  /** Its SQLite file. */
  db: string;
  /** The witnessctl binary built with it. */
  witnessctl: string;
}

/** A log the witness knows: one line of `witnessctl list-logs`. */
export interface WitnessedLog {
  origin: string;
  /** The size of the latest checkpoint it cosigned (0 until the first). */
  size: number;
  /** That checkpoint's root hash, base64 (the empty tree's hash until the first). */
  root_hash: string;
  /** Its verifier keys in signed-note vkey form. */
  keys: string[];
}

/**
 * The witness of this run, or undefined when LEDGER_WITNESS_URL is unset (describeWithServer('witness', ...)
 * decides whether that skips or fails). With the URL set, every other variable must be too.
 */
export function witnessFromEnv(): TestWitness | undefined {
  const url = process.env.LEDGER_WITNESS_URL?.trim();
  if (url === undefined || url === '') return undefined;
  const need = (variable: string): string => {
    const value = process.env[variable]?.trim();
    if (value === undefined || value === '') {
      throw new Error(`LEDGER_WITNESS_URL is set but ${variable} is not (test/infra/up.sh prints both)`);
    }
    return value;
  };
  return {
    url: url.replace(/\/+$/, ''),
    name: need('LEDGER_WITNESS_NAME'),
    vkey: need('LEDGER_WITNESS_VKEY'),
    db: need('LEDGER_WITNESS_DB'),
    witnessctl: need('LEDGER_WITNESSCTL'),
  };
}

function witnessctl(witness: TestWitness, args: string[]): string {
  try {
    return execFileSync(witness.witnessctl, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(`witnessctl ${args.join(' ')} failed: ${typeof stderr === 'string' ? stderr.trim() : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Makes the witness accept checkpoints of `origin` signed by `logVerifierKey`
 * (`<origin>+<8 hex key id>+<base64(0x01 || Ed25519 public key)>`): `witnessctl add-log`, then
 * `witnessctl add-key`. Either step is skipped when already done, so a test may register the same
 * log twice; a second, different key is added beside the first.
 */
export function registerLog(witness: TestWitness, origin: string, logVerifierKey: string): void {
  // litewitness verifies a checkpoint's signature with the keys of its first line (the origin), and
  // a key verifies only lines that name it: a key named otherwise would make every checkpoint a 403.
  // witnessctl merely warns about that, so it is refused here.
  const keyName = logVerifierKey.split('+')[0];
  if (keyName !== origin) throw new Error(`the verifier key is named ${keyName}, not after the origin ${origin}: ${logVerifierKey}`);
  const known = listLogs(witness).find((log) => log.origin === origin);
  if (known === undefined) witnessctl(witness, ['add-log', '-db', witness.db, '-origin', origin]);
  if (known?.keys.includes(logVerifierKey) !== true) {
    witnessctl(witness, ['add-key', '-db', witness.db, '-origin', origin, '-key', logVerifierKey]);
  }
}

/** Every log the witness knows, with the size and root of the latest checkpoint it cosigned. */
export function listLogs(witness: TestWitness): WitnessedLog[] {
  return witnessctl(witness, ['list-logs', '-db', witness.db])
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as { origin: string; size: number; root_hash: string; keys: (string | null)[] };
      // A log without keys lists [null] (a LEFT JOIN under json_group_array).
      return { ...row, keys: row.keys.filter((key): key is string => key !== null) };
    });
}
