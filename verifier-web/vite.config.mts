import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { jsSizeBudget } from './build/size-budget.mts';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // The server serves the built page under /v/ (consumer links are /v/{orderId}#token).
  base: '/v/',
  build: {
    outDir: fileURLToPath(new URL('../dist/verifier-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  // The page imports the proof core from ../proof, outside this folder.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  plugins: [jsSizeBudget()],
});
