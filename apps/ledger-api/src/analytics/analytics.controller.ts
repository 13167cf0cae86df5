import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { PERIODS, type Period } from '@ledger/appraisal';
import { ApiRead } from '../docs/api-docs';
import { MinPositionInterceptor } from '../platform/min-position.interceptor';
import { AppraisalIdPipe, PeriodPipe, UnitIdPipe, YearPipe } from '../platform/params';
import { Ctx, type RequestContext } from '../platform/request-context';
import { AgencyAnalyticsDto, AppraisalAgreementDto, AppraiserAnalyticsDto, UnitAnalyticsDto } from './analytics.dto';
import { GetAgencyAnalytics, GetAppraisalAgreement, GetAppraiserAnalytics, GetUnitAnalytics } from './analytics.queries';

const PERIOD = { name: 'period', required: true, enum: PERIODS };
const SCALE =
  'Leniency: predicates scored SANGAT_BAIK 5, BAIK 4, BUTUH_PERBAIKAN 3, KURANG 2, SANGAT_KURANG 1; index = the appraiser’s mean minus the other appraisers’ mean, ' +
  'with Welch’s standard error and a 95% t interval; flagged LENIENT or SEVERE when |index| ≥ 0.5 and the interval excludes 0. ';
const ALPHA =
  "Agreement: Krippendorff's alpha (ordinal; nominal beside it) over the 360 surveys, the raters as coders and each appraisal's seven behaviours as units. " +
  'A rater agrees with nobody when, beside at least two others, none gives the same rating on 4 of the 7 behaviours. ';
const ANONYMITY =
  'A reader appraised in what the answer covers (by person, whatever the token’s role) is named no rater, counts their own 360 only once it is pooled for them ' +
  '(policy surveyMinimumGroup surveys and final), and sees no group figure resting on fewer raters than that.';

/** The subjectivity analytics (README "Subjectivity analytics"): per appraiser, per unit, for the agency, per appraisal. */
@ApiTags('analytics')
@UseInterceptors(MinPositionInterceptor)
@Controller()
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('appraisers/:appraiserId/analytics/:year')
  @ApiQuery(PERIOD)
  @ApiRead(
    'One appraiser against their units and the agency: distributions, leniency with its uncertainty, behaviour rating against 360 and self',
    AppraiserAnalyticsDto,
    `AUDITOR, PENGELOLA_KINERJA and the appraiser (PEJABAT_PENILAI): everything; PIMPINAN_UNIT: the units they lead in which the appraiser rates. ${SCALE}`,
  )
  appraiser(
    @Param('appraiserId', UnitIdPipe) appraiserId: string,
    @Param('year', YearPipe) year: number,
    @Query('period', PeriodPipe) period: Period,
    @Ctx() ctx: RequestContext,
  ) {
    return this.queries.execute(new GetAppraiserAnalytics(appraiserId, year, period, ctx));
  }

  @Get('units/:unitId/years/:year/analytics')
  @ApiQuery(PERIOD)
  @ApiRead(
    'One unit: predicate shares per period against the national picture, each appraiser’s leniency, 360 agreement, flags',
    UnitAnalyticsDto,
    `The unit's leaders (PIMPINAN_UNIT), PENGELOLA_KINERJA and AUDITOR. ${SCALE}${ALPHA}${ANONYMITY}`,
  )
  unit(
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @Query('period', PeriodPipe) period: Period,
    @Ctx() ctx: RequestContext,
  ) {
    return this.queries.execute(new GetUnitAnalytics(unitId, year, period, ctx));
  }

  @Get('analytics/agency/:year')
  @ApiQuery(PERIOD)
  @ApiRead(
    'The agency: predicate shares per period and per unit against the national picture, appraisers’ leniency, 360 agreement, flags',
    AgencyAnalyticsDto,
    `PENGELOLA_KINERJA and AUDITOR. ${SCALE}${ANONYMITY}`,
  )
  agency(@Param('year', YearPipe) year: number, @Query('period', PeriodPipe) period: Period, @Ctx() ctx: RequestContext) {
    return this.queries.execute(new GetAgencyAnalytics(year, period, ctx));
  }

  @Get('appraisals/:id/agreement')
  @ApiQuery(PERIOD)
  @ApiRead(
    "Agreement among one appraisal's 360 raters in a period: Krippendorff's alpha and who agrees with whom",
    AppraisalAgreementDto,
    `Whoever may read the appraisal; reads by PENINJAU or AUDITOR of a disputed appraisal are recorded. ${ALPHA}` +
      'The appraisee sees the alpha only once their 360 is pooled for them (at least surveyMinimumGroup surveys, result final), and never the raters.',
  )
  agreement(@Param('id', AppraisalIdPipe) id: string, @Query('period', PeriodPipe) period: Period, @Ctx() ctx: RequestContext) {
    return this.queries.execute(new GetAppraisalAgreement(id, period, ctx));
  }
}
