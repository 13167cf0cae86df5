import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
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

const optional = (o: FieldOptions) => (o.optional ? [IsOptional()] : []);
const doc = (o: FieldOptions) => ({ required: !o.optional, description: o.description, example: o.example });

export const TextField = (max: number = LIMITS.text, o: FieldOptions = {}) =>
  applyDecorators(ApiProperty({ ...doc(o), type: String, minLength: 1, maxLength: max }), ...optional(o), IsString(), IsNotEmpty(), MaxLength(max));

export const IdField = (o: FieldOptions = {}) => TextField(LIMITS.id, o);

export const PatternField = (pattern: RegExp, message: string, o: FieldOptions = {}) =>
  applyDecorators(ApiProperty({ ...doc(o), type: String, pattern: pattern.source }), ...optional(o), IsString(), Matches(pattern, { message }));

export const EnumField = (values: readonly string[], o: FieldOptions = {}) =>
  applyDecorators(ApiProperty({ ...doc(o), enum: [...values] }), ...optional(o), IsIn(values, { message: `$property must be one of ${values.join(', ')}` }));

export const NumberField = (o: FieldOptions & { min?: number; max?: number; integer?: boolean } = {}) =>
  applyDecorators(
    ApiProperty({ ...doc(o), type: o.integer ? 'integer' : 'number', minimum: o.min, maximum: o.max }),
    ...optional(o),
    o.integer ? IsInt() : IsNumber({ allowNaN: false, allowInfinity: false }),
    ...(o.min === undefined ? [] : [Min(o.min)]),
    ...(o.max === undefined ? [] : [Max(o.max)]),
  );

/** An ISO 8601 instant with date and time (the domain also requires a zone offset). */
export const InstantField = (o: FieldOptions = {}) =>
  applyDecorators(ApiProperty({ ...doc(o), type: String, format: 'date-time' }), ...optional(o), IsString(), IsISO8601({ strict: true, strictSeparator: true }), MaxLength(40));

/** ValidateNested alone lets `undefined` through; a required nested object needs IsDefined too. */
// @nestjs/swagger recognises a lazy type only as a function named `type`, hence `type: () => type()`.
export const NestedField = (type: () => new () => object, o: FieldOptions = {}) =>
  applyDecorators(ApiProperty({ ...doc(o), type: () => type() }), ...(o.optional ? [IsOptional()] : [IsDefined()]), IsObject(), ValidateNested(), Type(type));

export const NestedArrayField = (type: () => new () => object, min: number, max: number, o: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({ ...doc(o), type: () => type(), isArray: true, minItems: min, maxItems: max }),
    ...optional(o),
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(max),
    ValidateNested({ each: true }),
    Type(type),
  );
