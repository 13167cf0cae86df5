import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { type HttpResponse, setHeaders } from '../platform/http-types';
import { etagOf } from '../platform/request-context';
import type { CommandOutcome } from './command-path';

const isOutcome = (value: unknown): value is CommandOutcome =>
  typeof value === 'object' && value !== null && 'streamId' in value && 'revision' in value && 'position' in value;

/**
 * Every command answer carries the stream's new revision as ETag (for the next If-Match) and the
 * global position as X-Ledger-Position (for ?minPosition= on the next read).
 */
@Injectable()
export class CommandHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<HttpResponse>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (isOutcome(body)) {
          if (body.revision >= 0) setHeaders(response, { ETag: etagOf(body.revision) });
          setHeaders(response, { 'X-Ledger-Position': String(body.position) });
        }
        return body;
      }),
    );
  }
}
