import { DraftPlanDto } from '../appraisals/plan/plan.dto';
import { ProblemException } from './problem';
import { createValidationPipe, EmptyBodyPipe } from './validation';

const pipe = createValidationPipe();
const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: DraftPlanDto });

const validPlan = () => ({
  plan: {
    results: [
      {
        id: 'r1',
        kind: 'UTAMA',
        description: 'd',
        indicators: [{ id: 'i1', description: 'd', aspect: 'KUANTITAS', target: { value: 1, unit: 'doc' } }],
      },
    ],
  },
  dialogue: { heldOn: '2026-01-08' },
});

async function fieldErrors(body: unknown): Promise<Record<string, string[]>> {
  try {
    await validate(body);
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    expect(error.code).toBe('VALIDATION_FAILED');
    return Object.fromEntries((error.extra.errors ?? []).map((e) => [e.field, e.messages]));
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('the edge validation pipe', () => {
  it('passes a valid body through unchanged (transform off)', async () => {
    await expect(validate(validPlan())).resolves.toEqual(validPlan());
  });

  it('names nested fields by dotted path', async () => {
    const body = validPlan();
    body.plan.results[0].indicators[0].target.value = 'x' as unknown as number;
    body.plan.results[0].kind = 'UTAMAX';
    const errors = await fieldErrors(body);
    expect(Object.keys(errors).sort()).toEqual(['plan.results.0.indicators.0.target.value', 'plan.results.0.kind']);
  });

  it('treats unknown fields as errors, at any depth', async () => {
    const body = { ...validPlan(), actorId: 'spoofed' } as Record<string, unknown>;
    (body.dialogue as Record<string, unknown>).extra = 1;
    const errors = await fieldErrors(body);
    expect(errors).toEqual({ actorId: ['property actorId should not exist'], 'dialogue.extra': ['property extra should not exist'] });
  });

  it('reports missing nested objects and empty arrays', async () => {
    const errors = await fieldErrors({ plan: { results: [] } });
    expect(Object.keys(errors).sort()).toEqual(['dialogue', 'plan.results']);
  });

  it('refuses a body that is not an object', async () => {
    expect(Object.keys(await fieldErrors([1, 2]))).toHaveLength(1);
  });
});

describe('EmptyBodyPipe', () => {
  const empty = new EmptyBodyPipe();
  it('accepts no body and {}', () => {
    expect(empty.transform(undefined)).toEqual({});
    expect(empty.transform({})).toEqual({});
  });
  it('refuses any field', () => {
    expect(() => empty.transform({ approved: true })).toThrow(ProblemException);
  });
});

describe('own keys and null (the members JSON.parse-then-class-transformer let through)', () => {
  const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
  const withOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

  it.each(PROTOTYPE_NAMES)('refuses an own key %s at every depth as an unknown field', async (key) => {
    const at: [string, (b: ReturnType<typeof validPlan>) => Record<string, unknown>][] = [
      ['', (b) => b],
      ['dialogue.', (b) => b.dialogue],
      ['plan.', (b) => b.plan],
      ['plan.results.0.', (b) => b.plan.results[0]],
      ['plan.results.0.indicators.0.target.', (b) => b.plan.results[0].indicators[0].target],
    ];
    for (const [prefix, target] of at) {
      const body = validPlan();
      withOwn(target(body), key, { x: 1 });
      expect(await fieldErrors(body)).toEqual({ [`${prefix}${key}`]: [`property ${key} should not exist`] });
    }
  });

  it.each([null, [], [[]], 'x', 1])('refuses %j as a plan result item (array items must be objects)', async (item) => {
    const body = validPlan() as unknown as { plan: { results: unknown[] } };
    body.plan.results.push(item);
    expect(Object.keys(await fieldErrors(body))).toContain('plan.results');
  });

  it('refuses null for optional fields (absent is not null)', async () => {
    const { GiveFeedbackDto } = await import('../appraisals/during-year/during-year.dto');
    const feedback = (body: unknown) => pipe.transform(body, { type: 'body', metatype: GiveFeedbackDto });
    await expect(feedback({ text: 'x', about: null })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(feedback({ text: 'x', about: { resultId: null } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(feedback({ text: 'x' })).resolves.toEqual({ text: 'x' });
  });
});

describe('EmptyBodyPipe, own keys', () => {
  it.each([null, [], 'x', JSON.parse('{"__proto__":1}') as unknown])('refuses %j', (body) => {
    expect(() => new EmptyBodyPipe().transform(body)).toThrow(ProblemException);
  });
});
