import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ledger/event-store';
import type { ProjectionProgress } from '@ledger/read-models';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE, PROJECTOR } from '../platform/ledger-runtime';

class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ description: 'Global position of the latest stored event' }) eventStoreHead!: number;
  @ApiProperty({ description: 'Position the read models have applied' }) readModelPosition!: number;
  @ApiProperty({ description: 'eventStoreHead - readModelPosition' }) lag!: number;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionProgress,
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
}
