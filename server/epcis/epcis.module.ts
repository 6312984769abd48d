import { Module } from '@nestjs/common';
import { ChainModule } from '../anchoring/chain.module';
import { AuthModule } from '../auth/auth.module';
import { AppConfigModule } from '../config/app-config.module';
import { OrdersModule } from '../orders/orders.module';
import { EpcisController } from './epcis.controller';
import { EpcisService } from './epcis.service';

/** EPCIS 2.0 (GS1): orders exported as EPCIS documents, EPCIS documents of brands' systems imported as lifecycle events. */
@Module({
  imports: [AppConfigModule, AuthModule, ChainModule, OrdersModule],
  controllers: [EpcisController],
  providers: [EpcisService],
})
export class EpcisModule {}
