import { Controller, Get, Param, Query, Res, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../../docs/api-docs';
import { type HttpResponse, setHeaders } from '../../platform/http-types';
import { MinPositionInterceptor } from '../../platform/min-position.interceptor';
import { AppraisalIdPipe, InstantQueryPipe, ProofQueryPipe } from '../../platform/params';
import { Ctx, etagOf, type RequestContext } from '../../platform/request-context';
import { GetAppraisalView } from './appraisal-view.query';
import { GetAuditTrail } from './audit-trail.query';
import { GetHistory } from './history.query';
import { GetIntegrity } from './integrity.query';
import { AppraisalViewDto, AuditTrailDto, HistoryDto, IntegrityDto } from './query-docs';

const PROOF_QUERY = {
  name: 'proof',
  required: false,
  enum: ['true', 'false'],
  description: "true: also the signed checkpoint and each event's inclusion proof (a verified read)",
};
const PROOF_NOTE =
  "?proof=true adds `proof`: the latest signed checkpoint and each event's inclusion proof, so a client checks what it was shown without trusting the server (docs/ledger-format.md). " +
  'Not for the appraisee: their view leaves out the hashes (and the 360 events) that would make it checkable, to keep raters anonymous (403 NOT_ENTITLED).';

/** Reading one appraisal: the view, its audit trail, its history as of a date, its integrity. */
@ApiTags('appraisals: queries')
@UseInterceptors(MinPositionInterceptor)
@Controller('appraisals/:id')
export class AppraisalQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'The appraisal view (ETag = stream revision)',
    AppraisalViewDto,
    'Readable by the employee, appraiser, superior, PENGELOLA_KINERJA, AUDITOR, the unit leaders, and a PENINJAU while assigned to an undecided objection. ' +
      'The employee sees survey answers without the rater. Reads by PENINJAU or AUDITOR of a disputed appraisal are recorded (DisputedAppraisalRead).',
  )
  async view(@Param('id', AppraisalIdPipe) id: string, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: HttpResponse) {
    const { view, revision } = await this.queries.execute(new GetAppraisalView(id, ctx));
    setHeaders(res, { ETag: etagOf(revision) });
    return view;
  }

  @Get('audit-trail')
  @ApiQuery(PROOF_QUERY)
  @ApiRead('Every event of the appraisal (and its access log): who, in which role, when, why', AuditTrailDto, PROOF_NOTE)
  auditTrail(@Param('id', AppraisalIdPipe) id: string, @Query('proof', ProofQueryPipe) proof: boolean, @Ctx() ctx: RequestContext) {
    return this.queries.execute(new GetAuditTrail(id, ctx, proof));
  }

  @Get('history')
  @ApiQuery({ name: 'asOf', required: false, type: String, format: 'date-time', description: 'ISO 8601 instant with offset; absent = now' })
  @ApiQuery(PROOF_QUERY)
  @ApiRead(
    'The stream as it stood at asOf, folded with the domain evolve (from the event store)',
    HistoryDto,
    `An asOf before the appraisal was opened answers 404 NOT_YET_OPENED with details { appraisalId, asOf, openedAt }. ${PROOF_NOTE}`,
  )
  history(
    @Param('id', AppraisalIdPipe) id: string,
    @Query('asOf', InstantQueryPipe) asOf: string | undefined,
    @Query('proof', ProofQueryPipe) proof: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return this.queries.execute(new GetHistory(id, asOf, ctx, proof));
  }

  @Get('integrity')
  @ApiRead('Verify the hash chain of the appraisal stream (AUDITOR, PENGELOLA_KINERJA)', IntegrityDto)
  integrity(@Param('id', AppraisalIdPipe) id: string, @Ctx() ctx: RequestContext) {
    return this.queries.execute(new GetIntegrity(id, ctx));
  }
}
