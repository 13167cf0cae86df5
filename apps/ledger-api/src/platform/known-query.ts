import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { validationFailed } from '../problems/validation';
import { requestOf } from './http-types';
import { MinPositionInterceptor } from './min-position.interceptor';

// Nest's own metadata keys (@nestjs/common/constants), read-only here.
const ROUTE_ARGS_METADATA = '__routeArguments__';
const INTERCEPTORS_METADATA = '__interceptors__';
const QUERY_PARAMTYPE = 4; // RouteParamtypes.QUERY

/**
 * A query parameter a route does not read is refused (400 VALIDATION_FAILED naming it), never
 * ignored: `?asof=` (a typo), `?minPosition[a]=1` (Express 5 keeps that as a key of its own) or
 * any parameter on a command would otherwise be answered as if it had not been sent. What a
 * route reads is taken from the route itself, so it cannot drift: its @Query('name') arguments,
 * its @ApiQuery declarations (routes that read req.query directly, e.g. the feed), and
 * `minPosition` where MinPositionInterceptor applies.
 */
@Injectable()
export class KnownQueryInterceptor implements NestInterceptor {
  private readonly known = new WeakMap<object, ReadonlySet<string>>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const query = requestOf(context).query as Record<string, unknown> | undefined;
    const keys = Object.keys(query ?? {});
    if (keys.length > 0) {
      const known = this.knownOf(context);
      const unknown = keys.filter((key) => !known.has(key));
      if (unknown.length > 0) {
        throw validationFailed(unknown.map((field) => ({ field, messages: [`query parameter ${field} is not read by this route`] })));
      }
    }
    return next.handle();
  }

  private knownOf(context: ExecutionContext): ReadonlySet<string> {
    const handler = context.getHandler();
    const cached = this.known.get(handler);
    if (cached !== undefined) return cached;
    const names = new Set<string>();
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, { data?: unknown }>;
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) === QUERY_PARAMTYPE && typeof arg.data === 'string') names.add(arg.data);
    }
    const declared = this.reflector.get<Array<{ in?: string; name?: string }>>(DECORATORS.API_PARAMETERS, handler) ?? [];
    for (const parameter of declared) if (parameter.in === 'query' && typeof parameter.name === 'string') names.add(parameter.name);
    const interceptors = this.reflector.getAllAndMerge<unknown[]>(INTERCEPTORS_METADATA, [handler, context.getClass()]);
    if (interceptors.includes(MinPositionInterceptor)) names.add('minPosition');
    this.known.set(handler, names);
    return names;
  }
}
