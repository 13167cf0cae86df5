import { createHash, generateKeyPairSync, hash as oneShotHash, randomBytes, randomUUID, sign } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  canonicalJson,
  entryOf,
  envelopeOf,
  GENESIS_HASH,
  hashEvent,
  leafHash,
  NoteSigner,
  parseExportLine,
  SqliteEventStore,
  StreamingTree,
  toHashedFields,
  verifyConsistency,
  verifyEvents,
  verifyInclusion,
  type NewEvent,
  type StoredEvent,
} from '@ledger/event-store';
import { appraisalStream } from './fixtures';

/**
 * The Merkle log's costs, beside the machine's SHA-256 ceiling: verifying a whole export (strict
 * parse, per-stream chains, the Merkle root) on one thread and split over worker threads; proof
 * latency in a store of a million events; and the log's cost on the command path (single-event
 * appends with and without the log signer, interleaved).
 */
export interface ShaCeiling {
  bytes: number;
  /** createHash(...).update(input).digest(): the call the lib makes. */
  hashesPerSec: number;
  /** crypto.hash('sha256', input), Node's one-shot: no Hash object per call. */
  oneShotPerSec: number;
}

export interface ExportVerifyFigures {
  events: number;
  streams: number;
  bytes: number;
  meanCanonicalBytes: number;
  generateSeconds: number;
  /** One thread, as the auditor does it: readline, parseExportLine, verifyEvents, then StreamingTree. */
  single: { parseSeconds: number; chainSeconds: number; merkleSeconds: number };
  /** Workers parse and hash byte ranges; the main thread links chains and folds the tree. */
  parallel: { workers: number; seconds: number; workerSeconds: number; mainSeconds: number; rootsAgree: boolean };
}

export interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProofFigures {
  events: number;
  buildSeconds: number;
  checkpoints: number;
  fileBytes: number;
  inclusion: LatencyFigures;
  inclusionVerify: LatencyFigures;
  consistency: LatencyFigures;
  consistencyVerify: LatencyFigures;
  root: LatencyFigures;
  meanInclusionHashes: number;
  meanConsistencyHashes: number;
}

export interface CommandPathFigures {
  sync: 'FULL' | 'NORMAL';
  appendsPerRound: number;
  /** Appends/s of each round. */
  withoutLog: number[];
  withLog: number[];
}

export interface LogFigures {
  sha: ShaCeiling[];
  ed25519SignsPerSec: number;
  exportVerify: ExportVerifyFigures;
  proofs: ProofFigures;
  commandPath: CommandPathFigures[];
}

export interface LogBenchOptions {
  exportEvents: number;
  storeEvents: number;
  proofSamples: number;
  appends: number;
  rounds: number;
  workers: number;
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

// ---------------------------------------------------------------------------------------------
// 1. SHA-256 ceiling

function perSec(work: () => void, budgetMs: number): number {
  for (let i = 0; i < 20_000; i++) work();
  let count = 0;
  const start = process.hrtime.bigint();
  do {
    for (let i = 0; i < 10_000; i++) work();
    count += 10_000;
  } while (ms(start) < budgetMs);
  return count / seconds(start);
}

/** node:crypto, one thread: createHash/update/digest (what the lib calls) and the one-shot crypto.hash. */
export function shaCeiling(bytes: number, budgetMs = 600): ShaCeiling {
  const input = randomBytes(bytes);
  return {
    bytes,
    hashesPerSec: perSec(() => createHash('sha256').update(input).digest(), budgetMs),
    oneShotPerSec: perSec(() => oneShotHash('sha256', input, 'buffer'), budgetMs),
  };
}

/** Ed25519 signatures/s over a checkpoint body: one per commit when the log is on. */
export function ed25519SignsPerSec(budgetMs = 400): number {
  const { privateKey } = generateKeyPairSync('ed25519');
  const body = Buffer.from(`bench.local/log\n1000000\n${randomBytes(32).toString('base64')}\n`);
  return perSec(() => sign(null, body, privateKey), budgetMs);
}

// ---------------------------------------------------------------------------------------------
// 2. Generated events: appraisal streams of 30 events, interleaved as concurrent streams are.

const STREAM_EVENTS = 30;
/** Streams in flight at once: the export interleaves their events round-robin. */
const STREAMS_IN_FLIGHT = 1_000;

/** The 20 events of bench/fixtures' appraisal stream and 10 more (feedback rounds and evidence), fresh ids. */
export function appraisalEvents(n: number): { streamId: string; events: NewEvent[] } {
  const { streamId, events } = appraisalStream(n, 'bench-log', 2026);
  const extra: NewEvent[] = [];
  for (let i = 0; i < STREAM_EVENTS - events.length; i++) {
    const template = events[4 + (i % 12)];
    const id = template.type === 'EvidenceRecorded' ? { evidenceId: `e${4 + i}` } : { feedbackId: `f${4 + i}` };
    extra.push({
      ...template,
      eventId: randomUUID(),
      data: { ...template.data, ...id },
      metadata: { ...template.metadata, correlationId: randomUUID(), causationId: randomUUID() },
    });
  }
  return { streamId, events: [...events.slice(0, 12), ...extra, ...events.slice(12)] };
}

/** Writes `count` events (≈ count / 30 streams) as a JSON Lines export, in global order. */
export function writeExport(file: string, count: number): { events: number; streams: number; bytes: number; meanCanonicalBytes: number } {
  const fd = openSync(file, 'w');
  let position = 0;
  let streams = 0;
  let canonicalBytes = 0;
  let pending: string[] = [];
  const flush = () => {
    writeSync(fd, pending.join(''));
    pending = [];
  };
  try {
    for (let group = 0; position < count; group++) {
      const chains = [];
      for (let s = 0; s < STREAMS_IN_FLIGHT && (group * STREAMS_IN_FLIGHT + s) * STREAM_EVENTS < count; s++) {
        chains.push({ ...appraisalEvents(group * STREAMS_IN_FLIGHT + s), prevHash: GENESIS_HASH });
      }
      streams += chains.length;
      for (let revision = 0; revision < STREAM_EVENTS && position < count; revision++) {
        for (const chain of chains) {
          if (position >= count) break;
          const fields = toHashedFields({
            ...chain.events[revision],
            streamId: chain.streamId,
            streamRevision: revision,
            prevHash: chain.prevHash,
          });
          const canonical = canonicalJson(fields);
          canonicalBytes += Buffer.byteLength(canonical);
          const hash = createHash('sha256').update(canonical, 'utf8').digest('hex');
          position++;
          pending.push(`${JSON.stringify(envelopeOf({ ...fields, globalPosition: position, hash }))}\n`);
          chain.prevHash = hash;
          if (pending.length >= 10_000) flush();
        }
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { events: position, streams, bytes: statSync(file).size, meanCanonicalBytes: canonicalBytes / position };
}

/** The auditor's way, one thread: readline, parseExportLine, verifyEvents; then the root over every leaf. */
export async function verifyExportSingle(
  file: string,
): Promise<{ parseSeconds: number; chainSeconds: number; merkleSeconds: number; root: Buffer }> {
  let start = process.hrtime.bigint();
  const events: StoredEvent[] = [];
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of reader) {
    const parsed = parseExportLine(text);
    if (!parsed.ok) throw new Error(`line ${events.length + 1}: ${parsed.message}`);
    events.push(parsed.event);
  }
  const parseSeconds = seconds(start);
  start = process.hrtime.bigint();
  const report = verifyEvents(events);
  if (!report.ok) throw new Error(`the generated export does not verify: ${report.problems[0].message}`);
  const chainSeconds = seconds(start);
  start = process.hrtime.bigint();
  const tree = new StreamingTree();
  for (const event of events) tree.append(leafHash(entryOf(event.hash)));
  return { parseSeconds, chainSeconds, merkleSeconds: seconds(start), root: tree.root() };
}

// ---------------------------------------------------------------------------------------------
// 2b. The same verification split over worker threads (bench only, see README).

interface ChunkTask {
  kind: 'ledger-bench-log-chunk';
  file: string;
  start: number;
  end: number;
}

/** What a worker hands back for its lines: columns, the binary ones transferred, not copied. */
interface ChunkResult {
  count: number;
  streamIds: string[];
  eventIds: string[];
  revisions: Float64Array;
  positions: Float64Array;
  prevHashes: Uint8Array;
  hashes: Uint8Array;
  leaves: Uint8Array;
  /** Line (0-based within the chunk) and reason of every refused line or hash that does not recompute. */
  problems: { line: number; message: string }[];
  seconds: number;
}

const HEX_64 = /^[0-9a-f]{64}$/;

/** In a worker: strict parse, the event's own hash recomputed, its leaf hash; the chain links are the main thread's. */
function verifyChunk(task: ChunkTask): ChunkResult {
  const start = process.hrtime.bigint();
  const fd = openSync(task.file, 'r');
  const buffer = Buffer.allocUnsafe(task.end - task.start);
  try {
    let read = 0;
    while (read < buffer.length) read += readSync(fd, buffer, read, buffer.length - read, task.start + read);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const count = lines.length;
  const result: ChunkResult = {
    count,
    streamIds: new Array<string>(count),
    eventIds: new Array<string>(count),
    revisions: new Float64Array(count),
    positions: new Float64Array(count),
    prevHashes: new Uint8Array(32 * count),
    hashes: new Uint8Array(32 * count),
    leaves: new Uint8Array(32 * count),
    problems: [],
    seconds: 0,
  };
  for (let i = 0; i < count; i++) {
    const parsed = parseExportLine(lines[i]);
    if (!parsed.ok) {
      result.problems.push({ line: i, message: parsed.message });
      continue;
    }
    const e = parsed.event;
    if (!HEX_64.test(e.hash) || !HEX_64.test(e.prevHash) || e.streamRevision < 0) {
      result.problems.push({ line: i, message: 'MALFORMED' });
      continue;
    }
    if (hashEvent(toHashedFields(e)) !== e.hash) result.problems.push({ line: i, message: `HASH_MISMATCH of ${e.eventId}` });
    result.streamIds[i] = e.streamId;
    result.eventIds[i] = e.eventId;
    result.revisions[i] = e.streamRevision;
    result.positions[i] = e.globalPosition;
    result.prevHashes.set(Buffer.from(e.prevHash, 'hex'), 32 * i);
    const entry = entryOf(e.hash);
    result.hashes.set(entry, 32 * i);
    result.leaves.set(leafHash(entry), 32 * i);
  }
  result.seconds = seconds(start);
  return result;
}

/** Byte ranges of about equal size that start and end on line boundaries. */
function lineAlignedRanges(file: string, parts: number): { start: number; end: number }[] {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const probe = Buffer.alloc(64 * 1024);
  const cuts = [0];
  try {
    for (let p = 1; p < parts; p++) {
      let at = Math.max(Math.floor((size * p) / parts), cuts[cuts.length - 1]);
      for (;;) {
        const n = readSync(fd, probe, 0, probe.length, at);
        if (n === 0) {
          at = size;
          break;
        }
        const newline = probe.subarray(0, n).indexOf(0x0a);
        if (newline >= 0) {
          at += newline + 1;
          break;
        }
        at += n;
      }
      cuts.push(at);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(size);
  return cuts
    .slice(0, -1)
    .map((start, i) => ({ start, end: cuts[i + 1] }))
    .filter((r) => r.end > r.start);
}

function runChunk(task: ChunkTask): Promise<ChunkResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: task });
    worker.once('message', (result: ChunkResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`worker exited with ${code}`));
    });
  });
}

/**
 * `workers` threads each parse and hash a contiguous byte range (the expensive part: strict JSON,
 * canonical JSON, SHA-256 of every event and leaf); the main thread takes the ranges in order
 * and checks what spans them: the per-stream links (revision n+1's prevHash = revision n's
 * hash), unique ids, increasing positions, and folds the leaf hashes into the tree.
 */
export async function verifyExportParallel(
  file: string,
  workers: number,
): Promise<{ seconds: number; workerSeconds: number; mainSeconds: number; root: Buffer; problems: number }> {
  const start = process.hrtime.bigint();
  const ranges = lineAlignedRanges(file, workers);
  const results = ranges.map((range) => runChunk({ kind: 'ledger-bench-log-chunk', file, ...range }));
  const heads = new Map<string, { revision: number; hash: Buffer }>();
  const ids = new Set<string>();
  const tree = new StreamingTree();
  const genesis = Buffer.from(GENESIS_HASH, 'hex');
  let lastPosition = 0;
  let problems = 0;
  let workerSeconds = 0;
  let mainSeconds = 0;
  for (const pending of results) {
    const chunk = await pending;
    const mainStart = process.hrtime.bigint();
    workerSeconds = Math.max(workerSeconds, chunk.seconds);
    problems += chunk.problems.length;
    const refused = new Set(chunk.problems.map((p) => p.line));
    const hashes = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset, chunk.hashes.byteLength);
    const prevHashes = Buffer.from(chunk.prevHashes.buffer, chunk.prevHashes.byteOffset, chunk.prevHashes.byteLength);
    const leaves = Buffer.from(chunk.leaves.buffer, chunk.leaves.byteOffset, chunk.leaves.byteLength);
    for (let i = 0; i < chunk.count; i++) {
      if (refused.has(i)) continue;
      const streamId = chunk.streamIds[i];
      const revision = chunk.revisions[i];
      const hash = hashes.subarray(32 * i, 32 * i + 32);
      const head = heads.get(streamId);
      const expected = head === undefined ? 0 : head.revision + 1;
      const expectedPrev = head === undefined ? genesis : head.hash;
      if (revision !== expected || !prevHashes.subarray(32 * i, 32 * i + 32).equals(expectedPrev)) problems++;
      heads.set(streamId, { revision, hash });
      if (ids.has(chunk.eventIds[i])) problems++;
      ids.add(chunk.eventIds[i]);
      if (!(chunk.positions[i] > lastPosition)) problems++;
      lastPosition = chunk.positions[i];
      tree.append(leaves.subarray(32 * i, 32 * i + 32));
    }
    mainSeconds += seconds(mainStart);
  }
  return { seconds: seconds(start), workerSeconds, mainSeconds, root: tree.root(), problems };
}

export async function measureExportVerify(events: number, workers: number): Promise<ExportVerifyFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-log-export-'));
  try {
    const file = join(dir, 'export.jsonl');
    let start = process.hrtime.bigint();
    const written = writeExport(file, events);
    const generateSeconds = seconds(start);
    const single = await verifyExportSingle(file);
    start = process.hrtime.bigint();
    const parallel = await verifyExportParallel(file, workers);
    if (parallel.problems !== 0) throw new Error(`the parallel verifier found ${parallel.problems} problems in the generated export`);
    return {
      ...written,
      generateSeconds,
      single: { parseSeconds: single.parseSeconds, chainSeconds: single.chainSeconds, merkleSeconds: single.merkleSeconds },
      parallel: {
        workers,
        seconds: parallel.seconds,
        workerSeconds: parallel.workerSeconds,
        mainSeconds: parallel.mainSeconds,
        rootsAgree: parallel.root.equals(single.root),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Proof latency in a store of `events` events.

function latency(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
}

/** 1,000-event appends, each to a stream of its own: events from the appraisal generator, fresh ids. */
function batchOf(size: number, seed: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let n = seed; events.length < size; n++) {
    for (const event of appraisalEvents(n).events) if (events.length < size) events.push(event);
  }
  return events;
}

const random = (below: number) => Math.floor(Math.random() * below);

export async function measureProofs(events: number, samples: number, batch = 1_000): Promise<ProofFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-log-proofs-'));
  const path = join(dir, 'events.sqlite');
  const logSigner = NoteSigner.fromKey(NoteSigner.generateKey('bench.local/log'));
  const store = SqliteEventStore.open({ path, synchronous: 'NORMAL', logSigner });
  try {
    let start = process.hrtime.bigint();
    let checkpoints = 0;
    for (let done = 0; done < events; done += batch) {
      await store.append(`bench-log-${checkpoints}`, 'no_stream', batchOf(Math.min(batch, events - done), checkpoints * 40));
      checkpoints++;
    }
    const buildSeconds = seconds(start);
    const size = store.log.size();
    const fullRoot = store.log.root(size);

    const inclusion: number[] = [];
    const inclusionVerify: number[] = [];
    const consistency: number[] = [];
    const consistencyVerify: number[] = [];
    const roots: number[] = [];
    let inclusionHashes = 0;
    let consistencyHashes = 0;
    for (let i = 0; i < samples; i++) {
      const index = random(size);
      start = process.hrtime.bigint();
      const proof = store.log.inclusionProof(index, size);
      inclusion.push(ms(start));
      inclusionHashes += proof.length;
      const leaf = leafHash(entryOf((store.log.leaf(index) as { hash: string }).hash));
      start = process.hrtime.bigint();
      const included = verifyInclusion(index, size, leaf, proof, fullRoot);
      inclusionVerify.push(ms(start));
      if (!included) throw new Error(`inclusion proof of leaf ${index} does not verify`);

      const a = 1 + random(size - 1);
      const b = a + 1 + random(size - a);
      start = process.hrtime.bigint();
      const rootA = store.log.root(a);
      roots.push(ms(start));
      const rootB = store.log.root(b);
      start = process.hrtime.bigint();
      const cproof = store.log.consistencyProof(a, b);
      consistency.push(ms(start));
      consistencyHashes += cproof.length;
      start = process.hrtime.bigint();
      const consistent = verifyConsistency(a, rootA, b, rootB, cproof);
      consistencyVerify.push(ms(start));
      if (!consistent) throw new Error(`consistency proof ${a} -> ${b} does not verify`);
    }
    return {
      events: size,
      buildSeconds,
      checkpoints,
      fileBytes: statSync(path).size,
      inclusion: latency(inclusion),
      inclusionVerify: latency(inclusionVerify),
      consistency: latency(consistency),
      consistencyVerify: latency(consistencyVerify),
      root: latency(roots),
      meanInclusionHashes: inclusionHashes / samples,
      meanConsistencyHashes: consistencyHashes / samples,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 4. The log on the command path: single-event appends with an expected revision.

const COMMAND_STREAMS = 200;

export async function measureCommandPath(sync: 'FULL' | 'NORMAL', appends: number, rounds: number): Promise<CommandPathFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-log-commands-'));
  const logSigner = NoteSigner.fromKey(NoteSigner.generateKey('bench.local/log'));
  const stores = {
    without: SqliteEventStore.open({ path: join(dir, 'without.sqlite'), synchronous: sync }),
    with: SqliteEventStore.open({ path: join(dir, 'with.sqlite'), synchronous: sync, logSigner }),
  };
  const template = appraisalEvents(0).events[4]; // FeedbackGiven, ~500 bytes canonical
  const revisions = { without: new Map<string, number>(), with: new Map<string, number>() };
  const round = async (which: 'without' | 'with', offset: number): Promise<number> => {
    const store = stores[which];
    const heads = revisions[which];
    const start = process.hrtime.bigint();
    for (let i = 0; i < appends; i++) {
      const streamId = `appraisal-bench-cmd-${(offset + i) % COMMAND_STREAMS}`;
      const expected = heads.get(streamId) ?? 'no_stream';
      const event = {
        ...template,
        eventId: randomUUID(),
        metadata: { ...template.metadata, correlationId: randomUUID(), causationId: randomUUID() },
      };
      const { nextExpectedRevision } = await store.append(streamId, expected, [event]);
      heads.set(streamId, nextExpectedRevision);
    }
    return appends / seconds(start);
  };
  try {
    await round('without', 0); // warm-up: statements, page cache, JIT
    await round('with', 0);
    const figures: CommandPathFigures = { sync, appendsPerRound: appends, withoutLog: [], withLog: [] };
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always follows the other's checkpoint/fsync pattern.
      const order: ('without' | 'with')[] = r % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const which of order) (which === 'with' ? figures.withLog : figures.withoutLog).push(await round(which, (r + 1) * appends));
    }
    return figures;
  } finally {
    await stores.without.close();
    await stores.with.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

export async function measureLog(options: LogBenchOptions, progress: (text: string) => void = () => undefined): Promise<LogFigures> {
  progress('log: SHA-256 ceiling');
  const sha = [33, 65, 600].map((bytes) => shaCeiling(bytes));
  const ed25519 = ed25519SignsPerSec();
  progress(`log: export of ${options.exportEvents.toLocaleString('en-US')} events`);
  const exportVerify = await measureExportVerify(options.exportEvents, options.workers);
  progress(`log: store of ${options.storeEvents.toLocaleString('en-US')} events with the log`);
  const proofs = await measureProofs(options.storeEvents, options.proofSamples);
  progress('log: command path');
  const commandPath: CommandPathFigures[] = [];
  for (const sync of ['FULL', 'NORMAL'] as const) commandPath.push(await measureCommandPath(sync, options.appends, options.rounds));
  return { sha, ed25519SignsPerSec: ed25519, exportVerify, proofs, commandPath };
}

export function logOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LogBenchOptions {
  const int = (name: string, fallback: number) => Number.parseInt(env[name] ?? '', 10) || fallback;
  const exportEvents = int('LEDGER_BENCH_LOG_EVENTS', 1_000_000);
  return {
    exportEvents,
    storeEvents: int('LEDGER_BENCH_LOG_STORE_EVENTS', exportEvents),
    proofSamples: int('LEDGER_BENCH_LOG_PROOFS', 2_000),
    appends: int('LEDGER_BENCH_LOG_APPENDS', 2_000),
    rounds: int('LEDGER_BENCH_LOG_ROUNDS', 3),
    workers: int('LEDGER_BENCH_LOG_WORKERS', Math.max(2, cpus().length)),
  };
}

export function printLogFigures(figures: LogFigures, out: NodeJS.WritableStream = process.stdout): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const msf = (n: number) => (n < 0.1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1));
  const pct = (n: number) => `${(100 * n).toFixed(0)}%`;
  const line = (label: string, value: string, note = '') => out.write(`${label.padEnd(44)} ${value.padStart(14)}  ${note}\n`);
  const [leaf, node, event] = figures.sha;

  out.write('SHA-256 ceiling (node:crypto createHash, one thread):\n');
  for (const s of figures.sha)
    line(
      `  ${s.bytes}-byte inputs: hashes/s`,
      fmt(s.hashesPerSec),
      `${s === leaf ? '(a leaf)' : s === node ? '(a node)' : '(a canonical event)'} createHash; one-shot crypto.hash ${fmt(s.oneShotPerSec)}/s`,
    );
  // Per event a verifier hashes its canonical JSON, its leaf and (amortised) one node.
  const perEventCeiling = 1 / (1 / event.hashesPerSec + 1 / leaf.hashesPerSec + 1 / node.hashesPerSec);
  line('  events/s if hashing were all', fmt(perEventCeiling), '(1 event + 1 leaf + 1 node hash per event, createHash)');
  line(
    '  Ed25519 signatures/s',
    fmt(figures.ed25519SignsPerSec),
    `${(1e6 / figures.ed25519SignsPerSec).toFixed(0)} µs per checkpoint signature`,
  );

  const v = figures.exportVerify;
  const s = v.single;
  const chainRate = v.events / (s.parseSeconds + s.chainSeconds);
  const fullRate = v.events / (s.parseSeconds + s.chainSeconds + s.merkleSeconds);
  out.write(
    `\nExport verification (${fmt(v.events)} events, ${fmt(v.streams)} streams, ${(v.bytes / 1e6).toFixed(0)} MB JSONL, ${fmt(v.meanCanonicalBytes)} B canonical per event; generated in ${v.generateSeconds.toFixed(1)} s):\n`,
  );
  line(
    '  one thread, parse + chain: events/s',
    fmt(chainRate),
    `parse ${s.parseSeconds.toFixed(2)} s, verifyEvents ${s.chainSeconds.toFixed(2)} s; ${pct(chainRate / event.hashesPerSec)} of the ${event.bytes}-byte hash ceiling`,
  );
  line(
    '  one thread, + Merkle root: events/s',
    fmt(fullRate),
    `StreamingTree ${s.merkleSeconds.toFixed(2)} s; ${pct(fullRate / perEventCeiling)} of the hashing-only events/s`,
  );
  line('    strict parse alone: lines/s', fmt(v.events / s.parseSeconds), 'readline + parseExportLine');
  line('    verifyEvents alone: events/s', fmt(v.events / s.chainSeconds), 'canonical JSON, SHA-256, links');
  line('    Merkle root alone: leaves/s', fmt(v.events / s.merkleSeconds), 'leafHash + StreamingTree');
  const p = v.parallel;
  const parallelRate = v.events / p.seconds;
  line(
    `  ${p.workers} workers, parse + chain + root: events/s`,
    fmt(parallelRate),
    `${p.seconds.toFixed(2)} s (slowest worker ${p.workerSeconds.toFixed(2)} s, main thread ${p.mainSeconds.toFixed(2)} s); ${(parallelRate / fullRate).toFixed(2)}× one thread; root ${p.rootsAgree ? 'agrees' : 'DISAGREES'}`,
  );

  const pr = figures.proofs;
  out.write(
    `\nProofs in a store of ${fmt(pr.events)} events (built in ${pr.buildSeconds.toFixed(1)} s = ${fmt(pr.events / pr.buildSeconds)} events/s, ${fmt(pr.checkpoints)} appends of 1,000 events, sync NORMAL; ${(pr.fileBytes / 1e6).toFixed(0)} MB):\n`,
  );
  const lat = (label: string, l: LatencyFigures, note = '') =>
    line(label, `${msf(l.p50Ms)} ms`, `p99 ${msf(l.p99Ms)} ms, max ${msf(l.maxMs)} ms, ${fmt(l.samples)} samples${note}`);
  lat('  inclusionProof (full tree): p50', pr.inclusion, `, ${pr.meanInclusionHashes.toFixed(1)} hashes`);
  lat('    verifyInclusion: p50', pr.inclusionVerify);
  lat('  consistencyProof (random sizes): p50', pr.consistency, `, ${pr.meanConsistencyHashes.toFixed(1)} hashes`);
  lat('    verifyConsistency: p50', pr.consistencyVerify);
  lat('  root(size) (random sizes): p50', pr.root);

  out.write('\nThe log on the command path (single-event appends, expected revision, ~500 B event):\n');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const c of figures.commandPath) {
    const without = median(c.withoutLog);
    const withLog = median(c.withLog);
    const rounds = (xs: number[]) => xs.map(fmt).join(', ');
    line(`  sync ${c.sync}, no log: appends/s`, fmt(without), `median of rounds ${rounds(c.withoutLog)} (${fmt(c.appendsPerRound)} each)`);
    line(`  sync ${c.sync}, with log: appends/s`, fmt(withLog), `median of rounds ${rounds(c.withLog)}`);
    line(
      `  sync ${c.sync}, with log / no log`,
      pct(withLog / without),
      `+${((1e6 * (1 / withLog - 1 / without)) | 0).toLocaleString('en-US')} µs per append (leaf, hashes, root, Ed25519 checkpoint)`,
    );
  }
}

/**
 * `node dist/bench/log.js` (after `npm run build`): these figures alone. LEDGER_BENCH_LOG_EVENTS
 * (export size, default 1,000,000), LEDGER_BENCH_LOG_STORE_EVENTS (proof store, default the same),
 * LEDGER_BENCH_LOG_PROOFS (samples, 2,000), LEDGER_BENCH_LOG_APPENDS (per round, 2,000),
 * LEDGER_BENCH_LOG_ROUNDS (3), LEDGER_BENCH_LOG_WORKERS (default the core count, at least 2).
 */
async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const figures = await measureLog(logOptionsFromEnv(), (text) => process.stderr.write(`${text}\n`));
  printLogFigures(figures);
  process.stdout.write(`\n(log bench took ${seconds(started).toFixed(0)} s)\n`);
}

if (!isMainThread && (workerData as ChunkTask | undefined)?.kind === 'ledger-bench-log-chunk') {
  const result = verifyChunk(workerData as ChunkTask);
  const transfer = [result.revisions, result.positions, result.prevHashes, result.hashes, result.leaves].map(
    (a) => a.buffer as ArrayBuffer,
  );
  parentPort?.postMessage(result, transfer);
} else if (isMainThread && require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
