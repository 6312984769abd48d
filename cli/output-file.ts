import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error';

/**
 * Writes a command's output file atomically (temporary file, then rename), so that an interrupted
 * run never leaves a half-written bundle or report behind. Returns the absolute path.
 */
export async function writeOutputFile(cwd: string, path: string, content: string | Uint8Array): Promise<string> {
  const target = resolve(cwd, path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such directory'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : String((err as Error).message);
    throw new CliError('OUTPUT', `cannot write ${path}: ${reason}`, { cause: err });
  }
  return target;
}
