import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { PERIODS, type AppraisalCommand, type Period } from '@ledger/appraisal';
import { RunAppraisalCommand } from '../../commands/aggregate-commands';
import type { CommandOutcome } from '../../commands/command-path';
import { ApiCommand } from '../../docs/api-docs';
import { AppraisalIdPipe, PeriodPipe } from '../../platform/params';
import { Ctx, type RequestContext } from '../../platform/request-context';
import { ratingPairOf } from '../evaluation/evaluation.dto';
import { AssignReviewerDto, DecideObjectionDto, FileObjectionDto, RecordStatementDto, SubmitFindingsDto } from './objection.dto';

/** The objection procedure (PP 30/2019 Art. 59) against a delivered result. */
@ApiTags('appraisals: objection')
@ApiParam({ name: 'period', enum: PERIODS })
@Controller('appraisals/:id/periods/:period/objection')
export class ObjectionController {
  constructor(private readonly commands: CommandBus) {}

  private run(id: string, command: AppraisalCommand, ctx: RequestContext): Promise<CommandOutcome> {
    return this.commands.execute(new RunAppraisalCommand(id, command, ctx));
  }

  @Post()
  @ApiCommand('File an objection within the window after delivery (employee)')
  file(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: FileObjectionDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'FileObjection', data: { period, reasons: dto.reasons } }, ctx);
  }

  @Post('statements')
  @ApiCommand("Record the appraiser's or the employee's statement (superior)")
  recordStatement(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: RecordStatementDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'RecordStatement', data: { period, party: dto.party, statement: dto.statement } }, ctx);
  }

  @Post('reviewer')
  @ApiCommand('Assign a third-party reviewer (superior)')
  assignReviewer(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: AssignReviewerDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'AssignReviewer', data: { period, reviewerId: dto.reviewerId } }, ctx);
  }

  @Post('findings')
  @ApiCommand('Submit advisory findings (the assigned reviewer)')
  submitFindings(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: SubmitFindingsDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(
      id,
      { type: 'SubmitReviewFindings', data: { period, findings: dto.findings, recommendation: dto.recommendation } },
      ctx,
    );
  }

  @Post('decision')
  @ApiCommand('Decide the objection: uphold, or amend the ratings, with reasons (superior, never the appraiser); final')
  decide(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: DecideObjectionDto,
    @Ctx() ctx: RequestContext,
  ) {
    const data = {
      period,
      outcome: dto.outcome,
      reasons: dto.reasons,
      ...(dto.amended !== undefined && { amended: ratingPairOf(dto.amended) }),
    };
    return this.run(id, { type: 'DecideObjection', data }, ctx);
  }
}
