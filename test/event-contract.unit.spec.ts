import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { load } from 'js-yaml';
import {
  accessStreamId,
  APPRAISAL_EVENT_TYPES,
  appraisalDecider,
  appraisalIdFor,
  appraisalStreamId,
  DEFAULT_POLICY,
  DISPUTED_APPRAISAL_READ_VERSION,
  EVENT_SCHEMA_VERSIONS,
  memberSnapshot,
  UNIT_EVENT_TYPES,
  unitDecider,
  unitStreamId,
  type Actor,
  type AppraisalCommand,
  type PlanContent,
  type Role,
  type UnitCommand,
  type UnitFinalised,
} from '@ledger/appraisal';
import { SqliteEventStore, type StoredEvent } from '@ledger/event-store';
import { CommandPath } from '../apps/ledger-api/src/commands/command-path';
import { ManualClock, SequentialIds } from '../apps/ledger-api/src/testing/clock-and-ids';
import {
  CONTRACTS_DIR,
  EVENT_SCHEMAS_DIR,
  eventSchemaFiles,
  validateAgainstSchema,
  validateOutgoingEvent,
  type ContractCheck,
} from './support/event-contract';

// Every type that leaves the ledger, at its current schema version.
const CURRENT: Record<string, number> = { ...EVENT_SCHEMA_VERSIONS, DisputedAppraisalRead: DISPUTED_APPRAISAL_READ_VERSION };
const FAMILIES = {
  appraisal: APPRAISAL_EVENT_TYPES as readonly string[],
  unit: UNIT_EVENT_TYPES as readonly string[],
  access: ['DisputedAppraisalRead'],
};

const errorsOf = (check: ContractCheck): string[] => (check.ok ? [] : check.errors);
/** What the type's own schema file lists as required in data (PlanSubmitted: nothing). */
const requiredDataFields = (type: string): string[] => {
  const file = join(EVENT_SCHEMAS_DIR, `${type}.v${CURRENT[type]}.schema.json`);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: { data: { required?: string[] } } };
  return schema.properties.data.required ?? [];
};

describe('the public event contract (contracts/)', () => {
  let events: StoredEvent[];
  const sample = (type: string): StoredEvent => {
    const event = events.find((e) => e.type === type);
    if (event === undefined) throw new Error(`the decided year produced no ${type}`);
    return structuredClone(event);
  };
  beforeAll(async () => {
    events = await decidedYear();
  });

  describe('schema files', () => {
    it('has a schema for every event type at its current schema version', () => {
      const files = new Set(eventSchemaFiles().map((f) => `${f.type}.v${f.schemaVersion}`));
      const missing = Object.entries(CURRENT).map(([type, v]) => `${type}.v${v}`).filter((name) => !files.has(name));
      expect(missing).toEqual([]);
      expect(Object.keys(CURRENT).sort()).toEqual(Object.values(FAMILIES).flat().sort());
    });

    it('has no schema for a type that does not exist, nor for a version not yet in use', () => {
      const strays = eventSchemaFiles().filter((f) => !(f.type in CURRENT) || f.schemaVersion > CURRENT[f.type]);
      expect(strays).toEqual([]);
    });

    it('names every file by its $id, and has nothing but envelope, common and event schemas', () => {
      for (const name of readdirSync(EVENT_SCHEMAS_DIR)) {
        const schema = JSON.parse(readFileSync(join(EVENT_SCHEMAS_DIR, name), 'utf8')) as { $id: string; $schema: string };
        expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
        expect(schema.$id.endsWith(`/contracts/events/${name}`)).toBe(true);
      }
      const shared = readdirSync(EVENT_SCHEMAS_DIR).filter((name) => !eventSchemaFiles().some((f) => f.file === name));
      expect(shared.sort()).toEqual(['common.v1.schema.json', 'envelope.v1.schema.json']);
    });
  });

  describe('events decided by the real deciders, stored by the real store', () => {
    // The optional members of the TS event types (libs/appraisal/src/events.ts); everything else is required.
    const OPTIONAL: Record<string, string[]> = {
      AppraisalOpened: ['functionalPosition'],
      EvidenceRecorded: ['note'],
      FeedbackGiven: ['about'],
      BehaviourSurveySubmitted: ['comment'],
      ObjectionDecided: ['amended'],
      UnitFinalised: ['exception'],
    };

    it('requires exactly the data fields the TS types require, and the year shows every optional one', () => {
      for (const type of Object.keys(CURRENT)) {
        const seen = [...new Set(events.filter((e) => e.type === type).flatMap((e) => Object.keys(e.data)))];
        const optional = OPTIONAL[type] ?? [];
        expect({ type, optionalSeen: optional.filter((f) => seen.includes(f)) }).toEqual({ type, optionalSeen: optional });
        expect({ type, required: [...requiredDataFields(type)].sort() }).toEqual({ type, required: seen.filter((f) => !optional.includes(f)).sort() });
      }
    });

    it('covers every event type', () => {
      expect([...new Set(events.map((e) => e.type))].sort()).toEqual(Object.keys(CURRENT).sort());
    });

    it('validates every one', () => {
      const failures = events.flatMap((e) => errorsOf(validateOutgoingEvent(e)).map((error) => `${e.type}@${e.globalPosition} ${error}`));
      expect(failures).toEqual([]);
    });

    it('validates as read back through JSON, as a consumer receives it', () => {
      const failures = events.flatMap((e) => errorsOf(validateOutgoingEvent(JSON.parse(JSON.stringify(e)))));
      expect(failures).toEqual([]);
    });
  });

  describe.each(Object.entries(FAMILIES))('rejects a broken %s event', (_family, types) => {
    const refused = (event: StoredEvent, path: string) => {
      const errors = errorsOf(validateOutgoingEvent(event));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).toContain(path);
    };

    it.each(types)('%s: an unknown field in data', (type) => {
      const event = sample(type);
      (event.data as Record<string, unknown>).unexpected = 'x';
      refused(event, 'unexpected');
    });

    it.each(types)('%s: a missing required field', (type) => {
      const event = sample(type);
      const [field] = requiredDataFields(type);
      if (field === undefined) delete (event.metadata as Partial<StoredEvent['metadata']>).actorId;
      else delete event.data[field];
      refused(event, field ?? 'actorId');
    });

    it.each(types)('%s: a bad hash, prevHash or event id', (type) => {
      for (const [key, bad] of [['hash', 'A'.repeat(64)], ['prevHash', '0'.repeat(63)], ['eventId', 'not-a-uuid']] as const) {
        const event = sample(type);
        event[key] = bad;
        refused(event, `/${key}`);
      }
    });

    it.each(types)('%s: a wrong schemaVersion (the v1 schema refuses it; no v2 schema exists)', (type) => {
      const event = { ...sample(type), schemaVersion: 2 };
      expect(errorsOf(validateAgainstSchema(type, 1, event)).join('\n')).toContain('/schemaVersion must be equal to constant');
      expect(errorsOf(validateOutgoingEvent(event))).toEqual([`no schema for ${type} v2 in contracts/events`]);
    });

    it.each(types)('%s: an actor role outside the vocabulary, an occurredAt not in toISOString form', (type) => {
      const event = sample(type);
      event.metadata = { ...event.metadata, actorRole: 'ADMIN', occurredAt: '2026-01-05T03:00:00Z' };
      refused(event, '/metadata/actorRole must be equal to one of the allowed values');
      refused(event, '/metadata/occurredAt');
    });
  });

  describe('rejects values the domain does not allow', () => {
    const CASES: Array<[string, string, (e: StoredEvent) => void, string]> = [
      ['a predicate outside the vocabulary', 'PerformanceRated', (e) => (e.data.predicate = 'LUAR_BIASA'), '/data/predicate'],
      ['an employee predicate as organisational predicate', 'OrganisationalPredicateSet', (e) => (e.data.predicate = 'SANGAT_BAIK'), '/data/predicate'],
      ['a read view outside the list', 'DisputedAppraisalRead', (e) => (e.data.view = 'EVERYTHING'), '/data/view'],
      ['a survey answer that is not a rating', 'BehaviourSurveySubmitted', (e) => ((e.data.answers as Record<string, unknown>).LOYAL = 'BAIK'), '/data/answers/LOYAL'],
      ['a survey without one behaviour', 'BehaviourSurveySubmitted', (e) => delete (e.data.answers as Record<string, unknown>).ADAPTIF, 'ADAPTIF'],
      ['a NIP of 17 digits', 'AppraisalOpened', (e) => (e.data.employeeNip = '19900101201503100'), '/data/employeeNip'],
      ['an appraisal id not derived from year and NIP', 'DisputedAppraisalRead', (e) => (e.data.appraisalId = 'abc'), '/data/appraisalId'],
      ['a plan without an UTAMA result', 'PlanDrafted', (e) => ((e.data.plan as { results: unknown[] }).results = []), '/data/plan/results'],
      ['a first rating that is not version 1', 'PerformanceRated', (e) => (e.data.version = 2), '/data/version'],
      ['a revision that supersedes nothing', 'RatingRevised', (e) => (e.data.version = 1), '/data/version'],
      ['a threshold above 100%', 'UnitFinalised', (e) => ((e.data.bounds as Array<Record<string, unknown>>)[0].threshold = 1.5), '/data/bounds/0/threshold'],
      ['a finalisation that checked nobody', 'UnitFinalised', (e) => (e.data.checked = []), '/data/checked'],
      ['an AMENDED decision without the amended ratings', 'ObjectionDecided', (e) => ((e.data.outcome = 'AMENDED'), delete e.data.amended), 'amended'],
      ['feedback about two things at once', 'FeedbackGiven', (e) => (e.data.about = { behaviour: 'LOYAL', resultId: 'R1' }), '/data/about'],
      ['an evidence document hash in upper case', 'EvidenceRecorded', (e) => ((e.data.document as Record<string, unknown>).sha256 = 'A'.repeat(64)), '/data/document/sha256'],
      ['an appraisal event on a unit stream', 'PlanApproved', (e) => (e.streamId = 'unit-biro-sdm-2026'), '/streamId'],
      ['a metadata reason that is null', 'PlanReturned', (e) => (e.metadata = { ...e.metadata, reason: null as unknown as string }), '/metadata/reason'],
      ['a global position of 0', 'UnitOpened', (e) => (e.globalPosition = 0), '/globalPosition'],
      ['an unknown envelope field', 'UnitOpened', (e) => Object.assign(e, { partition: 3 }), 'partition'],
    ];
    it.each(CASES)('%s (%s)', (_what, type, breakIt, path) => {
      const event = sample(type);
      expect(errorsOf(validateOutgoingEvent(event))).toEqual([]);
      breakIt(event);
      expect(errorsOf(validateOutgoingEvent(event)).join('\n')).toContain(path);
    });

    it('refuses what is not an event, or names no known type', () => {
      expect(errorsOf(validateOutgoingEvent(null))).toEqual(['envelope is not a JSON object']);
      expect(errorsOf(validateOutgoingEvent({ ...sample('PlanSubmitted'), type: 'PlanDeleted' }))).toEqual(['no schema for PlanDeleted v1 in contracts/events']);
      expect(errorsOf(validateOutgoingEvent({ type: 'PlanSubmitted' }))[0]).toContain('names no type and schemaVersion');
    });
  });

  describe('asyncapi.yaml', () => {
    type Node = Record<string, unknown>;
    const doc = load(readFileSync(join(CONTRACTS_DIR, 'asyncapi.yaml'), 'utf8')) as Node;
    const refs: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (typeof node === 'object' && node !== null) {
        for (const [k, v] of Object.entries(node)) k === '$ref' && typeof v === 'string' ? refs.push(v) : collect(v);
      }
    };
    collect(doc);
    const pointer = (ref: string): unknown =>
      ref.slice(2).split('/').reduce<unknown>((at, part) => (at as Node | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

    it('is an AsyncAPI 3.0 document with a kafka and an http server', () => {
      expect(doc.asyncapi).toBe('3.0.0');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(doc.servers).toMatchObject({ kafka: { protocol: 'kafka', host: expect.any(String) }, http: { protocol: 'http', host: expect.any(String) } });
      const channels = doc.channels as Record<string, Node>;
      expect(Object.values(channels).map((c) => c.address).sort()).toEqual(['/feed', 'appraisal-ledger.events']);
      for (const op of Object.values(doc.operations as Record<string, Node>)) {
        expect(['send', 'receive']).toContain(op.action);
        const channelRef = (op.channel as Node).$ref as string;
        for (const m of op.messages as Node[]) expect((m.$ref as string).startsWith(`${channelRef}/messages/`)).toBe(true);
      }
    });

    it('resolves every internal $ref', () => {
      const broken = refs.filter((ref) => ref.startsWith('#/') && pointer(ref) === undefined);
      expect(broken).toEqual([]);
    });

    it('has key and header schemas that accept what README.md says the relay sends for each real event', () => {
      const ajv = new Ajv2020({ strict: false });
      const message = (doc.components as { messages: Record<string, Node> }).messages.kafkaLedgerEvent;
      const headers = ajv.compile(pointer((message.headers as Node).$ref as string) as object);
      const key = ajv.compile(((message.bindings as Node).kafka as Node).key as object);
      expect((pointer((message.headers as Node).$ref as string) as Node).required).toEqual(['eventId', 'type', 'schemaVersion', 'globalPosition', 'hash', 'streamId']);
      const refused = events.filter((e) => {
        const sent = { eventId: e.eventId, type: e.type, schemaVersion: String(e.schemaVersion), globalPosition: String(e.globalPosition), hash: e.hash, streamId: e.streamId };
        return !headers(sent) || !key(e.streamId.replace(/^(appraisal|access)-/, ''));
      });
      expect(refused).toEqual([]);
      expect(key('appraisal-2026-199001012020121001')).toBe(false);
    });

    it('references every event schema file, and every file it references exists', () => {
      const files = refs.filter((ref) => !ref.startsWith('#'));
      expect(files.filter((ref) => !existsSync(resolve(CONTRACTS_DIR, ref)))).toEqual([]);
      const referenced = files.map((ref) => ref.replace(/^\.\/events\//, '')).sort();
      expect(referenced).toEqual(eventSchemaFiles().map((f) => f.file).sort());
    });
  });
});

// ---- a year decided by the real deciders ------------------------------------------------------
// Commands go through the API's own command path (load, fold, decide, wrap in the envelope,
// append with the expected revision) into a real SQLite store in memory; the unit finalisation
// and the logged reads are driven the way their handlers drive them. What comes back from
// readAll is exactly what the relay and the feed hand on.

const YEAR = 2026;
const who = (role: Role, id: string): Actor => ({ id, role });
const manager = who('PENGELOLA_KINERJA', '198001012005011001');
const leader = who('PIMPINAN_UNIT', '197001012000011001');
const upperLeader = who('PIMPINAN_UNIT', '196501011990011001');
const appraiser = who('PEJABAT_PENILAI', '198501012010011001');
const newAppraiser = who('PEJABAT_PENILAI', '198601012011011001');
const superior = who('ATASAN_PEJABAT_PENILAI', '197501012000011002');
const reviewer = who('PENINJAU', 'inspektorat-01');
const [e1, e2, e3] = ['199001012020121001', '199001012020121002', '199001012020121003'].map((nip) => who('PEGAWAI', nip));
const [peer, subordinate] = ['199201012020121009', '199801012022121004'].map((nip) => who('REKAN_KERJA', nip));
const PLAN: PlanContent = {
  results: [
    { id: 'R1', kind: 'UTAMA', description: 'Laporan kinerja biro tersusun', supportsSuperiorResult: 'Kinerja biro meningkat', indicators: [{ id: 'R1-I1', description: 'Laporan tepat waktu', aspect: 'WAKTU', target: { value: 12, unit: 'laporan' } }] },
    { id: 'R2', kind: 'TAMBAHAN', description: 'Pendampingan pegawai baru', indicators: [{ id: 'R2-I1', description: 'Pegawai didampingi', aspect: 'KUANTITAS', target: { value: 3, unit: 'orang' } }] },
  ],
};
const pair = (hasilKerja: 'DI_ATAS_EKSPEKTASI' | 'SESUAI_EKSPEKTASI' | 'DI_BAWAH_EKSPEKTASI', perilakuKerja: typeof hasilKerja) =>
  ({ hasilKerja, hasilKerjaJustification: 'Sesuai bukti dukung', perilakuKerja, perilakuKerjaJustification: 'Sesuai hasil survei' });
const ANSWERS = { BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI', AKUNTABEL: 'DI_ATAS_EKSPEKTASI', KOMPETEN: 'SESUAI_EKSPEKTASI', HARMONIS: 'SESUAI_EKSPEKTASI', LOYAL: 'SESUAI_EKSPEKTASI', ADAPTIF: 'SESUAI_EKSPEKTASI', KOLABORATIF: 'DI_BAWAH_EKSPEKTASI' } as const;

async function decidedYear(): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open({ path: ':memory:' });
  const clock = new ManualClock(`${YEAR}-01-05T02:00:00.000Z`);
  const path = new CommandPath(store, clock, new SequentialIds(), DEFAULT_POLICY);
  let request = 0;
  const ctx = (actor: Actor, causationId?: string) => {
    request += 1;
    return { actor, requestId: causationId ?? `request-${request}`, correlationId: `correlation-${request}` };
  };
  const id = (employee: Actor) => appraisalIdFor(employee.id, YEAR);
  const on = async (employee: Actor, actor: Actor, ...commands: AppraisalCommand[]) => {
    for (const command of commands) await path.execute(appraisalStreamId(id(employee)), appraisalDecider, command, ctx(actor));
  };
  const onUnit = (unitId: string, actor: Actor, command: UnitCommand) => path.execute(unitStreamId(unitId, YEAR), unitDecider, command, ctx(actor));
  const finalise = async (unitId: string, actor: Actor, members: Actor[], exceptionReason?: string) => {
    const snapshots = [];
    for (const m of members) {
      const folded = await path.fold(appraisalStreamId(id(m)), appraisalDecider);
      snapshots.push(memberSnapshot(folded.state, 'TAHUNAN', folded.revision));
    }
    const command: UnitCommand = exceptionReason === undefined
      ? { type: 'FinaliseUnit', data: { period: 'TAHUNAN', members: snapshots } }
      : { type: 'FinaliseUnitWithException', data: { period: 'TAHUNAN', members: snapshots, reason: exceptionReason } };
    const outcome = await onUnit(unitId, actor, command);
    const [finalised] = await store.readStream(outcome.streamId, { fromRevision: outcome.revision });
    for (const checked of (finalised.data as UnitFinalised['data']).checked) {
      const deliver: AppraisalCommand = { type: 'DeliverResult', data: { checked, period: 'TAHUNAN', unitStreamId: outcome.streamId } };
      await path.execute(appraisalStreamId(checked.appraisalId), appraisalDecider, deliver, ctx(actor, finalised.eventId));
    }
  };
  const read = (employee: Actor, actor: Actor, view: 'APPRAISAL' | 'AUDIT_TRAIL') => {
    const event = { type: 'DisputedAppraisalRead', data: { appraisalId: id(employee), view } };
    return path.record(accessStreamId(id(employee)), [event], path.metaFor(ctx(actor), event));
  };
  const open = (employee: Actor, unitId: string, extra: object = {}): AppraisalCommand => ({
    type: 'OpenAppraisal',
    data: { appraisalId: id(employee), employeeNip: employee.id, employeeName: `Pegawai ${employee.id.slice(-3)}`, year: YEAR, unitId, appraiserId: appraiser.id, superiorId: superior.id, ...extra },
  });
  const draft: AppraisalCommand = { type: 'DraftPlan', data: { plan: PLAN, dialogue: { heldOn: `${YEAR}-01-08`, notes: 'Target disepakati' } } };
  const submit: AppraisalCommand = { type: 'SubmitPlan', data: {} };
  const approve: AppraisalCommand = { type: 'ApprovePlan', data: {} };
  try {
    for (const unitId of ['biro-sdm', 'biro-umum']) {
      await onUnit(unitId, manager, { type: 'OpenUnit', data: { unitId, year: YEAR, name: `Biro ${unitId}`, leaderId: leader.id, upperLeaderId: upperLeader.id } });
    }
    await on(e1, manager, open(e1, 'biro-sdm', { functionalPosition: { name: 'Analis SDM Aparatur Ahli Muda', annualCoefficient: 25 } }),
      { type: 'SetPlanDeadline', data: { planDeadline: `${YEAR}-02-15T23:59+07:00`, reason: 'Perpanjangan untuk pegawai baru' } },
      { type: 'ReassignAppraiser', data: { appraiserId: newAppraiser.id, superiorId: superior.id, reason: 'Mutasi jabatan' } });
    await on(e2, manager, open(e2, 'biro-sdm'));
    await on(e3, manager, open(e3, 'biro-umum'));
    await on(e1, e1, draft, submit);
    await on(e1, newAppraiser, { type: 'ReturnPlan', data: { reason: 'Indikator belum terukur' } });
    await on(e1, e1, { type: 'DraftPlan', data: { plan: PLAN, dialogue: { heldOn: `${YEAR}-01-12` } } }, submit);
    await on(e1, newAppraiser, approve, { type: 'SetBehaviourExpectation', data: { behaviour: 'AKUNTABEL', expectation: 'Laporan tepat waktu' } });
    await on(e2, e2, draft, submit);
    await on(e2, appraiser, approve);
    clock.set(`${YEAR}-02-02T02:00:00.000Z`);
    await on(e3, manager, { type: 'SetDefaultPlan', data: { plan: PLAN, reason: 'Tidak ada SKP sampai batas waktu' } });
    clock.set(`${YEAR}-04-01T02:00:00.000Z`);
    const document = { uri: 'https://dms.example.go.id/doc/1', sha256: 'ab'.repeat(32) };
    await on(e1, e1,
      { type: 'RecordEvidence', data: { evidenceId: 'E1', resultId: 'R1', indicatorId: 'R1-I1', period: 'TRIWULAN_I', value: 3, document, note: 'Laporan Q1' } },
      { type: 'RecordEvidence', data: { evidenceId: 'E2', resultId: 'R2', indicatorId: 'R2-I1', period: 'TRIWULAN_I', value: 1, document } });
    await on(e1, newAppraiser, { type: 'GiveFeedback', data: { feedbackId: 'F1', text: 'Pertahankan', about: { evidenceId: 'E1' } } },
      { type: 'GiveFeedback', data: { feedbackId: 'F2', text: 'Tingkatkan koordinasi' } });
    await on(e1, e1, { type: 'RespondToFeedback', data: { feedbackId: 'F2', text: 'Siap' } },
      { type: 'SelfAssess', data: { period: 'TRIWULAN_I', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), note: 'Sesuai target' } },
      { type: 'ProposePlanRevision', data: { plan: PLAN, reason: 'Penugasan baru' } });
    await on(e1, newAppraiser, { type: 'RejectPlanRevision', data: { reason: 'Belum relevan' } });
    await on(e1, e1, { type: 'ProposePlanRevision', data: { plan: PLAN, reason: 'Penugasan baru, diperjelas' } });
    await on(e1, newAppraiser, { type: 'ApprovePlanRevision', data: {} },
      { type: 'AssignRater', data: { period: 'TAHUNAN', raterId: peer.id, relation: 'REKAN_KERJA' } },
      { type: 'AssignRater', data: { period: 'TAHUNAN', raterId: subordinate.id, relation: 'BAWAHAN' } });
    clock.set(`${YEAR}-12-15T02:00:00.000Z`);
    await on(e1, peer, { type: 'SubmitBehaviourSurvey', data: { period: 'TAHUNAN', answers: ANSWERS, comment: 'Kerja sama baik' } });
    await on(e1, subordinate, { type: 'SubmitBehaviourSurvey', data: { period: 'TAHUNAN', answers: ANSWERS } });
    await on(e1, e1, { type: 'SelfAssess', data: { period: 'TAHUNAN', ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), note: '' } });
    clock.set(`${YEAR + 1}-01-10T02:00:00.000Z`);
    await on(e1, newAppraiser, { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } },
      { type: 'ReviseRating', data: { period: 'TAHUNAN', ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), reason: 'Bukti Q4 diperhitungkan' } });
    await on(e2, appraiser, { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } });
    await on(e3, appraiser, { type: 'RatePerformance', data: { period: 'TAHUNAN', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') } });
    for (const unitId of ['biro-sdm', 'biro-umum']) await onUnit(unitId, leader, { type: 'SetOrganisationalPredicate', data: { period: 'TAHUNAN', predicate: 'BAIK' } });
    await finalise('biro-sdm', leader, [e1, e2]);
    await finalise('biro-umum', upperLeader, [e3], 'Unit satu orang: pola distribusi tidak dapat dipenuhi');
    clock.set(`${YEAR + 1}-01-20T02:00:00.000Z`);
    for (const employee of [e1, e2]) {
      await on(employee, employee, { type: 'FileObjection', data: { period: 'TAHUNAN', reasons: 'Bukti dukung belum dinilai' } });
      await on(employee, superior, { type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'PEJABAT_PENILAI', statement: 'Penilaian sesuai bukti' } },
        { type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'PEGAWAI', statement: 'Laporan Q4 terlampir' } });
    }
    await on(e1, superior, { type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId: reviewer.id } });
    await read(e1, reviewer, 'APPRAISAL');
    await read(e1, who('AUDITOR', 'auditor-01'), 'AUDIT_TRAIL');
    await on(e1, reviewer, { type: 'SubmitReviewFindings', data: { period: 'TAHUNAN', findings: 'Bukti Q4 valid', recommendation: 'AMENDED' } });
    await on(e1, superior, { type: 'DecideObjection', data: { period: 'TAHUNAN', outcome: 'AMENDED', reasons: 'Bukti Q4 valid', amended: pair('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI') } });
    await on(e2, superior, { type: 'DecideObjection', data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti' } });
    return await store.readAll({ fromPosition: 0, limit: 10_000 });
  } finally {
    await store.close();
  }
}
