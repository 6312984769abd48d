import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Hex } from '../../proof/bytes';
import type { JsonValue } from '../../proof/canonical';
import { EVENT_TYPES, type EventRecord, type EventType } from '../../proof/record';
import type { EventAnchorStatus, EventAnchorView } from './event-anchor';
import { EventFieldsProperty, IsRfc3339 } from './event-fields.validation';
import type { EventEntity } from './event.entity';

export class AppendEventDto {
  @ApiProperty({ enum: EVENT_TYPES, example: 'paid' })
  @IsIn(EVENT_TYPES as readonly string[], { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type!: EventType;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When it happened (RFC 3339 with offset); defaults to the time ordertrace records it.',
  })
  @IsOptional()
  @IsRfc3339()
  at?: string;

  @EventFieldsProperty({
    example: { carrier: 'DHL', trackingNo: 'JD014600004512' },
    description: 'Public fields: hashed in clear and shown to consumers.',
  })
  data?: { [key: string]: JsonValue };

  @EventFieldsProperty({
    example: { recipientName: 'Jane Doe' },
    description: 'Private fields: only salted commitments enter the record; values are stored encrypted.',
  })
  sealed?: { [key: string]: JsonValue };
}

/** An event's anchor proof (proof/bundle.ts AnchorProof), as the events API and bundles show it. */
export class AnchorProofDto {
  @ApiProperty({ description: 'Batch seq in the contract' }) batch!: number;
  @ApiProperty({ description: 'Merkle root of the batch' }) root!: string;
  @ApiProperty({ type: [String], description: 'Sibling hashes from the leaf up (sorted-pair keccak-256)' }) proof!: string[];
  @ApiProperty() txHash!: string;
  @ApiProperty() blockNumber!: number;
  @ApiProperty() blockHash!: string;
}

export class EventDto {
  @ApiProperty() orderId!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: EVENT_TYPES }) type!: EventType;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time' }) recorded!: string;
  @ApiProperty({ description: 'keccak-256 leaf hash of the canonical record' }) leaf!: Hex;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The hashed event record (proof spec v1)' }) record!: EventRecord;
  @ApiProperty({ type: [String], description: 'Names of the sealed (private) fields' }) sealedFields!: string[];
  @ApiProperty({ enum: ['pending', 'sealed', 'anchored'] }) status!: EventAnchorStatus;
  @ApiProperty({ type: AnchorProofDto, nullable: true }) anchor!: AnchorProofDto | null;
}

export class EventListDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
}

export function mapEvent(
  entity: Pick<EventEntity, 'orderId' | 'seq' | 'type' | 'record' | 'leaf'>,
  view: EventAnchorView,
  record?: EventRecord,
): EventDto {
  const parsed = record ?? (JSON.parse(entity.record) as EventRecord);
  return {
    orderId: entity.orderId,
    seq: entity.seq,
    type: parsed.type,
    at: parsed.at,
    recorded: parsed.recorded,
    leaf: entity.leaf as Hex,
    record: parsed,
    sealedFields: Object.keys(parsed.sealed),
    status: view.status,
    anchor: view.anchor,
  };
}
