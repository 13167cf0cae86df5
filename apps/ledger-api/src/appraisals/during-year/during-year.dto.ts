import { ApiProperty } from '@nestjs/swagger';
import { BEHAVIOURS, LIMITS, PERIODS, type FeedbackSubject } from '@ledger/appraisal';
import { CommandResultDto } from '../../docs/api-docs';
import { EnumField, IdField, NestedField, NumberField, PatternField, TextField } from '../../platform/dto-fields';

export class DocumentRefDto {
  @TextField(LIMITS.uri, { example: 'https://dms.example.go.id/doc/123' }) uri!: string;
  @PatternField(/^[0-9a-f]{64}$/, '$property must be 64 lower-case hex characters', { description: 'SHA-256 of the document content' })
  sha256!: string;
}

/** Bukti dukung: a realisation value against one indicator, with a document reference (never the file). */
export class RecordEvidenceDto {
  @IdField() resultId!: string;
  @IdField() indicatorId!: string;
  @EnumField(PERIODS) period!: (typeof PERIODS)[number];
  @NumberField({ example: 3 }) value!: number;
  @NestedField(() => DocumentRefDto) document!: DocumentRefDto;
  @TextField(LIMITS.text, { optional: true }) note?: string;
}

export class EvidenceRecordedDto extends CommandResultDto {
  @ApiProperty({ format: 'uuid', description: 'Assigned by the server' }) evidenceId!: string;
}

/** At most one of these (the domain refuses more than one). */
export class FeedbackSubjectDto {
  @IdField({ optional: true }) resultId?: string;
  @EnumField(BEHAVIOURS, { optional: true }) behaviour?: (typeof BEHAVIOURS)[number];
  @IdField({ optional: true }) evidenceId?: string;
}

export class GiveFeedbackDto {
  @TextField() text!: string;
  @NestedField(() => FeedbackSubjectDto, { optional: true }) about?: FeedbackSubjectDto;
}

export class FeedbackGivenDto extends CommandResultDto {
  @ApiProperty({ format: 'uuid', description: 'Assigned by the server' }) feedbackId!: string;
}

export class RespondToFeedbackDto {
  @TextField() text!: string;
}

export function toFeedbackSubject(about: FeedbackSubjectDto): FeedbackSubject {
  return {
    ...(about.resultId !== undefined && { resultId: about.resultId }),
    ...(about.behaviour !== undefined && { behaviour: about.behaviour }),
    ...(about.evidenceId !== undefined && { evidenceId: about.evidenceId }),
  };
}
