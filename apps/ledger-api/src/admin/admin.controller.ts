import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../docs/api-docs';
import { LedgerRuntime } from '../platform/ledger-runtime';
import { Ctx, type RequestContext } from '../platform/request-context';
import { ProblemException } from '../problems/problem';
import { EmptyBodyPipe } from '../problems/validation';

class RebuildResultDto {
  @ApiProperty({ description: 'Events replayed' }) events!: number;
  @ApiProperty({ description: 'Duration in milliseconds' }) ms!: number;
}

/** Operations on the derived data. Read models can always be rebuilt from the ledger. */
@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly runtime: LedgerRuntime) {}

  @Post('read-models/rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop and rebuild every read model from the event store (PENGELOLA_KINERJA)' })
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: RebuildResultDto })
  @ApiProblems(400, 401, 403)
  @ApiResponse({ status: 409, description: 'PROJECTOR_EXTERNAL: the read models are kept by apps/projector; rebuild there (`--rebuild`)' })
  // The command takes no input: a body (any field, even a prototype name) is refused, not ignored.
  rebuild(@Body(EmptyBodyPipe) _body: object, @Ctx() ctx: RequestContext): Promise<RebuildResultDto> {
    if (ctx.actor.role !== 'PENGELOLA_KINERJA') {
      throw new ProblemException('ROLE_NOT_ALLOWED', 'Only PENGELOLA_KINERJA rebuilds read models', { details: { role: ctx.actor.role } });
    }
    if (this.runtime.projector === undefined) {
      throw new ProblemException(
        'PROJECTOR_EXTERNAL',
        'This API follows a separate projector process; run its rebuild there (apps/projector --rebuild)',
      );
    }
    return this.runtime.projector.rebuild();
  }
}
