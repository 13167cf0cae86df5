import { fromBase64, fromHex, sha256, toHex, utf8 } from './bytes';
import { canonicalJson } from './jcs';
import { leafHash, verifyInclusion } from './merkle';
import { hasValidSignature, parseCheckpoint, parseVerifierKey } from './note';

/** An event as `/history` and `/audit-trail?proof=true` return it (docs/ledger-format.md, "One event"). */
export interface LedgerEvent {
  eventId: string;
  streamId: string;
  streamRevision: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ReadProof {
  checkpoint: string;
  treeSize: number;
  root: string;
  verifierKey: string;
  published: boolean;
  inclusions: { eventId: string; leafIndex: number | null; hashes: string[] }[];
}

export type ProblemKind =
  | 'HASH_MISMATCH'
  | 'BROKEN_LINK'
  | 'REVISION_GAP'
  | 'NOT_INCLUDED'
  | 'INCLUSION_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'SIGNATURE_INVALID'
  | 'KEY_MISMATCH'
  | 'ROOT_MISMATCH';

export interface Problem {
  kind: ProblemKind;
  revision?: number;
  eventId?: string;
}

export interface LedgerCheck {
  ok: boolean;
  eventsChecked: number;
  /** The checkpoint the events were proved into (null when it could not be read). */
  treeSize: number | null;
  origin: string | null;
  /** Names on the checkpoint other than the ledger's: witnesses' cosignatures (listed, not checked here). */
  cosigners: string[];
  problems: Problem[];
}

const ZERO_HASH = '0'.repeat(64);

/** The hash of docs/ledger-format.md: SHA-256 over the JCS form of exactly these eight members. */
export async function eventHash(event: LedgerEvent): Promise<string> {
  const { eventId, streamId, streamRevision, type, schemaVersion, data, metadata, prevHash } = event;
  return toHex(await sha256(utf8(canonicalJson({ eventId, streamId, streamRevision, type, schemaVersion, data, metadata, prevHash }))));
}

/**
 * Everything the browser checks itself, trusting nothing the server says about it: each event's
 * hash recomputed, the chain from revision 0 (or from the first event shown), the checkpoint's
 * Ed25519 signature with `logKey` (from /log/key: compare it with the key the operator published),
 * and each event's RFC 9162 inclusion proof against the signed root.
 */
export async function checkLedgerRead(events: readonly LedgerEvent[], proof: ReadProof, logKey: string): Promise<LedgerCheck> {
  const problems: Problem[] = [];
  const ordered = [...events].sort((a, b) => a.streamRevision - b.streamRevision);
  for (const [i, event] of ordered.entries()) {
    const at = { revision: event.streamRevision, eventId: event.eventId };
    if ((await eventHash(event)) !== event.hash) problems.push({ kind: 'HASH_MISMATCH', ...at });
    if (event.streamRevision !== i) problems.push({ kind: 'REVISION_GAP', ...at });
    const expectedPrev = i === 0 ? ZERO_HASH : ordered[i - 1].hash;
    if (event.prevHash !== expectedPrev) problems.push({ kind: 'BROKEN_LINK', ...at });
  }

  let checkpoint;
  try {
    checkpoint = parseCheckpoint(proof.checkpoint);
  } catch {
    return {
      ok: false,
      eventsChecked: ordered.length,
      treeSize: null,
      origin: null,
      cosigners: [],
      problems: [...problems, { kind: 'CHECKPOINT_MALFORMED' }],
    };
  }
  let signed = false;
  try {
    const key = await parseVerifierKey(logKey);
    if (key.name !== checkpoint.origin || proof.verifierKey.trim() !== logKey.trim()) problems.push({ kind: 'KEY_MISMATCH' });
    signed = await hasValidSignature(checkpoint, key);
  } catch {
    problems.push({ kind: 'KEY_MISMATCH' });
  }
  if (!signed) problems.push({ kind: 'SIGNATURE_INVALID' });
  if (proof.root !== btoaOf(checkpoint.root) || proof.treeSize !== checkpoint.size) problems.push({ kind: 'ROOT_MISMATCH' });

  const inclusions = new Map(proof.inclusions.map((p) => [p.eventId, p]));
  for (const event of ordered) {
    const at = { revision: event.streamRevision, eventId: event.eventId };
    const inclusion = inclusions.get(event.eventId);
    if (inclusion === undefined || inclusion.leafIndex === null) {
      problems.push({ kind: 'NOT_INCLUDED', ...at });
      continue;
    }
    let valid: boolean;
    try {
      const leaf = await leafHash(fromHex(event.hash));
      valid = await verifyInclusion(inclusion.leafIndex, checkpoint.size, leaf, inclusion.hashes.map(fromBase64), checkpoint.root);
    } catch {
      valid = false;
    }
    if (!valid) problems.push({ kind: 'INCLUSION_INVALID', ...at });
  }
  const cosigners = checkpoint.signatures.map((s) => s.name).filter((name) => name !== checkpoint.origin);
  return {
    ok: problems.length === 0,
    eventsChecked: ordered.length,
    treeSize: checkpoint.size,
    origin: checkpoint.origin,
    cosigners,
    problems,
  };
}

const btoaOf = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
