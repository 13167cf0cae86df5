import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ledger/event-store';
import type { ProjectionProgress } from '@ledger/read-models';
import { Public } from '../auth/auth.guard';
import { ApiProblems } from '../docs/api-docs';
import { OpsEndpoint } from '../ops/ops-endpoint';
import { type HttpResponse, setHeaders, setStatus } from '../platform/http-types';
import { EVENT_STORE, PROJECTOR } from '../platform/ledger-runtime';

class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ description: 'Global position of the latest stored event' }) eventStoreHead!: number;
  @ApiProperty({ description: 'Position the read models have applied' }) readModelPosition!: number;
  @ApiProperty({ description: 'eventStoreHead - readModelPosition' }) lag!: number;
}

class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class CheckDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ required: false, description: 'Why the check failed' }) error?: string;
}

class EventStoreCheckDto extends CheckDto {
  @ApiProperty({ required: false, description: 'Global position of the latest stored event' }) head?: number;
}

class ReadStoreCheckDto extends CheckDto {
  @ApiProperty({ required: false, description: 'The read models’ checkpoint as stored' }) checkpoint?: number;
}

class ProjectorCheckDto extends CheckDto {
  @ApiProperty({ required: false, description: 'Position the read models have applied' }) position?: number;
  @ApiProperty({ required: false, description: 'Events stored but not yet in the read models' }) lag?: number;
  @ApiProperty({ required: false, description: 'LEDGER_READY_MAX_LAG' }) maxLag?: number;
}

class ReadyChecksDto {
  @ApiProperty({ type: EventStoreCheckDto, description: 'The event store answers' }) eventStore!: EventStoreCheckDto;
  @ApiProperty({ type: ReadStoreCheckDto, description: 'The read store answers' }) readStore!: ReadStoreCheckDto;
  @ApiProperty({ type: ProjectorCheckDto, description: 'The read models are at most maxLag events behind (LEDGER_READY_MAX_LAG)' })
  projector!: ProjectorCheckDto;
}

class ReadyDto {
  @ApiProperty({ enum: ['ready', 'not-ready'] }) status!: 'ready' | 'not-ready';
  @ApiProperty({ type: ReadyChecksDto }) checks!: ReadyChecksDto;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionProgress,
    private readonly ops: OpsEndpoint,
  ) {}

  @Get()
  @Public()
  // security: [] says in the document what @Public() does: no bearer token needed here.
  @ApiOperation({ summary: 'Liveness, with the read models’ lag behind the ledger (no token needed)', security: [] })
  @ApiResponse({ status: 200, type: HealthDto })
  async health(): Promise<HealthDto> {
    const eventStoreHead = await this.store.headPosition();
    const readModelPosition = this.projector.position();
    return { status: 'ok', eventStoreHead, readModelPosition, lag: eventStoreHead - readModelPosition };
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process runs and answers (no token needed; asks no store)', security: [] })
  @ApiResponse({ status: 200, type: LiveDto })
  @ApiProblems(400)
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: the stores answer and the read models are within LEDGER_READY_MAX_LAG events of the ledger (no token needed)',
    security: [],
  })
  @ApiResponse({ status: 200, type: ReadyDto, description: 'Ready to serve' })
  @ApiResponse({ status: 503, type: ReadyDto, description: 'Not ready: the failed checks say why' })
  @ApiProblems(400)
  async ready(@Res({ passthrough: true }) response: HttpResponse): Promise<ReadyDto> {
    const { ready, checks } = await this.ops.readiness();
    setStatus(response, ready ? 200 : 503);
    setHeaders(response, { 'Cache-Control': 'no-store' });
    return { status: ready ? 'ready' : 'not-ready', checks: checks as unknown as ReadyChecksDto };
  }
}
