import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from '@ledger/observability';
import type { ProjectionProgress } from '@ledger/read-models';
import { AdminController } from './admin/admin.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import {
  GetAgencyAnalyticsHandler,
  GetAppraisalAgreementHandler,
  GetAppraiserAnalyticsHandler,
  GetUnitAnalyticsHandler,
} from './analytics/analytics.queries';
import { AppraisersController } from './appraisers/appraisers.controller';
import { GetRaterPatternsHandler } from './appraisers/rater-patterns.query';
import { DuringYearController } from './appraisals/during-year/during-year.controller';
import { EvaluationController } from './appraisals/evaluation/evaluation.controller';
import { ObjectionController } from './appraisals/objection/objection.controller';
import { OpeningController } from './appraisals/opening/opening.controller';
import { PlanController } from './appraisals/plan/plan.controller';
import { AppraisalQueriesController } from './appraisals/queries/appraisal-queries.controller';
import { AppraisalReader } from './appraisals/queries/appraisal-reader';
import { GetAppraisalViewHandler } from './appraisals/queries/appraisal-view.query';
import { GetAuditTrailHandler } from './appraisals/queries/audit-trail.query';
import { GetHistoryHandler } from './appraisals/queries/history.query';
import { GetIntegrityHandler } from './appraisals/queries/integrity.query';
import { AuthGuard, TOKEN_VERIFIER } from './auth/auth.guard';
import { DevSignInController } from './auth/dev-sign-in.controller';
import { createTokenVerifier } from './auth/token-verifier';
import { JwksController } from './auth/jwks.controller';
import { RunAppraisalCommandHandler, RunUnitCommandHandler } from './commands/aggregate-commands';
import { CommandPath } from './commands/command-path';
import { CommandHeadersInterceptor } from './commands/command-response';
import type { LedgerConfig } from './config/config';
import { DisputesController } from './disputes/disputes.controller';
import { ListDisputesHandler } from './disputes/disputes.query';
import { FeedConnections } from './feed/feed-connections';
import { FeedController } from './feed/feed.controller';
import { HealthController } from './health/health.controller';
import { LedgerLogService } from './log/ledger-log.service';
import { LogController } from './log/log.controller';
import { PublicFeedbackController, ServicesController } from './public-feedback/public-feedback.controller';
import { PublicFeedbackCommands } from './public-feedback/public-feedback.handlers';
import { PublicRateLimitGuard } from './public-feedback/rate-limit.guard';
import { EVENT_STORE, LedgerRuntime, PROJECTOR, READ_STORE } from './platform/ledger-runtime';
import { MinPositionInterceptor } from './platform/min-position.interceptor';
import { LedgerMetrics } from './platform/ledger-metrics';
import { ObservationInterceptor } from './platform/observation';
import { OpsEndpoint } from './ops/ops-endpoint';
import { PeriodPipe } from './platform/params';
import { CLOCK, CONFIG, type Clock, IDS, type IdGenerator, POLICY, randomIds, systemClock } from './platform/ports';
import { createValidationPipe } from './problems/validation';
import { FinaliseUnitPeriodHandler } from './units/finalise-unit.handler';
import { UnitIkm } from './units/unit-ikm';
import { UnitMembers } from './units/unit-members';
import { AppraisalSearchController, SearchAppraisalsHandler } from './appraisals/search/appraisal-search';
import { UnitsController } from './units/units.controller';
import { GetUnitViewHandler } from './units/unit-view.query';

export interface AppOptions {
  config: LedgerConfig;
  /** Tests inject a fixed clock and predictable ids; production uses the system's. */
  clock?: Clock;
  ids?: IdGenerator;
  /** The process's pino logger (createLedgerApp makes it); Nest's own log lines go through it too. */
  rootLogger?: Logger;
}

@Module({})
export class AppModule {
  /** The whole API for one configuration: tests build it on a temporary data directory. */
  static forRoot({ config, clock = systemClock, ids = randomIds, rootLogger }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      // useExisting: the request log (platform/request-log.ts) already put a pino logger on each request.
      imports: [CqrsModule.forRoot(), LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, useExisting: true })],
      controllers: [
        OpeningController,
        PlanController,
        DuringYearController,
        EvaluationController,
        ObjectionController,
        AppraisalQueriesController,
        AppraisalSearchController,
        UnitsController,
        DisputesController,
        AppraisersController,
        AnalyticsController,
        AdminController,
        FeedController,
        HealthController,
        JwksController,
        LogController,
        ServicesController,
        PublicFeedbackController,
        DevSignInController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POLICY, useValue: config.policy },
        { provide: CLOCK, useValue: clock },
        { provide: IDS, useValue: ids },
        { provide: LedgerRuntime, useFactory: () => LedgerRuntime.open(config) },
        { provide: EVENT_STORE, useFactory: (r: LedgerRuntime) => r.eventStore, inject: [LedgerRuntime] },
        { provide: READ_STORE, useFactory: (r: LedgerRuntime) => r.readStore, inject: [LedgerRuntime] },
        { provide: PROJECTOR, useFactory: (r: LedgerRuntime): ProjectionProgress => r.progress, inject: [LedgerRuntime] },
        { provide: TOKEN_VERIFIER, useFactory: () => createTokenVerifier(config.auth, config.dataDir) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ObservationInterceptor },
        { provide: APP_INTERCEPTOR, useClass: CommandHeadersInterceptor },
        { provide: LedgerMetrics, useFactory: () => new LedgerMetrics() },
        OpsEndpoint,
        CommandPath,
        LedgerLogService,
        FeedConnections,
        AppraisalReader,
        PeriodPipe,
        MinPositionInterceptor,
        RunAppraisalCommandHandler,
        RunUnitCommandHandler,
        FinaliseUnitPeriodHandler,
        UnitMembers,
        UnitIkm,
        GetRaterPatternsHandler,
        GetAppraiserAnalyticsHandler,
        GetUnitAnalyticsHandler,
        GetAgencyAnalyticsHandler,
        GetAppraisalAgreementHandler,
        GetAppraisalViewHandler,
        GetAuditTrailHandler,
        GetHistoryHandler,
        GetIntegrityHandler,
        ListDisputesHandler,
        GetUnitViewHandler,
        SearchAppraisalsHandler,
        PublicFeedbackCommands,
        PublicRateLimitGuard,
      ],
    };
  }
}
