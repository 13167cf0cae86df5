// class-transformer's @Type reads design-time metadata through the Reflect API this polyfill adds (Nest loads it for the ledger).
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateIf, ValidateNested, validate } from 'class-validator';
import { BEHAVIOURS, LIMITS, type FeedbackSubject } from './appraisal.js';

/**
 * The ledger's GiveFeedbackDto (apps/ledger-api during-year.dto.ts and platform/dto-fields.ts)
 * with the same class-validator rules: text and ids are non-empty strings within the domain's
 * limits, "optional" means absent and never null, at most one nested subject object.
 */
const absent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export class FeedbackSubjectDto {
  @absent() @IsString() @IsNotEmpty() @MaxLength(LIMITS.id) resultId?: string;
  @absent() @IsIn(BEHAVIOURS, { message: `$property must be one of ${BEHAVIOURS.join(', ')}` }) behaviour?: (typeof BEHAVIOURS)[number];
  @absent() @IsString() @IsNotEmpty() @MaxLength(LIMITS.id) evidenceId?: string;
}

export class GiveFeedbackDto {
  @IsDefined() @IsString() @IsNotEmpty() @MaxLength(LIMITS.text) text!: string;
  @absent() @IsObject() @ValidateNested() @Type(() => FeedbackSubjectDto) about?: FeedbackSubjectDto;
}

export type Validated = { ok: true; text: string; about?: FeedbackSubject } | { ok: false; fields: string[] };

/**
 * The ledger's ValidationPipe options: unknown fields refused (whitelist + forbidNonWhitelisted),
 * values without metadata refused (forbidUnknownValues), the plain body mapped to the command.
 */
export async function validateFeedback(body: unknown): Promise<Validated> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, fields: ['(body)'] };
  const dto = plainToInstance(GiveFeedbackDto, body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const fields = errors.flatMap((e) => [e.property, ...(e.children ?? []).map((c) => `${e.property}.${c.property}`)]);
    return { ok: false, fields };
  }
  if (dto.about === undefined) return { ok: true, text: dto.text };
  const { resultId, behaviour, evidenceId } = dto.about;
  const about: FeedbackSubject = {
    ...(resultId !== undefined && { resultId }),
    ...(behaviour !== undefined && { behaviour }),
    ...(evidenceId !== undefined && { evidenceId }),
  };
  return { ok: true, text: dto.text, about };
}
