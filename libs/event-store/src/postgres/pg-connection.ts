import { Client, type ClientConfig } from 'pg';

/** The PostgreSQL servers given, none of which is (or is any longer) a reachable primary. */
export class PostgresUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PostgresUnavailableError';
  }
}

/** A connection string without its password, for messages and logs. */
export function redactPostgresUrl(address: string): string {
  return address.replace(/\/\/([^:/@,]+):[^@]*@/g, '//$1:***@');
}

/**
 * One address per server, from either form an operator may have:
 * - libpq's multi-host URL: postgres://user:pass@h1:5432,h2:5433/db?target_session_attrs=read-write
 * - a comma-separated list of whole URLs: postgres://…@h1/db,postgres://…@h2/db
 * target_session_attrs may be absent, read-write or primary (an event store writes: it always
 * looks for the primary); anything else is refused. node-postgres itself takes one host only.
 */
export function splitPostgresHosts(connectionString: string): string[] {
  const trimmed = connectionString.trim();
  const scheme = /^postgres(ql)?:\/\//;
  const parts = trimmed.split(/,(?=\s*postgres(?:ql)?:\/\/)/).map((part) => part.trim());
  if (parts.some((part) => !scheme.test(part))) {
    throw new TypeError(`not a postgres:// connection string: "${redactPostgresUrl(trimmed)}"`);
  }
  return parts.flatMap((part) => {
    const match = /^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)([^/?#]*)(.*)$/.exec(part);
    if (match === null) throw new TypeError(`not a postgres:// connection string: "${redactPostgresUrl(part)}"`);
    const [, prefix, hostList, rest] = match;
    const query = rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : '';
    const params = new URLSearchParams(query);
    const attrs = params.get('target_session_attrs');
    if (attrs !== null && attrs !== 'read-write' && attrs !== 'primary') {
      throw new TypeError(`target_session_attrs=${attrs} is not supported: the event store needs the primary (read-write or primary)`);
    }
    params.delete('target_session_attrs');
    const path = rest.includes('?') ? rest.slice(0, rest.indexOf('?')) : rest;
    const tail = params.size > 0 ? `${path}?${params.toString()}` : path;
    const hosts = hostList.split(',').map((host) => host.trim());
    if (hosts.some((host) => host === '')) throw new TypeError(`an empty host in "${redactPostgresUrl(part)}"`);
    return hosts.map((host) => `${prefix}${host}${tail}`);
  });
}

/**
 * A failure that says the server is gone or is no longer the primary, not that the statement was
 * wrong: the caller reconnects (to whichever server is now the primary) and tries again, which is
 * safe for reads and, by event id, for appends.
 */
export function isConnectionLoss(error: unknown): boolean {
  // Not `instanceof Error`: Node's socket errors come from another realm under a test runner's vm.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 25006: read-only
    // (a primary demoted to standby); 53300: too many connections (a server just back up).
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '25006', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code))
      return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
      message,
    )
  );
}

export interface ServerChoice {
  address: string;
  config: ClientConfig;
}

/**
 * The first address that answers as a primary (pg_is_in_recovery() false), tried in the given
 * order. A standby or an unreachable server is passed over; if none is a primary, the error
 * names each address with why it was not taken.
 */
export async function findPrimary(addresses: readonly string[], base: Omit<ClientConfig, 'connectionString'>): Promise<ServerChoice> {
  const reasons: string[] = [];
  for (const address of addresses) {
    const config: ClientConfig = { ...base, connectionString: address };
    const client = new Client(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (!rows[0].standby) return { address, config };
      reasons.push(`${redactPostgresUrl(address)}: a standby (in recovery)`);
    } catch (error) {
      reasons.push(`${redactPostgresUrl(address)}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new PostgresUnavailableError(`no PostgreSQL primary among ${addresses.length} address(es): ${reasons.join('; ')}`);
}
