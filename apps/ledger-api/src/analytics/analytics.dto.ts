import { ApiProperty } from '@nestjs/swagger';
import { PERIODS } from '@ledger/appraisal';
import { FLAG_KINDS } from './subjectivity';

// The answers of the analytics routes, field by field. Nullable fields are typed inline (a nullable $ref
// or enum would not admit null to a JSON Schema validator).

const nullableNumber = (description?: string) => ({ type: Number, nullable: true, description });
const nullableString = (description?: string) => ({ type: String, nullable: true, description });

export class PredicateFiguresDto {
  @ApiProperty() SANGAT_BAIK!: number;
  @ApiProperty() BAIK!: number;
  @ApiProperty() BUTUH_PERBAIKAN!: number;
  @ApiProperty() KURANG!: number;
  @ApiProperty() SANGAT_KURANG!: number;
}

export class DistributionDto {
  @ApiProperty({ description: 'Rated appraisals (predicate in force in the period)' }) n!: number;
  @ApiProperty({ type: PredicateFiguresDto }) counts!: PredicateFiguresDto;
  @ApiProperty({ type: PredicateFiguresDto, description: 'count / n, 3 decimals (0 when n = 0)' }) shares!: PredicateFiguresDto;
}

const NATIONAL_FIELDS = {
  SANGAT_BAIK: { type: 'number' },
  BAIK: { type: 'number' },
  BELOW_BAIK: { type: 'number', description: 'BUTUH_PERBAIKAN, KURANG and SANGAT_KURANG together' },
} as const;
const nationalShape = { type: 'object' as const, properties: NATIONAL_FIELDS, required: Object.keys(NATIONAL_FIELDS) };

export class NationalReferenceDto {
  @ApiProperty({ example: '2022–2024' }) years!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ ...nationalShape, description: 'National shares: 0.11 SANGAT_BAIK, 0.88 BAIK, 0.01 the rest' }) shares!: object;
}

export class PeriodSharesDto {
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ type: DistributionDto }) distribution!: DistributionDto;
  @ApiProperty({ ...nationalShape, nullable: true, description: 'Share minus the national share (null when n = 0)' })
  versusNational!: object | null;
  @ApiProperty({ description: 'Every rated result is BAIK or SANGAT_BAIK (at least one rated)' }) allBaikOrBetter!: boolean;
}

export class LeniencyDto {
  @ApiProperty({ description: 'Appraisals of this appraiser it rests on' }) n!: number;
  @ApiProperty({ description: 'Appraisals of the comparison group (the other appraisers)' }) comparisonN!: number;
  @ApiProperty(nullableNumber('Mean predicate score, SANGAT_BAIK 5 … SANGAT_KURANG 1')) mean!: number | null;
  @ApiProperty(nullableNumber()) comparisonMean!: number | null;
  @ApiProperty(nullableNumber('mean − comparisonMean, in predicate steps')) index!: number | null;
  @ApiProperty(nullableNumber("Welch's, null below 2 appraisals a side")) standardError!: number | null;
  @ApiProperty({ type: 'array', items: { type: 'number' }, nullable: true, description: '95% interval [low, high], t on Welch df' })
  ci95!: number[] | null;
  @ApiProperty(nullableString('LENIENT or SEVERE: |index| ≥ 0.5 and the 95% interval excludes 0')) flag!: string | null;
}

export class AppraiserLeniencyDto {
  @ApiProperty() appraiserId!: string;
  @ApiProperty({ type: DistributionDto }) distribution!: DistributionDto;
  @ApiProperty({ type: LeniencyDto }) leniency!: LeniencyDto;
}

export class AgreementDto {
  @ApiProperty(nullableNumber("Krippendorff's alpha, ordinal, 3 decimals; null when undefined (nothing pairable or nothing varies)"))
  ordinal!: number | null;
  @ApiProperty(nullableString('The exact fraction, e.g. -9/26')) ordinalExact!: string | null;
  @ApiProperty(nullableNumber('The same data on the nominal metric')) nominal!: number | null;
  @ApiProperty({ description: 'Distinct raters with pairable answers' }) raters!: number;
  @ApiProperty() pairableValues!: number;
  @ApiProperty({ description: 'Appraisals with at least two surveys' }) appraisals!: number;
}

export class RaterAgreementDto {
  @ApiProperty() raterId!: string;
  @ApiProperty({ description: 'Other raters of the appraisal with the same rating on at least 4 of the 7 behaviours' }) agreesWith!: number;
  @ApiProperty() others!: number;
  @ApiProperty() agreesWithNobody!: boolean;
}

export class AppraisalAgreementDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() employeeNip!: string;
  @ApiProperty() appraiserId!: string;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty() surveys!: number;
  @ApiProperty({ description: 'false: withheld from the appraisee (fewer surveys than the minimum group, or not final)' })
  shown!: boolean;
  @ApiProperty({ type: AgreementDto }) agreement!: AgreementDto;
  @ApiProperty({ type: [RaterAgreementDto], description: 'Never to a reader appraised in what the answer covers; [] below 3 surveys' })
  raters!: RaterAgreementDto[];
}

export class GroupAgreementDto {
  @ApiProperty({ description: 'false: withheld from a reader appraised in the group, resting on fewer raters than the minimum group' })
  shown!: boolean;
  @ApiProperty({ type: AgreementDto }) agreement!: AgreementDto;
}

export class UnitAgreementDto extends GroupAgreementDto {
  @ApiProperty({ type: [AppraisalAgreementDto], description: 'Each appraisal of the unit with a 360 in the period' })
  appraisals!: AppraisalAgreementDto[];
}

export class RaterWithNobodyDto {
  @ApiProperty(nullableString('null when the reader is appraised in the unit')) raterId!: string | null;
  @ApiProperty({ description: 'Appraisals where the rater stood beside at least two others' }) appraisalsJudged!: number;
  @ApiProperty() agreedWithNobody!: number;
}

export class AnalyticsFlagDto {
  @ApiProperty({ enum: FLAG_KINDS }) kind!: string;
  @ApiProperty(nullableString('The unit (null: the agency)')) unitId!: string | null;
  @ApiProperty(nullableString('The appraiser or rater flagged (null for a unit, or a rater the reader may not know)')) subjectId!:
    string | null;
  @ApiProperty({ description: 'The figures behind the flag, in words' }) detail!: string;
}

export class UnitAnalyticsDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() year!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ type: NationalReferenceDto }) national!: NationalReferenceDto;
  @ApiProperty({ type: [PeriodSharesDto], description: 'Every period in use, against the national shares' }) byPeriod!: PeriodSharesDto[];
  @ApiProperty({ type: [AppraiserLeniencyDto], description: 'Each appraiser of the unit against the other appraisers of the unit' })
  appraisers!: AppraiserLeniencyDto[];
  @ApiProperty({ type: UnitAgreementDto }) agreement!: UnitAgreementDto;
  @ApiProperty({ description: 'false when the reader is appraised in the unit: no rater is named' }) raterIdsShown!: boolean;
  @ApiProperty({ type: [RaterWithNobodyDto] }) ratersAgreeingWithNobody!: RaterWithNobodyDto[];
  @ApiProperty({ type: [AnalyticsFlagDto] }) flags!: AnalyticsFlagDto[];
}

export class AgencyUnitDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: DistributionDto }) distribution!: DistributionDto;
  @ApiProperty({ ...nationalShape, nullable: true }) versusNational!: object | null;
  @ApiProperty() allBaikOrBetter!: boolean;
}

export class AgencyAnalyticsDto {
  @ApiProperty() year!: number;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ type: NationalReferenceDto }) national!: NationalReferenceDto;
  @ApiProperty({ type: [PeriodSharesDto] }) byPeriod!: PeriodSharesDto[];
  @ApiProperty({ type: [AgencyUnitDto] }) units!: AgencyUnitDto[];
  @ApiProperty({ type: [AppraiserLeniencyDto], description: 'Each appraiser against every other appraiser of the agency' })
  appraisers!: AppraiserLeniencyDto[];
  @ApiProperty({ type: GroupAgreementDto, description: 'The 360 of the whole agency in the period' }) agreement!: GroupAgreementDto;
  @ApiProperty({ type: [AnalyticsFlagDto] }) flags!: AnalyticsFlagDto[];
}

export class ComparisonDto {
  @ApiProperty() compared!: number;
  @ApiProperty() appraiserHigher!: number;
  @ApiProperty() same!: number;
  @ApiProperty() appraiserLower!: number;
}

export class AppraiserUnitDto {
  @ApiProperty() unitId!: string;
  @ApiProperty({ type: DistributionDto, description: 'Every rated appraisal of the unit' }) all!: DistributionDto;
  @ApiProperty({ type: DistributionDto, description: 'Those rated by other appraisers' }) others!: DistributionDto;
  @ApiProperty({ type: LeniencyDto, description: 'Against the other appraisers of the unit' }) leniency!: LeniencyDto;
}

export class AppraiserAnalyticsDto {
  @ApiProperty() appraiserId!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ type: 'array', items: { type: 'string' }, nullable: true, description: 'A unit leader reads the units they lead only' })
  scope!: string[] | null;
  @ApiProperty({ type: DistributionDto }) appraiser!: DistributionDto;
  @ApiProperty({ type: [AppraiserUnitDto] }) units!: AppraiserUnitDto[];
  @ApiProperty({ type: DistributionDto, description: 'Every rated appraisal of the agency' }) agency!: DistributionDto;
  @ApiProperty({ type: LeniencyDto, description: 'Against every other appraiser of the agency' }) versusAgency!: LeniencyDto;
  @ApiProperty({ type: ComparisonDto, description: 'Behaviour rating against the 360 peers’ most common answer (groups of 3 or more)' })
  versusPeers!: ComparisonDto;
  @ApiProperty({ type: ComparisonDto, description: 'Behaviour rating against the employee’s self-assessment' }) versusSelf!: ComparisonDto;
  @ApiProperty({ type: [AnalyticsFlagDto] }) flags!: AnalyticsFlagDto[];
}
