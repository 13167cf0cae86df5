import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RunAppraisalCommand } from '../../commands/aggregate-commands';
import type { CommandOutcome } from '../../commands/command-path';
import { ApiCommand } from '../../docs/api-docs';
import { AppraisalIdPipe, FeedbackIdPipe } from '../../platform/params';
import { IDS, type IdGenerator } from '../../platform/ports';
import { Ctx, type RequestContext } from '../../platform/request-context';
import {
  EvidenceRecordedDto,
  FeedbackGivenDto,
  GiveFeedbackDto,
  RecordEvidenceDto,
  RespondToFeedbackDto,
  toFeedbackSubject,
} from './during-year.dto';

/** During the year: evidence by the employee, continuous feedback by the appraiser and responses. */
@ApiTags('appraisals: during the year')
@Controller('appraisals/:id')
export class DuringYearController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(IDS) private readonly ids: IdGenerator,
  ) {}

  @Post('evidence')
  @ApiCommand('Record evidence against an indicator (employee); the server assigns evidenceId', { result: EvidenceRecordedDto })
  async recordEvidence(
    @Param('id', AppraisalIdPipe) id: string,
    @Body() dto: RecordEvidenceDto,
    @Ctx() ctx: RequestContext,
  ): Promise<EvidenceRecordedDto> {
    const evidenceId = this.ids.uuid();
    const { resultId, indicatorId, period, value, document, note } = dto;
    const data = {
      evidenceId,
      resultId,
      indicatorId,
      period,
      value,
      document: { uri: document.uri, sha256: document.sha256 },
      ...(note !== undefined && { note }),
    };
    const outcome = await this.commands.execute(new RunAppraisalCommand(id, { type: 'RecordEvidence', data }, ctx));
    return { ...outcome, evidenceId };
  }

  @Post('feedback')
  @ApiCommand('Give feedback, optionally about a result, behaviour or evidence (appraiser); the server assigns feedbackId', {
    result: FeedbackGivenDto,
  })
  async giveFeedback(
    @Param('id', AppraisalIdPipe) id: string,
    @Body() dto: GiveFeedbackDto,
    @Ctx() ctx: RequestContext,
  ): Promise<FeedbackGivenDto> {
    const feedbackId = this.ids.uuid();
    const data = { feedbackId, text: dto.text, ...(dto.about !== undefined && { about: toFeedbackSubject(dto.about) }) };
    const outcome = await this.commands.execute(new RunAppraisalCommand(id, { type: 'GiveFeedback', data }, ctx));
    return { ...outcome, feedbackId };
  }

  @Post('feedback/:feedbackId/responses')
  @ApiCommand('Respond to a piece of feedback (employee)')
  respond(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('feedbackId', FeedbackIdPipe) feedbackId: string,
    @Body() dto: RespondToFeedbackDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new RunAppraisalCommand(id, { type: 'RespondToFeedback', data: { feedbackId, text: dto.text } }, ctx));
  }
}
