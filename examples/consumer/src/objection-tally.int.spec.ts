import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectionTally } from './objection-tally';
import { parseRelayedEvent, type RelayedEvent } from './relayed-event';

const KEY = '2025-199001012015031001';
let position = 0;
function relayed(type: string, data: Record<string, unknown> = {}, key = KEY): RelayedEvent {
  position += 1;
  return {
    key,
    eventId: `id-${position}`,
    streamId: `appraisal-${key}`,
    streamRevision: position,
    globalPosition: position,
    type,
    schemaVersion: 1,
    data,
    metadata: {},
    hash: 'h',
  };
}

describe('ObjectionTally', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tally-'));
    position = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts objections per unit once, drops a redelivered run, and keeps both across a restart', () => {
    const opened = relayed('AppraisalOpened', { unitId: 'biro-sdm' });
    const filed = relayed('ObjectionFiled');
    const other = relayed('ObjectionFiled', {}, '2025-199001012015031099'); // never opened here
    let tally = new ObjectionTally(join(dir, 'tally.sqlite'));
    expect([opened, filed, other].map((e) => tally.apply(e).kind)).toEqual(['applied', 'applied', 'applied']);
    tally.close();

    tally = new ObjectionTally(join(dir, 'tally.sqlite'));
    expect([opened, filed].map((e) => tally.apply(e).kind)).toEqual(['duplicate', 'duplicate']);
    expect(tally.apply(relayed('ObjectionDecided')).kind).toBe('applied');
    expect(tally.apply(relayed('EvidenceRecorded')).kind).toBe('ignored');
    expect(tally.byUnit()).toEqual([
      { unitId: 'biro-sdm', filed: 1, decided: 1 },
      { unitId: 'unknown', filed: 1, decided: 0 },
    ]);
    tally.close();
  });
});

describe('parseRelayedEvent', () => {
  const envelope = {
    eventId: 'e1',
    streamId: `appraisal-${KEY}`,
    streamRevision: 0,
    globalPosition: 7,
    type: 'ObjectionFiled',
    schemaVersion: 1,
    data: {},
    metadata: {},
    prevHash: 'p',
    hash: 'h',
  };
  const headers = {
    eventId: 'e1',
    type: 'ObjectionFiled',
    schemaVersion: '1',
    globalPosition: '7',
    hash: 'h',
    streamId: `appraisal-${KEY}`,
  };
  const message = (h: Record<string, string>, value: unknown = envelope) => ({
    key: Buffer.from(KEY),
    value: Buffer.from(JSON.stringify(value)),
    headers: h,
  });

  it('reads a relayed event from its headers and value', () => {
    expect(parseRelayedEvent(message(headers))).toEqual({
      event: expect.objectContaining({ key: KEY, eventId: 'e1', globalPosition: 7, type: 'ObjectionFiled' }),
    });
  });

  it('rejects a message whose headers are missing or disagree with the value', () => {
    const { hash: _dropped, ...withoutHash } = headers;
    expect(parseRelayedEvent(message(withoutHash))).toEqual({ problem: 'header hash missing or repeated' });
    expect(parseRelayedEvent(message({ ...headers, globalPosition: '8' }))).toEqual({
      problem: 'header globalPosition=8 disagrees with the value (7)',
    });
  });
});
