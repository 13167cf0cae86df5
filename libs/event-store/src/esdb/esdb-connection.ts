import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';

/** The configured EventStoreDB cannot be used: bad connection string, unreachable, or refusing us. */
export class EsdbConnectionError extends Error {
  constructor(
    /** The connection string with any password replaced by ***. */
    readonly address: string,
    message: string,
  ) {
    super(message);
    this.name = 'EsdbConnectionError';
  }
}

/** `//user:password@` in a connection string; the password runs to the authority's last '@'. */
const CREDENTIALS = /\/\/([^:/@?]+):([^/?]*)@/;

/**
 * A connection string without its password, for messages and logs. An unencoded '@' in the
 * password cannot leak the rest of it.
 */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(CREDENTIALS, '//$1:***@');
}

/**
 * Builds the client. KurrentDB's kurrentdb:// and kdb:// schemes mean the same as esdb://, but
 * @eventstore/db-client 6 only parses esdb://, so they are rewritten here.
 */
export function createClient(connectionString: string): { client: EventStoreDBClient; address: string } {
  const address = redactConnectionString(connectionString);
  const esdb = connectionString.replace(/^(?:kurrentdb|kdb)(\+discover)?:\/\//i, 'esdb$1://');
  try {
    return { client: EventStoreDBClient.connectionString(esdb), address };
  } catch (error) {
    throw new EsdbConnectionError(address, `invalid EventStoreDB connection string ${address}: ${scrub(connectionString, error)}`);
  }
}

/**
 * Proves the server answers: reads the last record of $all (the adapter needs $all access anyway).
 * The client's reads carry no deadline of their own, and discovery can retry for long, so the
 * deadline is kept here. On failure the client is disposed and the error names the address.
 */
export async function probe(client: EventStoreDBClient, connectionString: string, timeoutMs: number): Promise<void> {
  const address = redactConnectionString(connectionString);
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EsdbConnectionError(address, `EventStoreDB at ${address} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([drain(read), deadline]);
  } catch (error) {
    await read.cancel().catch(() => undefined);
    await client.dispose().catch(() => undefined);
    if (error instanceof EsdbConnectionError) throw error;
    throw new EsdbConnectionError(
      address,
      `EventStoreDB at ${address} is unreachable or refused the first read: ${scrub(connectionString, error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function drain(read: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of read) {
    // Only whether the read completes matters.
  }
}

/** The error's message with the connection string's password (if any) blanked out. */
function scrub(connectionString: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const password = CREDENTIALS.exec(connectionString)?.[2];
  return password ? message.split(password).join('***') : message;
}
