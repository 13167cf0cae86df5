import type { Clock, IdGenerator } from '../platform/ports';

/** A clock the test sets and moves; it never moves on its own. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(iso: string) {
    this.current = new Date(iso);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }

  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/** Valid, predictable UUIDs: 00000000-0000-4000-8000-000000000001, ...02, ... */
export class SequentialIds implements IdGenerator {
  private next = 1;

  uuid(): string {
    return `00000000-0000-4000-8000-${(this.next++).toString(16).padStart(12, '0')}`;
  }
}
