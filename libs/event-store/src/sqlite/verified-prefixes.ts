import { createHash, type Hash } from 'node:crypto';
import type { EventRowValues } from './rows';

/**
 * Which leading rows of a stream are byte for byte rows whose hashes were recomputed before, so a
 * verified read need not canonicalise and hash them again (about 0.7 ms a command on a 30-event
 * stream). Kept per stream: the number of rows verified and a SHA-256 over their every column, each
 * column length-prefixed (so no two different rows lists give the same bytes). A row edited, moved,
 * inserted or removed since changes that digest: the whole stream is then verified again. Bounded:
 * the least recently read streams are forgotten first.
 */
export class VerifiedPrefixes {
  private readonly streams = new Map<string, { rows: number; digest: string }>();

  constructor(private readonly maxStreams = 10_000) {}

  /**
   * How many leading rows are known to verify (0: none), and a function to call once all `rows`
   * have verified, which remembers them.
   */
  check(streamId: string, rows: readonly EventRowValues[]): { hashesVerified: number; verified: () => void } {
    const known = this.streams.get(streamId);
    const hash = createHash('sha256');
    let hashesVerified = 0;
    let i = 0;
    if (known !== undefined && known.rows <= rows.length) {
      for (; i < known.rows; i++) update(hash, rows[i]);
      if (hash.copy().digest('hex') === known.digest) hashesVerified = known.rows;
    }
    return {
      hashesVerified,
      verified: () => {
        // Rows before i are in `hash` already; a prefix that did not match was verified in full all the same.
        for (; i < rows.length; i++) update(hash, rows[i]);
        this.streams.delete(streamId);
        this.streams.set(streamId, { rows: rows.length, digest: hash.digest('hex') });
        if (this.streams.size > this.maxStreams) this.streams.delete(this.streams.keys().next().value as string);
      },
    };
  }

  /** Streams remembered (tests). */
  size(): number {
    return this.streams.size;
  }
}

/** One update per row (each call into the hash costs more than the bytes it hashes here). */
function update(hash: Hash, row: EventRowValues): void {
  let text = '';
  for (const column of row) {
    const value = String(column);
    text += `${value.length}:${value}`;
  }
  hash.update(text);
}
