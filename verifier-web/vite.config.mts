import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstScript } from './build/first-script.mts';
import { precompress } from './build/precompress.mts';
import { jsSizeBudget } from './build/size-budget.mts';

const here = fileURLToPath(new URL('.', import.meta.url));
// Set by scripts/build-verifier.js (`npm run build:verifier -- --trust … --out …`).
const outDir = process.env.ORDERTRACE_VERIFIER_OUT || fileURLToPath(new URL('../dist/verifier-web', import.meta.url));
const trust = process.env.ORDERTRACE_VERIFIER_TRUST || 'null';

export default defineConfig({
  root: here,
  // Relative: the built folder works from any origin and path (the server's /v/, a brand's site, an IPFS gateway).
  base: './',
  define: { __ORDERTRACE_TRUST__: trust },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  // The page imports the proof core from ../proof, outside this folder.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  plugins: [firstScript(), jsSizeBudget(), precompress()],
});
