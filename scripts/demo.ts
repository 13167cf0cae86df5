/**
 * Drives one whole appraisal through the HTTP API of a running ledger and prints its audit trail:
 * plan (returned once, then approved), feedback, evidence, self-assessment, 360 survey, ratings
 * and a revision, unit finalisation (first refused by the distribution rule), objection, statements,
 * third-party review and the superior's decision. Then a second unit with two appraisers of different
 * leniency, 360 surveys of three raters, and an objection left open with a reviewer assigned: a ledger
 * worth looking at in the console and the subjectivity analytics.
 *
 *   npm start                 # in one terminal
 *   npm run demo              # in another (LEDGER_URL, LEDGER_DATA_DIR as for the server)
 *
 * Tokens are minted with the server's local signing key (AUTH_MODE=local), so the demo needs the
 * same data directory as the server.
 */
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import type { Role } from '@ledger/appraisal';
import { loadOrCreateLocalKeys, signLocalToken, type LocalKeys } from '../apps/ledger-api/src/auth/local-keys';

const BASE = process.env.LEDGER_URL ?? `http://127.0.0.1:${process.env.LEDGER_PORT ?? '3000'}`;
// The latest year whose annual evaluation is open (it opens on 1 December, Asia/Jakarta): this year in
// December, last year before that.
const JAKARTA_NOW = new Date(Date.now() + 7 * 3600_000);
const YEAR = JAKARTA_NOW.getUTCMonth() === 11 ? JAKARTA_NOW.getUTCFullYear() : JAKARTA_NOW.getUTCFullYear() - 1;
const PERIOD = 'TAHUNAN';
// NIP = birth date (8) + appointment month (6) + sex (1) + sequence (3); the sequence varies per run.
const run = String(randomInt(100, 999));
const nip = (born: string, appointed: string, sex: 1 | 2) => `${born}${appointed}${sex}${run}`;
const people = {
  hr: { id: nip('19850505', '201001', 2), role: 'PENGELOLA_KINERJA' },
  siti: { id: nip('19920315', '201903', 2), role: 'PEGAWAI' },
  budi: { id: nip('19800101', '200501', 1), role: 'PEJABAT_PENILAI' },
  rina: { id: nip('19750202', '200003', 2), role: 'ATASAN_PEJABAT_PENILAI' },
  leader: { id: nip('19680101', '199003', 1), role: 'PIMPINAN_UNIT' },
  upper: { id: nip('19650101', '198803', 1), role: 'PIMPINAN_UNIT' },
  peer1: { id: nip('19910505', '201801', 1), role: 'REKAN_KERJA' },
  peer2: { id: nip('19930707', '202012', 2), role: 'REKAN_KERJA' },
  joko: { id: nip('19780303', '200303', 1), role: 'PEJABAT_PENILAI' },
  wati: { id: nip('19790404', '200404', 2), role: 'PEJABAT_PENILAI' },
  hendra: { id: nip('19720505', '199805', 1), role: 'ATASAN_PEJABAT_PENILAI' },
  leader2: { id: nip('19690606', '199106', 2), role: 'PIMPINAN_UNIT' },
  reviewer: { id: `inspektorat-${run}`, role: 'PENINJAU' },
  auditor: { id: `auditor-${run}`, role: 'AUDITOR' },
} satisfies Record<string, { id: string; role: Role }>;
type Person = keyof typeof people;
const colleagues = [
  { id: nip('19900101', '201501', 1), name: 'Andi Pratama', rating: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'] },
  { id: nip('19880808', '201403', 2), name: 'Dewi Lestari', rating: ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
  { id: nip('19950909', '202003', 1), name: 'Eko Saputra', rating: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
];
const unitId = `dpmptsp-perizinan-${run}`;
// The second unit: Joko rates four people, all DI_ATAS (SANGAT_BAIK); Wati rates four, mostly SESUAI.
const unit2 = `dpmptsp-pelayanan-${run}`;
const team = [
  { id: nip('19910101', '201601', 1), name: 'Fajar Nugroho', by: 'joko', rating: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'] },
  { id: nip('19920202', '201602', 2), name: 'Gita Permata', by: 'joko', rating: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'] },
  { id: nip('19930303', '201703', 1), name: 'Hadi Santoso', by: 'joko', rating: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'] },
  { id: nip('19940404', '201704', 2), name: 'Intan Sari', by: 'joko', rating: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'] },
  { id: nip('19950505', '201805', 1), name: 'Joni Kurniawan', by: 'wati', rating: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
  { id: nip('19960606', '201806', 2), name: 'Kartika Dewi', by: 'wati', rating: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
  { id: nip('19970707', '201907', 1), name: 'Lukman Hakim', by: 'wati', rating: ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
  { id: nip('19980808', '201908', 2), name: 'Maya Anggraini', by: 'wati', rating: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'] },
] as const;
/** Who rates whom in the 360 (colleagues of the same unit), and how: one letter per BerAKHLAK behaviour, A(tas)/S(esuai)/B(awah). */
const surveys360: Array<{ of: number; raters: number[]; answers: string[] }> = [
  { of: 0, raters: [4, 5, 6], answers: ['SSSSSSS', 'SSSSSSA', 'SASSSSS'] },
  { of: 4, raters: [0, 1, 7], answers: ['SSASSSS', 'SSASSSA', 'AAAAAAA'] },
  { of: 6, raters: [2, 3, 5], answers: ['SSSBSSS', 'SSSBSSS', 'SSBBSSS'] },
];

let keys: LocalKeys;
const tokens = new Map<string, string>();
async function token(who: { id: string; role: Role }): Promise<string> {
  const key = `${who.id}:${who.role}`;
  if (!tokens.has(key)) tokens.set(key, await signLocalToken(keys, { sub: who.id, role: who.role, ttl: '1h' }));
  return tokens.get(key) ?? '';
}

let lastPosition = 0;
async function call(
  who: Person | { id: string; role: Role },
  method: string,
  url: string,
  body?: unknown,
  expectFail = false,
  headers: Record<string, string> = {},
) {
  const actor = typeof who === 'string' ? people[who] : who;
  // Read models are eventually consistent: every read asks to see at least what the demo wrote.
  if (method === 'GET' && !url.includes('minPosition=')) url = `${url}${url.includes('?') ? '&' : '?'}minPosition=${lastPosition}`;
  const response = await fetch(`${BASE}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${await token(actor)}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok && !expectFail) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(json)}`);
  if (typeof json.position === 'number') lastPosition = Math.max(lastPosition, json.position);
  return { status: response.status, json, etag: response.headers.get('etag') };
}
const step = (text: string) => process.stdout.write(`  ✓ ${text}\n`);

const plan = {
  results: [
    {
      id: 'rhk-1',
      kind: 'UTAMA',
      description: 'Perizinan berusaha diterbitkan tepat waktu',
      supportsSuperiorResult: 'Meningkatnya kualitas layanan perizinan',
      indicators: [
        { id: 'iki-1', description: 'Izin terbit sesuai SLA', aspect: 'KUANTITAS', target: { value: 120, unit: 'izin' } },
        { id: 'iki-2', description: 'Rata-rata waktu proses', aspect: 'WAKTU', target: { value: 3, unit: 'hari kerja' } },
      ],
    },
    {
      id: 'rhk-2',
      kind: 'TAMBAHAN',
      description: 'Panduan layanan daring diperbarui',
      indicators: [{ id: 'iki-3', description: 'Panduan terbit', aspect: 'KUALITAS', target: { value: 1, unit: 'dokumen' } }],
    },
  ],
};
const dialogue = { heldOn: `${YEAR}-01-08`, notes: 'Dialog kinerja awal tahun dengan Kepala Seksi' };
const LETTER: Record<string, string> = { A: 'DI_ATAS_EKSPEKTASI', S: 'SESUAI_EKSPEKTASI', B: 'DI_BAWAH_EKSPEKTASI' };
const coded = (code: string) =>
  Object.fromEntries(
    ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((b, i) => [b, LETTER[code[i]]]),
  );
const answers = (rating: string) =>
  Object.fromEntries(
    ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((b) => [b, rating]),
  );

async function main(): Promise<void> {
  keys = await loadOrCreateLocalKeys(path.resolve(process.env.LEDGER_DATA_DIR ?? './data'));
  process.stdout.write(`Appraisal ledger demo against ${BASE}\n\n1. Opening\n`);
  await call('hr', 'POST', '/units', {
    unitId,
    year: YEAR,
    name: 'Bidang Perizinan, DPMPTSP',
    leaderId: people.leader.id,
    upperLeaderId: people.upper.id,
  });
  const open = (id: string, name: string) =>
    call('hr', 'POST', '/appraisals', {
      employeeNip: id,
      employeeName: name,
      year: YEAR,
      unitId,
      appraiserId: people.budi.id,
      superiorId: people.rina.id,
      functionalPosition: { name: 'Penata Perizinan Ahli Pertama', annualCoefficient: 12.5 },
    });
  const opened = await open(people.siti.id, 'Siti Rahmawati');
  const id = String(opened.json.appraisalId);
  for (const c of colleagues) await open(c.id, c.name);
  step(`unit ${unitId} and 4 appraisals opened; Siti's is ${id}`);

  process.stdout.write('\n2. Plan (SKP)\n');
  const a = `/appraisals/${id}`;
  await call('siti', 'POST', `${a}/plan/draft`, { plan, dialogue });
  await call('siti', 'POST', `${a}/plan/submit`, {});
  await call('budi', 'POST', `${a}/plan/return`, { reason: 'Target waktu proses perlu mengacu SLA 3 hari kerja yang baru' });
  step('Siti drafted and submitted; Budi returned it with a reason');
  const redrafted = await call('siti', 'POST', `${a}/plan/draft`, { plan, dialogue });
  const submitted = await call('siti', 'POST', `${a}/plan/submit`, {});
  // Optimistic concurrency: approve exactly the revision Budi was shown, or be refused (412).
  await call('budi', 'POST', `${a}/plan/approve`, {}, false, { 'If-Match': submitted.etag ?? '' });
  step(`redrafted (revision ${String(redrafted.json.revision)}), resubmitted and approved with If-Match ${String(submitted.etag)}`);
  await call('budi', 'POST', `${a}/plan/behaviour-expectations`, {
    behaviour: 'BERORIENTASI_PELAYANAN',
    expectation: 'Menanggapi pengaduan pemohon dalam 1 hari kerja',
  });
  for (const c of colleagues) {
    const ca = `/appraisals/${YEAR}-${c.id}`;
    await call({ id: c.id, role: 'PEGAWAI' }, 'POST', `${ca}/plan/draft`, { plan, dialogue });
    await call({ id: c.id, role: 'PEGAWAI' }, 'POST', `${ca}/plan/submit`, {});
    await call('budi', 'POST', `${ca}/plan/approve`, {});
  }
  step('behaviour expectation added; the colleagues’ plans approved too');

  process.stdout.write('\n3. During the year\n');
  await call('siti', 'POST', `${a}/evidence`, {
    resultId: 'rhk-1',
    indicatorId: 'iki-1',
    period: PERIOD,
    value: 134,
    document: {
      uri: 'https://dms.example.go.id/laporan/izin-2026.pdf',
      sha256: 'b3c1d6e0f7a94c2e8d5b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
    },
  });
  const feedback = await call('budi', 'POST', `${a}/feedback`, {
    text: 'Capaian izin di atas target; pertahankan dokumentasi.',
    about: { resultId: 'rhk-1' },
  });
  await call('siti', 'POST', `${a}/feedback/${String(feedback.json.feedbackId)}/responses`, {
    text: 'Terima kasih, akan saya pertahankan.',
  });
  step('evidence recorded (URI + SHA-256), feedback given and answered');

  process.stdout.write('\n4. Evaluation\n');
  const u = `/units/${unitId}/years/${YEAR}/periods/${PERIOD}`;
  const basis = {
    uri: 'https://dms.example.go.id/capaian-organisasi/dpmptsp.pdf',
    sha256: '9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f',
  };
  // SE MenPANRB 3/2023: the organisational predicate comes first, on its basis, before anyone is rated.
  await call('leader', 'POST', `${u}/organisational-predicate`, { predicate: 'BUTUH_PERBAIKAN', basis });
  step('the unit leader set the organisational predicate BUTUH_PERBAIKAN on its basis (document URI + SHA-256)');
  const p = `${a}/periods/${PERIOD}`;
  await call('siti', 'POST', `${p}/self-assessment`, {
    hasilKerja: 'DI_ATAS_EKSPEKTASI',
    perilakuKerja: 'DI_ATAS_EKSPEKTASI',
    note: '134 izin dari target 120; rata-rata 2,6 hari.',
  });
  await call('budi', 'POST', `${p}/raters`, { raterId: people.peer1.id, relation: 'REKAN_KERJA' });
  await call('budi', 'POST', `${p}/raters`, { raterId: people.peer2.id, relation: 'REKAN_KERJA' });
  await call('peer1', 'POST', `${p}/surveys`, { answers: answers('DI_ATAS_EKSPEKTASI') });
  await call('peer2', 'POST', `${p}/surveys`, { answers: answers('SESUAI_EKSPEKTASI'), comment: 'Selalu membantu rekan.' });
  step('self-assessment, two peers assigned and surveyed (360)');
  await call('budi', 'POST', `${p}/rating`, {
    hasilKerja: 'SESUAI_EKSPEKTASI',
    hasilKerjaJustification: 'Target izin tercapai.',
    perilakuKerja: 'SESUAI_EKSPEKTASI',
    perilakuKerjaJustification: 'Perilaku sesuai BerAKHLAK.',
  });
  await call('budi', 'POST', `${p}/rating/revisions`, {
    hasilKerja: 'DI_ATAS_EKSPEKTASI',
    hasilKerjaJustification: '134 izin dari target 120 (112%).',
    perilakuKerja: 'SESUAI_EKSPEKTASI',
    perilakuKerjaJustification: 'Perilaku sesuai BerAKHLAK.',
    reason: 'Bukti dukung capaian izin belum terbaca saat penilaian pertama',
  });
  for (const c of colleagues) {
    await call('budi', 'POST', `/appraisals/${YEAR}-${c.id}/periods/${PERIOD}/rating`, {
      hasilKerja: c.rating[0],
      hasilKerjaJustification: 'Sesuai capaian SKP.',
      perilakuKerja: c.rating[1],
      perilakuKerjaJustification: 'Sesuai pengamatan perilaku.',
    });
  }
  step('Budi rated Siti (BAIK), revised it with a reason (still BAIK), and rated the colleagues');

  process.stdout.write('\n5. Unit calibration and finalisation\n');
  const refused = await call('leader', 'POST', `${u}/finalisation`, {}, true);
  step(
    `with organisational predicate BUTUH_PERBAIKAN, finalisation refused: ${refused.status} ${String(refused.json.code)} — ${String(refused.json.detail)}`,
  );
  await call('leader', 'POST', `${u}/organisational-predicate`, {
    predicate: 'BAIK',
    basis,
    reason: 'Capaian organisasi dihitung ulang setelah audit kinerja',
  });
  const finalised = await call('leader', 'POST', `${u}/finalisation`, {});
  step(`with BAIK the distribution fits; finalised and ${(finalised.json.deliveries as unknown[]).length} results delivered`);
  const unitView = await call('leader', 'GET', `/units/${unitId}/years/${YEAR}?period=${PERIOD}`);
  step(
    `the unit view shows the change beside the finalisation: escaped the pattern = ${String(unitView.json.organisationalPredicateEscapedPattern)}`,
  );

  process.stdout.write('\n6. Objection (keberatan)\n');
  const o = `${p}/objection`;
  await call('siti', 'POST', o, { reasons: 'Capaian 112% dan umpan balik 360 menunjukkan perilaku di atas ekspektasi.' });
  await call('rina', 'POST', `${o}/statements`, {
    party: 'PEJABAT_PENILAI',
    statement: 'Perilaku dinilai dari pengamatan langsung sepanjang tahun.',
  });
  await call('rina', 'POST', `${o}/statements`, { party: 'PEGAWAI', statement: 'Saya memimpin perbaikan SOP layanan daring.' });
  await call('rina', 'POST', `${o}/reviewer`, { reviewerId: people.reviewer.id });
  await call('reviewer', 'GET', a);
  await call('reviewer', 'POST', `${o}/findings`, {
    findings: 'Bukti dukung dan survei 360 mendukung perilaku di atas ekspektasi.',
    recommendation: 'AMENDED',
  });
  const decided = await call('rina', 'POST', `${o}/decision`, {
    outcome: 'AMENDED',
    reasons: 'Temuan peninjau dan bukti dukung diterima.',
    amended: {
      hasilKerja: 'DI_ATAS_EKSPEKTASI',
      hasilKerjaJustification: '134 izin dari target 120 (112%).',
      perilakuKerja: 'DI_ATAS_EKSPEKTASI',
      perilakuKerjaJustification: 'Memimpin perbaikan SOP; survei 360 di atas ekspektasi.',
    },
  });
  step(`objection filed, statements recorded, reviewer read and advised, decision AMENDED (revision ${String(decided.json.revision)})`);

  await secondUnit(basis);

  process.stdout.write('\n7. What the ledger shows\n');
  const view = await call('siti', 'GET', a);
  const periods = view.json.periods as Record<string, { result?: { predicate?: string } }>;
  step(`Siti's predicate for ${PERIOD}: ${periods[PERIOD]?.result?.predicate ?? '?'}`);
  const integrity = await call('auditor', 'GET', `${a}/integrity`);
  step(`integrity: ${JSON.stringify({ ok: integrity.json.ok, events: integrity.json.eventsChecked })}`);
  const analytics = await call('leader2', 'GET', `/units/${unit2}/years/${YEAR}/analytics?period=${PERIOD}`);
  const agreement = analytics.json.agreement as { agreement: { ordinal: number | null; raters: number } };
  step(
    `analytics of ${unit2}: 360 agreement (ordinal alpha) ${String(agreement.agreement.ordinal)} over ${agreement.agreement.raters} raters; flags: ` +
      (analytics.json.flags as Array<{ kind: string; subjectId: string | null }>)
        .map((f) => `${f.kind} ${f.subjectId ?? ''}`.trim())
        .join(', '),
  );
  const trail = await call('auditor', 'GET', `${a}/audit-trail`);
  const entries = (trail.json.entries ?? trail.json.items ?? []) as Array<Record<string, unknown>>;
  process.stdout.write(`\nAudit trail of ${id} (${entries.length} events):\n`);
  for (const e of entries) {
    const why = e.reason ? `\n        why: ${typeof e.reason === 'string' ? e.reason : JSON.stringify(e.reason)}` : '';
    process.stdout.write(
      `  @${String(e.position).padStart(4)} ${String(e.occurredAt)}  ${String(e.summary)}${why}\n        ${String(e.streamId)} #${String(e.streamRevision)} hash ${String(e.hash).slice(0, 16)}…\n`,
    );
  }
}

/** Opens, plans, surveys, rates and finalises the second unit, and leaves one objection open with a reviewer. */
async function secondUnit(basis: { uri: string; sha256: string }): Promise<void> {
  process.stdout.write('\n6b. A second unit: two appraisers, 360 surveys, an open dispute\n');
  await call('hr', 'POST', '/units', {
    unitId: unit2,
    year: YEAR,
    name: 'Bidang Pelayanan, DPMPTSP',
    leaderId: people.leader2.id,
    upperLeaderId: people.upper.id,
  });
  const pegawai = (i: number) => ({ id: team[i].id, role: 'PEGAWAI' as Role });
  const of = (i: number) => `/appraisals/${YEAR}-${team[i].id}`;
  for (const [i, member] of team.entries()) {
    await call('hr', 'POST', '/appraisals', {
      employeeNip: member.id,
      employeeName: member.name,
      year: YEAR,
      unitId: unit2,
      appraiserId: people[member.by].id,
      superiorId: people.hendra.id,
    });
    await call(pegawai(i), 'POST', `${of(i)}/plan/draft`, { plan, dialogue });
    await call(pegawai(i), 'POST', `${of(i)}/plan/submit`, {});
    await call(member.by, 'POST', `${of(i)}/plan/approve`, {});
  }
  const u2 = `/units/${unit2}/years/${YEAR}/periods/${PERIOD}`;
  await call('leader2', 'POST', `${u2}/organisational-predicate`, { predicate: 'BAIK', basis });
  for (const s of surveys360) {
    const p = `${of(s.of)}/periods/${PERIOD}`;
    for (const [k, r] of s.raters.entries()) {
      await call(team[s.of].by, 'POST', `${p}/raters`, { raterId: team[r].id, relation: 'REKAN_KERJA' });
      await call({ id: team[r].id, role: 'REKAN_KERJA' }, 'POST', `${p}/surveys`, { answers: coded(s.answers[k]) });
    }
  }
  await call(pegawai(6), 'POST', `${of(6)}/periods/${PERIOD}/self-assessment`, {
    hasilKerja: 'SESUAI_EKSPEKTASI',
    perilakuKerja: 'SESUAI_EKSPEKTASI',
    note: 'Target layanan tercapai meski sistem antrean berganti.',
  });
  for (const [i, member] of team.entries()) {
    await call(member.by, 'POST', `${of(i)}/periods/${PERIOD}/rating`, {
      hasilKerja: member.rating[0],
      hasilKerjaJustification: 'Sesuai capaian SKP dan bukti dukung.',
      perilakuKerja: member.rating[1],
      perilakuKerjaJustification: 'Sesuai pengamatan perilaku dan survei 360.',
    });
  }
  step(`unit ${unit2}: Joko rated four SANGAT_BAIK, Wati three BAIK and one BUTUH_PERBAIKAN; 360 surveys of three raters on three people`);
  const finalised = await call('leader2', 'POST', `${u2}/finalisation`, {});
  step(`finalised under BAIK; ${(finalised.json.deliveries as unknown[]).length} results delivered`);
  const o = `${of(6)}/periods/${PERIOD}/objection`;
  await call(pegawai(6), 'POST', o, { reasons: 'Capaian layanan 104% dari target; sistem antrean baru di luar kendali saya.' });
  await call('hendra', 'POST', `${o}/statements`, { party: 'PEJABAT_PENILAI', statement: 'Dua indikator waktu tidak tercapai.' });
  await call('hendra', 'POST', `${o}/statements`, { party: 'PEGAWAI', statement: 'Keterlambatan karena migrasi sistem antrean.' });
  await call('hendra', 'POST', `${o}/reviewer`, { reviewerId: people.reviewer.id });
  step(`${team[6].name} objected; both statements recorded; reviewer ${people.reviewer.id} assigned; the dispute stays open`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
