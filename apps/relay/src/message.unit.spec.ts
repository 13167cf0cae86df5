import type { StoredEvent } from '@ledger/event-store';
import { chunkBySize, messageKey, toMessage } from './message';

const stored: StoredEvent = {
  eventId: '0b6f4c1e-3c1f-4a43-9a52-4f0c2f4f6a11',
  streamId: 'appraisal-2025-199001012015031001',
  streamRevision: 3,
  globalPosition: 42,
  type: 'ObjectionFiled',
  schemaVersion: 1,
  data: { period: 'ANNUAL', reasons: 'tidak sesuai' },
  metadata: {
    actorId: '199001012015031001',
    actorRole: 'PEGAWAI',
    occurredAt: '2026-01-05T03:00:00.000Z',
    correlationId: 'c',
    causationId: 'd',
  },
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('relay message format', () => {
  it('keys appraisal and access streams by appraisal id, anything else by its stream id', () => {
    expect(messageKey('appraisal-2025-199001012015031001')).toBe('2025-199001012015031001');
    expect(messageKey('access-2025-199001012015031001')).toBe('2025-199001012015031001');
    expect(messageKey('unit-biro-sdm-2025')).toBe('unit-biro-sdm-2025');
  });

  it('carries exactly the stored envelope as the value, and the routing fields as string headers', () => {
    const withExtra = { ...stored, adapterInternal: 'x' } as StoredEvent;
    const message = toMessage(withExtra);
    expect(message.key).toBe('2025-199001012015031001');
    expect(JSON.parse(String(message.value))).toEqual(stored);
    expect(Object.keys(JSON.parse(String(message.value)))).toEqual([
      'eventId',
      'streamId',
      'streamRevision',
      'globalPosition',
      'type',
      'schemaVersion',
      'data',
      'metadata',
      'prevHash',
      'hash',
    ]);
    expect(message.headers).toEqual({
      eventId: stored.eventId,
      type: 'ObjectionFiled',
      schemaVersion: '1',
      globalPosition: '42',
      hash: stored.hash,
      streamId: stored.streamId,
    });
  });

  it('splits a batch by size without reordering, and sends an oversized item alone', () => {
    const sizes = [4, 4, 4, 9, 1, 1];
    expect(chunkBySize(sizes, 8, (n) => n)).toEqual([[4, 4], [4], [9], [1, 1]]);
    expect(chunkBySize([], 8, (n: number) => n)).toEqual([]);
  });
});
