/**
 * Writes client/schema.ts, the types of ordertrace's HTTP API, from the OpenAPI document the
 * service builds (openapi-typescript). `--check` writes nothing and exits 1 when the committed file
 * (or the one `--schema FILE` names) differs from what the routes produce now.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from './openapi-document';

export const SCHEMA_FILE = join(__dirname, '..', 'client', 'schema.ts');

const HEADER = `/**
 * The types of ordertrace's HTTP API, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run \`npm run generate:client\` after changing a route or DTO.
 */

`;

/** The schema file's text for the routes as they are now. */
export async function generateClientSchema(): Promise<string> {
  const document = await buildOpenApiDocument();
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const at = process.argv.indexOf('--schema');
  const file = at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : SCHEMA_FILE;
  process.stderr.write('building the OpenAPI document…\n');
  const text = await generateClientSchema();
  if (check) {
    if (readFileSync(file, 'utf8') !== text) {
      process.stderr.write(`${file} is out of date: run \`npm run generate:client\`\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`${file} is up to date\n`);
    return;
  }
  writeFileSync(file, text);
  process.stderr.write(`wrote ${file}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`generate-client: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
