#!/usr/bin/env node
/**
 * The auditor CLI: verify the ledger, replay an appraisal as of a past date, export the ledger.
 * It only reads. Usage: node dist/apps/auditor/src/main.js <verify|replay|export> [options]
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVerifierKey, type VerifierKey } from '@ledger/event-store';
import { parseArgs } from './args';
import { exportSource, storeSource, type EventSource, type LogTrust } from './source';
import { runExport, runProof, runReplay, runVerify } from './commands';

const USAGE = `appraisal-ledger auditor (read-only)

  verify  [--data-dir DIR | --export FILE] [--log-key VKEY|FILE] [--trusted FILE[,FILE…]] [--json]
          Recompute every hash, check every chain link, revision and position; rebuild the Merkle
          tree from the events and check every signed checkpoint's root and signature against it
          (--log-key: the verifier key the operator published; without it, the data dir's
          keys/log-ed25519.vkey is used and the report says so); each --trusted checkpoint (a
          signed note kept from before) must verify and be a prefix of the store.
          Exit code 0 when intact, 1 when any problem is found.
  proof   inclusion --event-id ID [--tree-size N] | consistency --from A --to B  [--data-dir DIR]
          The proof from the store's log (read-only), checked here against the signed checkpoint.
          Exit code 0 when it verifies.
  replay  <appraisalId> --as-of <YYYY-MM-DD | ISO instant> [--data-dir DIR | --export FILE] [--json]
          The appraisal as it stood then: every event up to that moment and the state they fold to.
          A bare date means the end of that day in LEDGER_TIME_ZONE (default Asia/Jakarta).
  export  [--data-dir DIR] [--out FILE]
          Every event in global order as JSON Lines (docs/ledger-format.md); stdout by default.

  --data-dir defaults to LEDGER_DATA_DIR or ./data.
`;

function sourceFrom(flags: Map<string, string>): EventSource {
  const exported = flags.get('export');
  if (exported !== undefined) return exportSource(exported);
  return storeSource(flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data');
}

/** --log-key (a vkey or a file holding one) and --trusted (comma-separated files of signed checkpoints). */
function trustFrom(flags: Map<string, string>): LogTrust {
  let logKey: VerifierKey | undefined;
  const given = flags.get('log-key');
  if (given !== undefined) {
    logKey = parseVerifierKey(existsSync(given) ? readFileSync(given, 'utf8') : given);
  } else if (flags.get('export') === undefined) {
    const file = join(flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data', 'keys', 'log-ed25519.vkey');
    if (existsSync(file)) {
      process.stderr.write(
        `verify: no --log-key given; using ${file} from the data dir itself (an auditor should pass the published key)\n`,
      );
      logKey = parseVerifierKey(readFileSync(file, 'utf8'));
    }
  }
  const trusted = (flags.get('trusted') ?? '')
    .split(',')
    .filter((f) => f !== '')
    .map((file) => ({ note: readFileSync(file, 'utf8'), source: file }));
  return { logKey, trusted };
}

async function main(argv: string[]): Promise<number> {
  const { command, positional, flags } = parseArgs(argv);
  const json = flags.has('json');
  switch (command) {
    case 'verify': {
      const source = sourceFrom(flags);
      try {
        return await runVerify(source, json, process.stdout, trustFrom(flags));
      } finally {
        await source.close();
      }
    }
    case 'proof': {
      const dataDir = flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data';
      return runProof(join(dataDir, 'events.sqlite'), positional[0], flags, trustFrom(flags).logKey, process.stdout);
    }
    case 'replay': {
      const appraisalId = positional[0];
      const asOf = flags.get('as-of');
      if (appraisalId === undefined || asOf === undefined) {
        process.stderr.write(USAGE);
        return 2;
      }
      const source = sourceFrom(flags);
      try {
        const timeZone = process.env.LEDGER_TIME_ZONE ?? 'Asia/Jakarta';
        return await runReplay(source, appraisalId, asOf, timeZone, json, process.stdout);
      } finally {
        await source.close();
      }
    }
    case 'export': {
      const source = sourceFrom(flags);
      const outFile = flags.get('out');
      const out = outFile === undefined ? process.stdout : createWriteStream(outFile);
      try {
        const count = await runExport(source, out);
        if (outFile !== undefined) {
          await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
          process.stderr.write(`exported ${count} events to ${outFile}\n`);
        }
        return 0;
      } finally {
        await source.close();
      }
    }
    case undefined:
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`auditor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
