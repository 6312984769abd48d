import { createReadStream } from 'node:fs';
import {
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  Redirect,
  Res,
  ServiceUnavailableException,
  StreamableFile,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpResponse } from '../http/http-types';
import { TrustAnchorsService } from '../public-api/trust-anchors.service';
import { VerifierPageService } from './verifier-page.service';
import { Access } from '../auth/access.decorator';

/**
 * The page reads the chain from the browser, so it may connect to any http(s) JSON-RPC endpoint;
 * everything else is same-origin only. No framing, no inline script but the page's own first
 * script allowed by its hash, no referrer (tokens live in the fragment, which browsers never send,
 * but belt and braces).
 */
export function pageSecurityHeaders(inlineScriptSources: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src ${["'self'", ...inlineScriptSources].join(' ')}; style-src 'self'; img-src 'self' data:; ` +
      "connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
}

export const PAGE_SECURITY_HEADERS: Record<string, string> = pageSecurityHeaders();

@ApiExcludeController()
@Access.public()
@Controller('v')
export class VerifierPageController {
  constructor(
    private readonly files: VerifierPageService,
    private readonly trust: TrustAnchorsService,
  ) {}

  /** `/v/` and `/v/<orderId>` open the page; it reads the route from the address itself. */
  @Get('*')
  async serve(
    @Param('*') path: string | undefined,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<StreamableFile | string> {
    // The page reads its trust anchors from trust.json beside it unless its build carries them.
    if (path === 'trust.json' && !this.files.has('trust.json')) {
      void res.headers({ ...PAGE_SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
      return this.trust.trustFileText();
    }
    const found = this.files.resolve(path ?? '', acceptEncoding);
    if ('missing' in found) {
      if (found.missing === 'page') throw new ServiceUnavailableException('The verifier page is not built: run `npm run build:verifier`');
      throw new NotFoundException('No such file');
    }
    void res.headers({
      ...pageSecurityHeaders(found.contentType.startsWith('text/html') ? this.files.inlineScriptSources() : []),
      'Cache-Control': found.cacheControl,
      // Whether the answer is compressed depends on the request: caches must keep the copies apart.
      Vary: 'Accept-Encoding',
      ...(found.contentEncoding === null ? {} : { 'Content-Encoding': found.contentEncoding }),
    });
    return new StreamableFile(createReadStream(found.file), { type: found.contentType });
  }

  // `/v` itself; `/v/` is the wildcard route's, with an empty path.
  @Get()
  @Redirect('/v/', 301)
  bare(): void {}
}
