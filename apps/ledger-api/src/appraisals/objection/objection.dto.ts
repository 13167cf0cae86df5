import { LIMITS, OBJECTION_OUTCOMES, STATEMENT_PARTIES } from '@ledger/appraisal';
import { RatePerformanceDto } from '../evaluation/evaluation.dto';
import { EnumField, IdField, NestedField, TextField } from '../../platform/dto-fields';

/** Keberatan: only the employee, with written reasons, within the window after delivery. */
export class FileObjectionDto {
  @TextField(LIMITS.text) reasons!: string;
}

export class RecordStatementDto {
  @EnumField(STATEMENT_PARTIES) party!: (typeof STATEMENT_PARTIES)[number];
  @TextField(LIMITS.text) statement!: string;
}

export class AssignReviewerDto {
  @IdField({ description: 'A third party with no other role in this appraisal' }) reviewerId!: string;
}

export class SubmitFindingsDto {
  @TextField(LIMITS.text) findings!: string;
  @EnumField(OBJECTION_OUTCOMES, { description: 'Advisory only' }) recommendation!: (typeof OBJECTION_OUTCOMES)[number];
}

export class DecideObjectionDto {
  @EnumField(OBJECTION_OUTCOMES) outcome!: (typeof OBJECTION_OUTCOMES)[number];
  @TextField(LIMITS.text) reasons!: string;
  @NestedField(() => RatePerformanceDto, { optional: true, description: 'Required when outcome is AMENDED; absent when UPHELD' })
  amended?: RatePerformanceDto;
}
