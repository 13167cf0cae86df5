import { fail } from '../error-codes';
import { LIMITS, optionalText, requireDate, requireFinite, requireId, requireOneOf, requireText } from '../guards';
import { ASPECTS, RESULT_KINDS, type Indicator, type PerformanceDialogue, type PlanContent, type WorkResult } from '../vocabulary';

/**
 * The shape rules of an SKP: at least one UTAMA result, each result with at least one indicator,
 * result ids unique among results and indicator ids unique across the whole plan (so an
 * indicator id alone names one indicator in history and in feedback).
 * Returns a clean copy holding only the known fields: the ledger stores exactly this shape.
 */
export function validatePlan(plan: PlanContent): PlanContent {
  const results: unknown = plan?.results;
  if (!Array.isArray(results)) throw fail('PLAN_WITHOUT_MAIN_RESULT', { field: 'plan.results' });
  if (results.length > LIMITS.results) throw fail('PLAN_TOO_LARGE', { field: 'plan.results', max: LIMITS.results });
  const resultIds = new Set<string>();
  const indicatorIds = new Set<string>();
  const clean = (results as WorkResult[]).map((result, i): WorkResult => {
    const at = `plan.results[${i}]`;
    const id = requireId(result?.id, `${at}.id`);
    if (resultIds.has(id)) throw fail('DUPLICATE_PLAN_ID', { field: `${at}.id`, id });
    resultIds.add(id);
    requireOneOf(result.kind, RESULT_KINDS, `${at}.kind`);
    requireText(result.description, `${at}.description`, LIMITS.description);
    if (result.supportsSuperiorResult !== undefined)
      requireText(result.supportsSuperiorResult, `${at}.supportsSuperiorResult`, LIMITS.description);
    const indicators = validateIndicators(result, at, indicatorIds);
    const { kind, description, supportsSuperiorResult } = result;
    return supportsSuperiorResult === undefined
      ? { id, kind, description, indicators }
      : { id, kind, description, supportsSuperiorResult, indicators };
  });
  if (!clean.some((r) => r.kind === 'UTAMA')) throw fail('PLAN_WITHOUT_MAIN_RESULT', { field: 'plan.results' });
  return { results: clean };
}

function validateIndicators(result: WorkResult, at: string, seen: Set<string>): Indicator[] {
  const indicators: unknown = result.indicators;
  if (!Array.isArray(indicators) || indicators.length === 0)
    throw fail('RESULT_WITHOUT_INDICATOR', { field: `${at}.indicators`, resultId: result.id });
  if (indicators.length > LIMITS.indicatorsPerResult)
    throw fail('PLAN_TOO_LARGE', { field: `${at}.indicators`, max: LIMITS.indicatorsPerResult });
  return result.indicators.map((indicator, j): Indicator => {
    const where = `${at}.indicators[${j}]`;
    const id = requireId(indicator?.id, `${where}.id`);
    if (seen.has(id)) throw fail('DUPLICATE_PLAN_ID', { field: `${where}.id`, id });
    seen.add(id);
    return {
      id,
      description: requireText(indicator.description, `${where}.description`, LIMITS.description),
      aspect: requireOneOf(indicator.aspect, ASPECTS, `${where}.aspect`),
      target: {
        value: requireFinite(indicator.target?.value, `${where}.target.value`, 0),
        unit: requireText(indicator.target?.unit, `${where}.target.unit`, LIMITS.unit),
      },
    };
  });
}

export function validateDialogue(dialogue: PerformanceDialogue): PerformanceDialogue {
  const heldOn = requireDate(dialogue?.heldOn, 'dialogue.heldOn');
  optionalText(dialogue.notes, 'dialogue.notes');
  return dialogue.notes === undefined ? { heldOn } : { heldOn, notes: dialogue.notes };
}
