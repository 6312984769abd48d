import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Injectable } from '@nestjs/common';
import { packageRoot } from '../anchoring/order-anchor.contract';

export type VerifierPageFile =
  { file: string; contentType: string; cacheControl: string; contentEncoding: 'br' | 'gzip' | null } | { missing: 'asset' | 'page' };

/** The build's compressed copies (verifier-web/build/precompress.mts), in order of preference. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** Content codings an Accept-Encoding header allows (`q=0` refuses one). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part
      .toLowerCase()
      .split(';')
      .map((s) => s.trim());
    const q = params.map((p) => /^q=([0-9.]+)$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (coding !== '' && (q === undefined || Number(q) > 0)) accepted.add(coding);
  }
  return accepted;
}

/** What a Vite build emits. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Hashed build assets never change under their name; index.html must be fetched fresh. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';
const PAGE_CACHE = 'no-cache';

/**
 * A built single-page app folder: its files by name, and its entry HTML for every other path
 * under its prefix (each order's link, the console's views).
 */
export class BuiltPageFolder {
  constructor(
    readonly root: string,
    private readonly entry: string,
  ) {}

  get built(): boolean {
    return existsSync(join(this.root, this.entry));
  }

  /**
   * CSP sources (`'sha256-…'`) of the inline scripts in the entry HTML: the verifier page's first
   * script is inline, and a Content-Security-Policy without `'unsafe-inline'` allows it by hash.
   * Read again when the build changes.
   */
  inlineScriptSources(): string[] {
    const file = join(this.root, this.entry);
    let mtime: number;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      return [];
    }
    if (this.inlineScripts?.mtime !== mtime) {
      const html = readFileSync(file, 'utf8');
      const sources = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
        .filter((m) => m[1] !== '')
        .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
      this.inlineScripts = { mtime, sources };
    }
    return this.inlineScripts.sources;
  }

  private inlineScripts: { mtime: number; sources: string[] } | null = null;

  /** Whether the build holds this file (e.g. a trust.json built in with `build:verifier -- --trust`). */
  has(name: string): boolean {
    return this.built && isFile(join(this.root, name));
  }

  /** `path` is what follows the prefix, already URL-decoded; `acceptEncoding` the request's header. */
  resolve(path: string, acceptEncoding?: string): VerifierPageFile {
    if (!this.built) return { missing: 'page' };
    const candidate = normalize(join(this.root, path));
    const inside = candidate.startsWith(this.root + sep);
    if (inside && path !== '' && isFile(candidate)) {
      return this.compressed(candidate, path.startsWith('assets/') ? ASSET_CACHE : PAGE_CACHE, acceptEncoding);
    }
    // A missing script or stylesheet must not be answered with HTML.
    if (path.startsWith('assets/') || /\.(js|css|map|png|svg|ico|json|txt|woff2?|br|gz)$/i.test(path)) return { missing: 'asset' };
    return this.compressed(join(this.root, this.entry), PAGE_CACHE, acceptEncoding);
  }

  /** The file, or its compressed copy when the build has one the client accepts. */
  private compressed(file: string, cacheControl: string, acceptEncoding: string | undefined): VerifierPageFile {
    const contentType = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const accepted = acceptedEncodings(acceptEncoding);
    for (const { encoding, suffix } of PRECOMPRESSED) {
      if (accepted.has(encoding) && isFile(file + suffix))
        return { file: file + suffix, contentType, cacheControl, contentEncoding: encoding };
    }
    return { file, contentType, cacheControl, contentEncoding: null };
  }
}

/** The built verifier page (`npm run build:verifier` → dist/verifier-web), served at /v/. */
@Injectable()
export class VerifierPageService extends BuiltPageFolder {
  constructor() {
    super(join(packageRoot(), 'dist', 'verifier-web'), 'index.html');
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
