import { LIMITS, NIP_PATTERN, RATER_RELATIONS, RATINGS, type SurveyAnswers } from '@ledger/appraisal';
import { EnumField, NestedField, PatternField, TextField } from '../../platform/dto-fields';

type Rating = (typeof RATINGS)[number];

export class SelfAssessmentDto {
  @EnumField(RATINGS) hasilKerja!: Rating;
  @EnumField(RATINGS) perilakuKerja!: Rating;
  @TextField(LIMITS.text, { optional: true }) note?: string;
}

export class AssignRaterDto {
  @PatternField(NIP_PATTERN, '$property must be an 18-digit NIP') raterId!: string;
  @EnumField(RATER_RELATIONS) relation!: (typeof RATER_RELATIONS)[number];
}

const Answer = () => EnumField(RATINGS);

/** One rating for each of the seven BerAKHLAK behaviours: all seven, nothing else. */
export class SurveyAnswersDto implements SurveyAnswers {
  @Answer() BERORIENTASI_PELAYANAN!: Rating;
  @Answer() AKUNTABEL!: Rating;
  @Answer() KOMPETEN!: Rating;
  @Answer() HARMONIS!: Rating;
  @Answer() LOYAL!: Rating;
  @Answer() ADAPTIF!: Rating;
  @Answer() KOLABORATIF!: Rating;
}

export class SubmitSurveyDto {
  @NestedField(() => SurveyAnswersDto) answers!: SurveyAnswersDto;
  @TextField(LIMITS.text, { optional: true }) comment?: string;
}

/** Rating hasil kerja and perilaku kerja, each with its written justification. */
export class RatePerformanceDto {
  @EnumField(RATINGS, { description: 'Rating hasil kerja' }) hasilKerja!: Rating;
  @TextField(LIMITS.text) hasilKerjaJustification!: string;
  @EnumField(RATINGS, { description: 'Rating perilaku kerja' }) perilakuKerja!: Rating;
  @TextField(LIMITS.text) perilakuKerjaJustification!: string;
}

export class ReviseRatingDto extends RatePerformanceDto {
  @TextField() reason!: string;
}

export const answersOf = (a: SurveyAnswersDto): SurveyAnswers => ({
  BERORIENTASI_PELAYANAN: a.BERORIENTASI_PELAYANAN,
  AKUNTABEL: a.AKUNTABEL,
  KOMPETEN: a.KOMPETEN,
  HARMONIS: a.HARMONIS,
  LOYAL: a.LOYAL,
  ADAPTIF: a.ADAPTIF,
  KOLABORATIF: a.KOLABORATIF,
});

export const ratingPairOf = (d: RatePerformanceDto) => ({
  hasilKerja: d.hasilKerja,
  hasilKerjaJustification: d.hasilKerjaJustification,
  perilakuKerja: d.perilakuKerja,
  perilakuKerjaJustification: d.perilakuKerjaJustification,
});
