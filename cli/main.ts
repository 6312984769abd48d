/**
 * Entry point of the `ordertrace` CLI: builds the commander program from the command table, runs
 * one command, prints its data (human or --json) and is the only place that turns outcomes and
 * errors into exit codes (see exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import type { Readable, Writable } from 'node:stream';
import { ProofError, type ProofErrorCode } from '../proof/errors';
import { useFastKeccak } from '../proof/fast-keccak';
import { oneLine } from './bundle-input';
import { CliError, type CliErrorCode } from './cli-error';
import { type CommandContext, Progress } from './command-context';
import { COMMANDS } from './command-table';
import { EXIT_CODES, exitCodeForOutcome } from './exit-codes';
import { packageVersion } from './package-version';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

/** Runs the CLI with `argv` (as process.argv: node, script, args…) and resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.slice(2).includes('--json');
  let exitCode: number = EXIT_CODES.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    // Audits recompute every leaf and root: the WebAssembly keccak, installed before any command runs.
    await useFastKeccak();
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    return reportError(err, io, json);
  }
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('ordertrace')
    .description('Verify and audit ordertrace proofs: order events hashed, batched and anchored on an EVM chain.')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Errors are printed once, by reportError, as one line.
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 verified/ok, 1 invalid, 2 usage or input error, 3 chain/database/API unreachable, 4 pending.\n' +
        'Run `ordertrace <command> --help` for details. The proof format is specified in docs/proof-spec.md.',
    );

  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary);
    entry.declare(command);
    command.option('--json', 'print the result as JSON on stdout (progress and errors stay on stderr)');
    command.action(async (...actionArgs: unknown[]) => {
      const self = actionArgs[actionArgs.length - 1] as Command;
      const values = self.opts();
      const options = entry.options(self.processedArgs as string[], values);
      const ctx: CommandContext = {
        cwd: io.cwd,
        env: io.env,
        stdin: io.stdin,
        stdout: io.stdout,
        progress: new Progress(io.stderr),
      };
      const implementation = await entry.load();
      const data = await implementation.run(options, ctx);
      ctx.progress.done();
      if (values.json) io.stdout.write(`${JSON.stringify(implementation.json ? implementation.json(data) : data, null, 2)}\n`);
      else implementation.print(data, io.stdout);
      setExitCode(exitCodeForOutcome(implementation.outcome(data)));
    });
  }
  return program;
}

function reportError(err: unknown, io: CliIo, json: boolean): number {
  let code: number;
  let kind: string;
  let message: string;
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0 and nothing more to say.
    if (err.exitCode === 0) return 0;
    code = EXIT_CODES.usage;
    kind = 'USAGE';
    message = err.message.replace(/^error: /, '');
    if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed') return code;
  } else if (err instanceof CliError) {
    code = exitCodeForCliError(err.code);
    kind = err.code;
    message = err.message;
  } else if (err instanceof ProofError) {
    code = exitCodeForProofError(err.code);
    kind = err.code;
    message = err.message;
  } else {
    code = EXIT_CODES.internal;
    kind = 'INTERNAL';
    message = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    if (io.env.ORDERTRACE_DEBUG) io.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    else message += ' (set ORDERTRACE_DEBUG=1 to see where)';
  }
  const line = oneLine(message, 2000);
  io.stderr.write(`ordertrace: ${line}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: { code: kind, message: line }, exitCode: code }, null, 2)}\n`);
  return code;
}

function exitCodeForCliError(code: CliErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'INPUT':
    case 'API_REJECTED':
    case 'OUTPUT':
      return EXIT_CODES.usage;
    case 'DATABASE_UNREACHABLE':
    case 'API_UNREACHABLE':
      return EXIT_CODES.unreachable;
  }
}

function exitCodeForProofError(code: ProofErrorCode): number {
  switch (code) {
    case 'CHAIN_UNAVAILABLE':
      return EXIT_CODES.unreachable;
    case 'ENDPOINTS_DISAGREE':
      return EXIT_CODES.invalid;
    case 'INVALID_TRUST':
    case 'MALFORMED_BUNDLE':
    case 'INVALID_RECORD':
    case 'NOT_CANONICALIZABLE':
    case 'INVALID_ARGUMENT':
      return EXIT_CODES.usage;
  }
}

/** For cli/bin/ordertrace.js (and `npm run cli`): run with the real process and exit with the code. */
export function main(argv: readonly string[]): void {
  // A closed pipe (`ordertrace … | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  run(argv, { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      // Open sockets (keep-alive, database pools) must not keep a finished command alive.
      process.stdout.write('', () => process.exit(code));
    },
    (err: unknown) => {
      process.stderr.write(`ordertrace: internal error: ${String(err)}\n`);
      process.exit(EXIT_CODES.internal);
    },
  );
}

// `npm run cli -- …` runs this file from source (ts-node), for development only.
if (require.main === module) main(process.argv);
