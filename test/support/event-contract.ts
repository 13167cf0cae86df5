import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';

/** The public event contract: JSON Schemas (draft 2020-12) checked in under contracts/events. */
export const CONTRACTS_DIR = resolve(__dirname, '../../contracts');
export const EVENT_SCHEMAS_DIR = join(CONTRACTS_DIR, 'events');

/** `<EventType>.v<N>.schema.json`; envelope and common start lower-case, so they never match. */
const EVENT_SCHEMA_FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;

export interface EventSchemaFile {
  type: string;
  schemaVersion: number;
  file: string;
}

export type ContractCheck = { ok: true } | { ok: false; errors: string[] };

interface Contract {
  files: EventSchemaFile[];
  validators: Map<string, ValidateFunction>;
}

const key = (type: string, schemaVersion: number): string => `${type}@${schemaVersion}`;
let loaded: Contract | undefined;

/**
 * Compiles every schema once per process; the files reference each other by their relative $id.
 * Strict, except strictRequired: `required` inside if/then/else names properties declared beside it.
 */
function contract(): Contract {
  if (loaded !== undefined) return loaded;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const names = readdirSync(EVENT_SCHEMAS_DIR)
    .filter((name) => name.endsWith('.schema.json'))
    .sort();
  for (const name of names) ajv.addSchema(JSON.parse(readFileSync(join(EVENT_SCHEMAS_DIR, name), 'utf8')) as object);
  const files: EventSchemaFile[] = [];
  const validators = new Map<string, ValidateFunction>();
  for (const name of names) {
    const match = EVENT_SCHEMA_FILE.exec(name);
    if (match === null) continue;
    const file: EventSchemaFile = { type: match[1], schemaVersion: Number(match[2]), file: name };
    const schema = JSON.parse(readFileSync(join(EVENT_SCHEMAS_DIR, name), 'utf8')) as { $id: string };
    const validate = ajv.getSchema(schema.$id);
    if (validate === undefined) throw new Error(`schema ${name} did not compile`);
    files.push(file);
    validators.set(key(file.type, file.schemaVersion), validate);
  }
  loaded = { files, validators };
  return loaded;
}

/** Every event schema file, by the type and schema version its name declares. */
export function eventSchemaFiles(): readonly EventSchemaFile[] {
  return contract().files;
}

/** Validates against the schema of (type, schemaVersion), whatever the envelope itself says. */
export function validateAgainstSchema(type: string, schemaVersion: number, envelope: unknown): ContractCheck {
  const validate = contract().validators.get(key(type, schemaVersion));
  if (validate === undefined) return { ok: false, errors: [`no schema for ${type} v${schemaVersion} in contracts/events`] };
  return validate(envelope) ? { ok: true } : { ok: false, errors: (validate.errors ?? []).map(describe) };
}

/** What a consumer does: picks the schema by the envelope's type and schemaVersion, then validates. */
export function validateOutgoingEvent(envelope: unknown): ContractCheck {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
    return { ok: false, errors: ['envelope is not a JSON object'] };
  const { type, schemaVersion } = envelope as { type?: unknown; schemaVersion?: unknown };
  if (typeof type !== 'string' || typeof schemaVersion !== 'number') {
    return {
      ok: false,
      errors: [`envelope names no type and schemaVersion (type ${String(type)}, schemaVersion ${String(schemaVersion)})`],
    };
  }
  return validateAgainstSchema(type, schemaVersion, envelope);
}

/** For tests: throws with every violation listed, so a failing event says what is wrong with it. */
export function assertOutgoingEvent(envelope: unknown): void {
  const check = validateOutgoingEvent(envelope);
  if (check.ok) return;
  const { type, globalPosition } = (envelope ?? {}) as { type?: unknown; globalPosition?: unknown };
  throw new Error(`event ${String(type)} at position ${String(globalPosition)} breaks the contract:\n  ${check.errors.join('\n  ')}`);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(envelope)' : error.instancePath;
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown };
  const detail =
    params.additionalProperty !== undefined
      ? `: ${params.additionalProperty}`
      : params.allowedValues !== undefined
        ? `: ${params.allowedValues.join(', ')}`
        : params.allowedValue !== undefined
          ? `: ${JSON.stringify(params.allowedValue)}`
          : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

/**
 * A Kafka record as the relay sends it, checked against contracts/asyncapi.yaml (the key and
 * header schemas of the kafkaLedgerEvent message) and the value against its event schema, and
 * the headers against the value they describe.
 */
export function validateKafkaMessage(message: { key: string; headers: Record<string, string>; value: string }): ContractCheck {
  const { key: keyOk, headers: headersOk } = kafkaSchemas();
  const errors: string[] = [];
  if (!keyOk(message.key)) errors.push(`key ${JSON.stringify(message.key)} does not match the AsyncAPI key schema`);
  if (!headersOk(message.headers))
    errors.push(`headers do not match the AsyncAPI header schema: ${(headersOk.errors ?? []).map(describe).join('; ')}`);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(message.value) as Record<string, unknown>;
  } catch {
    return { ok: false, errors: [...errors, 'value is not JSON'] };
  }
  const envelope = validateOutgoingEvent(value);
  if (!envelope.ok) errors.push(...envelope.errors);
  for (const name of ['eventId', 'type', 'schemaVersion', 'globalPosition', 'hash', 'streamId']) {
    if (message.headers[name] !== String(value[name]))
      errors.push(`header ${name}=${message.headers[name]} but the value says ${String(value[name])}`);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

let kafka: { key: ValidateFunction; headers: ValidateFunction } | undefined;

function kafkaSchemas(): { key: ValidateFunction; headers: ValidateFunction } {
  if (kafka !== undefined) return kafka;
  type Node = Record<string, unknown>;
  const doc = load(readFileSync(join(CONTRACTS_DIR, 'asyncapi.yaml'), 'utf8')) as Node;
  const pointer = (ref: string): Node =>
    ref
      .slice(2)
      .split('/')
      .reduce<Node>((at, part) => at[part.replace(/~1/g, '/').replace(/~0/g, '~')] as Node, doc);
  const message = ((doc.components as Node).messages as Node).kafkaLedgerEvent as Node;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  kafka = {
    headers: ajv.compile(pointer((message.headers as Node).$ref as string)),
    key: ajv.compile(((message.bindings as Node).kafka as Node).key as Node),
  };
  return kafka;
}
