import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { ORDER_ID_PATTERN } from './order-id';

/**
 * An order id from the path: anything that is not shaped like one names no order, so it is
 * answered 404 at once, before it reaches a query (and without echoing it back).
 */
@Injectable()
export class ParseOrderIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ORDER_ID_PATTERN.test(value)) {
      throw new DomainError(ErrorCode.ORDER_NOT_FOUND, 'No order has this id', { field: 'id' });
    }
    return value;
  }
}
