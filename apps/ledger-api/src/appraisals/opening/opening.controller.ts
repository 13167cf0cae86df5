import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { appraisalIdFor } from '@ledger/appraisal';
import { RunAppraisalCommand } from '../../commands/aggregate-commands';
import type { CommandOutcome } from '../../commands/command-path';
import { ApiCommand } from '../../docs/api-docs';
import { type HttpResponse, setHeaders } from '../../platform/http-types';
import { AppraisalIdPipe } from '../../platform/params';
import { Ctx, type RequestContext } from '../../platform/request-context';
import { CorrectAppraisalUnitDto, OpenAppraisalDto, OpenAppraisalResultDto, ReassignAppraiserDto, SetPlanDeadlineDto } from './opening.dto';

/** Opening an appraisal and changing who appraises it: the performance manager's (PENGELOLA_KINERJA) part. */
@ApiTags('appraisals: opening')
@Controller('appraisals')
export class OpeningController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiCommand('Open the appraisal of one employee for one year', { created: true, result: OpenAppraisalResultDto })
  async open(
    @Body() dto: OpenAppraisalDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<OpenAppraisalResultDto> {
    // One appraisal per employee and year: the id is derived, so opening twice meets the same stream.
    const appraisalId = appraisalIdFor(dto.employeeNip, dto.year);
    const outcome = await this.commands.execute(
      new RunAppraisalCommand(appraisalId, { type: 'OpenAppraisal', data: { appraisalId, ...openData(dto) } }, ctx),
    );
    setHeaders(res, { Location: `/appraisals/${appraisalId}` });
    return { ...outcome, appraisalId };
  }

  @Post(':id/unit')
  @ApiCommand("Correct the appraisal's unit, with a reason, until any of its results is final")
  correctUnit(
    @Param('id', AppraisalIdPipe) id: string,
    @Body() dto: CorrectAppraisalUnitDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    const { unitId, reason } = dto;
    return this.commands.execute(new RunAppraisalCommand(id, { type: 'CorrectAppraisalUnit', data: { unitId, reason } }, ctx));
  }

  @Post(':id/appraiser')
  @ApiCommand('Reassign the appraiser and superior, with a reason')
  reassign(
    @Param('id', AppraisalIdPipe) id: string,
    @Body() dto: ReassignAppraiserDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    const { appraiserId, superiorId, reason } = dto;
    return this.commands.execute(
      new RunAppraisalCommand(id, { type: 'ReassignAppraiser', data: { appraiserId, superiorId, reason } }, ctx),
    );
  }

  @Post(':id/plan-deadline')
  @ApiCommand('Set the plan deadline, with a reason')
  setPlanDeadline(
    @Param('id', AppraisalIdPipe) id: string,
    @Body() dto: SetPlanDeadlineDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    const { planDeadline, reason } = dto;
    return this.commands.execute(new RunAppraisalCommand(id, { type: 'SetPlanDeadline', data: { planDeadline, reason } }, ctx));
  }
}

function openData(dto: OpenAppraisalDto) {
  const { employeeNip, employeeName, year, unitId, appraiserId, superiorId, planDeadline, functionalPosition } = dto;
  return {
    employeeNip,
    employeeName,
    year,
    unitId,
    appraiserId,
    superiorId,
    ...(planDeadline !== undefined && { planDeadline }),
    ...(functionalPosition !== undefined && {
      functionalPosition: { name: functionalPosition.name, annualCoefficient: functionalPosition.annualCoefficient },
    }),
  };
}
