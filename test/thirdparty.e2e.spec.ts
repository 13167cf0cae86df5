import { execFile, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultLogKeyFile } from '@ledger/event-store';
import { describeWithServer } from '@ledger/event-store/testing';
import { ManualClock, SequentialIds } from '../apps/ledger-api/src/testing/clock-and-ids';
import { startTestApp, type TestApp } from '../apps/ledger-api/src/testing/test-app';
import { P, UNIT, YEAR, appraisalOf, as, planBody, type Caller } from './support/ledger';
import { registerLog, witnessFromEnv } from './support/witness';

/**
 * The log as a third party sees it: test/thirdparty/verifier, a Go program on the standard library
 * and golang.org/x/mod/sumdb (note, tlog) only, checks the real api over real HTTP: the
 * checkpoint's signature (and a witness's cosignature), a random leaf's inclusion proof, a
 * consistency proof from a random earlier checkpoint and from one saved before more appraisals
 * were written, and the root recomputed from the C2SP tiles. It shares no code with the ledger, so
 * a proof order or an encoding both sides got wrong the same way cannot pass here.
 */
const VERIFIER_DIR = path.join(__dirname, 'thirdparty', 'verifier');
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -buildvcs=false' };

function goAvailable(): boolean {
  const probe = spawnSync('go', ['version'], { env: goEnv, encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

/** describe() when go is on PATH; otherwise skipped with the reason, or failing when CI=true. */
function describeWithGo(title: string, body: () => void): void {
  if (goAvailable()) {
    describe(title, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs go on PATH to build test/thirdparty/verifier', () => {
        throw new Error('go is not on PATH, and CI=true: the third-party verifier cannot be built');
      });
    });
    return;
  }
  describe.skip(`${title} (skipped: go is not on PATH; install Go to build test/thirdparty/verifier)`, body);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking the event loop: the api answering it lives in this process. */
function run(file: string, args: string[], options: { cwd?: string; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: goEnv, cwd: options.cwd, timeout: options.timeout ?? 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The production app on a real port, written to over HTTP. */
class Served {
  private constructor(
    readonly t: TestApp,
    readonly base: string,
  ) {}

  static async start(env: NodeJS.ProcessEnv = {}): Promise<Served> {
    const t = await startTestApp({ clock: new ManualClock('2026-01-05T02:00:00.000Z'), ids: new SequentialIds(), env });
    try {
      await t.app.listen(0, '127.0.0.1');
    } catch (error) {
      await t.close();
      throw error;
    }
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    return new Served(t, `http://127.0.0.1:${port}`);
  }

  async ok(caller: Caller, route: string, body: unknown = {}): Promise<void> {
    const res = await fetch(this.base + route, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.t.token(caller.sub, caller.role)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${route} → ${res.status} ${await res.text()}`);
  }

  async text(route: string): Promise<{ status: number; body: string }> {
    const res = await fetch(this.base + route);
    return { status: res.status, body: await res.text() };
  }

  async key(): Promise<string> {
    const res = await this.text('/log/key');
    if (res.status !== 200) throw new Error(`GET /log/key → ${res.status} ${res.body}`);
    return res.body.trim();
  }

  /** The unit, in a commit of its own. */
  async openUnit(name = 'Biro Umum'): Promise<void> {
    await this.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name, leaderId: P.leader, upperLeaderId: P.upperLeader });
  }

  /** Employee i's appraisal with its plan approved: four commits. */
  async approvedPlan(i: number, label = 'v1'): Promise<void> {
    await this.ok(as.manager, '/appraisals', {
      employeeNip: P.employees[i],
      employeeName: `Pegawai ${i + 1}`,
      year: YEAR,
      unitId: UNIT,
      appraiserId: P.appraiser,
      superiorId: P.superior,
    });
    const base = `/appraisals/${appraisalOf(P.employees[i])}`;
    await this.ok(as.employee(i), `${base}/plan/draft`, { plan: planBody(label), dialogue: { heldOn: '2026-01-05' } });
    await this.ok(as.employee(i), `${base}/plan/submit`);
    await this.ok(as.appraiser, `${base}/plan/approve`);
  }

  close(): Promise<void> {
    return this.t.close();
  }
}

/** The lines a passing run prints, one per check. */
const CHECKED = [
  /^ok {3}log key appraisal-ledger\.local\/[0-9a-f]+\+[0-9a-f]{8} \(Ed25519\)/m,
  /^ok {3}checkpoint size \d+ root \S+: signed by \S+, origin matches the key$/m,
  /^ok {3}\/log\/checkpoints\/\d+: signed, same root$/m,
  /^ok {3}inclusion of leaf \d+ \(event [0-9a-f-]{36}, hash [0-9a-f]{64}\) in size \d+: RecordHash\(eventHash\) = leafHash, \d+ hashes, tlog\.CheckRecord$/m,
  /^ok {3}inclusion by eventId=[0-9a-f-]{36}: the same leaf \d+, proof checked$/m,
  /^ok {3}consistency \d+ -> \d+ \(\/log\/checkpoints\/\d+ signed, root \S+\): \d+ hashes, tlog\.CheckTree$/m,
  /^ok {3}tiles: root of size \d+ recomputed with tlog\.TileHashReader \+ tlog\.TreeHash from \d+ tile\(s\)/m,
  /^ok {3}tiles: leaf \d+'s hash in \/log\/tile\/0\/000\S*; entry bundle \/log\/tile\/entries\/000\S*: \d+ entries hash to that tile/m,
  /^OK: every check passed$/m,
];

/** A cosignature/v1 verifier key of a witness that never saw this ledger. */
function strangerWitnessKey(): string {
  const name = 'witness.example/stranger';
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const key = Buffer.concat([Buffer.from([0x04]), raw]);
  const id = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), key]))
    .digest()
    .subarray(0, 4);
  return `${name}+${id.toString('hex')}+${key.toString('base64')}`;
}

describeWithGo('a third-party verifier (Go, x/mod sumdb note and tlog) checks the log over HTTP', () => {
  let tmp: string;
  let verifier: string;
  let a: Served;
  let aKey: string;
  let earlier: string;

  /** Runs the verifier; with LEDGER_TEST_LOG set, its command line and output go to stderr. */
  const verify = async (args: string[]): Promise<Run> => {
    const res = await run(verifier, args);
    if (process.env.LEDGER_TEST_LOG) process.stderr.write(`$ verifier ${args.join(' ')}\n${res.stdout}${res.stderr}exit ${res.code}\n\n`);
    return res;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'thirdparty-'));
    verifier = path.join(tmp, 'verifier');
    // go.sum is committed: -mod=readonly downloads golang.org/x/mod through the module proxy (once, into the module cache) and checks it.
    const build = await run('go', ['build', '-o', verifier, '.'], { cwd: VERIFIER_DIR, timeout: 120_000 });
    if (build.code !== 0) throw new Error(`go build in ${VERIFIER_DIR} failed (${build.code}):\n${build.stderr}`);
    a = await Served.start();
    await a.openUnit();
    await a.approvedPlan(0);
    await a.approvedPlan(1);
    aKey = await a.key();
    earlier = path.join(tmp, 'earlier.checkpoint');
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('verifies checkpoint, inclusion, consistency and tiles; saves the checkpoint; after more appraisals proves the saved one a prefix', async () => {
    const first = await verify(['-url', a.base, '-key', aKey, '-save', earlier, '-seed', '1']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    for (const line of CHECKED) expect(first.stdout).toMatch(line);
    expect(first.stdout).toMatch(/^ok {3}saved the checkpoint of size (\d+) to /m);
    const savedSize = Number(/^ok {3}saved the checkpoint of size (\d+)/m.exec(first.stdout)![1]);
    expect(savedSize).toBeGreaterThanOrEqual(9);

    await a.approvedPlan(2);
    await a.approvedPlan(3);
    // Several seeds: other leaves, other earlier checkpoints.
    for (const seed of ['2', '3', '4']) {
      const later = await verify(['-url', a.base, '-key', aKey, '-trusted', earlier, '-seed', seed]);
      expect(later).toMatchObject({ code: 0, stderr: '' });
      for (const line of CHECKED) expect(later.stdout).toMatch(line);
      expect(later.stdout).toMatch(
        new RegExp(
          `^ok {3}trusted checkpoint ${earlier} \\(size ${savedSize}, root \\S+\\): signed; consistency ${savedSize} -> \\d+: \\d+ hashes`,
          'm',
        ),
      );
    }
  }, 60_000);

  it('past the first full tile (more than 256 leaves): full and partial tiles, a level-1 tile, proofs across the boundary', async () => {
    const big = await Served.start();
    try {
      // One event a commit: a unit each.
      for (let i = 0; i < 270; i++) {
        await big.ok(as.manager, '/units', {
          unitId: `unit-${i}`,
          year: YEAR,
          name: `Unit ${i}`,
          leaderId: P.leader,
          upperLeaderId: P.upperLeader,
        });
      }
      const key = await big.key();
      // Seed 5 picks leaf 157 (in the full tile 0/000) and checkpoint 139; seed 8 leaf 266 (in 0/001.p/14) and checkpoint 63.
      for (const seed of ['5', '8']) {
        const res = await verify(['-url', big.base, '-key', key, '-seed', seed]);
        expect(res).toMatchObject({ code: 0, stderr: '' });
        expect(res.stdout).toMatch(/^ok {3}checkpoint size 270 /m);
        expect(res.stdout).toMatch(
          /^ok {3}tiles: root of size 270 recomputed .* from 2 tile\(s\) \(\/log\/tile\/0\/001\.p\/14 \/log\/tile\/1\/000\.p\/1\)$/m,
        );
        expect(res.stdout).toMatch(
          /^ok {3}tiles: leaf \d+'s hash in \/log\/tile\/0\/(000|001\.p\/14); entry bundle \/log\/tile\/entries\/(000: 256|001\.p\/14: 14) entries hash/m,
        );
      }
    } finally {
      await big.close();
    }
  }, 60_000);

  it('without -key it takes the key from /log/key and says that an auditor must not', async () => {
    const res = await verify(['-url', a.base]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(
      /^WARNING: the log key was taken from .*\/log\/key, i\.e\. from the log itself: a real auditor must get it out of band/m,
    );
    expect(res.stdout).toContain(`ok   log key ${aKey.split('+').slice(0, 2).join('+')} (Ed25519)`);
  }, 30_000);

  it('refuses a trusted checkpoint of another ledger: not signed by this log key', async () => {
    const b = await Served.start();
    try {
      await b.openUnit();
      const other = path.join(tmp, 'other-ledger.checkpoint');
      expect(await run(verifier, ['-url', b.base, '-key', await b.key(), '-save', other])).toMatchObject({ code: 0 });
      const res = await verify(['-url', a.base, '-key', aKey, '-trusted', other]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        new RegExp(`^FAIL: the trusted checkpoint ${other}: no signature by the log key ${aKey.split('+')[0]}\\+`, 'm'),
      );
    } finally {
      await b.close();
    }
  }, 30_000);

  it('refuses a fork signed with the same key: the signature verifies, the consistency proof does not', async () => {
    const fork = await Served.start({ LEDGER_LOG_KEY_FILE: defaultLogKeyFile(a.t.dataDir) });
    try {
      expect(await fork.key()).toBe(aKey);
      await fork.openUnit('Biro Umum (forked)');
      await fork.approvedPlan(0, 'forked');
      const forked = path.join(tmp, 'fork.checkpoint');
      const saved = await run(verifier, ['-url', fork.base, '-key', aKey, '-save', forked]);
      expect(saved).toMatchObject({ code: 0 });
      const forkSize = /^ok {3}saved the checkpoint of size (\d+)/m.exec(saved.stdout)![1];
      const res = await verify(['-url', a.base, '-key', aKey, '-trusted', forked]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        new RegExp(
          `^FAIL: the trusted checkpoint ${forked}: GET /log/proof/consistency\\?from=${forkSize}&to=\\d+: the tree of size \\d+ \\(root \\S+\\) is not proved to extend the tree of size ${forkSize} `,
          'm',
        ),
      );
    } finally {
      await fork.close();
    }
  }, 30_000);

  it('refuses an edited saved checkpoint: the log signature no longer verifies', async () => {
    const saved = fs.readFileSync(earlier, 'utf8');
    const [origin, size, ...rest] = saved.split('\n');
    const edited = path.join(tmp, 'edited.checkpoint');
    fs.writeFileSync(edited, [origin, String(Number(size) - 1), ...rest].join('\n'));
    const res = await verify(['-url', a.base, '-key', aKey, '-trusted', edited]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(`^FAIL: the trusted checkpoint ${edited}: the signature by ${origin}\\+[0-9a-f]{8} does not verify`, 'm'),
    );
  }, 30_000);

  it('refuses a checkpoint without the cosignature of a witness it is told to require', async () => {
    const stranger = strangerWitnessKey();
    const res = await verify(['-url', a.base, '-key', aKey, '-witness', stranger]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(
        `^FAIL: the latest checkpoint \\(/log/checkpoint\\): no cosignature by the witness ${stranger.split('+').slice(0, 2).join('\\+')}$`,
        'm',
      ),
    );
  }, 30_000);

  describeWithServer('witness', 'with a witness: the verifier requires its cosignature', () => {
    it('registers the log with the witness, waits for a cosigned checkpoint, and verifies the cosignature with -witness', async () => {
      const witness = witnessFromEnv()!;
      const w = await Served.start({ LEDGER_WITNESSES: `${witness.url} ${witness.vkey}`, LEDGER_WITNESS_INTERVAL_MS: '100' });
      try {
        const key = await w.key();
        registerLog(witness, key.split('+')[0], key);
        const cosignedLine = new RegExp(`^— ${witness.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm');
        /** Waits until the published checkpoint is the latest signed one, with the witness's cosignature. */
        const cosigned = async (): Promise<void> => {
          const deadline = Date.now() + 20_000;
          for (;;) {
            const status = await fetch(`${w.base}/log/status`).then((res) => res.json() as Promise<{ treeSize: number }>);
            const res = await w.text('/log/checkpoint');
            if (res.status === 200 && cosignedLine.test(res.body) && res.body.split('\n')[1] === String(status.treeSize)) return;
            if (Date.now() > deadline)
              throw new Error(`no cosigned checkpoint of size ${status.treeSize} after 20 s: ${res.status} ${res.body}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        };
        const cosignatureLine = new RegExp(
          `^ok {3}cosignature by ${witness.vkey.split('+').slice(0, 2).join('\\+')} on size \\d+, time \\d+`,
          'm',
        );
        const saved = path.join(tmp, 'witnessed.checkpoint');

        await w.openUnit();
        await w.approvedPlan(0);
        await cosigned();
        const first = await verify(['-url', w.base, '-key', key, '-witness', witness.vkey, '-save', saved]);
        expect(first).toMatchObject({ code: 0, stderr: '' });
        expect(first.stdout).toMatch(cosignatureLine);
        for (const line of CHECKED) expect(first.stdout).toMatch(line);

        await w.approvedPlan(1);
        await cosigned();
        const later = await verify(['-url', w.base, '-key', key, '-witness', witness.vkey, '-trusted', saved]);
        expect(later).toMatchObject({ code: 0, stderr: '' });
        expect(later.stdout).toMatch(cosignatureLine);
        for (const line of CHECKED) expect(later.stdout).toMatch(line);
        expect(later.stdout).toMatch(/^ok {3}trusted checkpoint \S+ \(size \d+, root \S+\): signed; consistency \d+ -> \d+/m);
      } finally {
        await w.close();
      }
    }, 60_000);
  });
});
