import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { packageRoot } from '../anchoring/order-anchor.contract';
import { BuiltPageFolder } from '../verifier-page/verifier-page.service';

/** The built brand console (`npm run build:verifier` → dist/console-web), served at /console/. */
@Injectable()
export class ConsolePageService extends BuiltPageFolder {
  constructor() {
    super(join(packageRoot(), 'dist', 'console-web'), 'console.html');
  }
}
