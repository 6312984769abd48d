import { ApiProperty } from '@nestjs/swagger';

export class OrderErasureDto {
  @ApiProperty({ example: 'ord_01JD2Y8ZQ6R3W7X9V4K5M1N0PA' }) order!: string;
  @ApiProperty({ format: 'date-time', description: 'When the private fields were erased (the first erasure, on a repeat)' })
  erasedAt!: string;
  @ApiProperty({ type: [String], description: 'Names of the sealed fields erased; their commitments stay in the records' })
  erasedFields!: string[];
}

class UnknownDataKeyDto {
  @ApiProperty() dataKeyId!: string;
  @ApiProperty({ description: 'Order keys wrapped under it' }) orders!: number;
}

export class DataKeyRotationDto {
  @ApiProperty({ description: 'Id of the current data key, which now wraps every key it could re-wrap' }) dataKeyId!: string;
  @ApiProperty() orderKeysRewrapped!: number;
  @ApiProperty() serviceKeysRewrapped!: number;
  @ApiProperty({ description: 'Events stored before per-order keys whose private fields were moved under their order key' })
  eventsMovedUnderOrderKeys!: number;
  @ApiProperty({ description: 'Events stored before per-order keys that no configured data key opens: left as they are' })
  eventsUnderUnknownDataKeys!: number;
  @ApiProperty({
    type: [UnknownDataKeyDto],
    description:
      'Data keys not configured (neither current nor earlier) that still wrap order keys: those stay unreadable until their key is added',
  })
  unknownDataKeys!: UnknownDataKeyDto[];
}
