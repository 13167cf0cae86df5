import { ASPECTS, BEHAVIOURS, LIMITS, RESULT_KINDS, type PlanContent } from '@ledger/appraisal';
import { EnumField, IdField, NestedArrayField, NestedField, NumberField, PatternField, TextField } from '../../platform/dto-fields';

export class TargetDto {
  @NumberField({ min: 0, example: 12 }) value!: number;
  @TextField(LIMITS.unit, { example: 'dokumen' }) unit!: string;
}

/** Indikator Kinerja Individu. */
export class IndicatorDto {
  @IdField({ example: 'ind-1' }) id!: string;
  @TextField(LIMITS.description) description!: string;
  @EnumField(ASPECTS) aspect!: (typeof ASPECTS)[number];
  @NestedField(() => TargetDto) target!: TargetDto;
}

/** Rencana Hasil Kerja. */
export class WorkResultDto {
  @IdField({ example: 'rhk-1' }) id!: string;
  @EnumField(RESULT_KINDS) kind!: (typeof RESULT_KINDS)[number];
  @TextField(LIMITS.description) description!: string;
  @TextField(LIMITS.description, { optional: true, description: "The superior's result this one supports" })
  supportsSuperiorResult?: string;
  @NestedArrayField(() => IndicatorDto, 1, LIMITS.indicatorsPerResult) indicators!: IndicatorDto[];
}

/** Sasaran Kinerja Pegawai: the seven BerAKHLAK behaviours are always part of it, implicitly. */
export class PlanDto {
  @NestedArrayField(() => WorkResultDto, 1, LIMITS.results) results!: WorkResultDto[];
}

/** Dialog kinerja held before drafting. */
export class DialogueDto {
  @PatternField(/^\d{4}-\d{2}-\d{2}$/, '$property must be a date YYYY-MM-DD', { example: '2026-01-08' }) heldOn!: string;
  @TextField(LIMITS.text, { optional: true }) notes?: string;
}

export class DraftPlanDto {
  @NestedField(() => PlanDto) plan!: PlanDto;
  @NestedField(() => DialogueDto) dialogue!: DialogueDto;
}

export class ReasonDto {
  @TextField() reason!: string;
}

export class ProposePlanRevisionDto {
  @NestedField(() => PlanDto) plan!: PlanDto;
  @TextField() reason!: string;
}

export class SetDefaultPlanDto {
  @NestedField(() => PlanDto) plan!: PlanDto;
  @TextField() reason!: string;
}

export class BehaviourExpectationDto {
  @EnumField(BEHAVIOURS) behaviour!: (typeof BEHAVIOURS)[number];
  @TextField(LIMITS.text, { description: 'Ekspektasi khusus pimpinan' }) expectation!: string;
}

/** Explicit copy: only the fields the domain knows reach the command. */
export function toPlanContent(plan: PlanDto): PlanContent {
  return {
    results: plan.results.map((r) => ({
      id: r.id,
      kind: r.kind,
      description: r.description,
      ...(r.supportsSuperiorResult !== undefined && { supportsSuperiorResult: r.supportsSuperiorResult }),
      indicators: r.indicators.map((i) => ({
        id: i.id,
        description: i.description,
        aspect: i.aspect,
        target: { value: i.target.value, unit: i.target.unit },
      })),
    })),
  };
}
