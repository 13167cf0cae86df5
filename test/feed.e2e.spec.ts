import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ALL_EVENT_TYPES, APPRAISAL_EVENT_TYPES } from '@ledger/appraisal';
import {
  StreamingTree,
  entryOf,
  hasValidSignature,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  type StoredEvent,
} from '@ledger/event-store';
import { waitUntil } from '@ledger/event-store/testing';
import { FeedConnections } from '../apps/ledger-api/src/feed/feed-connections';
import { decidedYear } from './support/decided-year';
import { assertOutgoingEvent, eventSchemaFiles } from './support/event-contract';
import { as, Ledger, openUnitWithApprovedPlans, P, type Caller } from './support/ledger';

/** One parsed SSE message. */
interface SseMessage {
  id: string;
  event: string;
  data: StoredEvent;
}

function parseSse(text: string): SseMessage[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { id: field('id'), event: field('event'), data: JSON.parse(field('data')) as StoredEvent };
    });
}

const internal: Caller = { sub: 'svc-dashboard', role: 'LAYANAN_INTERNAL' };

/** GET /feed as one caller, the body collected as text (follow=false ends it; an error is JSON). */
const readFeed = async (l: Ledger, caller: Caller, query: string, headers: Record<string, string> = {}) =>
  request(l.t.server)
    .get(`/feed${query}`)
    .set('Authorization', `Bearer ${await l.token(caller)}`)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });

describe('GET /feed (Server-Sent Events)', () => {
  let l: Ledger;
  let base: string;
  let all: StoredEvent[];

  beforeAll(async () => {
    l = await Ledger.start();
    await openUnitWithApprovedPlans(l);
    await l.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(l.t.app.getHttpServer().address() as AddressInfo).port}`;
    all = await l.store.readAll({ fromPosition: 0, limit: 10_000 });
  });
  afterAll(() => l.close());

  const feed = (caller: Caller, query: string, headers: Record<string, string> = {}) => readFeed(l, caller, query, headers);

  it('replays every stored event in global order, ids = positions, envelopes as stored and valid against the published schemas', async () => {
    const res = await feed(as.auditor, '?follow=false');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const messages = parseSse(res.body as string);
    expect(messages.map((m) => Number(m.id))).toEqual(all.map((e) => e.globalPosition));
    expect(messages.map((m) => m.data)).toEqual(all);
    for (const m of messages) {
      expect(m.event).toBe(m.data.type);
      assertOutgoingEvent(m.data);
    }
  });

  it('resumes after a position, from ?after= or from Last-Event-ID (which wins), and filters by type', async () => {
    const cut = all[9].globalPosition;
    const after = parseSse((await feed(internal, `?follow=false&after=${cut}`)).body as string);
    expect(after.map((m) => m.data.eventId)).toEqual(all.slice(10).map((e) => e.eventId));
    const resumed = parseSse((await feed(internal, '?follow=false&after=0', { 'Last-Event-ID': String(cut) })).body as string);
    expect(resumed.map((m) => m.data.eventId)).toEqual(all.slice(10).map((e) => e.eventId));
    const approvals = parseSse((await feed(internal, '?follow=false&types=PlanApproved')).body as string);
    expect(approvals.map((m) => m.data.eventId)).toEqual(all.filter((e) => e.type === 'PlanApproved').map((e) => e.eventId));
    expect(approvals).toHaveLength(P.employees.length);
  });

  it('with ?checkpoints=true, sends after each batch the signed checkpoint it completes, whose root the events received give', async () => {
    const key = parseVerifierKey((await request(l.t.server).get('/log/key')).text);
    const text = (await feed(internal, '?follow=false&checkpoints=true&types=PlanApproved')).body as string;
    const messages = parseSse(text);
    const checkpoints = messages.filter((m) => m.event === 'LogCheckpoint');
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((m) => m.id === '')).toBe(true);
    // Type-filtered events are still in the tree: the last checkpoint covers the whole ledger.
    const last = checkpoints[checkpoints.length - 1].data as unknown as { treeSize: number; root: string; note: string };
    expect(last.treeSize).toBe(all.length);
    const note = parseNote(last.note);
    expect(hasValidSignature(note, key)).toBe(true);
    const tree = new StreamingTree();
    for (const event of all) tree.append(leafHash(entryOf(event.hash)));
    expect(parseCheckpoint(note.body).root.toString('base64')).toBe(tree.root().toString('base64'));
    expect(last.root).toBe(tree.root().toString('base64'));
    expect(messages.filter((m) => m.event !== 'LogCheckpoint').every((m) => m.event === 'PlanApproved')).toBe(true);
    expect((await feed(internal, '?follow=false&checkpoints=yes')).status).toBe(400);
  });

  it('follows live appends, and a reconnect with Last-Event-ID continues with no gap and no duplicate', async () => {
    const token = await l.token(internal);
    const received: SseMessage[] = [];
    const first = new AbortController();
    const response = await fetch(`${base}/feed`, { headers: { Authorization: `Bearer ${token}` }, signal: first.signal });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const decoder = new TextDecoder();
    let buffer = '';
    const readUntil = async (count: number) => {
      while (received.length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error('feed ended');
        buffer += decoder.decode(value, { stream: true });
        const cut = buffer.lastIndexOf('\n\n');
        if (cut < 0) continue;
        received.push(...parseSse(buffer.slice(0, cut + 2)));
        buffer = buffer.slice(cut + 2);
      }
    };
    await readUntil(all.length);
    // A live append after the backlog: a new appraisal in the same unit.
    await l.ok(as.manager, '/appraisals', {
      employeeNip: '199401012020121001',
      employeeName: 'Pegawai 5',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    await readUntil(all.length + 1);
    expect(received[all.length].data.type).toBe('AppraisalOpened');
    first.abort();
    // The server lets go of the subscription once the client is gone.
    const connections = l.t.app.get(FeedConnections);
    await waitUntil(() => connections.count() === 0, 'the feed let go of the subscription', 3000);

    // Two more appends while disconnected, then resume from the last id seen.
    await l.ok(as.manager, '/appraisals', {
      employeeNip: '199401012020121002',
      employeeName: 'Pegawai 6',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    await l.ok(as.manager, '/appraisals', {
      employeeNip: '199401012020121003',
      employeeName: 'Pegawai 7',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    const lastId = received[received.length - 1].id;
    const rest = parseSse((await feed(internal, '?follow=false', { 'Last-Event-ID': lastId })).body as string);
    const everything = await l.store.readAll({ fromPosition: 0, limit: 10_000 });
    expect([...received, ...rest].map((m) => m.data.eventId)).toEqual(everything.map((e) => e.eventId));
  });

  it('refuses callers who may not follow the ledger, and bad parameters, as problem details', async () => {
    const employee = await feed(as.employee(0), '?follow=false');
    expect({ status: employee.status, code: JSON.parse(employee.body as string).code }).toEqual({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    const anonymous = await request(l.t.server).get('/feed');
    expect(anonymous.status).toBe(401);
    for (const query of ['?after=-1', '?after=abc', '?follow=maybe', '?types=NoSuchEvent', `?types=${APPRAISAL_EVENT_TYPES[0]},Nope`]) {
      const res = await feed(internal, query);
      expect({ query, status: res.status, code: JSON.parse(res.body as string).code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const badHeader = await feed(internal, '', { 'Last-Event-ID': 'x1' });
    expect(badHeader.status).toBe(400);
  });
});

describe('GET /feed against the public contract', () => {
  it('serves every event type of a year decided by the real deciders, each accepted by its published schema', async () => {
    const l = await Ledger.start();
    try {
      const stored = await decidedYear(l.store);
      const res = await readFeed(l, internal, '?follow=false');
      const messages = parseSse(res.body as string);
      expect(messages.map((m) => m.data)).toEqual(stored);
      expect([...new Set(messages.map((m) => m.event))].sort()).toEqual([...new Set(eventSchemaFiles().map((f) => f.type))].sort());
      for (const m of messages) assertOutgoingEvent(m.data);
      // ?types= accepts every type the feed emits (DisputedAppraisalRead was refused once) and selects exactly it.
      for (const type of ALL_EVENT_TYPES) {
        const only = await readFeed(l, internal, `?follow=false&types=${type}`);
        expect({ type, status: only.status }).toEqual({ type, status: 200 });
        expect(parseSse(only.body as string).map((m) => m.data)).toEqual(stored.filter((e) => e.type === type));
      }
    } finally {
      await l.close();
    }
  });
});

describe('GET /feed and shutdown', () => {
  it('ends open feeds when the app stops, so shutdown does not hang', async () => {
    const l = await Ledger.start();
    await l.t.app.listen(0, '127.0.0.1');
    const port = (l.t.app.getHttpServer().address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}/feed`, { headers: { Authorization: `Bearer ${await l.token(internal)}` } });
    const reader = response.body?.getReader();
    await reader?.read(); // the retry line: the stream is open
    const started = Date.now();
    await l.close();
    expect(Date.now() - started).toBeLessThan(5000);
    const next = await reader?.read();
    expect(next?.done).toBe(true);
  });
});
