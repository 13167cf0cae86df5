import { ApiProperty } from '@nestjs/swagger';
import { LIMITS, NIP_PATTERN, ORG_PREDICATES } from '@ledger/appraisal';
import { CommandResultDto } from '../docs/api-docs';
import { DocumentRefDto } from '../appraisals/during-year/during-year.dto';
import { BooleanField, EnumField, NestedField, NumberField, PatternField, TextField } from '../platform/dto-fields';
import { PATH_ID } from '../platform/params';
import { UnitPublicFeedbackDto } from '../public-feedback/public-feedback.dto';

export class OpenUnitDto {
  @PatternField(PATH_ID, '$property may hold letters, digits, dot, dash and underscore (1-100)', { example: 'biro-umum' }) unitId!: string;
  @NumberField({ integer: true, min: 2000, max: 2100, example: 2026 }) year!: number;
  @TextField(LIMITS.name, { example: 'Biro Umum' }) name!: string;
  @PatternField(NIP_PATTERN, '$property must be an 18-digit NIP', { description: 'Unit leader' }) leaderId!: string;
  @PatternField(NIP_PATTERN, '$property must be an 18-digit NIP', {
    description: 'Leader one level up (may record a distribution exception)',
  })
  upperLeaderId!: string;
}

export class OrganisationalPredicateDto {
  @EnumField(ORG_PREDICATES) predicate!: (typeof ORG_PREDICATES)[number];
  @NestedField(() => DocumentRefDto, { description: 'The organisational achievement the predicate rests on (document URI and SHA-256)' })
  basis!: DocumentRefDto;
  @TextField(LIMITS.text, { optional: true, description: 'Required once any appraisal of the unit is rated for the period' })
  reason?: string;
  @BooleanField({
    optional: true,
    description:
      "true: cite the unit's IKM for the period beside the basis, as the ledger computes it from the public feedback of the unit's services (422 IKM_NOT_AVAILABLE below the minimum group)",
  })
  citeIkm?: boolean;
}

export class FinalisationExceptionDto {
  @TextField(LIMITS.text, { description: 'Why the unit is finalised although the distribution does not fit' }) reason!: string;
}

export const DELIVERY_STATUSES = ['DELIVERED', 'ALREADY_DELIVERED', 'NOT_DELIVERED'] as const;

export class DeliveryDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: (typeof DELIVERY_STATUSES)[number];
  @ApiProperty({ format: 'uuid', description: 'Deterministic: derived from the finalisation event id and the appraisal id' })
  eventId!: string;
  @ApiProperty({ required: false }) position?: number;
  @ApiProperty({ required: false, description: 'NOT_DELIVERED: the problem code, e.g. RATING_CHANGED_SINCE_CHECK' }) code?: string;
}

export class FinalisationResultDto extends CommandResultDto {
  @ApiProperty({ format: 'uuid' }) finalisationEventId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The UnitFinalised data: checked snapshot, counts, bounds, exception',
  })
  finalisation!: Record<string, unknown>;
  @ApiProperty({ type: [DeliveryDto] }) deliveries!: DeliveryDto[];
}

const open = { type: 'object', additionalProperties: true } as const;

/** Outline of UnitPeriodComposite (libs/read-models unit-view.ts). */
export class UnitViewDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() year!: number;
  @ApiProperty() name!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ORG_PREDICATES, nullable: true }) organisationalPredicate!: string | null;
  @ApiProperty({ type: 'array', items: open, description: 'Predicate in force, at finalisation, amended after it' }) members!: unknown[];
  @ApiProperty(open) counts!: Record<string, number>;
  @ApiProperty() n!: number;
  @ApiProperty() rated!: number;
  @ApiProperty() allRated!: boolean;
  @ApiProperty({ type: 'array', items: open, description: 'Each bound of the pattern with count, n, threshold and ok' }) bounds!: unknown[];
  @ApiProperty({ nullable: true, type: Boolean }) fits!: boolean | null;
  @ApiProperty({ ...open, nullable: true, description: 'What the finalisation recorded' }) finalisation!: unknown;
  @ApiProperty({ ...open, nullable: true, description: 'A recorded distribution exception, shown wherever the unit is' })
  exception!: unknown;
  @ApiProperty({
    type: 'array',
    items: open,
    description:
      "Every setting of the organisational predicate: basis, reason, change, flag, and the unit's IKM when it was cited (ikm: { ikm, grade, responses, serviceIds } or null)",
  })
  organisationalPredicateHistory!: unknown[];
  @ApiProperty({ description: 'The organisational predicate changed after members were rated' })
  organisationalPredicateChangedAfterRating!: boolean;
  @ApiProperty({ description: 'Such a change let a failing distribution pass (the change a refused finalisation would need)' })
  organisationalPredicateEscapedPattern!: boolean;
  @ApiProperty({ type: 'array', items: open }) amendmentsAfterFinalisation!: unknown[];
  @ApiProperty({ type: UnitPublicFeedbackDto, description: "The unit's SKM feedback in the period: IKM, grade, per service" })
  publicFeedback!: UnitPublicFeedbackDto;
}
