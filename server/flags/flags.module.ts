import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrdersModule } from '../orders/orders.module';
import { FlagsController } from './flags.controller';
import { FlagsService } from './flags.service';

/** Anomaly flags: patterns in an order's anchored history worth a risk team's look. */
@Module({
  imports: [AuthModule, OrdersModule],
  controllers: [FlagsController],
  providers: [FlagsService],
})
export class FlagsModule {}
