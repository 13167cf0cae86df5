import { randomUUID } from 'node:crypto';

/** Time comes in from outside (STYLE 3): the system clock in production, a fixed one in tests. */
export interface Clock {
  now(): Date;
}

/** Ids come in from outside too: random UUIDs in production, predictable ones in tests. */
export interface IdGenerator {
  uuid(): string;
}

export const CLOCK = Symbol('Clock');
export const IDS = Symbol('IdGenerator');
export const CONFIG = Symbol('LedgerConfig');
export const POLICY = Symbol('Policy');

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
