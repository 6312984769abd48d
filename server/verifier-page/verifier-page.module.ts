import { Module } from '@nestjs/common';
import { VerifierPageController } from './verifier-page.controller';
import { VerifierPageService } from './verifier-page.service';

/** The built verifier page, served at /v/ (each order's public link opens it). */
@Module({
  controllers: [VerifierPageController],
  providers: [VerifierPageService],
})
export class VerifierPageModule {}
