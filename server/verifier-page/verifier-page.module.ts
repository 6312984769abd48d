import { Module } from '@nestjs/common';
import { PublicApiModule } from '../public-api/public-api.module';
import { VerifierPageController } from './verifier-page.controller';
import { VerifierPageService } from './verifier-page.service';

/** The built verifier page, served at /v/ (each order's public link opens it), with the operator's trust anchors beside it. */
@Module({
  imports: [PublicApiModule],
  controllers: [VerifierPageController],
  providers: [VerifierPageService],
})
export class VerifierPageModule {}
