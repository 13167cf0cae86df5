import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventStore } from '@ledger/event-store';
import { newEvent } from '@ledger/event-store/testing';
import { parseAsOf, runExport, runReplay, runVerify } from './commands';
import { exportSource, storeSource } from './source';

const NIP = '199001012015031001';
const STREAM = `appraisal-2026-${NIP}`;

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write: (chunk, _enc, done) => {
      chunks.push(String(chunk));
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

describe('auditor CLI', () => {
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-auditor-'));
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite') });
    const opened = {
      appraisalId: `2026-${NIP}`,
      employeeNip: NIP,
      employeeName: 'Siti',
      year: 2026,
      unitId: 'u1',
      appraiserId: '198001012005011002',
      superiorId: '197001012000011003',
      planDeadline: '2026-01-31T16:59:59.999Z',
    };
    await store.append(STREAM, 'no_stream', [
      newEvent({ type: 'AppraisalOpened', data: opened, metadata: { occurredAt: '2026-01-02T01:00:00.000Z' } }),
      newEvent({
        type: 'AppraiserReassigned',
        data: { appraiserId: '198501012010011004', superiorId: '197001012000011003', reason: 'mutasi' },
        metadata: { occurredAt: '2026-03-10T01:00:00.000Z', reason: 'mutasi' },
      }),
    ]);
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an intact store and reports each stream head', async () => {
    const { out, text } = sink();
    const source = storeSource(dir);
    expect(await runVerify(source, true, out)).toBe(0);
    await source.close();
    const report = JSON.parse(text());
    expect(report).toMatchObject({ ok: true, eventsChecked: 2, streamsChecked: 1 });
    expect(report.streams[0]).toMatchObject({ streamId: STREAM, lastRevision: 1 });
  });

  it('finds an edit made behind the store’s back', async () => {
    const raw = new Database(join(dir, 'events.sqlite'));
    raw.exec('DROP TRIGGER events_refuse_update');
    raw.prepare("UPDATE events SET data = json_set(data, '$.employeeName', 'Budi') WHERE stream_revision = 0").run();
    raw.close();
    const { out, text } = sink();
    const source = storeSource(dir);
    expect(await runVerify(source, false, out)).toBe(1);
    await source.close();
    expect(text()).toMatch(/BROKEN[\s\S]*HASH_MISMATCH/);
  });

  it('exports JSON lines that verify on their own, and detects a removed line', async () => {
    const file = join(dir, 'ledger.jsonl');
    const { out } = sink();
    const lines: string[] = [];
    const collect = new Writable({
      write: (c, _e, done) => {
        lines.push(String(c));
        done();
      },
    });
    expect(await runExport(storeSource(dir), collect)).toBe(2);
    writeFileSync(file, lines.join(''));
    expect(await runVerify(exportSource(file), false, out)).toBe(0);

    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
    expect(await runVerify(exportSource(file), false, sink().out)).toBe(1);
  });

  it('replays the appraisal as it stood on a past date', async () => {
    const before = sink();
    expect(await runReplay(storeSource(dir), `2026-${NIP}`, '2026-03-09', 'Asia/Jakarta', true, before.out)).toBe(0);
    const then = JSON.parse(before.text());
    expect(then.revision).toBe(0);
    expect(then.state.appraiserId).toBe('198001012005011002');

    const after = sink();
    await runReplay(storeSource(dir), `2026-${NIP}`, '2026-03-10T01:00:00.000Z', 'Asia/Jakarta', true, after.out);
    expect(JSON.parse(after.text()).state.appraiserId).toBe('198501012010011004');
  });

  it('reads a bare date as the end of that day in the agency time zone', () => {
    expect(parseAsOf('2026-03-09', 'Asia/Jakarta')).toBe('2026-03-09T16:59:59.999Z');
    expect(parseAsOf('2026-03-09T10:00:00+07:00', 'Asia/Jakarta')).toBe('2026-03-09T03:00:00.000Z');
    expect(() => parseAsOf('yesterday', 'Asia/Jakarta')).toThrow(/--as-of/);
  });
});
