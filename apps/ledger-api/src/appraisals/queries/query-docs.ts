import { PERIODS, PLAN_STATUSES } from '@ledger/appraisal';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OfficerPublicFeedbackDto } from '../../public-feedback/public-feedback.dto';

/**
 * OpenAPI outlines of the query answers. The full shapes are the read-model types
 * (libs/read-models: AppraisalView, AuditEntry) and the domain state; these name the top level.
 */
const open = { type: 'object', additionalProperties: true } as const;

const str = { type: 'string' as const };
/** A recorded change: when and by whom, plus its own fields. */
const stamped = (fields: Record<string, { type: 'string' }>) => ({
  type: 'object' as const,
  required: ['at', 'by', ...Object.keys(fields)],
  properties: { at: { type: 'string' }, by: { type: 'string' }, ...fields },
});
const nullableOpen = { ...open, nullable: true } as const;
const PERIOD_KEYS = PERIODS.join(', ');

export class StampDto {
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'Actor id (absent from nothing but a 360 rater shown to the employee)' }) by!: string;
}

export class IntegrityFlagDto {
  @ApiProperty({ enum: ['INTACT', 'BROKEN'], description: "The appraisal stream's hash chain, verified as it is read" }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'BROKEN: the lowest revision a problem names' }) firstBrokenRevision?:
    number | null;
  @ApiPropertyOptional({ description: 'BROKEN: the kind of the first problem (docs/ledger-format.md)' }) problem?: string;
  @ApiPropertyOptional({ description: 'BROKEN: what was found' }) detail?: string;
}

export class PlanViewDto {
  @ApiProperty({ enum: PLAN_STATUSES }) status!: string;
  @ApiProperty({ enum: ['EMPLOYEE', 'DEFAULT'], nullable: true, type: String }) source!: string | null;
  @ApiProperty({ description: 'Approved version in force (0: none yet)' }) version!: number;
  @ApiProperty({ ...nullableOpen, description: 'The plan content (results, indicators) in force or drafted' }) content!: unknown;
  @ApiProperty({ ...nullableOpen, description: 'The performance dialogue the draft cites' }) dialogue!: unknown;
  @ApiProperty({ type: StampDto, nullable: true }) drafted!: StampDto | null;
  @ApiProperty({ type: StampDto, nullable: true }) submitted!: StampDto | null;
  @ApiProperty({ nullable: true, type: String }) returnedReason!: string | null;
  @ApiProperty({ ...nullableOpen, description: 'A proposed revision awaiting the appraiser: stamp, content, reason' })
  pendingRevision!: unknown;
  @ApiProperty({ ...nullableOpen, description: 'The last rejected revision: stamp, reason' }) lastRevisionRejection!: unknown;
  @ApiProperty({ type: 'array', items: open, description: 'Every approved version: version, kind, content, reason, proposed, approved' })
  versions!: unknown[];
  @ApiProperty({ ...open, description: 'Behaviour → { at, by, expectation } (ekspektasi khusus pimpinan)' })
  behaviourExpectations!: unknown;
}

/** One period's evaluation: every member is present (null or [] until it happens). */
export class PeriodViewDto {
  @ApiProperty({ ...nullableOpen, description: 'at, by, hasilKerja, perilakuKerja, note' }) selfAssessment!: unknown;
  @ApiProperty({ type: 'array', items: open, description: 'at, by, raterId, relation (empty for the employee: see survey360)' })
  raters!: unknown[];
  @ApiProperty({
    type: 'array',
    items: open,
    description: 'raterId, answers, comment, submittedAt (empty for the employee: see survey360)',
  })
  surveys!: unknown[];
  @ApiPropertyOptional({
    ...open,
    description:
      'Employee only: ratersAssigned, submitted, minimumGroup, answers pooled per behaviour (null: not final, or < minimumGroup)',
  })
  survey360?: unknown;
  @ApiProperty({ ...nullableOpen, description: 'The rating in force with its version history' }) rating!: unknown;
  @ApiProperty({ ...nullableOpen, description: 'The delivered, final result' }) result!: unknown;
  @ApiProperty({ ...nullableOpen, description: 'The objection, its statements, reviewer, findings and decision' }) objection!: unknown;
}

export class PeriodOutlookDto {
  @ApiProperty({ ...nullableOpen, description: '{ lastDayToFile, filingOpen } once the result was delivered' }) objection!: unknown;
  @ApiProperty({ ...nullableOpen, description: '{ deadline, overdue } while an objection is filed' }) decision!: unknown;
  @ApiProperty({ ...open, description: 'self, peers (pooled 360 answers), appraiser, gaps in rating steps between them' })
  sources!: unknown;
}

export class AnnualOutlookDto {
  @ApiProperty({ nullable: true, type: String }) predicate!: string | null;
  @ApiProperty({ nullable: true, type: Number }) creditPoints!: number | null;
  @ApiProperty({ type: [String] }) followUpFlags!: string[];
}

export class OutlookDto {
  @ApiProperty({ enum: ['PLANNING', 'IN_YEAR', 'RATED', 'FINAL', 'IN_OBJECTION', 'OBJECTION_DECIDED'] }) status!: string;
  @ApiProperty() planDeadline!: string;
  @ApiProperty() planOverdue!: boolean;
  @ApiProperty({ type: AnnualOutlookDto }) annual!: AnnualOutlookDto;
  @ApiProperty({
    type: 'object',
    description: `Per evaluated period (${PERIOD_KEYS})`,
    additionalProperties: { $ref: '#/components/schemas/PeriodOutlookDto' },
  })
  periods!: Record<string, PeriodOutlookDto>;
}

@ApiExtraModels(PeriodViewDto, PeriodOutlookDto)
export class AppraisalViewDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() employeeNip!: string;
  @ApiProperty() employeeName!: string;
  @ApiProperty() year!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() appraiserId!: string;
  @ApiProperty() superiorId!: string;
  @ApiProperty({ ...nullableOpen, description: 'Functional position (jabatan fungsional) and its annual coefficient, when given' })
  functionalPosition!: unknown;
  @ApiProperty({ description: 'Plan submission deadline (policy: end of January)' }) planDeadline!: string;
  @ApiProperty({ type: StampDto }) opened!: StampDto;
  @ApiProperty({ description: 'Stream revision (also the ETag)' }) revision!: number;
  @ApiProperty() lastEventAt!: string;
  @ApiProperty({ type: 'array', items: stamped({ appraiserId: str, superiorId: str, reason: str }) })
  reassignments!: unknown[];
  @ApiProperty({ type: 'array', items: stamped({ unitId: str, previousUnitId: str, reason: str }) })
  unitCorrections!: unknown[];
  @ApiProperty({ type: PlanViewDto }) plan!: PlanViewDto;
  @ApiProperty({ type: 'array', items: open }) evidence!: unknown[];
  @ApiProperty({ type: 'array', items: open }) feedback!: unknown[];
  @ApiProperty({
    type: 'object',
    description: `Per period with any evaluation fact (${PERIOD_KEYS})`,
    additionalProperties: { $ref: '#/components/schemas/PeriodViewDto' },
  })
  periods!: Record<string, PeriodViewDto>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: `Period (${PERIOD_KEYS}) → predicate in force` })
  predicates!: Record<string, string>;
  @ApiProperty({
    type: OutlookDto,
    description: 'Derived at query time: lifecycle status, deadlines, annual follow-up, per-period outlook',
  })
  outlook!: OutlookDto;
  @ApiProperty({ type: IntegrityFlagDto }) integrity!: IntegrityFlagDto;
  @ApiProperty({
    type: OfficerPublicFeedbackDto,
    description: "The employee's own SKM feedback from the public (codes that named them): evidence for BERORIENTASI_PELAYANAN",
  })
  publicFeedback!: OfficerPublicFeedbackDto;
}

export class AuditEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ nullable: true, type: String }) unitId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) year!: number | null;
  @ApiProperty() schemaVersion!: number;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) correlationId?: string;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) causationId?: string;
  @ApiProperty() streamId!: string;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) position?: number;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) streamRevision?: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a 360 survey when the reader is the employee' }) actorId!:
    string | null;
  @ApiProperty() actorRole!: string;
  @ApiProperty() type!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty(open) data!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) hash?: string;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) prevHash?: string;
}

export class InclusionDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: not in the signed tree' }) leafIndex!: number | null;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion path, base64' }) hashes!: string[];
}

export class ReadProofDto {
  @ApiProperty({ description: 'The signed checkpoint (C2SP note, with cosignatures) the events were checked against' }) checkpoint!: string;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'Root hash, base64' }) root!: string;
  @ApiProperty({ description: "The log's verifier key as this server states it: compare with the one you were given" })
  verifierKey!: string;
  @ApiProperty({ description: 'Whether the checkpoint has the quorum of witness cosignatures' }) published!: boolean;
  @ApiProperty({ type: [InclusionDto] }) inclusions!: InclusionDto[];
}

export class AuditTrailDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ type: [AuditEntryDto] }) entries!: AuditEntryDto[];
  @ApiProperty({ type: IntegrityFlagDto }) integrity!: IntegrityFlagDto;
  @ApiPropertyOptional({ type: ReadProofDto, description: "With ?proof=true: the checkpoint and each entry's inclusion proof" })
  proof?: ReadProofDto;
}

export class HistoryDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ description: 'Revision as it stood then; an asOf before the opening answers 404 NOT_YET_OPENED' }) revision!: number;
  @ApiProperty({ type: IntegrityFlagDto }) integrity!: IntegrityFlagDto;
  @ApiProperty({ type: 'array', items: open, description: 'Stored events (envelopes) up to asOf' }) events!: unknown[];
  @ApiProperty({ ...open, description: 'The folded domain state at asOf' }) state!: Record<string, unknown>;
  @ApiPropertyOptional({ type: ReadProofDto, description: "With ?proof=true: the checkpoint and each event's inclusion proof" })
  proof?: ReadProofDto;
}

export class IntegrityDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty({ nullable: true, type: String }) headHash!: string | null;
  @ApiProperty({ type: 'array', items: open }) problems!: unknown[];
  @ApiProperty({ type: 'array', items: open }) streams!: unknown[];
}
