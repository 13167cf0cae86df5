import { createHash } from 'node:crypto';
import { hashEvent, toHashedFields } from './chain';
import { verifyEvents, type IntegrityProblemKind } from './verify';
import { GENESIS_HASH, type HashedFields, type StoredEvent } from './envelope';
import { minutesAfterFixed, newEvents } from './testing/events';

// Field order deliberately scrambled: canonicalisation, not insertion order, decides the bytes.
const fixed: HashedFields = {
  type: 'PlanApproved',
  streamRevision: 1,
  streamId: 'appraisal-123',
  schemaVersion: 1,
  prevHash: 'ab'.repeat(32),
  metadata: {
    occurredAt: '2026-01-05T03:00:00.000Z',
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    actorRole: 'pejabat_penilai',
    actorId: '198501012010011001',
  },
  eventId: '0b7f3c52-8f0e-4c1a-9d51-2f4b6e8a1c3d',
  data: { planVersion: 2, note: 'disetujui ✓ — Rp 1.000', approvedBy: '198501012010011001' },
};

describe('hashEvent', () => {
  it('matches the known answer, computed once with the canonicalize package', () => {
    expect(hashEvent(fixed)).toBe('36e9b52f5841ca6081325c77eb58ec1bc2a1803950cb3397dd018610e94effb7');
  });

  it('is SHA-256 over the UTF-8 of the keys sorted by hand, recomputed independently', () => {
    const m = fixed.metadata;
    const d = fixed.data;
    const handSorted = JSON.stringify({
      data: { approvedBy: d.approvedBy, note: d.note, planVersion: d.planVersion },
      eventId: fixed.eventId,
      metadata: {
        actorId: m.actorId,
        actorRole: m.actorRole,
        causationId: m.causationId,
        correlationId: m.correlationId,
        occurredAt: m.occurredAt,
      },
      prevHash: fixed.prevHash,
      schemaVersion: fixed.schemaVersion,
      streamId: fixed.streamId,
      streamRevision: fixed.streamRevision,
      type: fixed.type,
    });
    expect(hashEvent(fixed)).toBe(createHash('sha256').update(Buffer.from(handSorted, 'utf8')).digest('hex'));
  });

  it('changes with any hashed field and ignores globalPosition', () => {
    const stored: StoredEvent = { ...fixed, globalPosition: 7, hash: hashEvent(fixed) };
    expect(hashEvent(toHashedFields({ ...stored, globalPosition: 9_999 }))).toBe(stored.hash);
    expect(hashEvent({ ...fixed, data: { ...fixed.data, planVersion: 3 } })).not.toBe(stored.hash);
    expect(hashEvent({ ...fixed, metadata: { ...fixed.metadata, reason: 'x' } })).not.toBe(stored.hash);
    expect(hashEvent({ ...fixed, streamRevision: 2 })).not.toBe(stored.hash);
  });
});

/** A valid export: two interleaved streams, hashes chained as an adapter would store them. */
function ledger(): StoredEvent[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return newEvents(8, (n) => ({ data: { n }, metadata: { occurredAt: minutesAfterFixed(n) } })).map((event, i) => {
    const streamId = i % 3 === 0 ? 'appraisal-b' : 'appraisal-a';
    const head = heads.get(streamId);
    const fields = { ...event, streamId, streamRevision: head ? head.revision + 1 : 0, prevHash: head ? head.hash : GENESIS_HASH };
    const stored = { ...fields, globalPosition: 10 + i * 2, hash: hashEvent(toHashedFields(fields)) };
    heads.set(streamId, { revision: stored.streamRevision, hash: stored.hash });
    return stored;
  });
}
const kinds = (events: unknown[]): [IntegrityProblemKind, number | null][] =>
  verifyEvents(events as StoredEvent[]).problems.map((p) => [p.kind, p.revision]);
const rehash = (e: StoredEvent): StoredEvent => ({ ...e, hash: hashEvent(toHashedFields(e)) });

describe('verifyEvents', () => {
  it('passes an intact ledger, also after a JSON-lines round trip, and summarises each stream', () => {
    const events = ledger();
    const exported = events.map((e) => JSON.stringify(e)).join('\n');
    const report = verifyEvents(exported.split('\n').map((line) => JSON.parse(line) as StoredEvent));
    expect(report).toMatchObject({ ok: true, eventsChecked: 8, streamsChecked: 2, problems: [] });
    expect(report.streams).toEqual([
      { streamId: 'appraisal-b', events: 3, lastRevision: 2, lastHash: events[6].hash },
      { streamId: 'appraisal-a', events: 5, lastRevision: 4, lastHash: events[7].hash },
    ]);
  });

  it('detects an edited data field', () => {
    const events = ledger();
    events[4] = { ...events[4], data: { n: 400 } };
    expect(kinds(events)).toEqual([['HASH_MISMATCH', 2]]);
  });

  it('detects an edit whose hash was recomputed, at the next link', () => {
    const events = ledger();
    events[4] = rehash({ ...events[4], data: { n: 400 } });
    expect(kinds(events)).toEqual([['BROKEN_LINK', 3]]);
  });

  it('detects a removed event', () => {
    const events = ledger();
    events.splice(2, 1); // appraisal-a revision 1
    expect(verifyEvents(events).problems).toEqual([
      expect.objectContaining({ kind: 'GAP', streamId: 'appraisal-a', revision: 2, eventId: events[3].eventId, index: 3 }),
    ]);
  });

  it('detects a reordered event', () => {
    const events = ledger();
    [events[1], events[2]] = [events[2], events[1]];
    // Only the moved line is blamed: per stream, revisions are checked in revision order.
    expect(kinds(events)).toEqual([['POSITION_NOT_INCREASING', 0]]);
  });

  it('detects a forged prevHash even when the event is rehashed to match it', () => {
    const events = ledger();
    events[5] = rehash({ ...events[5], prevHash: 'f'.repeat(64) });
    // Its own link is broken, and rehashing it broke the link of the event after it.
    expect(kinds(events)).toEqual([
      ['BROKEN_LINK', 3],
      ['BROKEN_LINK', 4],
    ]);
    const genesisForged = ledger();
    genesisForged[0] = rehash({ ...genesisForged[0], prevHash: '1'.repeat(64) });
    expect(kinds(genesisForged)).toEqual([
      ['BROKEN_LINK', 0],
      ['BROKEN_LINK', 1],
    ]);
  });

  it('detects a duplicated event id and a position that goes back', () => {
    const events = ledger();
    expect(kinds([...events, events[3]])).toEqual([
      ['DUPLICATE_EVENT_ID', 1],
      ['POSITION_NOT_INCREASING', 1],
      ['DUPLICATE_REVISION', 1],
    ]);
  });

  it('blames a row forged at a low position, never the genuine revision after it', () => {
    const events = ledger();
    const head = events[7]; // appraisal-a revision 4
    const forged = rehash({
      ...head,
      eventId: crypto.randomUUID(),
      streamRevision: 5,
      prevHash: head.hash,
      globalPosition: 0,
      data: { n: 'forged' },
    });
    const report = verifyEvents([forged, ...events]);
    expect(report.problems.map((p) => [p.kind, p.index, p.revision])).toEqual([
      ['POSITION_INVALID', 0, 5],
      ['REVISION_OUT_OF_ORDER', 0, 5],
    ]);
    expect(report.streams.find((s) => s.streamId === 'appraisal-a')).toMatchObject({ events: 6, lastRevision: 5 });
  });

  it('reports missing positions only where the source promises dense positions', () => {
    const events = ledger().map((e, i) => rehash({ ...e, globalPosition: i + 1 }));
    expect(verifyEvents(events, { densePositions: true }).problems).toEqual([]);
    events.splice(3, 1, ...[]);
    const shifted = events.map((e) => ({ ...e, globalPosition: e.globalPosition > 3 ? e.globalPosition + 10 : e.globalPosition }));
    const dense = verifyEvents(shifted, { densePositions: true }).problems.filter((p) => p.kind === 'POSITION_GAP');
    expect(dense).toEqual([expect.objectContaining({ index: 3, position: 15, message: 'positions 4..14 are missing before 15' })]);
    expect(verifyEvents(shifted).problems.filter((p) => p.kind === 'POSITION_GAP')).toEqual([]);
  });

  it('reports malformed lines instead of throwing', () => {
    const events: unknown[] = ledger();
    const withoutHash: Record<string, unknown> = { ...(events[2] as StoredEvent) };
    delete withoutHash.hash;
    events[2] = withoutHash;
    events.push(null, 'text', { ...(events[7] as StoredEvent), globalPosition: 99, eventId: crypto.randomUUID(), data: { s: '\ud800' } });
    const report = verifyEvents(events as StoredEvent[]);
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind === 'MALFORMED').map((p) => [p.index, p.message])).toEqual([
      [2, 'hash must be 64 lower-case hex digits'],
      [8, 'not an object'],
      [9, 'not an object'],
      [10, expect.stringContaining('lone surrogate')],
    ]);
  });
});
