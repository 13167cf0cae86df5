import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LIMITS } from '@ledger/appraisal';

/**
 * Field decorators for the edge DTOs: each one validates (class-validator) and documents
 * (OpenAPI) a field in one line, so the two never drift apart. Limits follow the domain's LIMITS;
 * the domain re-checks everything it relies on.
 */
interface FieldOptions {
  description?: string;
  example?: unknown;
  optional?: boolean;
}

/**
 * Optional means "may be absent", not "may be null": IsOptional would also let `null` through,
 * which a handler then reads as absent (a silent change) or dereferences (a 500).
 */
const absent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
const optional = (o: FieldOptions) => (o.optional ? [absent()] : []);

/** What the own-key check (problems/validation.ts) knows of a DTO property: nested DTO type, if any. */
export interface DtoFieldInfo {
  nested?: () => new () => object;
  array?: boolean;
}
const DTO_FIELDS = Symbol('ledger:dto-fields');

/**
 * Records the property in its class's field list. class-transformer and class-validator look
 * properties up through the prototype chain, where `constructor` or `toString` always exist;
 * this list holds only what a DTO declares, so a body key is checked against own names only.
 */
const Registered =
  (info: DtoFieldInfo = {}): PropertyDecorator =>
  (target, key) => {
    const own = Reflect.getOwnMetadata(DTO_FIELDS, target) as Map<string, DtoFieldInfo> | undefined;
    const fields = own ?? new Map(Reflect.getMetadata(DTO_FIELDS, target) as Map<string, DtoFieldInfo> | undefined);
    fields.set(String(key), info);
    Reflect.defineMetadata(DTO_FIELDS, fields, target);
  };

/** The declared fields of a DTO class (with its parents'), or undefined if it declares none here. */
export const dtoFields = (type: abstract new (...args: never[]) => unknown): ReadonlyMap<string, DtoFieldInfo> | undefined =>
  Reflect.getMetadata(DTO_FIELDS, type.prototype as object) as Map<string, DtoFieldInfo> | undefined;
const doc = (o: FieldOptions) => ({ required: !o.optional, description: o.description, example: o.example });

export const TextField = (max: number = LIMITS.text, o: FieldOptions = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), type: String, minLength: 1, maxLength: max }),
    ...optional(o),
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
  );

export const IdField = (o: FieldOptions = {}) => TextField(LIMITS.id, o);

export const PatternField = (pattern: RegExp, message: string, o: FieldOptions = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), type: String, pattern: pattern.source }),
    ...optional(o),
    IsString(),
    Matches(pattern, { message }),
  );

export const EnumField = (values: readonly string[], o: FieldOptions = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), enum: [...values] }),
    ...optional(o),
    IsIn(values, { message: `$property must be one of ${values.join(', ')}` }),
  );

/** A JSON boolean: true or false, never "true" or 1. */
export const BooleanField = (o: FieldOptions = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), type: 'boolean' }),
    ...optional(o),
    IsBoolean({ message: '$property must be true or false' }),
  );

export const NumberField = (o: FieldOptions & { min?: number; max?: number; integer?: boolean } = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), type: o.integer ? 'integer' : 'number', minimum: o.min, maximum: o.max }),
    ...optional(o),
    o.integer ? IsInt() : IsNumber({ allowNaN: false, allowInfinity: false }),
    ...(o.min === undefined ? [] : [Min(o.min)]),
    ...(o.max === undefined ? [] : [Max(o.max)]),
  );

/** An ISO 8601 instant with date and time (the domain also requires a zone offset). */
export const InstantField = (o: FieldOptions = {}) =>
  applyDecorators(
    Registered(),
    ApiProperty({ ...doc(o), type: String, format: 'date-time' }),
    ...optional(o),
    IsString(),
    IsISO8601({ strict: true, strictSeparator: true }),
    MaxLength(40),
  );

/** ValidateNested alone lets `undefined` through; a required nested object needs IsDefined too (IsObject refuses null). */
// @nestjs/swagger recognises a lazy type only as a function named `type`, hence `type: () => type()`.
export const NestedField = (type: () => new () => object, o: FieldOptions = {}) =>
  applyDecorators(
    Registered({ nested: type }),
    ApiProperty({ ...doc(o), type: () => type() }),
    ...(o.optional ? [absent()] : [IsDefined()]),
    IsObject(),
    ValidateNested(),
    Type(type),
  );

export const NestedArrayField = (type: () => new () => object, min: number, max: number, o: FieldOptions = {}) =>
  applyDecorators(
    Registered({ nested: type, array: true }),
    ApiProperty({ ...doc(o), type: () => type(), isArray: true, minItems: min, maxItems: max }),
    ...optional(o),
    IsArray(),
    // ValidateNested walks into an array item that is itself an array ([] passes as "no errors"), and skips null.
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ArrayMinSize(min),
    ArrayMaxSize(max),
    ValidateNested({ each: true }),
    Type(type),
  );
