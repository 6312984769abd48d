/**
 * Build step that puts `src/first-requests.ts` into index.html as a small inline script of its
 * own, ahead of everything else: the page's first requests (the order, the trust file) then leave
 * as soon as the HTML has been parsed this far, not after another round trip for a script file.
 * It is bundled on its own (no chunk shared with the main script) so it needs no other file; the
 * two meet through early-requests.ts's registry on the global object. Servers that send a
 * Content-Security-Policy allow it by its hash (the service's /v/ reads it with inlineScriptSources).
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type Rolldown } from 'vite';

const source = fileURLToPath(new URL('../src/first-requests.ts', import.meta.url));

async function bundleFirstScript(define: Record<string, string>): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    define,
    build: {
      write: false,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: source, formats: ['iife'], name: 'ordertraceFirstRequests' },
      rolldownOptions: { output: { entryFileNames: 'first-requests.js' } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (chunk === undefined) throw new Error('the first script did not build');
  // "</script" inside the code would end the inline element early.
  if (/<\/script/i.test(chunk.code)) throw new Error('the first script contains "</script"');
  return chunk.code.trim();
}

export function firstScript(): Plugin {
  let define: Record<string, string> = {};
  return {
    name: 'ordertrace-first-script',
    apply: 'build',
    configResolved(config) {
      define = Object.fromEntries(Object.entries(config.define ?? {}).map(([k, v]) => [k, String(v)]));
    },
    transformIndexHtml: {
      order: 'post',
      async handler() {
        const code = await bundleFirstScript(define);
        return [{ tag: 'script', children: code, injectTo: 'head-prepend' }];
      },
    },
  };
}
