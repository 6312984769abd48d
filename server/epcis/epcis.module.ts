import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BundlesModule } from '../bundles/bundles.module';
import { OrdersModule } from '../orders/orders.module';
import { EpcisController } from './epcis.controller';
import { EpcisService } from './epcis.service';

/** EPCIS 2.0 (GS1): orders exported as EPCIS documents, EPCIS documents of brands' systems imported as lifecycle events. */
@Module({
  imports: [AuthModule, BundlesModule, OrdersModule],
  controllers: [EpcisController],
  providers: [EpcisService],
})
export class EpcisModule {}
