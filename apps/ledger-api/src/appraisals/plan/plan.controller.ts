import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { AppraisalCommand } from '@ledger/appraisal';
import { RunAppraisalCommand } from '../../commands/aggregate-commands';
import type { CommandOutcome } from '../../commands/command-path';
import { ApiCommand } from '../../docs/api-docs';
import { AppraisalIdPipe } from '../../platform/params';
import { Ctx, type RequestContext } from '../../platform/request-context';
import { EmptyBodyPipe } from '../../problems/validation';
import { BehaviourExpectationDto, DraftPlanDto, ProposePlanRevisionDto, ReasonDto, SetDefaultPlanDto, toPlanContent } from './plan.dto';

/** The SKP: drafted by the employee, approved or returned by the appraiser, revised during the year. */
@ApiTags('appraisals: plan (SKP)')
@Controller('appraisals/:id/plan')
export class PlanController {
  constructor(private readonly commands: CommandBus) {}

  private run(id: string, command: AppraisalCommand, ctx: RequestContext): Promise<CommandOutcome> {
    return this.commands.execute(new RunAppraisalCommand(id, command, ctx));
  }

  @Post('draft')
  @ApiCommand('Draft (or redraft) the plan after the performance dialogue (employee)')
  draft(@Param('id', AppraisalIdPipe) id: string, @Body() dto: DraftPlanDto, @Ctx() ctx: RequestContext) {
    const dialogue = { heldOn: dto.dialogue.heldOn, ...(dto.dialogue.notes !== undefined && { notes: dto.dialogue.notes }) };
    return this.run(id, { type: 'DraftPlan', data: { plan: toPlanContent(dto.plan), dialogue } }, ctx);
  }

  @Post('submit')
  @ApiCommand('Submit the draft to the appraiser (employee)', { body: 'empty' })
  submit(@Param('id', AppraisalIdPipe) id: string, @Body(EmptyBodyPipe) _body: object, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'SubmitPlan', data: {} }, ctx);
  }

  @Post('approve')
  @ApiCommand('Approve the submitted plan (appraiser)', { body: 'empty' })
  approve(@Param('id', AppraisalIdPipe) id: string, @Body(EmptyBodyPipe) _body: object, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'ApprovePlan', data: {} }, ctx);
  }

  @Post('return')
  @ApiCommand('Return the submitted plan with a reason (appraiser)')
  return(@Param('id', AppraisalIdPipe) id: string, @Body() dto: ReasonDto, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'ReturnPlan', data: { reason: dto.reason } }, ctx);
  }

  @Post('revisions')
  @ApiCommand('Propose a revision of the approved plan, with a reason (employee)')
  proposeRevision(@Param('id', AppraisalIdPipe) id: string, @Body() dto: ProposePlanRevisionDto, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'ProposePlanRevision', data: { plan: toPlanContent(dto.plan), reason: dto.reason } }, ctx);
  }

  @Post('revisions/approve')
  @ApiCommand('Approve the pending revision (appraiser)', { body: 'empty' })
  approveRevision(@Param('id', AppraisalIdPipe) id: string, @Body(EmptyBodyPipe) _body: object, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'ApprovePlanRevision', data: {} }, ctx);
  }

  @Post('revisions/reject')
  @ApiCommand('Reject the pending revision with a reason (appraiser)')
  rejectRevision(@Param('id', AppraisalIdPipe) id: string, @Body() dto: ReasonDto, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'RejectPlanRevision', data: { reason: dto.reason } }, ctx);
  }

  @Post('default')
  @ApiCommand('Set a default plan after the deadline passed without one, with a reason (performance manager)')
  setDefault(@Param('id', AppraisalIdPipe) id: string, @Body() dto: SetDefaultPlanDto, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'SetDefaultPlan', data: { plan: toPlanContent(dto.plan), reason: dto.reason } }, ctx);
  }

  @Post('behaviour-expectations')
  @ApiCommand('Add a specific expectation to a BerAKHLAK behaviour (appraiser)')
  setExpectation(@Param('id', AppraisalIdPipe) id: string, @Body() dto: BehaviourExpectationDto, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'SetBehaviourExpectation', data: { behaviour: dto.behaviour, expectation: dto.expectation } }, ctx);
  }
}
