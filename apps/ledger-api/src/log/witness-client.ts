import { Logger } from '@nestjs/common';
import {
  NoteError,
  parseNote,
  parseVerifierKey,
  validCosignatureTime,
  type SqliteMerkleLog,
  type StoredCheckpoint,
  type VerifierKey,
} from '@ledger/event-store';

/** A witness's answer that is evidence: it would not cosign what the ledger showed it. */
export interface WitnessRefusal {
  at: string;
  treeSize: number;
  oldSize: number;
  status: number;
  body: string;
}

export interface WitnessStatus {
  name: string;
  url: string;
  /** The largest tree size this witness has cosigned for the ledger (from the stored cosignatures). */
  cosignedSize: number;
  /** The size the witness says it holds, as last learned (its 409 answers included). */
  witnessSize: number | null;
  lastError: string | null;
  refusals: WitnessRefusal[];
}

interface Witness {
  url: string;
  key: VerifierKey;
  witnessSize: number | null;
  lastError: string | null;
  refusals: WitnessRefusal[];
}

const MAX_REFUSALS_KEPT = 20;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Takes the newest checkpoint to each witness (C2SP tlog-witness add-checkpoint) with a
 * consistency proof from the size the witness last cosigned, and stores the cosignatures it
 * returns after checking them with the witness's key. Checkpoints are signed per commit; a witness
 * is given only the newest one at each round (every later checkpoint is consistent with the ones
 * it skipped, or the witness refuses). A 409 tells the witness's size: the ledger proves from
 * there. A 422 is the witness refusing a history inconsistent with one it saw: kept as evidence,
 * logged as an error, never retried into acceptance.
 */
export class WitnessClient {
  private readonly logger = new Logger('Witnesses');
  private readonly witnesses: Witness[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly log: SqliteMerkleLog,
    witnesses: readonly { url: string; key: string }[],
    private readonly intervalMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.witnesses = witnesses.map((w) => ({ url: w.url, key: parseVerifierKey(w.key), witnessSize: null, lastError: null, refusals: [] }));
  }

  get count(): number {
    return this.witnesses.length;
  }

  start(): void {
    if (this.witnesses.length === 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.round().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  /** One round: the newest checkpoint to every witness that has not cosigned it. Tests call it directly. */
  async round(): Promise<void> {
    const latest = this.log.latestCheckpoint();
    if (latest === undefined) return;
    await Promise.all(this.witnesses.map((witness) => this.submit(witness, latest)));
  }

  status(): WitnessStatus[] {
    return this.witnesses.map((w) => ({
      name: w.key.name,
      url: w.url,
      cosignedSize: this.log.latestCosignedSize(w.key.name),
      witnessSize: w.witnessSize,
      lastError: w.lastError,
      refusals: [...w.refusals],
    }));
  }

  private async submit(witness: Witness, checkpoint: StoredCheckpoint): Promise<void> {
    if (this.log.cosignatures(checkpoint.size).some((c) => c.cosigner === witness.key.name)) return;
    let oldSize = witness.witnessSize ?? this.log.latestCosignedSize(witness.key.name);
    // At most two tries: the second with the size a 409 told.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (oldSize > checkpoint.size) {
        this.refused(witness, checkpoint, oldSize, 409, `the witness holds size ${oldSize}, larger than the ledger's ${checkpoint.size}`);
        return;
      }
      const proof = oldSize === 0 ? [] : this.log.consistencyProof(oldSize, checkpoint.size);
      const body = `old ${oldSize}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${checkpoint.note}`;
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${witness.url}/add-checkpoint`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        text = await response.text();
      } catch (error) {
        witness.lastError = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
        return;
      }
      if (response.status === 200) {
        this.accept(witness, checkpoint, text);
        return;
      }
      if (response.status === 409 && /^(0|[1-9][0-9]*)\n$/.test(text)) {
        oldSize = Number(text.trim());
        witness.witnessSize = oldSize;
        continue;
      }
      if (response.status === 422 || response.status === 409) {
        this.refused(witness, checkpoint, oldSize, response.status, text);
        return;
      }
      witness.lastError = `HTTP ${response.status}: ${text.trim().slice(0, 200)}`;
      return;
    }
  }

  private accept(witness: Witness, checkpoint: StoredCheckpoint, text: string): void {
    let time: number | undefined;
    let line: string | undefined;
    try {
      const lines = text.split('\n').filter((l) => l !== '');
      for (const candidate of lines) {
        const t = validCosignatureTime(parseNote(`${checkpoint.note}${candidate}\n`), witness.key);
        if (t !== undefined) {
          time = t;
          line = `${candidate}\n`;
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
    }
    if (time === undefined || line === undefined) {
      witness.lastError = `answered 200 without a valid cosignature of ${witness.key.name}`;
      return;
    }
    this.log.addCosignature({
      size: checkpoint.size,
      cosigner: witness.key.name,
      line,
      cosignedAt: time,
      receivedAt: this.now().toISOString(),
    });
    witness.witnessSize = checkpoint.size;
    witness.lastError = null;
  }

  private refused(witness: Witness, checkpoint: StoredCheckpoint, oldSize: number, status: number, body: string): void {
    const refusal = { at: this.now().toISOString(), treeSize: checkpoint.size, oldSize, status, body: body.trim().slice(0, 500) };
    if (!witness.refusals.some((r) => r.treeSize === refusal.treeSize && r.status === refusal.status)) {
      witness.refusals.push(refusal);
      if (witness.refusals.length > MAX_REFUSALS_KEPT) witness.refusals.shift();
      this.logger.error(
        `witness ${witness.key.name} REFUSED checkpoint ${checkpoint.size} (from size ${oldSize}): HTTP ${status} ${refusal.body}. ` +
          'A witness refuses a history that is not consistent with one it cosigned: the store may have been rewritten.',
      );
    }
    witness.lastError = `refused checkpoint ${checkpoint.size}: HTTP ${status}`;
  }
}
