import fc from 'fast-check';
import { BEHAVIOURS, DEFAULT_POLICY, RATINGS, type Rating } from '@ledger/appraisal';
import { PROJECTIONS, type AppraisalView, type PeriodView } from '@ledger/read-models';
import type { StoredEvent } from '@ledger/event-store';
import { EMPLOYEE_READ_POLICY, employeeDocument, feedEventShown, readsAsEmployee, redactIntegrityForEmployee } from './redaction';
import { redactViewForEmployee, survey360Of } from './redaction';

const K = DEFAULT_POLICY.surveyMinimumGroup;

describe('the employee redaction policy', () => {
  it('has a rule for every read model', () => {
    expect(Object.keys(EMPLOYEE_READ_POLICY).sort()).toEqual(PROJECTIONS.map((p) => p.collection).sort());
    for (const name of ['a_new_read_model', 'toString', '__proto__']) {
      expect(() => employeeDocument(name, {}, K)).toThrow(/no employee redaction rule/);
    }
  });

  it('pools answers per behaviour from the minimum group on once the result is final, and shows none before, for any group', () => {
    const rating = fc.constantFrom<Rating>(...RATINGS);
    const answers = fc.record(Object.fromEntries(BEHAVIOURS.map((b) => [b, rating])) as Record<(typeof BEHAVIOURS)[number], typeof rating>);
    fc.assert(
      fc.property(fc.array(answers, { maxLength: 8 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (sets, k, final) => {
        const period = {
          raters: sets.map((_, i) => ({ raterId: `r${i}`, relation: 'REKAN_KERJA', at: 'x', by: 'y' })),
          surveys: sets.map((a, i) => ({ raterId: `r${i}`, answers: a, comment: null, submittedAt: `t${i}` })),
          result: final ? { final: true } : null,
        } as unknown as PeriodView;
        const summary = survey360Of(period, k);
        expect(summary).toMatchObject({ ratersAssigned: sets.length, submitted: sets.length, minimumGroup: k });
        // While surveys may still come in, two reads would differ by one rater's set: no pool at all.
        if (sets.length < k || !final) {
          expect(summary.answers).toBeNull();
          return;
        }
        for (const b of BEHAVIOURS) {
          for (const r of RATINGS) expect(summary.answers?.[b][r]).toBe(sets.filter((a) => a[b] === r).length);
        }
        // Pooled counts do not depend on the order the surveys came in.
        const reversed = { ...period, surveys: [...period.surveys].reverse() };
        expect(survey360Of(reversed, k)).toEqual(summary);
      }),
    );
  });

  it('applies to the appraisee by person, whatever role the token names', () => {
    const nip = '199001012020121001';
    for (const role of ['PENGELOLA_KINERJA', 'AUDITOR', 'PIMPINAN_UNIT', 'PEJABAT_PENILAI'] as const) {
      expect(readsAsEmployee({ id: nip, role }, nip)).toBe(true);
      expect(readsAsEmployee({ id: '197001012000011001', role }, nip)).toBe(false);
    }
    expect(readsAsEmployee({ id: nip, role: 'PEGAWAI' }, nip)).toBe(true);
  });

  it("withholds from the feed the 360 events of the reader's own appraisals, and only those", () => {
    const nip = '199001012020121001';
    const event = (type: string, streamId: string) => ({ type, streamId }) as StoredEvent;
    const auditor = { id: nip, role: 'AUDITOR' } as const;
    for (const type of ['BehaviourSurveySubmitted', 'RaterAssigned']) {
      expect(feedEventShown(auditor, event(type, `appraisal-2026-${nip}`))).toBe(false);
      expect(feedEventShown(auditor, event(type, `appraisal-2027-${nip}`))).toBe(false);
      expect(feedEventShown(auditor, event(type, `appraisal-2026-1${nip}`))).toBe(true);
      expect(feedEventShown(auditor, event(type, `appraisal-2026-199001012020121002`))).toBe(true);
    }
    expect(feedEventShown(auditor, event('PerformanceRated', `appraisal-2026-${nip}`))).toBe(true);
  });

  it('shows the employee a broken chain, its kind and revision, never the ids or hashes of the detail', () => {
    const broken = { status: 'BROKEN', firstBrokenRevision: 7, problem: 'HASH_MISMATCH', detail: `stored hash ${'a'.repeat(64)}` } as const;
    const shown = redactIntegrityForEmployee(broken);
    expect(shown).toMatchObject({ status: 'BROKEN', problem: 'HASH_MISMATCH', firstBrokenRevision: 7 });
    expect(JSON.stringify(shown)).not.toContain('a'.repeat(64));
    expect(redactIntegrityForEmployee({ status: 'INTACT' })).toEqual({ status: 'INTACT' });
  });

  it('shows only the date of the last event when that event was a survey', () => {
    const at = '2026-04-03T07:13:29.417Z';
    const survey = { raterId: 'r1', answers: {}, comment: 'c', submittedAt: at };
    const view = { lastEventAt: at, periods: { TRIWULAN_I: { raters: [], surveys: [survey] } } } as unknown as AppraisalView;
    expect(redactViewForEmployee(view, K).lastEventAt).toBe('2026-04-03');
    const later = { ...view, lastEventAt: '2026-04-04T01:00:00.000Z' };
    expect(redactViewForEmployee(later, K).lastEventAt).toBe('2026-04-04T01:00:00.000Z');
  });
});
