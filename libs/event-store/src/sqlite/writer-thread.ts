import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventIdConflictError, InvalidEventError } from '../errors';
import type { LogKeyOptions } from '../log/log-key';
import { LogDisagreesError } from '../log/sqlite-log';
import { WrongExpectedRevisionError, type AppendResult } from '../port';
import type { PreparedAppend } from './prepared-append';
import type { SynchronousMode } from './schema';

/**
 * Where the writer thread gets the log's signing key (a key cannot cross threads as an object):
 * a note signer key, or the data dir's keyring (LogKeyring.load), reloaded there each second.
 */
export type LogSignerSource = { key: string } | { keyring: LogKeyOptions };

export interface WriterThreadOptions {
  path: string;
  synchronous: SynchronousMode;
  logSigner?: LogSignerSource;
  groupCommitMaxDelayMs: number;
  groupCommitMaxAppends: number;
  traceContextRetention?: number;
}

/** What the worker answers (sqlite-writer.worker.ts). */
export type WriterReply =
  | { kind: 'appended'; id: number; result: AppendResult }
  | { kind: 'refused'; id: number; error: SerializedError }
  | { kind: 'closed' }
  | { kind: 'failed'; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

/**
 * The errors an append may end in, rebuilt on this side with their class (the api maps each to its
 * problem code by class) and fields. Any other error comes back as an Error with its name and message.
 */
const ERROR_CLASSES: Record<string, { prototype: Error }> = {
  WrongExpectedRevisionError,
  EventIdConflictError,
  InvalidEventError,
  LogDisagreesError,
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  return { name: error.name, message: error.message, stack: error.stack, fields: Object.fromEntries(Object.entries(error)) };
}

export function deserializeError(serialized: SerializedError): Error {
  const known = ERROR_CLASSES[serialized.name];
  const error = known === undefined ? new Error(serialized.message) : (Object.create(known.prototype) as Error);
  Object.assign(error, serialized.fields);
  Object.defineProperty(error, 'message', { value: serialized.message, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(error, 'name', { value: serialized.name, writable: true, configurable: true, enumerable: false });
  if (serialized.stack !== undefined)
    Object.defineProperty(error, 'stack', { value: serialized.stack, writable: true, configurable: true });
  return error;
}

/**
 * The main thread's handle on the writer thread: each append is posted with an id and settled by
 * the worker's answer, which comes only after the worker's group commit has committed it. Messages
 * that arrive while the worker is in a commit queue up and so form the next batch: the batch grows
 * with the load by itself. Started with the store; closed with it (the worker commits what it has
 * accepted, then closes its connection).
 */
export class WriterThread {
  private readonly waiting = new Map<number, { resolve: (result: AppendResult) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private closed: () => void = () => undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      this.fail(new Error(`the event store's writer thread exited (code ${code})`));
      this.closed();
    });
  }

  static start(options: WriterThreadOptions): WriterThread {
    // From the built code (dist) the worker is its .js; from TypeScript sources (the tests, under
    // Jest's transform) it is compiled as it loads, by SWC, as Jest does.
    const ext = path.extname(__filename);
    const entry = path.join(__dirname, `sqlite-writer.worker${ext}`);
    const worker =
      ext === '.ts'
        ? new Worker(TYPESCRIPT_LOADER, { eval: true, workerData: { entry, options } })
        : new Worker(entry, { workerData: { entry, options } });
    return new WriterThread(worker);
  }

  append(prepared: PreparedAppend): Promise<AppendResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closing !== undefined) return Promise.reject(new Error('the event store is closed'));
    const id = this.nextId++;
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'append', id, append: prepared });
    });
  }

  /** Lets the worker commit what it has accepted and close its connection; then the thread ends. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.closed = resolve;
      if (this.failure !== undefined) void this.worker.terminate().then(() => resolve());
      else this.worker.postMessage({ kind: 'close' });
    });
    return this.closing;
  }

  private settle(reply: WriterReply): void {
    switch (reply.kind) {
      case 'appended':
        this.take(reply.id)?.resolve(reply.result);
        return;
      case 'refused':
        this.take(reply.id)?.reject(deserializeError(reply.error));
        return;
      case 'closed':
        void this.worker.terminate();
        return;
      case 'failed':
        this.fail(deserializeError(reply.error));
        return;
    }
  }

  private take(id: number) {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }

  /** The worker failed: every append in flight fails with it, and so does every later one. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}

/** Loads the worker from TypeScript sources: SWC compiles each .ts file as it is required (as Jest's transform does). */
const TYPESCRIPT_LOADER = `
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const swc = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(workerData.entry);
`;
