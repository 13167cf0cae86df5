import type { PipeTransform } from '@nestjs/common';
import { fail, SERVICE_ID } from '@ledger/appraisal';

/** A malformed service id cannot have been declared, so it is reported as not found. */
export class ServiceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SERVICE_ID.test(value)) throw fail('SERVICE_NOT_FOUND', { serviceId: value });
    return value;
  }
}
