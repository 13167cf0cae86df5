import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startApi, type AppProcess } from './support/processes';

/**
 * README.md's walkthrough, run literally: every ```bash block of "One appraisal, step by step",
 * in order, in one bash shell, against the compiled api on the embedded default (a temp data dir,
 * a free port, the real clock), with `dist/` as `npm start` leaves it. A step that the api refuses
 * fails the shell (curl --fail-with-body under set -e) and so this test.
 */
const SECTION = '## One appraisal, step by step';

export function walkthroughScript(readme: string): string {
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README has no "${SECTION}" section`);
  const next = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const blocks = [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  return blocks.join('\n');
}

describe('README walkthrough', () => {
  let work: string;
  let api: AppProcess | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'readme-'));
    // apps, libs and scripts, as scripts/build.js compiles them into dist/.
    execFileSync(
      join(root, 'node_modules', '.bin', 'swc'),
      ['apps', 'libs', 'scripts', '-d', join(work, 'dist'), '--quiet', '--ignore', '**/*.spec.ts,**/testing/**'],
      {
        cwd: root,
      },
    );
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('has bash blocks for every step, tokens minted before they are used', () => {
    const script = walkthroughScript(readFileSync(join(root, 'README.md'), 'utf8'));
    for (const path of [
      '/units',
      '/plan/approve',
      '/evidence',
      '/feedback',
      '/self-assessment',
      '/raters',
      '/surveys',
      '/rating',
      '/organisational-predicate',
      '/finalisation',
      '/objection',
      '/objection/statements',
      '/objection/decision',
      '/audit-trail',
    ]) {
      expect({ path, present: script.includes(path) }).toEqual({ path, present: true });
    }
    // The organisational predicate comes before the first rating (SE MenPANRB 3/2023).
    expect(script.indexOf('/organisational-predicate')).toBeLessThan(script.indexOf('$T/rating'));
    const used = new Set([...script.matchAll(/"\$([A-Z]+)"/g)].map((m) => m[1]));
    const minted = new Set([...script.matchAll(/^([A-Z]+)=\$\(token /gm)].map((m) => m[1]));
    expect([...minted].sort()).toEqual(expect.arrayContaining(['ANI', 'AUDIT', 'BUDI', 'DEWI', 'HR', 'RINA', 'SITI']));
    for (const name of used) if (/^(HR|SITI|BUDI|ANI|RINA|DEWI|AUDIT)$/.test(name)) expect(minted.has(name)).toBe(true);
  });

  it('runs as written against a fresh ledger, from opening to the decided objection and the audit trail', async () => {
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const started = await startApi(join(work, 'dist'), { LEDGER_DATA_DIR: dataDir });
    api = started;
    const script = walkthroughScript(readFileSync(join(root, 'README.md'), 'utf8'));
    const run = spawn('bash', ['-c', script], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_PATH: join(root, 'node_modules'),
        LEDGER_DATA_DIR: dataDir,
        LEDGER_URL: started.base,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    run.stdout.on('data', (c: Buffer) => (out += c.toString()));
    run.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((done) => run.once('exit', done));
    if (code !== 0 || err !== '') throw new Error(`walkthrough exited ${code}: ${err}\n${out.split('\n').slice(-12).join('\n')}`);
    expect(out).toMatch(/\{"organisationalPredicate":"ISTIMEWA","n":1,"counts":\{"BAIK":1,/);
    expect(out).toContain('{"status":"OBJECTION_DECIDED","predicate":"BAIK","objection":"UPHELD"}');
    expect(out).toContain('{"ok":true,');
    // Step 10: a verified read and the auditor's verify against the checkpoint kept.
    expect(out).toMatch(/\{"treeSize":\d+,"everyEventProved":true\}/);
    expect(out).toMatch(/INTACT: \d+ events in \d+ streams checked\n {2}log: tree of \d+ events.*1 trusted; signatures checked/);
    expect(out).toMatch(/PEJABAT_PENILAI 198001012005011002 rated TAHUNAN: .* → BAIK/);
    expect(out).toMatch(/\{"revision":\d+,"rating":"BAIK","objection":null\}/);
    expect(out).toMatch(/\{"status":404,"code":"NOT_YET_OPENED","details":\{/);
    expect(api.output()).not.toMatch(/\b(ERROR|500)\b/);
  }, 120_000);
});
