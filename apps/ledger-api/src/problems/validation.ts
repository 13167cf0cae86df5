import { type ArgumentMetadata, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { dtoFields } from '../platform/dto-fields';
import { type FieldError, ProblemException } from './problem';

/**
 * The edge's validation: unknown fields are errors (whitelist + forbidNonWhitelisted), values
 * without validation metadata are errors (forbidUnknownValues), and the handler receives the
 * plain validated body (transform off), which it maps explicitly to a domain command.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}

/**
 * A command body is one JSON object; an array or a bare value is refused as a whole. Before
 * class-transformer sees it, every own key at every depth must be a declared field of its DTO:
 * class-validator's whitelist misses keys that the prototype chain already has (`toString`,
 * `constructor`), and class-transformer drops an own `__proto__`; both would pass and vanish.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata) && metadata.metatype !== undefined) {
      if (value !== undefined && !isPlainObject(value))
        throw validationFailed([{ field: '(body)', messages: ['body must be a JSON object'] }]);
      const unknown = value === undefined ? [] : undeclaredKeys(value, metadata.metatype as new () => object);
      if (unknown.length > 0) throw validationFailed(unknown);
    }
    return super.transform(value, metadata);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Own keys of `value` that `type` does not declare, recursively into declared nested DTOs (by dotted path). */
export function undeclaredKeys(
  value: Record<string, unknown>,
  type: abstract new (...args: never[]) => unknown,
  parent = '',
): FieldError[] {
  const fields = dtoFields(type);
  // A DTO without dto-fields declarations is left to class-validator's whitelist alone.
  if (fields === undefined) return [];
  return Object.keys(value).flatMap((key): FieldError[] => {
    const field = parent === '' ? key : `${parent}.${key}`;
    // A Map, not an object: `fields.get('constructor')` is undefined unless a DTO declares it.
    const info = fields.get(key);
    if (info === undefined) {
      return [{ field, messages: [`property ${key} should not exist`] }];
    }
    const nested = info.nested?.();
    const child = value[key];
    if (nested === undefined) return [];
    if (info.array === true) {
      return Array.isArray(child)
        ? child.flatMap((item, i) => (isPlainObject(item) ? undeclaredKeys(item, nested, `${field}.${i}`) : []))
        : [];
    }
    return isPlainObject(child) ? undeclaredKeys(child, nested, field) : [];
  });
}

export function validationFailed(errors: FieldError[]): ProblemException {
  const fields = errors.map((e) => e.field).join(', ');
  return new ProblemException('VALIDATION_FAILED', `Invalid or unknown fields: ${fields}`, { errors });
}

/** Turns class-validator's error tree into one entry per offending field, by dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own: FieldError[] = error.constraints
      ? [{ field: field === '' ? '(body)' : field, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** For commands without a body: anything sent is an unknown field (a DTO with no fields cannot say so). */
export class EmptyBodyPipe implements PipeTransform {
  transform(value: unknown): Record<string, never> {
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      throw validationFailed([{ field: '(body)', messages: ['body must be an empty JSON object'] }]);
    }
    const keys = Object.keys(value);
    if (keys.length > 0) throw validationFailed(keys.map((key) => ({ field: key, messages: [`property ${key} should not exist`] })));
    return {};
  }
}
