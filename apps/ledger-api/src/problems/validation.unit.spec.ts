import { DraftPlanDto } from '../appraisals/plan/plan.dto';
import { ProblemException } from './problem';
import { createValidationPipe, EmptyBodyPipe } from './validation';

const pipe = createValidationPipe();
const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: DraftPlanDto });

const validPlan = () => ({
  plan: { results: [{ id: 'r1', kind: 'UTAMA', description: 'd', indicators: [{ id: 'i1', description: 'd', aspect: 'KUANTITAS', target: { value: 1, unit: 'doc' } }] }] },
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
