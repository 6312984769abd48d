import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuditTrailController } from './audit-trail.controller';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditTrailService } from './audit-trail.service';

/**
 * The audit trail of privileged actions: features that take one import this module and call
 * AuditTrailService.record in the action's transaction; auditors read it at GET /v1/audit-log.
 */
@Module({
  imports: [AuthModule],
  controllers: [AuditTrailController],
  providers: [AuditTrailRepository, AuditTrailService],
  exports: [AuditTrailService],
})
export class AuditTrailModule {}
