import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * OpenAPI outlines of the query answers. The full shapes are the read-model types
 * (libs/read-models: AppraisalView, AuditEntry) and the domain state; these name the top level.
 */
const open = { type: 'object', additionalProperties: true } as const;

export class AppraisalViewDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() employeeNip!: string;
  @ApiProperty() employeeName!: string;
  @ApiProperty() year!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() appraiserId!: string;
  @ApiProperty() superiorId!: string;
  @ApiProperty({ description: 'Stream revision (also the ETag)' }) revision!: number;
  @ApiProperty({ ...open, description: 'Plan status, content, versions, expectations' }) plan!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: open }) evidence!: unknown[];
  @ApiProperty({ type: 'array', items: open }) feedback!: unknown[];
  @ApiProperty({ ...open, description: 'Per period: self-assessment, raters, surveys, rating with history, result, objection' })
  periods!: Record<string, unknown>;
  @ApiProperty({ ...open, description: 'Period → predicate in force' }) predicates!: Record<string, string>;
  @ApiProperty({
    ...open,
    description:
      'Derived at query time: status (PLANNING | IN_YEAR | RATED | FINAL | IN_OBJECTION | OBJECTION_DECIDED), planDeadline and planOverdue, ' +
      'annual {predicate, creditPoints, followUpFlags}, and per period: objection {lastDayToFile, filingOpen}, decision {deadline, overdue}, ' +
      'sources {self, peers (pooled 360 answers), appraiser, gaps in rating steps between the appraiser and the others}',
  })
  outlook!: Record<string, unknown>;
}

export class AuditEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() position!: number;
  @ApiProperty() streamRevision!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a 360 survey when the reader is the employee' }) actorId!: string | null;
  @ApiProperty() actorRole!: string;
  @ApiProperty() type!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty(open) data!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) hash?: string;
  @ApiPropertyOptional({ description: 'Absent when the reader is the employee' }) prevHash?: string;
}

export class AuditTrailDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ type: [AuditEntryDto] }) entries!: AuditEntryDto[];
}

export class HistoryDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty({ nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ description: 'Revision as it stood then; -1 = not opened yet' }) revision!: number;
  @ApiProperty({ type: 'array', items: open, description: 'Stored events (envelopes) up to asOf' }) events!: unknown[];
  @ApiProperty({ ...open, description: 'The folded domain state at asOf' }) state!: Record<string, unknown>;
}

export class IntegrityDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty({ nullable: true, type: String }) headHash!: string | null;
  @ApiProperty({ type: 'array', items: open }) problems!: unknown[];
  @ApiProperty({ type: 'array', items: open }) streams!: unknown[];
}
