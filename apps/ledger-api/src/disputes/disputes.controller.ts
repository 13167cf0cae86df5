import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../docs/api-docs';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { Ctx, type RequestContext } from '../platform/request-context';
import { validationFailed } from '../problems/validation';
import { ListDisputes } from './disputes.query';

class DisputeListDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'DisputeView joined with employee, unit, appraiser and superior, plus decisionDeadline and overdue (computed at query time)',
  })
  disputes!: unknown[];
}

const STATUSES = ['OPEN', 'DECIDED'] as const;

@ApiTags('disputes')
@UseInterceptors(MinPositionInterceptor)
@Controller('disputes')
export class DisputesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiRead(
    'Objections visible to the caller, with decision deadline and overdue flag',
    DisputeListDto,
    'AUDITOR and PENGELOLA_KINERJA: all; ATASAN_PEJABAT_PENILAI: on appraisals they are superior of; PENINJAU: assigned to them.',
  )
  list(@Ctx() ctx: RequestContext, @Query('status') status: unknown) {
    if (status !== undefined && !STATUSES.includes(status as (typeof STATUSES)[number])) {
      throw validationFailed([{ field: 'status', messages: ['status must be OPEN or DECIDED'] }]);
    }
    return this.queries.execute(new ListDisputes(ctx, status as (typeof STATUSES)[number] | undefined));
  }
}
