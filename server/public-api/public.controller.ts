import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { ChangeRequestConfirmationDto, ChangeRequestDto, PublicChainDto, PublicOrderDto, ReceiptConfirmationDto } from './public.dto';
import { PublicOrdersService } from './public-orders.service';
import { PUBLIC_THROTTLER, RECEIPT_LIMIT_PER_MINUTE } from './public-rate-limit';
import { Access } from '../auth/access.decorator';
import { NoStore } from '../http/no-store';

export const ORDER_TOKEN_HEADER = 'x-order-token';

const TOKEN_HEADER_DOC = { name: 'X-Order-Token', required: true, description: 'The token from the fragment of the order’s public link' };

@ApiTags('public')
@UseGuards(ThrottlerGuard)
// Open to anyone: consumers and auditors hold no credential (the order link's token is checked per route).
@Access.public()
@Controller('public')
export class PublicController {
  constructor(private readonly publicOrders: PublicOrdersService) {}

  @Get('chain')
  @ApiOperation({ summary: 'The chain, contract and JSON-RPC endpoint the verifier page checks bundles against' })
  @ApiOkResponse({ type: PublicChainDto })
  chain(): Promise<PublicChainDto> {
    return this.publicOrders.publicChain();
  }

  @Get('orders/:id')
  @NoStore()
  @ApiOperation({ summary: 'The order’s public proof bundle, for the consumer’s link' })
  @ApiHeader(TOKEN_HEADER_DOC)
  @ApiOkResponse({ type: PublicOrderDto })
  @ApiNotFoundResponse({ description: 'Wrong, revoked or missing token, or no such order: the same answer for all' })
  order(@Param('id') orderId: string, @Headers(ORDER_TOKEN_HEADER) token: string | undefined): Promise<PublicOrderDto> {
    return this.publicOrders.publicOrder(orderId, token);
  }

  @Post('orders/:id/receipt')
  @HttpCode(201)
  @NoStore()
  @Throttle({ [PUBLIC_THROTTLER]: { limit: RECEIPT_LIMIT_PER_MINUTE, ttl: 60_000 } })
  @ApiOperation({ summary: 'The consumer confirms receipt: appends the order’s received event' })
  @ApiHeader(TOKEN_HEADER_DOC)
  @ApiCreatedResponse({ type: ReceiptConfirmationDto })
  @ApiConflictResponse({ description: 'Not shipped yet, or receipt already confirmed' })
  @ApiNotFoundResponse({ description: 'Wrong, revoked or missing token, or no such order' })
  confirmReceipt(@Param('id') orderId: string, @Headers(ORDER_TOKEN_HEADER) token: string | undefined): Promise<ReceiptConfirmationDto> {
    return this.publicOrders.confirmReceipt(orderId, token);
  }

  @Post('orders/:id/requests')
  @HttpCode(201)
  @NoStore()
  @Throttle({ [PUBLIC_THROTTLER]: { limit: RECEIPT_LIMIT_PER_MINUTE, ttl: 60_000 } })
  @ApiOperation({
    summary: 'The consumer asks, before shipping, to change the delivery address (sealed) or to hold the parcel',
    description:
      'Appends a change_requested event (source consumer). The brand answers with address_changed, hold_confirmed or ' +
      'change_declined naming its seq in data.request; a pending hold blocks shipped.',
  })
  @ApiHeader(TOKEN_HEADER_DOC)
  @ApiCreatedResponse({ type: ChangeRequestConfirmationDto })
  @ApiBadRequestResponse({ description: 'A malformed body: the problem names the field' })
  @ApiConflictResponse({
    description: 'CHANGE_REQUESTS_CLOSED once shipped or cancelled; CHANGE_REQUEST_PENDING for a second request of a kind',
  })
  @ApiNotFoundResponse({ description: 'Wrong, revoked or missing token, or no such order' })
  requestChange(
    @Param('id') orderId: string,
    @Headers(ORDER_TOKEN_HEADER) token: string | undefined,
    @Body() dto: ChangeRequestDto,
  ): Promise<ChangeRequestConfirmationDto> {
    return this.publicOrders.requestChange(orderId, token, dto);
  }
}
