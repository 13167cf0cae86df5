import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { fail, SKM_ELEMENTS, type Policy, type SkmScores } from '@ledger/appraisal';
import { SERVICE_FEEDBACK, UNITS, type ReadStore, type ServiceFeedbackDoc, type UnitDoc } from '@ledger/read-models';
import { Public } from '../auth/auth.guard';
import { RunUnitCommand } from '../commands/aggregate-commands';
import type { CommandOutcome } from '../commands/command-path';
import { ApiCommand, ApiProblems, ApiRead } from '../docs/api-docs';
import { HttpReq, type HttpRequest } from '../platform/http-types';
import { READ_STORE } from '../platform/ledger-runtime';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { FeedbackIdPipe, UnitIdPipe, YearPipe } from '../platform/params';
import { POLICY } from '../platform/ports';
import { Ctx, type RequestContext } from '../platform/request-context';
import { ServiceIdPipe } from './service-id.pipe';
import { publicUnitIkm, type PublicUnitIkm } from './ikm-views';
import {
  DeclareServiceDto,
  FeedbackCodeResultDto,
  IssueFeedbackCodeDto,
  PublicFeedbackDto,
  PublicFeedbackResponseDto,
  PublicFeedbackResultDto,
  PublicUnitIkmDto,
} from './public-feedback.dto';
import { PUBLIC_ACTOR, PublicFeedbackCommands, type IssuedCode, type ReceivedFeedback } from './public-feedback.handlers';
import { PublicRateLimitGuard } from './rate-limit.guard';

/** Services a unit declares, the codes its officers hand out, and the officers' answers to comments. */
@ApiTags('public feedback (SKM)')
@Controller('units/:unitId/years/:year/services')
export class ServicesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly feedback: PublicFeedbackCommands,
  ) {}

  @Post()
  @ApiCommand('Declare a service where the unit serves the public (performance manager or the unit leader)', { created: true })
  declare(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Body() dto: DeclareServiceDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    const data = { serviceId: dto.serviceId, name: dto.name };
    return this.commands.execute(new RunUnitCommand(unitId, year, { type: 'DeclareService', data }, ctx));
  }

  @Post(':serviceId/feedback-codes')
  @ApiCommand('Issue a one-time feedback code at the end of a service (the serving officer, or the counter as LAYANAN_INTERNAL)', {
    created: true,
    result: FeedbackCodeResultDto,
    description: 'The code is answered once and never stored: the ledger keeps its SHA-256, the service, the officer and the expiry.',
  })
  issue(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Param('serviceId', ServiceIdPipe) serviceId: string,
    @Body() dto: IssueFeedbackCodeDto,
    @Ctx() ctx: RequestContext,
  ): Promise<IssuedCode> {
    return this.feedback.issueCode({ unitId, year, serviceId }, dto.officerId, ctx);
  }

  @Post(':serviceId/feedback/:feedbackId/responses')
  @ApiCommand('Answer a public comment about you (the officer the code named)')
  respond(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Param('serviceId', ServiceIdPipe) serviceId: string,
    @Param('feedbackId', FeedbackIdPipe) feedbackId: string,
    @Body() dto: PublicFeedbackResponseDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandOutcome> {
    return this.feedback.respond({ unitId, year, serviceId }, feedbackId, dto.text, ctx);
  }
}

/** The two doors open to people without an account: giving feedback, and reading the aggregates. */
@ApiTags('public feedback (SKM)')
@Controller('public')
export class PublicFeedbackController {
  constructor(
    private readonly feedback: PublicFeedbackCommands,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  @Post('feedback')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Give SKM feedback with a one-time code (no account)',
    description:
      'One feedback per code, within 7 days of the service. Nothing about the sender is recorded: no address, no device, no ' +
      'X-Correlation-Id (the request id is used). A NIK, phone number or e-mail address in the comment is masked before it is ' +
      'stored; `masked` says which kinds. Per address at most 10 requests per 10 minutes (429 RATE_LIMITED), body at most 8 KiB.',
    security: [],
  })
  @ApiResponse({ status: 201, type: PublicFeedbackResultDto })
  @ApiProblems(400, 404, 409, 413, 415, 422, 429)
  submit(@Body() dto: PublicFeedbackDto, @HttpReq() req: HttpRequest): Promise<ReceivedFeedback> {
    // The request id links the event to nothing outside this request; the client's correlation id could.
    const requestId = req.requestId ?? 'unknown';
    const ctx: RequestContext = { actor: PUBLIC_ACTOR, requestId, correlationId: requestId };
    // Mapped element by element: the validated body becomes the domain's scores, nothing else.
    const scores = Object.fromEntries(SKM_ELEMENTS.map((e) => [e, dto.scores[e]])) as SkmScores;
    return this.feedback.submit({ code: dto.code, scores, ...(dto.comment !== undefined && { comment: dto.comment }) }, ctx);
  }

  @Get('units/:unitId/years/:year/ikm')
  @Public()
  @UseInterceptors(MinPositionInterceptor)
  @ApiRead('Each service’s IKM and grade per period, and the unit’s (no account; aggregates only)', PublicUnitIkmDto)
  async ikm(@Param('unitId', UnitIdPipe) unitId: string, @Param('year', YearPipe) year: number): Promise<PublicUnitIkm> {
    const unit = await this.readStore.get<UnitDoc>(UNITS, `${unitId}-${year}`);
    if (unit === null) throw fail('UNIT_NOT_FOUND', { unitId, year });
    const services = await this.readStore.find<ServiceFeedbackDoc>(SERVICE_FEEDBACK, { unitId, year });
    const declared = Object.entries(unit.doc.services ?? {}).map(
      ([serviceId, s]): ServiceFeedbackDoc =>
        services.find((d) => d.doc.serviceId === serviceId)?.doc ?? { unitId, year, serviceId, name: s.name, declared: s, periods: {} },
    );
    return publicUnitIkm(unitId, year, declared, this.policy.feedbackMinimumResponses);
  }
}
