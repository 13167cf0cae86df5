import { Controller, Get, Inject, Query as QueryParam, UseInterceptors, type PipeTransform } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PERIODS, PREDICATES, type Period, type Predicate } from '@ledger/appraisal';
import { mayReadUnit, readsEveryUnit } from '../../units/unit-access';
import { APPRAISALS, UNITS, composeUnitView, type AppraisalView, type ReadStore, type UnitDoc } from '@ledger/read-models';
import { ApiRead } from '../../docs/api-docs';
import { READ_STORE } from '../../platform/ledger-runtime';
import { MinPositionInterceptor } from '../../platform/min-position.interceptor';
import { PATH_ID, PeriodPipe, YearPipe } from '../../platform/params';
import { Ctx, type RequestContext } from '../../platform/request-context';
import { ProblemException } from '../../problems/problem';
import { validationFailed } from '../../problems/validation';

/** ?predicate= (optional): one of the five predicates. */
export class PredicateQueryPipe implements PipeTransform<unknown, Predicate | undefined> {
  transform(value: unknown): Predicate | undefined {
    if (value === undefined) return undefined;
    if (!PREDICATES.includes(value as Predicate))
      throw validationFailed([{ field: 'predicate', messages: [`predicate must be one of ${PREDICATES.join(', ')}`] }]);
    return value as Predicate;
  }
}

/** ?unitId= (optional): an id's shape. */
export class UnitIdQueryPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !PATH_ID.test(value))
      throw validationFailed([{ field: 'unitId', messages: ['unitId must be 1-100 of A-Z a-z 0-9 . _ -'] }]);
    return value;
  }
}

export class AppraisalFoundDto {
  @ApiProperty() appraisalId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty() employeeNip!: string;
  @ApiProperty() employeeName!: string;
  // Nullable enums are typed as strings: a nullable enum would not admit null to a JSON Schema validator.
  @ApiProperty({
    type: String,
    nullable: true,
    description: `The predicate in force in the period (${PREDICATES.join(', ')}; null: not rated)`,
  })
  predicate!: string | null;
  @ApiProperty() amendedAfterFinalisation!: boolean;
}

export class AppraisalSearchDto {
  @ApiProperty() year!: number;
  @ApiProperty({ enum: PERIODS }) period!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The predicate searched for (null: any)' }) predicate!: string | null;
  @ApiProperty({ type: String, nullable: true }) unitId!: string | null;
  @ApiProperty({ type: [String], description: 'The units searched: every unit of the year, or those the unit leader leads' })
  units!: string[];
  @ApiProperty({ type: [AppraisalFoundDto] }) appraisals!: AppraisalFoundDto[];
}

export interface AppraisalSearchResult {
  year: number;
  period: Period;
  predicate: Predicate | null;
  unitId: string | null;
  units: string[];
  appraisals: AppraisalFoundDto[];
}

export class SearchAppraisals extends Query<AppraisalSearchResult> {
  constructor(
    readonly year: number,
    readonly period: Period,
    readonly predicate: Predicate | undefined,
    readonly unitId: string | undefined,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * The appraisals of a year, by the predicate in force in a period and/or by unit, for whoever may
 * read those units (as the unit view): AUDITOR and PENGELOLA_KINERJA every unit, a unit leader the
 * units they lead (one level up included); anyone else is refused, and so is a leader naming a unit
 * they do not lead. What it answers is what the unit views of those units list.
 */
@QueryHandler(SearchAppraisals)
export class SearchAppraisalsHandler implements IQueryHandler<SearchAppraisals> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ year, period, predicate, unitId, ctx }: SearchAppraisals): Promise<AppraisalSearchResult> {
    const { actor } = ctx;
    const oversight = readsEveryUnit(actor);
    if (!oversight && actor.role !== 'PIMPINAN_UNIT')
      throw new ProblemException('NOT_ENTITLED', 'Only the unit leaders, PENGELOLA_KINERJA and AUDITOR search appraisals', {
        details: { role: actor.role },
      });
    const units = (await this.readStore.find<UnitDoc>(UNITS, { year }))
      .map((d) => d.doc)
      .filter((u) => mayReadUnit(actor, u))
      .filter((u) => unitId === undefined || u.unitId === unitId)
      .sort((a, b) => a.unitId.localeCompare(b.unitId));
    if (unitId !== undefined && units.length === 0 && !oversight)
      throw new ProblemException('NOT_ENTITLED', 'A unit leader searches the units they lead', { details: { role: actor.role } });
    const appraisals: AppraisalFoundDto[] = [];
    for (const unit of units) {
      const members = (await this.readStore.find<AppraisalView>(APPRAISALS, { unitId: unit.unitId, year })).map((m) => m.doc);
      for (const m of composeUnitView(unit, members, period).members) {
        if (predicate !== undefined && m.predicate !== predicate) continue;
        appraisals.push({
          appraisalId: m.appraisalId,
          unitId: unit.unitId,
          employeeNip: m.employeeNip,
          employeeName: m.employeeName,
          predicate: m.predicate,
          amendedAfterFinalisation: m.amendedAfterFinalisation,
        });
      }
    }
    return { year, period, predicate: predicate ?? null, unitId: unitId ?? null, units: units.map((u) => u.unitId), appraisals };
  }
}

@ApiTags('appraisals: queries')
@UseInterceptors(MinPositionInterceptor)
@Controller('appraisals')
export class AppraisalSearchController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiQuery({ name: 'year', required: true, type: 'integer' })
  @ApiQuery({ name: 'period', required: true, enum: PERIODS })
  @ApiQuery({
    name: 'predicate',
    required: false,
    enum: PREDICATES,
    description: 'Only appraisals with this predicate in force in the period',
  })
  @ApiQuery({ name: 'unitId', required: false, type: 'string', description: 'Only this unit' })
  @ApiRead(
    'Find appraisals of a year by the predicate in force in a period and/or by unit (an auditor’s search)',
    AppraisalSearchDto,
    'As the unit view: AUDITOR and PENGELOLA_KINERJA search every unit; PIMPINAN_UNIT the units they lead (naming another is refused); anyone else is refused.',
  )
  search(
    @QueryParam('year', YearPipe) year: number,
    @QueryParam('period', PeriodPipe) period: Period,
    @QueryParam('predicate', PredicateQueryPipe) predicate: Predicate | undefined,
    @QueryParam('unitId', UnitIdQueryPipe) unitId: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<AppraisalSearchResult> {
    return this.queries.execute(new SearchAppraisals(year, period, predicate, unitId, ctx));
  }
}
