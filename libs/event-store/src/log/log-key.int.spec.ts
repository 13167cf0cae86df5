import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { verifyLedgerFile } from '../sqlite/ledger-scan';
import { newEvent } from '../testing/events';
import { LogKeyring, retireLogKey, rotateLogKey } from './log-key';
import { NoteError, hasValidSignature, parseNote, parseVerifierKey } from './note';

/** Rotating the log's key on a real data dir: the new key signs, the old one co-signs until retired, the history still verifies. */
describe('the log key, rotated and retired', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('signs with the new key from the rotation on, beside the old one until it is retired; every checkpoint verifies with the keys of its time', async () => {
    const options = { dataDir: dir, origin: 'ledger.test/rotation' };
    const keyring = LogKeyring.load(options);
    const first = parseVerifierKey(keyring.verifierKey);
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), logSigner: keyring });
    const append = async () => {
      await store.append('appraisal-2026-1', 'any', [newEvent()]);
      return parseNote(store.log.latestCheckpoint()?.note ?? '');
    };
    const before = await append();
    expect(before.signatures.map((s) => s.keyId.toString('hex'))).toEqual([first.keyId.toString('hex')]);

    const rotated = rotateLogKey(options);
    expect(rotated.previousKeyId).toBe(first.keyId.toString('hex'));
    keyring.reload();
    const second = parseVerifierKey(rotated.vkey);
    expect(second.name).toBe('ledger.test/rotation');
    const during = await append();
    expect(during.signatures.map((s) => s.keyId.toString('hex'))).toEqual([second.keyId.toString('hex'), first.keyId.toString('hex')]);
    expect(hasValidSignature(during, first)).toBe(true);
    expect(hasValidSignature(during, second)).toBe(true);
    expect(keyring.keys().map((k) => k.state)).toEqual(['ACTIVE', 'CO_SIGNING']);

    retireLogKey(options, first.keyId.toString('hex'));
    keyring.reload();
    const after = await append();
    expect(after.signatures.map((s) => s.keyId.toString('hex'))).toEqual([second.keyId.toString('hex')]);
    expect(keyring.keys().map((k) => [k.keyId, k.state])).toEqual([
      [second.keyId.toString('hex'), 'ACTIVE'],
      [first.keyId.toString('hex'), 'RETIRED'],
    ]);
    // The retired key's signing half is gone from the keyring (mode 0600 while it held it).
    expect(statSync(join(dir, 'keys', 'log-ed25519.keyring.json')).mode & 0o777).toBe(0o600);
    await store.close();

    // The history verifies with both keys; with the new key alone, the checkpoint signed before the rotation does not.
    expect(verifyLedgerFile(join(dir, 'events.sqlite'), { logKey: [second, first] }).problems).toEqual([]);
    const newOnly = verifyLedgerFile(join(dir, 'events.sqlite'), { logKey: second }).problems;
    expect(newOnly.map((p) => [p.kind, p.message.includes('stored checkpoint 1')])).toEqual([['CHECKPOINT_SIGNATURE_INVALID', true]]);
  });

  it('refuses to retire the active key, an unknown key, or a key twice', () => {
    const options = { dataDir: dir };
    const active = parseVerifierKey(LogKeyring.load(options).verifierKey).keyId.toString('hex');
    expect(() => retireLogKey(options, active)).toThrow(/active key: rotate first/);
    expect(() => retireLogKey(options, 'deadbeef')).toThrow(NoteError);
    rotateLogKey(options);
    retireLogKey(options, active);
    expect(() => retireLogKey(options, active)).toThrow(/already retired/);
  });
});
