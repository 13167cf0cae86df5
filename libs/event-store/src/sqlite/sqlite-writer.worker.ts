import { parentPort, workerData } from 'node:worker_threads';
import { LogKeyring } from '../log/log-key';
import { NoteSigner, type CheckpointSigner } from '../log/note';
import type { PreparedAppend } from './prepared-append';
import { SqliteEventStore } from './sqlite-event-store';
import { serializeError, type LogSignerSource, type WriterReply, type WriterThreadOptions } from './writer-thread';

/**
 * The writer thread (writer-thread.ts starts it): the one connection that appends, with the
 * embedded store's group commit. Appends arrive as messages; those that arrive while a commit
 * runs are delivered together after it and share the next transaction.
 */
const port = parentPort;
if (port === null) throw new Error('sqlite-writer.worker runs on a worker thread');
const { options } = workerData as { options: WriterThreadOptions };
const post = (reply: WriterReply) => port.postMessage(reply);

let keyWatch: NodeJS.Timeout | undefined;
function signerOf(source: LogSignerSource | undefined): CheckpointSigner | undefined {
  if (source === undefined) return undefined;
  if ('key' in source) return NoteSigner.fromKey(source.key);
  const keyring = LogKeyring.load(source.keyring);
  // A rotation or retirement by `npm run log-keys` takes effect within a second, as in the api.
  keyWatch = setInterval(() => {
    try {
      keyring.reload();
    } catch {
      // signing goes on with the keys loaded before; the api's own reload reports the failure
    }
  }, 1_000);
  keyWatch.unref();
  return keyring;
}

let store: SqliteEventStore;
try {
  store = SqliteEventStore.open({
    path: options.path,
    synchronous: options.synchronous,
    logSigner: signerOf(options.logSigner),
    groupCommitMaxDelayMs: options.groupCommitMaxDelayMs,
    groupCommitMaxAppends: options.groupCommitMaxAppends,
    traceContextRetention: options.traceContextRetention,
  });
} catch (error) {
  post({ kind: 'failed', error: serializeError(error) });
  throw error;
}

port.on('message', (message: { kind: 'append'; id: number; append: PreparedAppend } | { kind: 'close' }) => {
  if (message.kind === 'append') {
    const { id } = message;
    store.appendPrepared(message.append).then(
      (result) => post({ kind: 'appended', id, result }),
      (error: unknown) => post({ kind: 'refused', id, error: serializeError(error) }),
    );
    return;
  }
  clearInterval(keyWatch);
  void store.close().then(() => post({ kind: 'closed' }));
});
