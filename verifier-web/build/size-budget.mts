/**
 * Build step that measures the page's JavaScript as a phone downloads it (gzip, level 9) and
 * fails the build when it exceeds the budget: the verifier must load fast on a mobile network.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const JS_BUDGET_GZIP_BYTES = 100 * 1024;

export interface JsSize {
  files: { name: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

export function measureJs(files: { name: string; code: string | Uint8Array }[]): JsSize {
  const measured = files.map(({ name, code }) => {
    const raw = typeof code === 'string' ? Buffer.from(code) : Buffer.from(code);
    return { name, bytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length };
  });
  return {
    files: measured,
    bytes: measured.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: measured.reduce((n, f) => n + f.gzipBytes, 0),
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** `label` names the build in the stable line printed, e.g. `verifier-web page`. */
export function jsSizeBudget(budget = JS_BUDGET_GZIP_BYTES, label = 'verifier-web page'): Plugin {
  return {
    name: 'ordertrace-js-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle)
        .filter((o) => o.type === 'chunk')
        .map((o) => ({ name: o.fileName, code: o.type === 'chunk' ? o.code : '' }));
      const size = measureJs(chunks);
      // One stable line that scripts and tests can grep for.
      console.log(`${label} JS: ${size.gzipBytes} bytes gzipped (${kb(size.gzipBytes)}; ${kb(size.bytes)} raw; budget ${kb(budget)})`);
      if (size.gzipBytes > budget) {
        this.error(`${label} JS is ${kb(size.gzipBytes)} gzipped, over the ${kb(budget)} budget`);
      }
    },
  };
}
