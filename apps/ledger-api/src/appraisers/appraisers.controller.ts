import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PERIODS, type Period } from '@ledger/appraisal';
import { ApiRead } from '../docs/api-docs';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { PeriodPipe, UnitIdPipe, YearPipe } from '../platform/params';
import { Ctx, type RequestContext } from '../platform/request-context';
import { GetRaterPatterns } from './rater-patterns.query';

const open = { type: 'object', additionalProperties: true } as const;

class RaterPatternsDto {
  @ApiProperty() appraiserId!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ ...open, description: 'n, counts and shares of this appraiser’s predicates' }) appraiser!: unknown;
  @ApiProperty({
    type: 'array',
    items: open,
    description: 'Per unit the appraiser rates in: all appraisals, and those by other appraisers',
  })
  units!: unknown[];
  @ApiProperty({ ...open, description: 'Every rated appraisal of the agency in that year and period' }) agency!: unknown;
  @ApiProperty({ ...open, description: 'Behaviour rating against the 360 peers’ most common answer: higher / same / lower' })
  versusPeers!: unknown;
  @ApiProperty({ ...open, description: 'Behaviour rating against the employee’s self-assessment: higher / same / lower' })
  versusSelf!: unknown;
}

@ApiTags('appraisers')
@UseInterceptors(MinPositionInterceptor)
@Controller('appraisers')
export class AppraisersController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':appraiserId/patterns/:year')
  @ApiQuery({ name: 'period', required: true, enum: PERIODS })
  @ApiRead(
    'How one appraiser’s predicates compare with their units and the agency, and with 360 and self views',
    RaterPatternsDto,
    'AUDITOR and PENGELOLA_KINERJA: any appraiser; PEJABAT_PENILAI: their own.',
  )
  patterns(
    @Param('appraiserId', UnitIdPipe) appraiserId: string,
    @Param('year', YearPipe) year: number,
    @Query('period', PeriodPipe) period: Period,
    @Ctx() ctx: RequestContext,
  ) {
    return this.queries.execute(new GetRaterPatterns(appraiserId, year, period, ctx));
  }
}
