import { checkDistribution, countPredicates, predicateFor, type Predicate, type Rating } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import type { AppraisalView } from './appraisal-view';
import { evolveAppraisalView } from './appraisals';
import { composeUnitView } from './unit-view';
import { evolveUnit, unitsProjection, type UnitDoc } from './units';

const UNIT_STREAM = 'unit-BIRO-UMUM-2026';
const leader: FixtureActor = { id: 'L1', role: 'PIMPINAN_UNIT' };
const hr: FixtureActor = { id: 'HR', role: 'PENGELOLA_KINERJA' };
const appraiser: FixtureActor = { id: 'A1', role: 'PEJABAT_PENILAI' };
const RATES: Record<string, [Rating, Rating]> = {
  SANGAT_BAIK: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
  BAIK: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
  BUTUH_PERBAIKAN: ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
};
const rating = ([hasilKerja, perilakuKerja]: [Rating, Rating]) => ({
  hasilKerja,
  hasilKerjaJustification: 'j',
  perilakuKerja,
  perilakuKerjaJustification: 'j',
  predicate: predicateFor(hasilKerja, perilakuKerja),
});
const fold = <D>(evolve: (d: D | null, e: StoredEvent) => D | null, events: StoredEvent[]) =>
  events.reduce<D | null>((doc, e) => evolve(doc, e), null);

function world(predicates: Array<Predicate | null>) {
  const log = new StoredEventLog();
  log.record(UNIT_STREAM, 'UnitOpened', { unitId: 'BIRO-UMUM', year: 2026, name: 'Biro Umum', leaderId: 'L1', upperLeaderId: 'UL' }, hr);
  const ids = predicates.map((p, i) => {
    const nip = `19900101202012${String(i).padStart(4, '0')}`;
    const id = `2026-${nip}`;
    log.record(
      `appraisal-${id}`,
      'AppraisalOpened',
      {
        appraisalId: id,
        employeeNip: nip,
        employeeName: `P${i}`,
        year: 2026,
        unitId: 'BIRO-UMUM',
        appraiserId: 'A1',
        superiorId: 'L1',
        planDeadline: '2026-01-31T16:59:59.999Z',
      },
      hr,
    );
    if (p !== null) log.record(`appraisal-${id}`, 'PerformanceRated', { period: 'TAHUNAN', version: 1, ...rating(RATES[p]) }, appraiser);
    return id;
  });
  const docs = () => ({
    unit: fold(
      evolveUnit,
      log.events.filter((e) => e.streamId === UNIT_STREAM),
    ) as UnitDoc,
    members: ids.map(
      (id) =>
        fold(
          evolveAppraisalView,
          log.events.filter((e) => e.streamId === `appraisal-${id}`),
        ) as AppraisalView,
    ),
  });
  return { log, ids, docs };
}

describe('units projection', () => {
  it('keeps the unit stream facts per period, keyed by unit and year', () => {
    const { log, docs } = world([]);
    const set = log.record(UNIT_STREAM, 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'ISTIMEWA' }, leader);
    expect(unitsProjection.idsOf(set)).toEqual(['BIRO-UMUM-2026']);
    expect(docs().unit).toEqual({
      unitId: 'BIRO-UMUM',
      year: 2026,
      name: 'Biro Umum',
      leaderId: 'L1',
      upperLeaderId: 'UL',
      opened: { at: log.events[0].metadata.occurredAt, by: 'HR' },
      revision: 1,
      lastEventAt: set.metadata.occurredAt,
      periods: {
        TAHUNAN: {
          organisationalPredicate: 'ISTIMEWA',
          organisationalPredicateSet: { at: set.metadata.occurredAt, by: 'L1' },
          // A schema-version-1 event: no basis.
          organisationalPredicateHistory: [
            {
              predicate: 'ISTIMEWA',
              basis: null,
              reason: null,
              change: null,
              flag: null,
              ikm: null,
              at: set.metadata.occurredAt,
              by: 'L1',
            },
          ],
          finalised: null,
        },
      },
    });
    expect(evolveUnit(null, set)).toBeNull();
  });

  it('shows every setting of the organisational predicate beside the finalisation, flagging a change that escapes the pattern', () => {
    const { log, docs } = world(['BAIK', 'BAIK', 'SANGAT_BAIK', 'SANGAT_BAIK']);
    const basis = { uri: 'https://dms.example.go.id/capaian', sha256: 'b'.repeat(64) };
    log.record(UNIT_STREAM, 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'BAIK', basis }, leader);
    const change = {
      previousPredicate: 'BAIK' as const,
      ratedCount: 4,
      memberCount: 4,
      failedUnderPrevious: ['BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG'],
      failedUnderNew: [],
    };
    log.record(
      UNIT_STREAM,
      'OrganisationalPredicateSet',
      { period: 'TAHUNAN', predicate: 'ISTIMEWA', basis, reason: 'Dikoreksi', change },
      leader,
    );
    const mild = { ...change, previousPredicate: 'ISTIMEWA' as const, failedUnderPrevious: [], failedUnderNew: [] };
    log.record(
      UNIT_STREAM,
      'OrganisationalPredicateSet',
      { period: 'TAHUNAN', predicate: 'ISTIMEWA', basis: { ...basis, sha256: 'c'.repeat(64) }, reason: 'Dokumen baru', change: mild },
      leader,
    );
    const view = composeUnitView(docs().unit, docs().members, 'TAHUNAN');
    expect(view.organisationalPredicateHistory.map((h) => [h.predicate, h.flag, h.reason])).toEqual([
      ['BAIK', null, null],
      ['ISTIMEWA', 'ESCAPES_PATTERN', 'Dikoreksi'],
      ['ISTIMEWA', 'AFTER_RATING', 'Dokumen baru'],
    ]);
    expect(view).toMatchObject({ organisationalPredicateChangedAfterRating: true, organisationalPredicateEscapedPattern: true });
  });

  it('composes the live distribution against the pattern, before finalisation', () => {
    const { log, docs } = world(['SANGAT_BAIK', 'BAIK', 'BAIK', 'BUTUH_PERBAIKAN', null]);
    expect(composeUnitView(docs().unit, docs().members, 'TAHUNAN')).toMatchObject({
      organisationalPredicate: null,
      bounds: [],
      fits: null,
      n: 5,
      rated: 4,
      allRated: false,
    });
    log.record(UNIT_STREAM, 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'BAIK' }, leader);
    const view = composeUnitView(docs().unit, docs().members, 'TAHUNAN');
    const counts = countPredicates(['SANGAT_BAIK', 'BAIK', 'BAIK', 'BUTUH_PERBAIKAN']);
    expect(view).toMatchObject({
      organisationalPredicate: 'BAIK',
      counts,
      n: 5,
      rated: 4,
      fits: true,
      finalisation: null,
      exception: null,
      amendmentsAfterFinalisation: [],
    });
    expect(view.bounds).toEqual(checkDistribution('BAIK', counts, 5));
    expect(view.members.map((m) => m.predicate)).toEqual(['SANGAT_BAIK', 'BAIK', 'BAIK', 'BUTUH_PERBAIKAN', null]);
  });

  it('shows the finalisation snapshot, its exception, and results amended after it', () => {
    const { log, ids, docs } = world(['BAIK', 'BAIK', 'BAIK']);
    log.record(UNIT_STREAM, 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'BAIK' }, leader);
    const counts = countPredicates(['BAIK', 'BAIK', 'BAIK']);
    const bounds = checkDistribution('BAIK', counts, 3);
    const checked = ids.map((appraisalId) => ({
      appraisalId,
      revision: 1,
      predicate: 'BAIK' as const,
      hasilKerja: 'SESUAI_EKSPEKTASI' as const,
      perilakuKerja: 'SESUAI_EKSPEKTASI' as const,
      ratingVersion: 1,
    }));
    const exception = { reason: 'Unit kecil', failedRules: bounds.filter((b) => !b.ok).map((b) => b.rule) };
    log.record(
      UNIT_STREAM,
      'UnitFinalised',
      { period: 'TAHUNAN', organisationalPredicate: 'BAIK', checked, counts, n: 3, bounds, exception },
      { id: 'UL', role: 'PIMPINAN_UNIT' },
    );
    const amendedStream = `appraisal-${ids[0]}`;
    log.record(amendedStream, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'r' }, { id: 'x', role: 'PEGAWAI' });
    const decided = log.record(
      amendedStream,
      'ObjectionDecided',
      {
        period: 'TAHUNAN',
        outcome: 'AMENDED',
        reasons: 'ok',
        previousPredicate: 'BAIK',
        amended: rating(RATES.SANGAT_BAIK),
      },
      { id: 'L1', role: 'ATASAN_PEJABAT_PENILAI' },
    );

    const view = composeUnitView(docs().unit, docs().members, 'TAHUNAN');
    expect(view.finalisation).toMatchObject({ by: 'UL', checked, counts, n: 3, bounds, exception });
    expect(view.exception).toEqual(exception);
    expect(view.amendmentsAfterFinalisation).toEqual([
      { appraisalId: ids[0], employeeNip: ids[0].slice(5), from: 'BAIK', to: 'SANGAT_BAIK', decidedAt: decided.metadata.occurredAt },
    ]);
    expect(view.members[0]).toMatchObject({ predicate: 'SANGAT_BAIK', predicateAtFinalisation: 'BAIK', amendedAfterFinalisation: true });
    expect(view.counts).toEqual(countPredicates(['SANGAT_BAIK', 'BAIK', 'BAIK']));
    expect(view.fits).toBe(false); // still no BUTUH_PERBAIKAN or KURANG: the amendment stands anyway
  });

  it('only counts members of that unit and year', () => {
    const { docs } = world(['BAIK', 'BUTUH_PERBAIKAN']);
    const { unit, members } = docs();
    const stranger = { ...members[0], appraisalId: '2026-other', unitId: 'OTHER' };
    const lastYear = { ...members[0], appraisalId: '2025-x', year: 2025 };
    expect(composeUnitView(unit, [...members, stranger, lastYear], 'TAHUNAN').n).toBe(2);
  });
});
