import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { requestOf } from '../platform/http-types';
import { CLOCK, type Clock } from '../platform/ports';
import { ProblemException } from '../problems/problem';

/** Requests one address may send to the public feedback form per window [policy: 10 per 10 minutes]. */
export const PUBLIC_RATE_LIMIT = { requests: 10, windowMs: 10 * 60_000 } as const;
/** Addresses remembered at most; past it the oldest is forgotten, so a flood of addresses cannot exhaust memory. */
const MAX_ADDRESSES = 10_000;

/**
 * A per-address sliding window on the public form, refused or not: guessing codes costs the guesser
 * the same as answering. Counted in this process's memory, on the injected clock; the address is
 * used here only and never reaches the ledger. Behind a proxy, every citizen shares its address:
 * run the limit at the proxy then (this one stays as a backstop).
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly seen = new Map<string, number[]>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  canActivate(context: ExecutionContext): boolean {
    const request = requestOf(context);
    const address = request.socket.remoteAddress ?? 'unknown';
    const now = this.clock.now().getTime();
    const recent = (this.seen.get(address) ?? []).filter((at) => at > now - PUBLIC_RATE_LIMIT.windowMs);
    if (recent.length >= PUBLIC_RATE_LIMIT.requests) {
      const retryAfter = Math.max(1, Math.ceil((recent[0] + PUBLIC_RATE_LIMIT.windowMs - now) / 1000));
      this.seen.set(address, recent);
      throw new ProblemException(
        'RATE_LIMITED',
        `At most ${PUBLIC_RATE_LIMIT.requests} requests per ${PUBLIC_RATE_LIMIT.windowMs / 60_000} minutes`,
        {
          details: { limit: PUBLIC_RATE_LIMIT.requests, windowSeconds: PUBLIC_RATE_LIMIT.windowMs / 1000, retryAfterSeconds: retryAfter },
          headers: { 'Retry-After': String(retryAfter) },
        },
      );
    }
    this.seen.delete(address);
    this.seen.set(address, [...recent, now]);
    if (this.seen.size > MAX_ADDRESSES) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }
}
