import { ApiProperty } from '@nestjs/swagger';
import { LIMITS, NIP_PATTERN } from '@ledger/appraisal';
import { CommandResultDto } from '../../docs/api-docs';
import { InstantField, NestedField, NumberField, PatternField, TextField } from '../../platform/dto-fields';
import { PATH_ID } from '../../platform/params';

const NIP = (description: string) =>
  PatternField(NIP_PATTERN, '$property must be an 18-digit NIP', { description, example: '199001012020121001' });

export class FunctionalPositionDto {
  @TextField(LIMITS.name, { example: 'Analis Kebijakan Ahli Muda' }) name!: string;
  @NumberField({ min: 0, max: 1000, description: 'Annual credit-point coefficient', example: 12.5 }) annualCoefficient!: number;
}

export class OpenAppraisalDto {
  @NIP('The employee (pegawai); with the year it makes the appraisal id') employeeNip!: string;
  @TextField(LIMITS.name, { example: 'Siti Rahayu' }) employeeName!: string;
  @NumberField({ integer: true, min: 2000, max: 2100, example: 2026 }) year!: number;
  @PatternField(PATH_ID, '$property may hold letters, digits, dot, dash and underscore (1-100)', { example: 'biro-umum' }) unitId!: string;
  @NIP('The appraiser (pejabat penilai kinerja)') appraiserId!: string;
  @NIP("The appraiser's superior (atasan pejabat penilai)") superiorId!: string;
  @InstantField({ optional: true, description: 'Default: end of LEDGER_PLAN_DEADLINE in the agency time zone' }) planDeadline?: string;
  @NestedField(() => FunctionalPositionDto, { optional: true }) functionalPosition?: FunctionalPositionDto;
}

export class OpenAppraisalResultDto extends CommandResultDto {
  @ApiProperty({ example: '2026-199001012020121001' }) appraisalId!: string;
}

export class ReassignAppraiserDto {
  @NIP('The new appraiser') appraiserId!: string;
  @NIP("The new appraiser's superior") superiorId!: string;
  @TextField() reason!: string;
}

export class CorrectAppraisalUnitDto {
  @PatternField(PATH_ID, '$property may hold letters, digits, dot, dash and underscore (1-100)', { example: 'biro-keuangan' })
  unitId!: string;
  @TextField() reason!: string;
}

export class SetPlanDeadlineDto {
  @InstantField({ example: '2026-02-15T16:59:59.999Z' }) planDeadline!: string;
  @TextField() reason!: string;
}
