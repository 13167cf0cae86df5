import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ALL_EVENT_TYPES } from '@ledger/appraisal';
import type { EventStore, StoredEvent } from '@ledger/event-store';
import { ApiProblems } from '../docs/api-docs';
import { HttpReq, type HttpRequest, type HttpResponse, streamResponse } from '../platform/http-types';
import { EVENT_STORE } from '../platform/ledger-runtime';
import { Ctx, type RequestContext } from '../platform/request-context';
import { feedEventShown } from '../appraisals/queries/redaction';
import { ProblemException } from '../problems/problem';
import { validationFailed } from '../problems/validation';
import { FeedConnections } from './feed-connections';
import { LedgerLogService } from '../log/ledger-log.service';
import { SSE_HEARTBEAT, SSE_RETRY, sseFrame } from './sse';

// Every type the store holds, the access log's DisputedAppraisalRead included: the feed emits them all.
const KNOWN_TYPES: ReadonlySet<string> = new Set<string>(ALL_EVENT_TYPES);
const FEED_ROLES = new Set(['LAYANAN_INTERNAL', 'AUDITOR']);
const PAGE = 500;
export const HEARTBEAT_MS = 15_000;

interface FeedRequest {
  after: number;
  follow: boolean;
  types: Set<string> | undefined;
  checkpoints: boolean;
}

/** A signed checkpoint of the Merkle log, as the feed sends it (event name LogCheckpoint, no id). */
export interface FeedCheckpoint {
  origin: string;
  treeSize: number;
  root: string;
  note: string;
}

/**
 * The event feed without Kafka (contracts/README.md): every stored event in global order as
 * Server-Sent Events, resumable from a position. Internal services (LAYANAN_INTERNAL) and
 * auditors read it; it carries whole envelopes, rater identities included, like the Kafka topic.
 */
@ApiTags('feed')
@Controller('feed')
export class FeedController {
  private readonly logger = new Logger('Feed');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly connections: FeedConnections,
    @Inject(LedgerLogService) private readonly log: LedgerLogService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Follow every ledger event as Server-Sent Events (LAYANAN_INTERNAL, AUDITOR)',
    description:
      'One SSE message per event: `id:` the global position, `event:` the type, `data:` the stored envelope as JSON ' +
      '(schemas in contracts/events). Resume with the Last-Event-ID header or ?after=. With follow=false the answer ' +
      'ends at the head as it was when the request arrived; otherwise it stays open, with a comment every 15 s.',
  })
  @ApiBearerAuth()
  @ApiQuery({
    name: 'after',
    required: false,
    type: 'integer',
    minimum: 0,
    description: 'Exclusive global position to start after (default 0: from the beginning)',
  })
  @ApiQuery({ name: 'follow', required: false, enum: ['true', 'false'], description: 'Stay open for new events (default true)' })
  @ApiQuery({
    name: 'types',
    required: false,
    type: String,
    description: `Comma list of event types to include (default: all): ${ALL_EVENT_TYPES.join(', ')}`,
  })
  @ApiQuery({
    name: 'checkpoints',
    required: false,
    enum: ['true', 'false'],
    description:
      'true: after each batch, the signed Merkle checkpoint it completes, as an SSE message named LogCheckpoint with no id ' +
      '(data: { origin, treeSize, root, note }); a client holding every event up to treeSize checks the root (docs/ledger-format.md)',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Sent by a reconnecting EventSource; takes precedence over ?after' })
  @ApiResponse({ status: 200, description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403)
  async feed(@Ctx() ctx: RequestContext, @HttpReq() req: HttpRequest, @Res() reply: HttpResponse): Promise<void> {
    if (!FEED_ROLES.has(ctx.actor.role)) {
      throw new ProblemException('ROLE_NOT_ALLOWED', 'Only LAYANAN_INTERNAL and AUDITOR follow the feed', {
        details: { role: ctx.actor.role },
      });
    }
    const request = parseFeedRequest(req);
    // Refusals above are answered by the problem filter; from here on the stream is written by hand.
    const res = streamResponse(reply);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // The one redaction policy: an auditor who is appraised is not sent their own raters.
    const covering = request.checkpoints ? (position: number) => this.log.checkpointCovering(position) : undefined;
    const stream = new FeedStream(res, request.types, (event) => feedEventShown(ctx.actor, event), covering);
    await stream.write(SSE_RETRY);
    if (request.follow) this.follow(res, stream, request.after);
    else await this.replayToHead(stream, request.after);
  }

  private async replayToHead(stream: FeedStream, after: number): Promise<void> {
    const head = await this.store.headPosition();
    let position = after;
    while (position < head && !stream.closed) {
      const page = await this.store.readAll({ fromPosition: position, limit: PAGE });
      if (page.length === 0) break;
      await stream.send(page.filter((event) => event.globalPosition <= head));
      position = page[page.length - 1].globalPosition;
    }
    stream.end();
  }

  private follow(res: ServerResponse, stream: FeedStream, after: number): void {
    const heartbeat = setInterval(() => void stream.write(SSE_HEARTBEAT), HEARTBEAT_MS);
    const subscription = this.store.subscribe({
      fromPosition: after,
      batchSize: PAGE,
      handler: (events) => stream.send(events),
      onError: (error) => {
        this.logger.warn(`feed stopped: ${error.message}`);
        void close();
      },
    });
    const close = async (): Promise<void> => {
      clearInterval(heartbeat);
      this.connections.remove(close);
      await subscription.close();
      stream.end();
    };
    if (!this.connections.add(close)) void close();
    // The response's close (not the request's): it fires when the client goes away.
    res.on('close', () => void close());
  }
}

/** Writes frames with back-pressure: the subscription's next batch waits until the socket drained. */
class FeedStream {
  closed = false;

  private checkpointSent = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly types: Set<string> | undefined,
    private readonly shown: (event: StoredEvent) => boolean,
    private readonly covering?: (position: number) => FeedCheckpoint | undefined,
  ) {
    res.on('close', () => {
      this.closed = true;
    });
  }

  send(events: StoredEvent[]): Promise<void> {
    const wanted = events.filter((e) => (this.types === undefined || this.types.has(e.type)) && this.shown(e));
    let frames = wanted.map(sseFrame).join('');
    // The checkpoint the whole batch completes (filtered out events included: the tree is over all of them).
    const checkpoint = events.length === 0 ? undefined : this.covering?.(events[events.length - 1].globalPosition);
    if (checkpoint !== undefined && checkpoint.treeSize > this.checkpointSent) {
      this.checkpointSent = checkpoint.treeSize;
      frames += `event: LogCheckpoint\ndata: ${JSON.stringify(checkpoint)}\n\n`;
    }
    return frames === '' ? Promise.resolve() : this.write(frames);
  }

  write(chunk: string): Promise<void> {
    if (this.closed || this.res.writableEnded) return Promise.resolve();
    if (this.res.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}

function parseFeedRequest(req: HttpRequest): FeedRequest {
  const problems: Array<{ field: string; messages: string[] }> = [];
  const lastEventId = req.headers['last-event-id'];
  const rawAfter = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : req.query.after;
  const field = typeof lastEventId === 'string' && lastEventId !== '' ? 'Last-Event-ID' : 'after';
  let after = 0;
  if (rawAfter !== undefined) {
    if (typeof rawAfter === 'string' && /^\d{1,15}$/.test(rawAfter)) after = Number(rawAfter);
    else problems.push({ field, messages: [`${field} must be a non-negative integer (a global position)`] });
  }
  const rawFollow = req.query.follow;
  if (rawFollow !== undefined && rawFollow !== 'true' && rawFollow !== 'false') {
    problems.push({ field: 'follow', messages: ['follow must be true or false'] });
  }
  let types: Set<string> | undefined;
  const rawTypes = req.query.types;
  if (rawTypes !== undefined) {
    const list = typeof rawTypes === 'string' ? rawTypes.split(',').map((t) => t.trim()) : [];
    const unknown = list.filter((t) => !KNOWN_TYPES.has(t));
    if (list.length === 0 || unknown.length > 0) {
      problems.push({
        field: 'types',
        messages: [`types must be a comma list of event types; unknown: ${unknown.join(', ') || '(none given)'}`],
      });
    } else types = new Set(list);
  }
  const rawCheckpoints = req.query.checkpoints;
  if (rawCheckpoints !== undefined && rawCheckpoints !== 'true' && rawCheckpoints !== 'false') {
    problems.push({ field: 'checkpoints', messages: ['checkpoints must be true or false'] });
  }
  if (problems.length > 0) throw validationFailed(problems);
  return { after, follow: rawFollow !== 'false', types, checkpoints: rawCheckpoints === 'true' };
}
