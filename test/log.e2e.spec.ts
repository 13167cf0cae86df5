import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  hashEvent,
  leafHash,
  loadOrCreateLogSigner,
  retireLogKey,
  rotateLogKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  hasValidSignature,
  toHashedFields,
  validCosignatureTime,
  verifyConsistency,
  verifyInclusion,
  type StoredEvent,
} from '@ledger/event-store';
import { describeWithServer, insertLinkedRow, newEvent } from '@ledger/event-store/testing';
import { randomIds } from '../apps/ledger-api/src/platform/ports';
import { LedgerLogService } from '../apps/ledger-api/src/log/ledger-log.service';
import { Ledger, P, appraisalOf, as, openUnitAndFirstAppraisal } from './support/ledger';
import { registerLog, witnessFromEnv } from './support/witness';

/** Polls an async condition (the api reloads its keys once a second). */
async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The log over HTTP, as an auditor's or a reviewer's client uses it: the checkpoint verifies with
 * the published key, every event is included in it, the tree only grows, the tiles rebuild it; and
 * a store that disagrees with its log is refused at start.
 */
describe('the Merkle log over HTTP', () => {
  let l: Ledger;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-log-e2e-'));
    l = await Ledger.start(undefined, { dataDir, ids: randomIds });
    await openUnitAndFirstAppraisal(l);
  });
  afterEach(async () => {
    await l.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const text = async (path: string) => {
    const res = await request(l.t.server).get(path);
    expect([path, res.status]).toEqual([path, 200]);
    return res.text;
  };

  it('serves a checkpoint signed with the published key, proofs that verify against it, and tiles that rebuild it', async () => {
    const key = parseVerifierKey(await text('/log/key'));
    const note = parseNote(await text('/log/checkpoint'));
    expect(hasValidSignature(note, key)).toBe(true);
    const checkpoint = parseCheckpoint(note.body);
    expect(checkpoint.origin).toBe(key.name);
    const events = await l.store.readAll({ fromPosition: 0, limit: 1000 });
    expect(checkpoint.size).toBe(events.length);

    for (const [i, event] of events.entries()) {
      const byId = await request(l.t.server).get(`/log/proof/inclusion?eventId=${event.eventId}&treeSize=${checkpoint.size}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({ leafIndex: i, treeSize: checkpoint.size, eventId: event.eventId, eventHash: event.hash });
      const leaf = leafHash(Buffer.from(event.hash, 'hex'));
      expect(byId.body.leafHash).toBe(leaf.toString('base64'));
      const proof = (byId.body.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(i, checkpoint.size, leaf, proof, checkpoint.root)).toBe(true);
    }

    const earlier = parseCheckpoint(parseNote(await text('/log/checkpoints/1')).body);
    const consistency = await request(l.t.server).get(`/log/proof/consistency?from=1&to=${checkpoint.size}`);
    const hashes = (consistency.body.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(1, earlier.root, checkpoint.size, checkpoint.root, hashes)).toBe(true);

    // C2SP tlog-tiles: the partial level-0 tile holds the leaf hashes, the entry bundle the event hashes.
    const width = checkpoint.size;
    const tile = await request(l.t.server).get(`/log/tile/0/000.p/${width}`).buffer(true);
    expect(tile.status).toBe(200);
    expect(tile.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(tile.body as Buffer).equals(Buffer.concat(events.map((e) => leafHash(Buffer.from(e.hash, 'hex')))))).toBe(true);
    const bundle = await request(l.t.server).get(`/log/tile/entries/000.p/${width}`).buffer(true);
    expect(
      Buffer.from(bundle.body as Buffer).equals(
        Buffer.concat(events.map((e) => Buffer.concat([Buffer.from([0, 32]), Buffer.from(e.hash, 'hex')]))),
      ),
    ).toBe(true);
  });

  it("verified reads: the history's events and the audit trail's entries come with proofs a client checks without trusting the server", async () => {
    const key = parseVerifierKey(await text('/log/key'));
    const id = appraisalOf(P.employees[0]);
    const history = await l.get(as.auditor, `/appraisals/${id}/history?proof=true`);
    expect(history.status).toBe(200);
    const proof = history.body.proof as {
      checkpoint: string;
      treeSize: number;
      inclusions: { eventId: string; leafIndex: number; hashes: string[] }[];
    };
    const note = parseNote(proof.checkpoint);
    expect(hasValidSignature(note, key)).toBe(true);
    const { root, size } = parseCheckpoint(note.body);
    expect(size).toBe(proof.treeSize);
    const events = history.body.events as StoredEvent[];
    expect(proof.inclusions.map((i) => i.eventId)).toEqual(events.map((e) => e.eventId));
    for (const [i, event] of events.entries()) {
      // The client recomputes the hash from the fields it was shown: the server's `hash` is not taken on trust.
      const recomputed = hashEvent(toHashedFields(event));
      const hashes = proof.inclusions[i].hashes.map((h) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(proof.inclusions[i].leafIndex, size, leafHash(Buffer.from(recomputed, 'hex')), hashes, root)).toBe(true);
      const edited = hashEvent(toHashedFields({ ...event, data: { ...event.data, edited: true } }));
      expect(verifyInclusion(proof.inclusions[i].leafIndex, size, leafHash(Buffer.from(edited, 'hex')), hashes, root)).toBe(false);
    }
    const trail = await l.get(as.auditor, `/appraisals/${id}/audit-trail?proof=true`);
    expect(trail.status).toBe(200);
    const entries = trail.body.entries as { eventId: string; hash: string }[];
    const trailProof = trail.body.proof as typeof proof;
    const trailRoot = parseCheckpoint(parseNote(trailProof.checkpoint).body).root;
    entries.forEach((entry, i) => {
      const hashes = trailProof.inclusions[i].hashes.map((h) => Buffer.from(h, 'base64'));
      expect(
        verifyInclusion(
          trailProof.inclusions[i].leafIndex,
          trailProof.treeSize,
          leafHash(Buffer.from(entry.hash, 'hex')),
          hashes,
          trailRoot,
        ),
      ).toBe(true);
    });
    // The appraisee's view has no hashes to check (360 anonymity): a proof is refused, by person.
    const own = await l.get({ sub: P.employees[0], role: 'PEGAWAI' }, `/appraisals/${id}/history?proof=true`);
    expect([own.status, own.body.code]).toEqual([403, 'NOT_ENTITLED']);
    expect((await l.get(as.auditor, `/appraisals/${id}/history?proof=yes`)).body.code).toBe('VALIDATION_FAILED');
  });

  it('rotates its key while running: the new key signs within a second, the old one co-signs until retired, GET /log/keys lists both', async () => {
    const old = parseVerifierKey(await text('/log/key'));
    const rotated = rotateLogKey({ dataDir });
    await eventually(async () => (await text('/log/key')).trim() === rotated.vkey, 'the api took the new key');
    await l.ok(as.manager, '/appraisals', {
      employeeNip: P.employees[1],
      employeeName: 'B',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    const note = parseNote(await text('/log/checkpoint'));
    expect(hasValidSignature(note, parseVerifierKey(rotated.vkey))).toBe(true);
    expect(hasValidSignature(note, old)).toBe(true);
    const keys = (await request(l.t.server).get('/log/keys')).body as { keys: { vkey: string; state: string }[] };
    expect(keys.keys.map((k) => [k.vkey, k.state])).toEqual([
      [rotated.vkey, 'ACTIVE'],
      [old.text, 'CO_SIGNING'],
    ]);
    retireLogKey({ dataDir }, old.keyId.toString('hex'));
    await eventually(
      async () => ((await request(l.t.server).get('/log/keys')).body as { keys: { state: string }[] }).keys[1].state === 'RETIRED',
      'the api saw the retirement',
    );
  });

  it('answers a bad or impossible ask with a problem document, never a 5xx', async () => {
    const size = (await l.store.readAll({ fromPosition: 0, limit: 1000 })).length;
    const cases: [string, number, string][] = [
      [`/log/checkpoints/${size + 1}`, 404, 'CHECKPOINT_NOT_FOUND'],
      ['/log/checkpoints/01', 400, 'VALIDATION_FAILED'],
      ['/log/checkpoints/-1', 400, 'VALIDATION_FAILED'],
      [`/log/proof/inclusion?leafIndex=0&treeSize=${size + 1}`, 400, 'TREE_SIZE_AHEAD'],
      [`/log/proof/inclusion?leafIndex=${size}`, 404, 'LEAF_NOT_FOUND'],
      ['/log/proof/inclusion?leafIndex=0&eventId=abc', 400, 'VALIDATION_FAILED'],
      ['/log/proof/inclusion', 400, 'VALIDATION_FAILED'],
      ['/log/proof/inclusion?eventId=00000000-0000-4000-8000-000000000000', 404, 'LEAF_NOT_FOUND'],
      ['/log/proof/consistency?from=2&to=1', 400, 'VALIDATION_FAILED'],
      ['/log/proof/consistency?from=0&to=1', 400, 'VALIDATION_FAILED'],
      [`/log/proof/consistency?from=1&to=${size + 1}`, 400, 'TREE_SIZE_AHEAD'],
      ['/log/proof/consistency?from=1', 400, 'VALIDATION_FAILED'],
      ['/log/proof/consistency?from=1&to=2&extra=1', 400, 'VALIDATION_FAILED'],
      ['/log/tile/0/001', 404, 'TILE_NOT_FOUND'],
      ['/log/tile/0/x000/000', 404, 'TILE_NOT_FOUND'],
      ['/log/tile/0/000.p/0', 404, 'TILE_NOT_FOUND'],
      ['/log/tile/64/000', 404, 'TILE_NOT_FOUND'],
      [`/log/tile/0/000.p/${size + 1}`, 404, 'TILE_NOT_FOUND'],
      ['/log/tile/entries/abc', 404, 'TILE_NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const res = await request(l.t.server).get(path);
      expect([path, res.status, res.body.code]).toEqual([path, status, code]);
      // An answer for what does not exist yet must not be cached as if it were immutable.
      expect([path, res.headers['cache-control']]).not.toEqual([path, expect.stringContaining('immutable')]);
    }
  });

  it('refuses, loudly, to start on a store with a row the ledger did not append, and names it', async () => {
    await l.close();
    const db = new Database(join(dataDir, 'events.sqlite'));
    const forged = insertLinkedRow(
      db,
      `appraisal-${appraisalOf(P.employees[0])}`,
      newEvent({ type: 'AppraisalOpened', metadata: { actorId: P.manager, actorRole: 'PENGELOLA_KINERJA' } }),
    );
    db.close();
    await expect(Ledger.start(undefined, { dataDir, ids: randomIds })).rejects.toThrow(
      new RegExp(`REFUSING TO SERVE[\\s\\S]*NOT_IN_LOG: event ${forged}`),
    );
  });
});

describeWithServer('witness', 'the Merkle log cosigned by a real witness (litewitness)', () => {
  const witness = witnessFromEnv();
  let dataDir: string;
  let l: Ledger | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-witness-e2e-'));
  });
  afterEach(async () => {
    await l?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startWith = async (origin: string) => {
    const env = { LEDGER_LOG_ORIGIN: origin, LEDGER_WITNESSES: `${witness?.url} ${witness?.vkey}`, LEDGER_WITNESS_INTERVAL_MS: '3600000' };
    l = await Ledger.start(undefined, { dataDir, ids: randomIds, env });
    return l;
  };

  it('is cosigned in the normal case, and the witness refuses a rewritten store: the rewrite is caught by a third party', async () => {
    if (witness === undefined) throw new Error('no witness');
    const origin = `ledger.test/e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const signer = loadOrCreateLogSigner({ dataDir, origin });
    registerLog(witness, origin, signer.verifierKey);
    const witnessKey = parseVerifierKey(witness.vkey);

    let ledger = await startWith(origin);
    await openUnitAndFirstAppraisal(ledger);
    const service = ledger.t.app.get(LedgerLogService);
    await service.witnesses?.round();
    const note = parseNote((await request(ledger.t.server).get('/log/checkpoint')).text);
    expect(validCosignatureTime(note, witnessKey)).toEqual(expect.any(Number));
    const first = parseCheckpoint(note.body).size;

    // More commits: the witness cosigns the newer tree after checking the consistency proof from what it saw.
    await ledger.ok({ sub: P.manager, role: 'PENGELOLA_KINERJA' }, '/appraisals', {
      employeeNip: P.employees[1],
      employeeName: 'B',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    await service.witnesses?.round();
    const second = parseNote((await request(ledger.t.server).get('/log/checkpoint')).text);
    expect(parseCheckpoint(second.body).size).toBeGreaterThan(first);
    expect(validCosignatureTime(second, witnessKey)).toEqual(expect.any(Number));
    await ledger.close();

    // The insider rewrites the whole store, re-signed with the ledger's own key: a history of
    // the same length whose events differ. Every local check passes; the witness will not cosign it.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `events.sqlite${suffix}`), { force: true });
    rmSync(join(dataDir, 'read-models.sqlite'), { force: true });
    ledger = await startWith(origin);
    await openUnitAndFirstAppraisal(ledger);
    await ledger.ok({ sub: P.manager, role: 'PENGELOLA_KINERJA' }, '/appraisals', {
      employeeNip: P.employees[2],
      employeeName: 'C',
      year: 2026,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    const rewrittenService = ledger.t.app.get(LedgerLogService);
    await rewrittenService.witnesses?.round();
    const status = (await request(ledger.t.server).get('/log/status')).body as {
      witnesses: { name: string; refusals: { status: number; body: string }[] }[];
      published: unknown;
    };
    expect(status.witnesses[0].refusals).toEqual([expect.objectContaining({ status: 422, body: expect.stringContaining('consistency') })]);
    expect(status.published).toBeNull();
    expect((await request(ledger.t.server).get('/log/checkpoint')).body.code).toBe('CHECKPOINT_NOT_FOUND');
  });
});

describeWithServer('postgres', 'the Merkle log of a server event store (PostgreSQL), kept by a follower', (address) => {
  it('signs what the follower read, and every event of a command is included in the served checkpoint', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-pg-log-'));
    const env = {
      EVENT_STORE: 'postgres',
      POSTGRES_URL: address,
      POSTGRES_ADMIN_URL: process.env.POSTGRES_ADMIN_URL,
      POSTGRES_SCHEMA: `ledger_log_${Date.now()}_${Math.floor(Math.random() * 1e6)}`,
    };
    const l = await Ledger.start(undefined, { dataDir, ids: randomIds, env });
    try {
      await openUnitAndFirstAppraisal(l);
      const events = await l.store.readAll({ fromPosition: 0, limit: 1000 });
      const history = await l.get(as.auditor, `/appraisals/${appraisalOf(P.employees[0])}/history?proof=true`);
      expect(history.status).toBe(200);
      const key = parseVerifierKey((await request(l.t.server).get('/log/key')).text);
      const proof = history.body.proof as { checkpoint: string; treeSize: number; inclusions: { leafIndex: number; hashes: string[] }[] };
      const note = parseNote(proof.checkpoint);
      expect(hasValidSignature(note, key)).toBe(true);
      const { root, size } = parseCheckpoint(note.body);
      expect(size).toBe(events.length);
      (history.body.events as StoredEvent[]).forEach((event, i) => {
        const leaf = leafHash(Buffer.from(hashEvent(toHashedFields(event)), 'hex'));
        const hashes = proof.inclusions[i].hashes.map((h) => Buffer.from(h, 'base64'));
        expect(verifyInclusion(proof.inclusions[i].leafIndex, size, leaf, hashes, root)).toBe(true);
      });
    } finally {
      await l.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
