import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PERIODS, type Period } from '@ledger/appraisal';
import { RunUnitCommand } from '../commands/aggregate-commands';
import type { CommandOutcome } from '../commands/command-path';
import { ApiCommand, ApiRead } from '../docs/api-docs';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { PeriodPipe, UnitIdPipe, YearPipe } from '../platform/params';
import { Ctx, type RequestContext } from '../platform/request-context';
import { EmptyBodyPipe } from '../problems/validation';
import { FinaliseUnitPeriod } from './finalise-unit.handler';
import { FinalisationExceptionDto, FinalisationResultDto, OpenUnitDto, OrganisationalPredicateDto, UnitViewDto } from './units.dto';
import { GetUnitView } from './unit-view.query';

/** A work unit per year: its organisational predicate and the calibrated finalisation. */
@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand('Open a unit for a year, naming its leader and the leader one level up (performance manager)', { created: true })
  open(@Body() dto: OpenUnitDto, @Ctx() ctx: RequestContext): Promise<CommandOutcome> {
    const { unitId, year, name, leaderId, upperLeaderId } = dto;
    return this.commands.execute(
      new RunUnitCommand(unitId, year, { type: 'OpenUnit', data: { unitId, year, name, leaderId, upperLeaderId } }, ctx),
    );
  }

  @Post(':unitId/years/:year/periods/:period/organisational-predicate')
  @ApiParam({ name: 'period', enum: PERIODS })
  @ApiCommand("Set the unit's organisational predicate for the period (unit leader)")
  setPredicate(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: OrganisationalPredicateDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    const { predicate, basis, reason, citeIkm } = dto;
    const data = {
      period,
      predicate,
      basis: { uri: basis.uri, sha256: basis.sha256 },
      members: [],
      ...(reason !== undefined && { reason }),
      ...(citeIkm !== undefined && { citeIkm }),
    };
    return this.commands.execute(new RunUnitCommand(unitId, year, { type: 'SetOrganisationalPredicate', data }, ctx));
  }

  @Post(':unitId/years/:year/periods/:period/finalisation')
  @ApiParam({ name: 'period', enum: PERIODS })
  @ApiCommand('Finalise the unit period and deliver every checked result (unit leader); idempotent', {
    body: 'empty',
    result: FinalisationResultDto,
    description:
      'Refused (422 DISTRIBUTION_NOT_FITTING) with the failing bounds and counts when the predicates do not fit. ' +
      'Re-POSTing a finalised period completes any missing deliveries and answers with the recorded finalisation.',
  })
  finalise(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Param('period', PeriodPipe) period: Period,
    @Body(EmptyBodyPipe) _body: object,
    @Ctx() ctx: RequestContext,
  ): Promise<FinalisationResultDto> {
    return this.commands.execute(new FinaliseUnitPeriod(unitId, year, period, undefined, ctx));
  }

  @Post(':unitId/years/:year/periods/:period/finalisation/exception')
  @ApiParam({ name: 'period', enum: PERIODS })
  @ApiCommand('Finalise although the distribution does not fit, with a reason (leader one level up); idempotent', {
    result: FinalisationResultDto,
  })
  finaliseWithException(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Param('period', PeriodPipe) period: Period,
    @Body() dto: FinalisationExceptionDto,
    @Ctx() ctx: RequestContext,
  ): Promise<FinalisationResultDto> {
    return this.commands.execute(new FinaliseUnitPeriod(unitId, year, period, dto.reason, ctx));
  }

  @Get(':unitId/years/:year')
  @UseInterceptors(MinPositionInterceptor)
  @ApiQuery({ name: 'period', required: true, enum: PERIODS })
  @ApiRead('The unit in one period: members, current distribution, recorded finalisation, exception, amendments', UnitViewDto)
  view(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Query('period', PeriodPipe) period: Period,
    @Ctx() ctx: RequestContext,
  ) {
    return this.queries.execute(new GetUnitView(unitId, year, period, ctx));
  }
}
