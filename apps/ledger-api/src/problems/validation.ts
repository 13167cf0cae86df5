import { type ArgumentMetadata, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** A command body is one JSON object; an array or a bare value is refused as a whole. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata) && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw validationFailed([{ field: '(body)', messages: ['body must be a JSON object'] }]);
    }
    return super.transform(value, metadata);
  }
}

export function validationFailed(errors: FieldError[]): ProblemException {
  const fields = errors.map((e) => e.field).join(', ');
  return new ProblemException('VALIDATION_FAILED', `Invalid or unknown fields: ${fields}`, { errors });
}

/** Turns class-validator's error tree into one entry per offending field, by dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? String(error.property) : `${parent}.${String(error.property)}`;
    const own: FieldError[] = error.constraints ? [{ field: field === '' ? '(body)' : field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** For commands without a body: anything sent is an unknown field (a DTO with no fields cannot say so). */
export class EmptyBodyPipe implements PipeTransform {
  transform(value: unknown): Record<string, never> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw validationFailed([{ field: '(body)', messages: ['body must be an empty JSON object'] }]);
    }
    const keys = Object.keys(value);
    if (keys.length > 0) throw validationFailed(keys.map((key) => ({ field: key, messages: [`property ${key} should not exist`] })));
    return {};
  }
}
