import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { leafHash, type StoredCheckpoint } from '@ledger/event-store';
import type { LedgerConfig } from '../config/config';
import { LedgerRuntime, type LedgerLog } from '../platform/ledger-runtime';
import { CONFIG } from '../platform/ports';
import { ProblemException } from '../problems/problem';
import { WitnessClient } from './witness-client';

const TILE_WIDTH = 256;

export interface ReadProof {
  checkpoint: string;
  treeSize: number;
  root: string;
  verifierKey: string;
  published: boolean;
  inclusions: { eventId: string; leafIndex: number | null; hashes: string[] }[];
}

/** Reads of the log for the HTTP edge, and the witness client's lifecycle. */
@Injectable()
export class LedgerLogService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ledgerLog: LedgerLog | undefined;
  readonly witnesses: WitnessClient | undefined;

  constructor(
    @Inject(LedgerRuntime) runtime: LedgerRuntime,
    @Inject(CONFIG) private readonly config: LedgerConfig,
  ) {
    this.ledgerLog = runtime.log;
    this.witnesses =
      runtime.log === undefined ? undefined : new WitnessClient(runtime.log.store, config.log.witnesses, config.log.witnessIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.witnesses?.start();
  }

  // Before the runtime closes the store (onApplicationShutdown): no witness round may find it closed.
  async beforeApplicationShutdown(): Promise<void> {
    await this.witnesses?.stop();
  }

  private get log(): LedgerLog {
    // Every configuration keeps a log (the embedded store in its file, a server store by a follower).
    if (this.ledgerLog === undefined) throw new Error('the ledger runtime opened no Merkle log');
    return this.ledgerLog;
  }

  verifierKey(): string {
    return this.log.signer.verifierKey;
  }

  keys() {
    return { origin: this.log.signer.name, keys: this.log.signer.keys() };
  }

  /** The note of a checkpoint with every cosignature it has. */
  private noteOf(checkpoint: StoredCheckpoint): string {
    return (
      checkpoint.note +
      this.log.store
        .cosignatures(checkpoint.size)
        .map((c) => c.line)
        .join('')
    );
  }

  publishedNote(): string {
    const checkpoint = this.log.store.latestWithCosignatures(this.config.log.quorum);
    if (checkpoint === undefined) {
      throw new ProblemException(
        'CHECKPOINT_NOT_FOUND',
        'No checkpoint is published yet (nothing appended, or not yet cosigned by the quorum)',
      );
    }
    return this.noteOf(checkpoint);
  }

  noteOfSize(size: number): string {
    const checkpoint = this.log.store.checkpoint(size);
    if (checkpoint === undefined)
      throw new ProblemException('CHECKPOINT_NOT_FOUND', `No checkpoint was signed at tree size ${size}`, { details: { size } });
    return this.noteOf(checkpoint);
  }

  status() {
    const store = this.log.store;
    const summary = (checkpoint: StoredCheckpoint | undefined) =>
      checkpoint === undefined
        ? null
        : {
            size: checkpoint.size,
            root: checkpoint.root.toString('base64'),
            signedAt: checkpoint.signedAt,
            cosignatures: store.cosignatures(checkpoint.size).map((c) => ({ cosigner: c.cosigner, cosignedAt: c.cosignedAt })),
          };
    return {
      origin: this.log.signer.name,
      verifierKey: this.log.signer.verifierKey,
      treeSize: store.size(),
      latest: summary(store.latestCheckpoint()),
      published: summary(store.latestWithCosignatures(this.config.log.quorum)),
      quorum: this.config.log.quorum,
      witnesses: this.witnesses?.status() ?? [],
    };
  }

  private assertTreeSize(treeSize: number): void {
    const size = this.log.store.size();
    if (treeSize > size) {
      throw new ProblemException('TREE_SIZE_AHEAD', `The log has ${size} leaves; tree size ${treeSize} does not exist yet`, {
        details: { treeSize, size },
      });
    }
  }

  inclusion(which: { eventId: string } | { leafIndex: number }, treeSizeGiven: number | undefined) {
    const store = this.log.store;
    const treeSize = treeSizeGiven ?? store.size();
    this.assertTreeSize(treeSize);
    const leaf = 'eventId' in which ? store.leafOfEvent(which.eventId) : store.leaf(which.leafIndex);
    if (leaf === undefined || leaf.leafIndex >= treeSize) {
      throw new ProblemException('LEAF_NOT_FOUND', `No such leaf in the tree of size ${treeSize}`, { details: { ...which, treeSize } });
    }
    return {
      leafIndex: leaf.leafIndex,
      treeSize,
      eventId: leaf.eventId,
      eventHash: leaf.hash,
      leafHash: leafHash(Buffer.from(leaf.hash, 'hex')).toString('base64'),
      hashes: store.inclusionProof(leaf.leafIndex, treeSize).map((h) => h.toString('base64')),
      root: store.root(treeSize).toString('base64'),
    };
  }

  /** Waits (a few seconds at most) until the log holds `position`: a follower of a server store trails it by a batch. */
  async caughtUp(position: number): Promise<void> {
    await this.ledgerLog?.follower?.waitFor(position, 3_000);
  }

  /** The newest checkpoint whose tree ends at or before `position` (undefined without a log, or before the first). */
  checkpointCovering(position: number): { origin: string; treeSize: number; root: string; note: string } | undefined {
    const checkpoint = this.ledgerLog?.store.checkpointCovering(position);
    if (checkpoint === undefined || this.ledgerLog === undefined) return undefined;
    return {
      origin: this.ledgerLog.signer.name,
      treeSize: checkpoint.size,
      root: checkpoint.root.toString('base64'),
      note: checkpoint.note,
    };
  }

  /**
   * A verified read's proof: the latest signed checkpoint (with its cosignatures) and, for each
   * event, its inclusion proof in that tree. A client recomputes each event's hash from its fields
   * (docs/ledger-format.md), then its leaf, then the root, and checks the note's signature with the
   * log key it trusts: it need not trust this server.
   */
  proofOf(eventIds: readonly string[]): ReadProof {
    const store = this.log.store;
    const checkpoint = store.latestCheckpoint();
    if (checkpoint === undefined) throw new ProblemException('CHECKPOINT_NOT_FOUND', 'Nothing is signed yet');
    const cosignatures = store.cosignatures(checkpoint.size);
    return {
      checkpoint: this.noteOf(checkpoint),
      treeSize: checkpoint.size,
      root: checkpoint.root.toString('base64'),
      verifierKey: this.log.signer.verifierKey,
      published: cosignatures.length >= this.config.log.quorum,
      inclusions: eventIds.map((eventId) => {
        const leaf = store.leafOfEvent(eventId);
        if (leaf === undefined || leaf.leafIndex >= checkpoint.size) {
          // Not in the signed tree: the client is told, not handed a proof that cannot exist.
          return { eventId, leafIndex: null, hashes: [] };
        }
        return {
          eventId,
          leafIndex: leaf.leafIndex,
          hashes: store.inclusionProof(leaf.leafIndex, checkpoint.size).map((h) => h.toString('base64')),
        };
      }),
    };
  }

  consistency(from: number, to: number) {
    this.assertTreeSize(to);
    return { from, to, hashes: this.log.store.consistencyProof(from, to).map((h) => h.toString('base64')) };
  }

  /** A C2SP tlog-tiles resource: <L>/<N>[.p/<W>] or entries/<N>[.p/<W>]. */
  tile(path: string): Buffer {
    const parsed = parseTilePath(path);
    const notFound = () => new ProblemException('TILE_NOT_FOUND', `No tile at ${path} in a tree of size ${this.log.store.size()}`);
    if (parsed === undefined) throw notFound();
    if (parsed.level === 'entries') {
      const first = parsed.index * TILE_WIDTH;
      if (first + parsed.width > this.log.store.size()) throw notFound();
      const leaves = this.log.store.leaves(first, first + parsed.width);
      return Buffer.concat(leaves.flatMap((leaf) => [Buffer.from([0, 32]), Buffer.from(leaf.hash, 'hex')]));
    }
    const tile = this.log.store.tile(parsed.level, parsed.index, parsed.width);
    if (tile === undefined) throw notFound();
    return tile;
  }
}

/** Parses a tile path; undefined when it is not one (a non-canonical index spelling included). */
export function parseTilePath(path: string): { level: number | 'entries'; index: number; width: number } | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  const head = parts[0];
  let level: number | 'entries';
  if (head === 'entries') level = 'entries';
  else if (/^(0|[1-9][0-9]?)$/.test(head) && Number(head) <= 63) level = Number(head);
  else return undefined;
  const rest = parts.slice(1);
  let width = TILE_WIDTH;
  if (rest.length >= 2 && rest[rest.length - 2].endsWith('.p')) {
    const w = rest.pop() as string;
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) > 255) return undefined;
    width = Number(w);
    rest[rest.length - 1] = rest[rest.length - 1].slice(0, -2);
  }
  if (rest.length === 0) return undefined;
  let digits = '';
  for (let i = 0; i < rest.length; i++) {
    const element = rest[i];
    const pattern = i < rest.length - 1 ? /^x([0-9]{3})$/ : /^([0-9]{3})$/;
    const match = pattern.exec(element);
    if (match === null) return undefined;
    digits += match[1];
  }
  // One spelling per index: no leading all-zero elements (x000/001 is 001).
  if (rest.length > 1 && rest[0] === 'x000') return undefined;
  const index = Number(digits);
  if (!Number.isSafeInteger(index)) return undefined;
  return { level, index, width };
}
