import type { PoolClient } from 'pg';

/**
 * With synchronous replication a commit is flushed locally first, then waits for the standby.
 * That wait can end without the standby (the backend cancelled, terminated, or orphaned by a dead
 * postmaster): the transaction is then committed locally and visible on the primary, though no
 * standby has it, and a failover loses it. PostgreSQL reports the first case to the client only
 * as a WARNING on a successful COMMIT, the others by dropping the connection. So, on this store:
 * - a COMMIT that carries that warning is not an acknowledgement (NotReplicatedError, retried);
 * - what a read returns, and what a retry finds already stored, is confirmed by a commit of the
 *   reader's own that waits for the standby: WAL is one sequence, so once a later commit is on the
 *   standby, every commit the read saw is too.
 */
export class NotReplicatedError extends Error {
  constructor(detail: string) {
    super(`the commit is on the primary but no synchronous standby confirmed it (${detail}); it is checked again`);
    this.name = 'NotReplicatedError';
  }
}

/**
 * Writes one WAL record (a transactional logical message, allowed to any role) when synchronous
 * standbys are configured, so that the transaction's COMMIT waits for them; with none configured,
 * a commit visible on the primary is already flushed there, and nothing is written.
 */
export const DURABILITY_MARK_SQL = `SELECT pg_logical_emit_message(true, 'appraisal-ledger', '')
  WHERE current_setting('synchronous_standby_names') <> ''`;

/** The fields of a server notice (pg's 'notice' event) that tell a cut-short standby wait. */
interface Notice {
  severity?: string;
  code?: string;
  message?: string;
  detail?: string;
}

/** The server's words for "committed locally, the wait for the standby was cut short" (SyncRepWaitForLSN). */
function isCutShortWait(notice: Notice): boolean {
  const text = `${notice.message ?? ''} ${notice.detail ?? ''}`;
  return /synchronous replication|might not have been replicated/i.test(text) || (notice.severity === 'WARNING' && notice.code === '57P01');
}

/** COMMIT on `client`, refused (NotReplicatedError) when the server says the standby wait was cut short. */
export async function commitReplicated(client: PoolClient): Promise<void> {
  let cutShort: string | undefined;
  const hear = (notice: Notice): void => {
    if (isCutShortWait(notice)) cutShort = notice.message ?? 'warning';
  };
  client.on('notice', hear);
  try {
    await client.query('COMMIT');
  } finally {
    client.off('notice', hear);
  }
  if (cutShort !== undefined) throw new NotReplicatedError(cutShort);
}

/**
 * Runs `read` in a transaction of its own on one connection, then the durability mark, then
 * COMMIT: it returns only what a synchronous standby has (see above).
 */
export async function readReplicated<T>(client: PoolClient, read: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE');
  try {
    const result = await read();
    await client.query(DURABILITY_MARK_SQL);
    await commitReplicated(client);
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
