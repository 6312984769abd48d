import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { DatabaseModule } from '../database/database.module';
import { AuthModule } from '../auth/auth.module';
import { OrdersModule } from '../orders/orders.module';
import { GrantsController } from './grants.controller';
import { GrantsService } from './grants.service';

/** The HTTP side of grants; they are stored and checked in AuthModule (GrantsRepository), which the order reads use. */
@Module({
  imports: [AuthModule, OrdersModule, DatabaseModule, AuditTrailModule],
  controllers: [GrantsController],
  providers: [GrantsService],
})
export class GrantsModule {}
