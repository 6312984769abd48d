import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { jsSizeBudget } from './build/size-budget.mts';

/**
 * The brand console: a second page of this folder, built on its own (scripts/build-verifier.js) so
 * that its charts and views never enter the verifier page's bundle. It reuses the page's proof
 * checks and timeline, and the same trust anchors (trust.json beside it, or built in).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.env.ORDERTRACE_CONSOLE_OUT || fileURLToPath(new URL('../dist/console-web', import.meta.url));
const trust = process.env.ORDERTRACE_VERIFIER_TRUST || 'null';

/** Staff open it on a desktop; still small enough for a phone. */
const CONSOLE_JS_BUDGET_GZIP_BYTES = 100 * 1024;

export default defineConfig({
  root: here,
  base: './',
  define: { __ORDERTRACE_TRUST__: trust },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    rollupOptions: { input: fileURLToPath(new URL('console.html', import.meta.url)) },
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  plugins: [jsSizeBudget(CONSOLE_JS_BUDGET_GZIP_BYTES, 'console')],
});
