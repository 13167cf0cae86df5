import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { PERIODS, type AppraisalCommand, type Period } from '@ledger/appraisal';
import { RunAppraisalCommand } from '../../commands/aggregate-commands';
import type { CommandOutcome } from '../../commands/command-path';
import { ApiCommand } from '../../docs/api-docs';
import { AppraisalIdPipe, PeriodPipe } from '../../platform/params';
import { Ctx, type RequestContext } from '../../platform/request-context';
import {
  AssignRaterDto,
  RatePerformanceDto,
  ReviseRatingDto,
  SelfAssessmentDto,
  SubmitSurveyDto,
  answersOf,
  ratingPairOf,
} from './evaluation.dto';

/** Evaluation of one period: self-assessment, the 360 survey and the appraiser's rating. */
@ApiTags('appraisals: evaluation')
@ApiParam({ name: 'period', enum: PERIODS })
@Controller('appraisals/:id/periods/:period')
export class EvaluationController {
  constructor(private readonly commands: CommandBus) {}

  private run(id: string, command: AppraisalCommand, ctx: RequestContext): Promise<CommandOutcome> {
    return this.commands.execute(new RunAppraisalCommand(id, command, ctx));
  }

  @Post('self-assessment')
  @ApiCommand('Self-assess the period (employee, optional)')
  selfAssess(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: SelfAssessmentDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(
      id,
      {
        type: 'SelfAssess',
        data: { period, hasilKerja: dto.hasilKerja, perilakuKerja: dto.perilakuKerja, ...(dto.note !== undefined && { note: dto.note }) },
      },
      ctx,
    );
  }

  @Post('raters')
  @ApiCommand('Assign a peer or subordinate to the 360 behaviour survey (appraiser)')
  assignRater(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: AssignRaterDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'AssignRater', data: { period, raterId: dto.raterId, relation: dto.relation } }, ctx);
  }

  @Post('surveys')
  @ApiCommand('Submit the 360 behaviour survey, once per period (assigned rater; the rater is the token subject)')
  submitSurvey(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: SubmitSurveyDto,
    @Ctx() ctx: RequestContext,
  ) {
    const data = { period, answers: answersOf(dto.answers), ...(dto.comment !== undefined && { comment: dto.comment }) };
    return this.run(id, { type: 'SubmitBehaviourSurvey', data }, ctx);
  }

  @Post('rating')
  @ApiCommand('Rate work results and work behaviour, with justifications (appraiser; needs an approved plan)')
  rate(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: RatePerformanceDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'RatePerformance', data: { period, ...ratingPairOf(dto) } }, ctx);
  }

  @Post('rating/revisions')
  @ApiCommand('Revise the rating before the result is final, with a reason (appraiser); both versions stay')
  revise(
    @Param('id', AppraisalIdPipe) id: string,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: ReviseRatingDto,
    @Ctx() ctx: RequestContext,
  ) {
    return this.run(id, { type: 'ReviseRating', data: { period, ...ratingPairOf(dto), reason: dto.reason } }, ctx);
  }
}
