import { PassThrough, Readable } from 'node:stream';
import {
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { EsdbClient } from '../esdb-client';
import { asServerReturns } from './server-records';

/** One append as the scripted server saw it, before it was applied. */
export interface AppendCall {
  streamId: string;
  events: EventData[];
  expectedRevision: AppendExpectedRevision;
}

/** What a hook may do to an append: fail it before it is applied, or apply it and then fail the call (the answer is lost). */
export type AppendOutcome = { fail: Error } | { applyThenFail: Error } | undefined;

interface StreamState {
  records: AllStreamResolvedEvent[];
  /** Revision of the last event ever written (-1: none); survives a soft delete. */
  last: number;
  /** Records before this revision are hidden ($tb). A soft delete sets it past the last event. */
  truncateBefore: number;
  tombstoned: boolean;
}

/** ESDB's $tb after a soft delete (EventNumber.DeletedStream). */
const DELETED_STREAM = Number.MAX_SAFE_INTEGER;

/**
 * An EventStoreDB as the adapter sees it through @eventstore/db-client, scripted in memory for the
 * behaviours a test needs to settle without a server: expected-revision checks and the server's
 * idempotent answer for a duplicate at the same place, soft deletes (the next events numbered after
 * the deleted ones, $tb in the metadata), tombstones, a follower that lags the leader (reads without
 * requiresLeader miss the newest records), a stuck server (reads never answer), hooks on appends.
 * Records are built by the client's own decoding (asServerReturns). Not the server; a model of the
 * parts of it the adapter depends on, each taken from the server's documented behaviour.
 */
export class ScriptedServer {
  readonly all: AllStreamResolvedEvent[] = [];
  readonly appends: AppendCall[] = [];
  readonly reads: { streamId: string; options: ReadStreamOptions }[] = [];
  /** Reads without requiresLeader see $all without its newest `followerLag` records. */
  followerLag = 0;
  /** Every read waits for ever (until cancelled); `cancelled` counts the cancellations. */
  stuck = false;
  cancelled = 0;
  /** How many records reads of streams other than claim streams have asked for (what an append costs in reads). */
  recordsRead = 0;
  /** Called for each append before it is applied. */
  onAppend: (call: AppendCall) => AppendOutcome | Promise<AppendOutcome> = () => undefined;
  private readonly streams = new Map<string, StreamState>();
  private readonly metadata = new Map<string, Record<string, unknown>>();
  private commit = 1_000n;

  readonly client: EsdbClient = {
    appendToStream: (streamId: string, events: EventData | EventData[], options: { expectedRevision?: AppendExpectedRevision } = {}) =>
      this.append(streamId, Array.isArray(events) ? events : [events], options.expectedRevision ?? 'any'),
    readStream: (streamId: string, options: ReadStreamOptions = {}) => this.readStream(streamId, options),
    readAll: (options: ReadAllOptions = {}) => this.readAll(options),
    subscribeToAll: (options: SubscribeToAllOptions = {}) => this.subscribeToAll(options),
    dispose: async () => undefined,
  };

  /** What ESDB does on a soft delete: the events are hidden ($tb past the last one); the stream reads as absent. */
  softDelete(streamId: string): void {
    const state = this.state(streamId);
    state.truncateBefore = DELETED_STREAM;
    this.metadata.set(streamId, { $tb: DELETED_STREAM });
  }

  tombstone(streamId: string): void {
    this.state(streamId).tombstoned = true;
  }

  setMetadata(streamId: string, metadata: Record<string, unknown>): void {
    this.metadata.set(streamId, metadata);
  }

  /** The stream's records as stored, deleted ones included. */
  storedRecords(streamId: string): AllStreamResolvedEvent[] {
    return this.streams.get(streamId)?.records ?? [];
  }

  private state(streamId: string): StreamState {
    let state = this.streams.get(streamId);
    if (state === undefined) {
      state = { records: [], last: -1, truncateBefore: 0, tombstoned: false };
      this.streams.set(streamId, state);
    }
    return state;
  }

  private async append(streamId: string, events: EventData[], expectedRevision: AppendExpectedRevision) {
    const call = { streamId, events, expectedRevision };
    this.appends.push(call);
    const outcome = await this.onAppend(call);
    if (outcome !== undefined && 'fail' in outcome) throw outcome.fail;
    const result = this.apply(call);
    if (outcome !== undefined && 'applyThenFail' in outcome) throw outcome.applyThenFail;
    return result;
  }

  private apply({ streamId, events, expectedRevision }: AppendCall) {
    const state = this.state(streamId);
    if (state.tombstoned) throw StreamDeletedError.fromStreamName(streamId);
    const softDeleted = state.truncateBefore === DELETED_STREAM;
    const current = softDeleted || state.last < 0 ? NO_STREAM : BigInt(state.last);
    const fail = () => new WrongExpectedVersionError(undefined, { streamName: streamId, current, expected: expectedRevision } as never);
    if (expectedRevision !== 'any' && expectedRevision !== current) {
      // ESDB's idempotency: the same ids already written right after the expected revision.
      const from = expectedRevision === NO_STREAM ? 0 : typeof expectedRevision === 'bigint' ? Number(expectedRevision) + 1 : -1;
      const at = state.records.filter((r) => Number(r.event?.revision) >= from).slice(0, events.length);
      if (from >= 0 && at.length === events.length && at.every((r, i) => r.event?.id === events[i].id)) {
        const lastRecord = at[at.length - 1].event;
        return { success: true, nextExpectedRevision: lastRecord?.revision ?? 0n, position: lastRecord?.position };
      }
      throw fail();
    }
    const first = state.last + 1;
    if (softDeleted) {
      // Recreated: the old events stay hidden, the new ones follow their numbers.
      state.truncateBefore = first;
      this.metadata.set(streamId, { $tb: first });
    }
    let position;
    events.forEach((event, i) => {
      this.commit += 137n;
      const record = asServerReturns(event, { streamId, revision: first + i, commit: this.commit });
      state.records.push(record);
      this.all.push(record);
      position = record.event?.position;
    });
    state.last = first + events.length - 1;
    return { success: true, nextExpectedRevision: BigInt(state.last), position };
  }

  private visible(requiresLeader: boolean | undefined): Set<AllStreamResolvedEvent> {
    return new Set(requiresLeader === true ? this.all : this.all.slice(0, Math.max(0, this.all.length - this.followerLag)));
  }

  private readStream(streamId: string, options: ReadStreamOptions) {
    this.reads.push({ streamId, options });
    if (this.stuck) return this.stuckRead();
    if (streamId.startsWith('$$')) {
      const metadata = this.metadata.get(streamId.slice(2));
      if (metadata === undefined) return this.failedRead(new StreamNotFoundError(undefined, streamId));
      return this.read([
        asServerReturns(
          { id: '00000000-0000-4000-8000-000000000000', type: '$metadata', contentType: 'application/json', data: metadata } as EventData,
          { streamId, revision: 0, commit: 1n },
        ),
      ]);
    }
    const state = this.streams.get(streamId);
    if (state?.tombstoned === true) return this.failedRead(StreamDeletedError.fromStreamName(streamId));
    const visible = this.visible(options.requiresLeader);
    let records = (state?.records ?? []).filter((r) => visible.has(r) && Number(r.event?.revision) >= (state?.truncateBefore ?? 0));
    if (records.length === 0) return this.failedRead(new StreamNotFoundError(undefined, streamId));
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    if (backwards) {
      records = records.reverse();
      if (typeof from === 'bigint') records = records.filter((r) => (r.event?.revision ?? 0n) <= from);
    } else if (typeof from === 'bigint') {
      records = records.filter((r) => (r.event?.revision ?? 0n) >= from);
    }
    const page = records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    if (!streamId.startsWith('ledger-event-id-')) this.recordsRead += page.length;
    return this.read(page);
  }

  private readAll(options: ReadAllOptions) {
    if (this.stuck) return this.stuckRead();
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition ?? (backwards ? END : START);
    let records = [...this.visible(true)];
    if (typeof from === 'object') {
      if (
        from.commit <= (this.all.at(-1)?.event?.position?.commit ?? 0n) &&
        !records.some((r) => r.event?.position?.commit === from.commit)
      ) {
        // Not where a record starts: this model refuses it, as the server refuses an invalid position.
        return this.failedRead(new UnknownError(undefined, 'Invalid position.'));
      }
      records = records.filter((r) => {
        const commit = r.event?.position?.commit ?? 0n;
        return backwards ? commit < from.commit : commit >= from.commit;
      });
    }
    if (backwards) records.reverse();
    return this.read(records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)));
  }

  private subscribeToAll(options: SubscribeToAllOptions) {
    const stream = new PassThrough({ objectMode: true });
    const from = options.fromPosition;
    const after = typeof from === 'object' ? from.commit : -1n;
    setImmediate(() => {
      stream.emit('confirmation');
      for (const record of this.all) if ((record.event?.position?.commit ?? 0n) > after || from === START) stream.write(record);
    });
    return Object.assign(stream, { unsubscribe: async () => void stream.end() });
  }

  private read(records: AllStreamResolvedEvent[]) {
    return this.cancellable(Readable.from(records, { objectMode: true }));
  }

  private failedRead(error: Error) {
    return this.cancellable(
      new Readable({
        objectMode: true,
        read() {
          this.destroy(error);
        },
      }),
    );
  }

  private stuckRead() {
    return this.cancellable(new Readable({ objectMode: true, read: () => undefined }));
  }

  private cancellable(stream: Readable) {
    return Object.assign(stream, {
      cancel: async () => {
        this.cancelled += 1;
        stream.destroy();
      },
    });
  }
}
