import { createReadStream } from 'node:fs';
import { Controller, Get, NotFoundException, Param, Redirect, Res, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import type { HttpResponse } from '../http/http-types';
import { TrustAnchorsService } from '../public-api/trust-anchors.service';
import { PAGE_SECURITY_HEADERS } from '../verifier-page/verifier-page.controller';
import { ConsolePageService } from './console-page.service';

/**
 * The brand console's files are public like the verifier page's: what a brand's staff see comes
 * from the API, with the key they type in, which the page keeps in memory and sends as a header.
 * The same policy as the page's: same-origin scripts and styles, chain reads from any endpoint.
 */
@ApiExcludeController()
@Access.public()
@Controller('console')
export class ConsolePageController {
  constructor(
    private readonly files: ConsolePageService,
    private readonly trust: TrustAnchorsService,
  ) {}

  @Get('*')
  async serve(@Param('*') path: string | undefined, @Res({ passthrough: true }) res: HttpResponse): Promise<StreamableFile | string> {
    // The order view verifies bundles against the same trust anchors as the verifier page.
    if (path === 'trust.json' && !this.files.has('trust.json')) {
      void res.headers({ ...PAGE_SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
      return this.trust.trustFileText();
    }
    const found = this.files.resolve(path ?? '');
    if ('missing' in found) {
      if (found.missing === 'page') throw new ServiceUnavailableException('The console is not built: run `npm run build:verifier`');
      throw new NotFoundException('No such file');
    }
    void res.headers({ ...PAGE_SECURITY_HEADERS, 'Cache-Control': found.cacheControl });
    return new StreamableFile(createReadStream(found.file), { type: found.contentType });
  }

  @Get()
  @Redirect('/console/', 301)
  bare(): void {}
}
