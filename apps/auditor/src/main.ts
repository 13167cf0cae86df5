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
import { runBackup, runRestore, type BackupReport } from './backup';
import { progressFor } from './progress';

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
  export  [--data-dir DIR] [--out FILE] [--json]
          Every event in global order as JSON Lines (docs/ledger-format.md); stdout by default.
          --json: the summary {"command":"export","events":N,"out":FILE|null} as one JSON line on
          stderr (stdout is the export itself).
  backup  --out FILE [--data-dir DIR] [--log-key VKEY|FILE] [--json]
          An online copy of the embedded store (events and Merkle log) while the api runs, through
          SQLite's backup API on a read-only connection; then verified, and the report (event
          count, last position, per-stream heads, the signed checkpoint it matches) written to
          FILE.report.json. Never overwrites. Keys (DATA_DIR/keys) are backed up apart.
          Exit code 0 when the copy verifies, 1 when it does not.
  restore --from FILE [--data-dir DIR] [--log-key VKEY|FILE] [--force] [--json]
          With the api stopped: verifies the backup and refuses one that does not verify (exit 1);
          refuses to replace a store unless --force, which moves the old store and the read
          models aside (never deletes); the read models are rebuilt when the api starts.

  --data-dir defaults to LEDGER_DATA_DIR or ./data. Every command takes --help. Progress bars
  go to stderr on a terminal only; --json prints one JSON document on stdout for scripts.
  Exit codes: 0 done and intact; 1 a problem was found or a restore refused; 2 bad usage or
  the command could not run (a missing file, an unreadable store).
`;

/** One command's part of USAGE (for `<command> --help`). */
function helpFor(command: string | undefined): string {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((line) => command !== undefined && line.startsWith(`  ${command} `));
  if (start < 0) return USAGE;
  const end = lines.findIndex((line, i) => i > start && /^ {2}[a-z]/.test(line));
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n\n${lines.slice(lines.findIndex((l) => l.startsWith('  --data-dir'))).join('\n')}`;
}

function usage(message: string): number {
  process.stderr.write(`auditor: ${message}\n\n${USAGE}`);
  return 2;
}

function describeBackup(report: BackupReport, headline: string): string {
  const checkpoint =
    report.checkpoint === null
      ? 'no signed checkpoint'
      : `checkpoint ${report.checkpoint.origin} size ${report.checkpoint.treeSize} root ${report.checkpoint.root} (${report.checkpoint.matches ? 'matches' : 'DOES NOT MATCH'})`;
  const lines = [
    headline,
    `  ${report.ok ? 'VERIFIED' : 'BROKEN'}: ${report.eventCount} events, last position ${report.lastPosition}, ${Object.keys(report.streams).length} streams`,
    `  ${checkpoint}; signatures ${report.signaturesChecked ? 'checked' : 'NOT checked (no --log-key)'}`,
    ...report.findings.map((f) => `  ${f}`),
    ...report.problems.slice(0, 20).map((p) => `  ${p.kind} position=${p.position ?? '-'} stream=${p.streamId ?? '-'}: ${p.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

function sourceFrom(flags: Map<string, string>): EventSource {
  const exported = flags.get('export');
  if (exported !== undefined) return exportSource(exported);
  return storeSource(flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data');
}

/**
 * --log-key (a vkey, a comma list of them, or a file with one per line: every key of the log across
 * its rotations, as GET /log/keys lists them) and --trusted (comma-separated files of signed checkpoints).
 */
function trustFrom(flags: Map<string, string>): LogTrust {
  let logKey: VerifierKey[] | undefined;
  const given = flags.get('log-key');
  if (given !== undefined) {
    const text = existsSync(given) ? readFileSync(given, 'utf8') : given;
    logKey = text
      .split(/[\n,]/u)
      .map((k) => k.trim())
      .filter((k) => k !== '')
      .map(parseVerifierKey);
  } else if (flags.get('export') === undefined) {
    const file = join(flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data', 'keys', 'log-ed25519.vkey');
    if (existsSync(file)) {
      process.stderr.write(
        `verify: no --log-key given; using ${file} from the data dir itself (an auditor should pass the published key)\n`,
      );
      logKey = [parseVerifierKey(readFileSync(file, 'utf8'))];
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
  if (flags.has('help') || positional.includes('-h')) {
    process.stdout.write(helpFor(command));
    return 0;
  }
  switch (command) {
    case 'backup': {
      const out = flags.get('out');
      if (out === undefined || out === 'true') return usage('backup needs --out FILE');
      const dataDir = flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data';
      const report = await runBackup(dataDir, out, trustFrom(flags).logKey, progressFor(process.stderr, !json));
      process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : describeBackup(report, `backup written to ${out}`));
      return report.ok ? 0 : 1;
    }
    case 'restore': {
      const from = flags.get('from');
      if (from === undefined || from === 'true') return usage('restore needs --from FILE');
      const dataDir = flags.get('data-dir') ?? process.env.LEDGER_DATA_DIR ?? './data';
      const result = runRestore(from, dataDir, trustFrom(flags).logKey, flags.has('force'));
      if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.restored)
        process.stdout.write(
          describeBackup(
            result.report,
            `restored into ${dataDir}${result.movedAside.length > 0 ? ` (moved aside: ${result.movedAside.join(', ')})` : ''}`,
          ),
        );
      else process.stdout.write(describeBackup(result.report, `REFUSED: ${result.reason ?? 'not restored'}`));
      return result.restored ? 0 : 1;
    }
    case 'verify': {
      const source = sourceFrom(flags);
      try {
        return await runVerify(source, json, process.stdout, trustFrom(flags), progressFor(process.stderr, !json));
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
        // A bar only when stdout is not the export itself: the bar goes to stderr, on a terminal only.
        const count = await runExport(source, out, progressFor(process.stderr, outFile !== undefined && !json));
        if (outFile !== undefined) {
          await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        }
        if (json) process.stderr.write(`${JSON.stringify({ command: 'export', events: count, out: outFile ?? null })}\n`);
        else if (outFile !== undefined) process.stderr.write(`exported ${count} events to ${outFile}\n`);
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
