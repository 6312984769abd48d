/**
 * Build step that makes `src/first-requests.ts` an entry of its own and puts it in the page ahead
 * of the main script: Vite would otherwise merge every module script of index.html into one file,
 * and the page's first requests would wait until the whole main script had downloaded and compiled.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const NAME = 'first-requests';

export function firstScript(): Plugin {
  const source = fileURLToPath(new URL(`../src/${NAME}.ts`, import.meta.url));
  return {
    name: 'ordertrace-first-script',
    apply: 'build',
    config(config) {
      const input = config.build?.rollupOptions?.input ?? fileURLToPath(new URL('../index.html', import.meta.url));
      return { build: { rollupOptions: { input: { ...(typeof input === 'string' ? { index: input } : input), [NAME]: source } } } };
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((o) => o.type === 'chunk' && o.isEntry && o.name === NAME);
        if (chunk === undefined) throw new Error(`the build has no ${NAME} entry`);
        // Module scripts run in document order: this one, small, runs as soon as it has arrived.
        return [{ tag: 'script', attrs: { type: 'module', crossorigin: true, src: `./${chunk.fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}
