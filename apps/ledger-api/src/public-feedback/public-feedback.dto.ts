import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  COMMENT_MAX,
  LIMITS,
  NIP_PATTERN,
  PERIODS,
  PERSONAL_DATA_KINDS,
  SERVICE_ID,
  SKM_MAX_SCORE,
  SKM_MIN_SCORE,
} from '@ledger/appraisal';
import { CommandResultDto } from '../docs/api-docs';
import { NestedField, NumberField, PatternField, TextField } from '../platform/dto-fields';

export class DeclareServiceDto {
  @PatternField(SERVICE_ID, '$property may hold lower-case letters, digits and inner dashes (1-40)', { example: 'loket-kepegawaian' })
  serviceId!: string;
  @TextField(LIMITS.name, { example: 'Loket Layanan Kepegawaian' }) name!: string;
}

export class IssueFeedbackCodeDto {
  @PatternField(NIP_PATTERN, '$property must be an 18-digit NIP', {
    optional: true,
    description: 'The serving officer the feedback is about (a PEGAWAI may only name themself)',
  })
  officerId?: string;
}

export class FeedbackCodeResultDto extends CommandResultDto {
  @ApiProperty({
    description: 'The one-time code, shown once: the ledger keeps only its SHA-256. Print it on the receipt or in a QR code.',
    example: 'biro-umum~2026~loket-kepegawaian~K7QM3XTR9PZAWD2F',
  })
  code!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ enum: PERIODS, description: 'The quarter the feedback will count in (and TAHUNAN)' }) period!: string;
}

const score = (description: string) => NumberField({ integer: true, min: SKM_MIN_SCORE, max: SKM_MAX_SCORE, description });

/** The nine SKM elements of PermenPANRB 14/2017, each 1 (tidak sesuai) to 4 (sangat sesuai). */
export class SkmScoresDto {
  @score('Persyaratan') PERSYARATAN!: number;
  @score('Sistem, mekanisme dan prosedur') SISTEM_MEKANISME_PROSEDUR!: number;
  @score('Waktu penyelesaian') WAKTU_PENYELESAIAN!: number;
  @score('Biaya/tarif') BIAYA_TARIF!: number;
  @score('Produk spesifikasi jenis pelayanan') PRODUK_SPESIFIKASI_JENIS_PELAYANAN!: number;
  @score('Kompetensi pelaksana') KOMPETENSI_PELAKSANA!: number;
  @score('Perilaku pelaksana') PERILAKU_PELAKSANA!: number;
  @score('Penanganan pengaduan, saran dan masukan') PENANGANAN_PENGADUAN_SARAN_MASUKAN!: number;
  @score('Sarana dan prasarana') SARANA_PRASARANA!: number;
}

export class PublicFeedbackDto {
  @TextField(200, { description: 'The feedback code from the receipt or QR code' }) code!: string;
  @NestedField(() => SkmScoresDto) scores!: SkmScoresDto;
  @TextField(COMMENT_MAX, {
    optional: true,
    description: 'Optional. A NIK, phone number or e-mail address in it is masked before it is stored (see `masked` in the answer)',
  })
  comment?: string;
}

export class PublicFeedbackResultDto {
  @ApiProperty({ format: 'uuid' }) feedbackId!: string;
  @ApiProperty({ description: 'Global position of the stored feedback' }) position!: number;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiPropertyOptional({ description: 'The comment as stored (after masking)' }) comment?: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...PERSONAL_DATA_KINDS] },
    description: 'Kinds of personal data masked in the comment',
  })
  masked!: string[];
}

export class PublicFeedbackResponseDto {
  @TextField(LIMITS.text, { example: 'Terima kasih atas masukannya' }) text!: string;
}

export class SkmMeansDto {
  @ApiProperty() PERSYARATAN!: number;
  @ApiProperty() SISTEM_MEKANISME_PROSEDUR!: number;
  @ApiProperty() WAKTU_PENYELESAIAN!: number;
  @ApiProperty() BIAYA_TARIF!: number;
  @ApiProperty() PRODUK_SPESIFIKASI_JENIS_PELAYANAN!: number;
  @ApiProperty() KOMPETENSI_PELAKSANA!: number;
  @ApiProperty() PERILAKU_PELAKSANA!: number;
  @ApiProperty() PENANGANAN_PENGADUAN_SARAN_MASUKAN!: number;
  @ApiProperty() SARANA_PRASARANA!: number;
}

export class IkmFigureDto {
  @ApiProperty() responses!: number;
  @ApiProperty({ description: 'false below the minimum number of responses: then only the count is given' }) shown!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'IKM on 25-100, two decimals' }) ikm!: number | null;
  // Nullable fields are typed inline: a nullable $ref or enum would not admit null to a JSON Schema validator.
  @ApiProperty({ type: String, nullable: true, description: 'Mutu pelayanan: A, B, C or D (null below the minimum)' }) grade!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) gradeLabel!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'number' },
    description: 'NRR per unsur (1-4), two decimals, keyed by the nine SKM elements (SkmMeansDto)',
  })
  elementMeans!: SkmMeansDto | null;
}

/** Per period: each quarter, and TAHUNAN for the whole year. */
export class IkmPeriodsDto {
  @ApiProperty({ type: IkmFigureDto }) TRIWULAN_I!: IkmFigureDto;
  @ApiProperty({ type: IkmFigureDto }) TRIWULAN_II!: IkmFigureDto;
  @ApiProperty({ type: IkmFigureDto }) TRIWULAN_III!: IkmFigureDto;
  @ApiProperty({ type: IkmFigureDto }) TRIWULAN_IV!: IkmFigureDto;
  @ApiProperty({ type: IkmFigureDto }) TAHUNAN!: IkmFigureDto;
}

export class ServiceIkmDto {
  @ApiProperty() serviceId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: IkmPeriodsDto }) periods!: IkmPeriodsDto;
}

export class PublicUnitIkmDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'Fewest responses before a figure is shown (policy feedbackMinimumResponses)' }) minimumResponses!: number;
  @ApiProperty({ type: IkmPeriodsDto, description: "The unit's services together" }) unit!: IkmPeriodsDto;
  @ApiProperty({ type: [ServiceIkmDto] }) services!: ServiceIkmDto[];
}

export class ServiceFigureDto {
  @ApiProperty() serviceId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: IkmFigureDto }) figure!: IkmFigureDto;
}

/** The unit's IKM in the period of the unit view, for the organisational predicate's basis. */
export class UnitPublicFeedbackDto {
  @ApiProperty() minimumResponses!: number;
  @ApiProperty({ type: IkmFigureDto, description: "The unit's services together, in the view's period" }) unit!: IkmFigureDto;
  @ApiProperty({ type: [ServiceFigureDto] }) services!: ServiceFigureDto[];
}

export class OfficerCommentResponseDto {
  @ApiProperty() at!: string;
  @ApiProperty() text!: string;
}

export class OfficerCommentDto {
  @ApiProperty() feedbackId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty() serviceId!: string;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'As stored: personal data masked' }) comment!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...PERSONAL_DATA_KINDS] } }) masked!: string[];
  @ApiProperty({
    type: 'object',
    nullable: true,
    required: ['at', 'text'],
    properties: { at: { type: 'string' }, text: { type: 'string' } },
    description: "The officer's answer (OfficerCommentResponseDto), null until given",
  })
  response!: OfficerCommentResponseDto | null;
}

/** The officer's own SKM feedback of the year: evidence for Berorientasi Pelayanan, never a citizen. */
export class OfficerPublicFeedbackDto {
  @ApiProperty({ enum: ['BERORIENTASI_PELAYANAN'] }) behaviour!: string;
  @ApiProperty() minimumResponses!: number;
  @ApiProperty({ type: IkmPeriodsDto }) periods!: IkmPeriodsDto;
  @ApiProperty({ type: [OfficerCommentDto] }) comments!: OfficerCommentDto[];
}
