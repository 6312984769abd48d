import { Module } from '@nestjs/common';
import { PublicApiModule } from '../public-api/public-api.module';
import { ConsolePageController } from './console-page.controller';
import { ConsolePageService } from './console-page.service';

/** The brand console (a page for a brand's staff), served at /console/ with the operator's trust anchors beside it. */
@Module({
  imports: [PublicApiModule],
  controllers: [ConsolePageController],
  providers: [ConsolePageService],
})
export class ConsolePageModule {}
