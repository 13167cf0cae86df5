import type { ArgumentMetadata } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GiveFeedbackDto } from '../apps/ledger-api/src/appraisals/during-year/during-year.dto';
import { ReviseRatingDto } from '../apps/ledger-api/src/appraisals/evaluation/evaluation.dto';
import { HTTP_STACKS, type HttpStack } from '../apps/ledger-api/src/config/config';
import { decodeJson } from '../apps/ledger-api/src/platform/json-body';
import { createValidationPipe } from '../apps/ledger-api/src/problems/validation';
import { drive, feedbackRequest, rating, ratingRevisionRequest, seeded, type DriveFigures, type SeedFigures } from './http-commands';
import { intKnob } from './knobs';
import { freePort, startLedger } from './server';

export interface HttpStackOptions {
  appraisals: number;
  seconds: number;
  connections: number;
  /** Each round serves both stacks, the first one alternating, so a drift of the machine falls on both. */
  rounds: number;
  /** Bodies validated (and parsed) in-process per DTO for the per-request costs. */
  iterations: number;
}

/** The knobs (BENCH_QUICK=1 for seconds-long runs while developing). */
export const httpStackOptionsFromEnv = (env: NodeJS.ProcessEnv = process.env): HttpStackOptions => ({
  appraisals: intKnob('BENCH_HTTP_STACK_APPRAISALS', 300, 30, env),
  seconds: intKnob('BENCH_HTTP_STACK_SECONDS', 10, 2, env),
  connections: intKnob('BENCH_HTTP_STACK_CONNECTIONS', 10, 10, env),
  rounds: intKnob('BENCH_HTTP_STACK_ROUNDS', 3, 1, env),
  iterations: intKnob('BENCH_HTTP_STACK_ITERATIONS', 20_000, 2_000, env),
});

export interface StackRun extends DriveFigures {
  stack: HttpStack;
  round: number;
  workload: string;
}

/** One step of the command path measured alone, in-process, as the api runs it per request. */
export interface StepCost {
  workload: string;
  /** What the step does: class-validator through the app's ValidationPipe, or the strict JSON reader. */
  step: 'validation' | 'json';
  microsPerRequest: number;
}

export interface HttpStackFigures {
  options: HttpStackOptions;
  seed: SeedFigures;
  runs: StackRun[];
  steps: StepCost[];
}

const WORKLOADS = ['rating revisions', 'feedback'] as const;

/**
 * The whole app on Express and on Fastify (LEDGER_HTTP), the built api as its own process, over
 * the same seeded data (~20-event streams) and the same commands as bench/http-commands.ts drives
 * (rating revisions and feedback, at synchronous=FULL, in-process projector). Then, in-process,
 * what class-validator and the strict JSON reader cost per request of each command, the share of a
 * command they take being read against the measured rate.
 */
export async function measureHttpStack(options: HttpStackOptions = httpStackOptionsFromEnv()): Promise<HttpStackFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-stack-'));
  try {
    const port = await freePort();
    const env = { EVENT_STORE: 'sqlite', LEDGER_EVENT_STORE_SYNC: 'FULL' };
    const seeds: SeedFigures[] = [];
    const data = await seeded('sqlite', dir, port, env, options.appraisals, seeds);
    const runs: StackRun[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? HTTP_STACKS : [...HTTP_STACKS].reverse();
      for (const stack of order) {
        const ledger = await startLedger(dir, port, { ...env, LEDGER_HTTP: stack });
        try {
          const common = {
            url: ledger.url,
            token: data.appraiser,
            ids: data.ids,
            connections: options.connections,
            seconds: options.seconds,
          };
          runs.push({ stack, round, workload: WORKLOADS[0], ...(await drive({ ...common, request: ratingRevisionRequest(data) })) });
          runs.push({ stack, round, workload: WORKLOADS[1], ...(await drive({ ...common, request: feedbackRequest })) });
        } finally {
          await ledger.stop();
        }
      }
    }
    return { options, seed: seeds[0], runs, steps: await measureSteps(options.iterations) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bodies the two workloads send, with the DTO their route validates them against. */
const BODIES = [
  { workload: WORKLOADS[0], metatype: ReviseRatingDto, body: { ...rating('DI_ATAS_EKSPEKTASI'), reason: 'Bukti dukung baru diterima.' } },
  { workload: WORKLOADS[1], metatype: GiveFeedbackDto, body: feedbackRequest('x').body },
];

/**
 * The app's own ValidationPipe (createValidationPipe: the own-key check, plainToInstance and
 * validate, as on every command) and its strict JSON reader over the same bytes, timed over
 * `iterations` calls after a warm-up of a tenth as many.
 */
async function measureSteps(iterations: number): Promise<StepCost[]> {
  const pipe = createValidationPipe();
  const steps: StepCost[] = [];
  for (const { workload, metatype, body } of BODIES) {
    const metadata: ArgumentMetadata = { type: 'body', metatype, data: undefined };
    const bytes = Buffer.from(JSON.stringify(body));
    const validate = async () => {
      await pipe.transform(JSON.parse(bytes.toString('utf8')), metadata);
    };
    const parse = () => {
      decodeJson(bytes);
      return Promise.resolve();
    };
    steps.push({ workload, step: 'validation', microsPerRequest: await timeEach(validate, iterations) });
    steps.push({ workload, step: 'json', microsPerRequest: await timeEach(parse, iterations) });
  }
  return steps;
}

async function timeEach(step: () => Promise<void>, iterations: number): Promise<number> {
  for (let i = 0; i < Math.ceil(iterations / 10); i++) await step();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await step();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / Math.max(values.length, 1);
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Per stack and workload: the rounds' mean commands/s, p50 and p99, and Fastify over Express. */
export function summariseHttpStack(
  figures: HttpStackFigures,
): Array<{ workload: string; stack: HttpStack; perSec: number; p50: number; p99: number; non2xx: number }> {
  return WORKLOADS.flatMap((workload) =>
    HTTP_STACKS.map((stack) => {
      const runs = figures.runs.filter((r) => r.workload === workload && r.stack === stack);
      return {
        workload,
        stack,
        perSec: mean(runs.map((r) => r.perSec)),
        p50: mean(runs.map((r) => r.p50)),
        p99: mean(runs.map((r) => r.p99)),
        non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      };
    }),
  );
}

export function printHttpStackFigures(figures: HttpStackFigures, write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const { options } = figures;
  write(
    `\nHTTP stack: Express vs Fastify (LEDGER_HTTP), the whole api, sync FULL, ${options.connections} connections, ` +
      `${options.appraisals} appraisals of ~20 events, ${options.rounds} round(s) of ${options.seconds} s per stack and workload, alternating\n`,
  );
  for (const run of figures.runs) {
    const refused = run.non2xx === 0 ? '' : `  non-2xx ${run.non2xx} (${run.statuses})`;
    write(
      `  round ${run.round} ${run.stack.padEnd(8)} ${run.workload.padEnd(17)} ${fmt(run.perSec).padStart(6)} commands/s  p50 ${fmt(run.p50, 1)} ms  p99 ${fmt(run.p99, 1)} ms${refused}\n`,
    );
  }
  const summary = summariseHttpStack(figures);
  for (const workload of WORKLOADS) {
    const express = summary.find((s) => s.workload === workload && s.stack === 'express');
    const fastify = summary.find((s) => s.workload === workload && s.stack === 'fastify');
    if (express === undefined || fastify === undefined) continue;
    write(
      `  ${workload}: express ${fmt(express.perSec)}/s p50 ${fmt(express.p50, 1)} p99 ${fmt(express.p99, 1)} ms · ` +
        `fastify ${fmt(fastify.perSec)}/s p50 ${fmt(fastify.p50, 1)} p99 ${fmt(fastify.p99, 1)} ms · ` +
        `fastify/express ${(fastify.perSec / express.perSec).toFixed(2)}× commands/s, p99 ${(fastify.p99 / express.p99).toFixed(2)}×\n`,
    );
  }
  write(`  in-process per request (${fmt(options.iterations)} calls each), share of one command at the mean rate of both stacks:\n`);
  for (const step of figures.steps) {
    const rate = mean(summary.filter((s) => s.workload === step.workload).map((s) => s.perSec));
    // At `rate` commands/s on one busy main thread, a command holds it 1e6 / rate µs.
    const share = rate > 0 ? (100 * step.microsPerRequest * rate) / 1e6 : 0;
    const what = step.step === 'validation' ? 'class-validator (ValidationPipe)' : 'strict JSON reader';
    write(
      `    ${step.workload.padEnd(17)} ${what.padEnd(32)} ${fmt(step.microsPerRequest, 1).padStart(6)} µs  ${share.toFixed(1)}% of a command\n`,
    );
  }
}

/** `node dist/bench/http-stack.js`: this comparison alone. */
if (require.main === module) {
  measureHttpStack()
    .then((figures) => printHttpStackFigures(figures))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    });
}
