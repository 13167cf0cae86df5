import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { load } from 'js-yaml';
import { ALL_EVENT_TYPES, APPRAISAL_EVENT_TYPES, SCHEMA_VERSIONS, SERVICE_EVENT_TYPES, UNIT_EVENT_TYPES } from '@ledger/appraisal';
import { NoteSigner, formatCheckpoint, leafHash, nodeHash, type StoredEvent } from '@ledger/event-store';
import { decidedYear } from './support/decided-year';
import {
  CONTRACTS_DIR,
  EVENT_SCHEMAS_DIR,
  eventSchemaFiles,
  validateAgainstSchema,
  validateOutgoingEvent,
  type ContractCheck,
} from './support/event-contract';

// Every type that leaves the ledger, at its current schema version.
const CURRENT: Record<string, number> = SCHEMA_VERSIONS;
const FAMILIES = {
  appraisal: APPRAISAL_EVENT_TYPES as readonly string[],
  unit: UNIT_EVENT_TYPES as readonly string[],
  service: SERVICE_EVENT_TYPES as readonly string[],
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
      const missing = Object.entries(CURRENT)
        .map(([type, v]) => `${type}.v${v}`)
        .filter((name) => !files.has(name));
      expect(missing).toEqual([]);
      expect([...ALL_EVENT_TYPES].sort()).toEqual(Object.values(FAMILIES).flat().sort());
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
      expect(shared.sort()).toEqual(['common.v1.schema.json', 'envelope.v1.schema.json', 'envelope.v2.schema.json']);
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
      SelfAssessed: ['note'],
      OrganisationalPredicateSet: ['reason', 'change'],
      FeedbackCodeIssued: ['officerId'],
      PublicFeedbackReceived: ['officerId', 'comment', 'masked'],
    };

    it('requires exactly the data fields the TS types require, and the year shows every optional one', () => {
      for (const type of Object.keys(CURRENT)) {
        const seen = [...new Set(events.filter((e) => e.type === type).flatMap((e) => Object.keys(e.data)))];
        const optional = OPTIONAL[type] ?? [];
        expect({ type, optionalSeen: optional.filter((f) => seen.includes(f)) }).toEqual({ type, optionalSeen: optional });
        expect({ type, required: [...requiredDataFields(type)].sort() }).toEqual({
          type,
          required: seen.filter((f) => !optional.includes(f)).sort(),
        });
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
      event.data.unexpected = 'x';
      refused(event, 'unexpected');
    });

    it.each(types)('%s: a missing required field', (type) => {
      const event = sample(type);
      const [field] = requiredDataFields(type);
      if (field === undefined) delete (event.metadata as Partial<StoredEvent['metadata']>).actorId;
      else Reflect.deleteProperty(event.data, field);
      refused(event, field ?? 'actorId');
    });

    it.each(types)('%s: a bad hash, prevHash or event id', (type) => {
      for (const [key, bad] of [
        ['hash', 'A'.repeat(64)],
        ['prevHash', '0'.repeat(63)],
        ['eventId', 'not-a-uuid'],
      ] as const) {
        const event = sample(type);
        event[key] = bad;
        refused(event, `/${key}`);
      }
    });

    it.each(types)('%s: a schemaVersion past the current one (its schema refuses it; no later schema exists)', (type) => {
      const next = CURRENT[type] + 1;
      const event = { ...sample(type), schemaVersion: next };
      expect(errorsOf(validateAgainstSchema(type, CURRENT[type], event)).join('\n')).toContain('/schemaVersion must be equal to constant');
      expect(errorsOf(validateOutgoingEvent(event))).toEqual([`no schema for ${type} v${next} in contracts/events`]);
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
      [
        'an employee predicate as organisational predicate',
        'OrganisationalPredicateSet',
        (e) => (e.data.predicate = 'SANGAT_BAIK'),
        '/data/predicate',
      ],
      ['a read view outside the list', 'DisputedAppraisalRead', (e) => (e.data.view = 'EVERYTHING'), '/data/view'],
      [
        'a survey answer that is not a rating',
        'BehaviourSurveySubmitted',
        (e) => ((e.data.answers as Record<string, unknown>).LOYAL = 'BAIK'),
        '/data/answers/LOYAL',
      ],
      [
        'a survey without one behaviour',
        'BehaviourSurveySubmitted',
        (e) => delete (e.data.answers as Record<string, unknown>).ADAPTIF,
        'ADAPTIF',
      ],
      ['a NIP of 17 digits', 'AppraisalOpened', (e) => (e.data.employeeNip = '19900101201503100'), '/data/employeeNip'],
      ['an appraisal id not derived from year and NIP', 'DisputedAppraisalRead', (e) => (e.data.appraisalId = 'abc'), '/data/appraisalId'],
      [
        'a plan without an UTAMA result',
        'PlanDrafted',
        (e) => ((e.data.plan as { results: unknown[] }).results = []),
        '/data/plan/results',
      ],
      ['a first rating that is not version 1', 'PerformanceRated', (e) => (e.data.version = 2), '/data/version'],
      ['a revision that supersedes nothing', 'RatingRevised', (e) => (e.data.version = 1), '/data/version'],
      [
        'a threshold above 100%',
        'UnitFinalised',
        (e) => ((e.data.bounds as Array<Record<string, unknown>>)[0].threshold = 1.5),
        '/data/bounds/0/threshold',
      ],
      ['a finalisation that checked nobody', 'UnitFinalised', (e) => (e.data.checked = []), '/data/checked'],
      [
        'an AMENDED decision without the amended ratings',
        'ObjectionDecided',
        (e) => ((e.data.outcome = 'AMENDED'), delete e.data.amended),
        'amended',
      ],
      ['feedback about two things at once', 'FeedbackGiven', (e) => (e.data.about = { behaviour: 'LOYAL', resultId: 'R1' }), '/data/about'],
      [
        'an evidence document hash in upper case',
        'EvidenceRecorded',
        (e) => ((e.data.document as Record<string, unknown>).sha256 = 'A'.repeat(64)),
        '/data/document/sha256',
      ],
      ['an appraisal event on a unit stream', 'PlanApproved', (e) => (e.streamId = 'unit-biro-sdm-2026'), '/streamId'],
      [
        'a metadata reason that is null',
        'PlanReturned',
        (e) => (e.metadata = { ...e.metadata, reason: null as unknown as string }),
        '/metadata/reason',
      ],
      ['a global position of 0', 'UnitOpened', (e) => (e.globalPosition = 0), '/globalPosition'],
      ['an unknown envelope field', 'UnitOpened', (e) => Object.assign(e, { partition: 3 }), 'partition'],
      [
        'an SKM score of 5',
        'PublicFeedbackReceived',
        (e) => ((e.data.scores as Record<string, unknown>).PERSYARATAN = 5),
        '/data/scores/PERSYARATAN',
      ],
      ['a masked kind outside the list', 'PublicFeedbackReceived', (e) => (e.data.masked = ['ALAMAT']), '/data/masked/0'],
      [
        'a feedback code stored in clear',
        'FeedbackCodeIssued',
        (e) => (e.data.codeHash = 'biro-sdm~2026~loket-sdm~K7QM3XTR9PZAWD2F'),
        '/data/codeHash',
      ],
      ['a public feedback event on a unit stream', 'PublicFeedbackResponded', (e) => (e.streamId = 'unit-biro-sdm-2026'), '/streamId'],
    ];
    it.each(CASES)('%s (%s)', (_what, type, breakIt, path) => {
      const event = sample(type);
      expect(errorsOf(validateOutgoingEvent(event))).toEqual([]);
      breakIt(event);
      expect(errorsOf(validateOutgoingEvent(event)).join('\n')).toContain(path);
    });

    it('refuses what is not an event, or names no known type', () => {
      expect(errorsOf(validateOutgoingEvent(null))).toEqual(['envelope is not a JSON object']);
      expect(errorsOf(validateOutgoingEvent({ ...sample('PlanSubmitted'), type: 'PlanDeleted' }))).toEqual([
        'no schema for PlanDeleted v1 in contracts/events',
      ]);
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
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else collect(v);
        }
      }
    };
    collect(doc);
    const pointer = (ref: string): unknown =>
      ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, part) => (at as Node | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

    it('is an AsyncAPI 3.0 document with a kafka and an http server', () => {
      expect(doc.asyncapi).toBe('3.0.0');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(doc.servers).toMatchObject({
        kafka: { protocol: 'kafka', host: expect.any(String) },
        http: { protocol: 'http', host: expect.any(String) },
      });
      const channels = doc.channels as Record<string, Node>;
      expect(
        Object.values(channels)
          .map((c) => c.address)
          .sort(),
      ).toEqual(['/feed', 'appraisal-ledger.checkpoints', 'appraisal-ledger.events']);
      for (const op of Object.values(doc.operations as Record<string, Node>)) {
        expect(['send', 'receive']).toContain(op.action);
        const channelRef = (op.channel as Node).$ref as string;
        for (const m of op.messages as Node[]) expect((m.$ref as string).startsWith(`${channelRef}/messages/`)).toBe(true);
      }
    });

    it('describes the signed checkpoint records the relay and the feed send, and refuses what they would not', () => {
      const ajv = new Ajv2020({ strict: false });
      const schema = (doc.components as { schemas: Record<string, Node> }).schemas.logCheckpoint;
      const validate = ajv.compile(schema);
      const signer = NoteSigner.fromKey(NoteSigner.generateKey('ledger.example/log'));
      const root = nodeHash(leafHash(Buffer.alloc(32, 1)), leafHash(Buffer.alloc(32, 2)));
      const record = {
        origin: signer.name,
        treeSize: 2,
        root: root.toString('base64'),
        note: signer.signNote(formatCheckpoint(signer.name, 2, root)),
      };
      expect(validate(record)).toBe(true);
      for (const bad of [
        { ...record, treeSize: 0 },
        { ...record, root: 'AAAA' },
        { ...record, extra: 1 },
        { ...record, origin: 'a b' },
      ]) {
        expect(validate(bad)).toBe(false);
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
      expect((pointer((message.headers as Node).$ref as string) as Node).required).toEqual([
        'eventId',
        'type',
        'schemaVersion',
        'globalPosition',
        'hash',
        'streamId',
      ]);
      const refused = events.filter((e) => {
        const sent = {
          eventId: e.eventId,
          type: e.type,
          schemaVersion: String(e.schemaVersion),
          globalPosition: String(e.globalPosition),
          hash: e.hash,
          streamId: e.streamId,
        };
        return !headers(sent) || !key(e.streamId.replace(/^(appraisal|access)-/, ''));
      });
      expect(refused).toEqual([]);
      expect(key('appraisal-2026-199001012020121001')).toBe(false);
    });

    it('references every event schema file, and every file it references exists', () => {
      const files = refs.filter((ref) => !ref.startsWith('#'));
      expect(files.filter((ref) => !existsSync(resolve(CONTRACTS_DIR, ref)))).toEqual([]);
      const referenced = files.map((ref) => ref.replace(/^\.\/events\//, '')).sort();
      expect(referenced).toEqual(
        eventSchemaFiles()
          .map((f) => f.file)
          .sort(),
      );
    });
  });
});
