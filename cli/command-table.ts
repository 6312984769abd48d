/**
 * Every `ordertrace` command: its arguments and options (read by commander), and a loader for its
 * implementation. Implementations load lazily so that `--help` and each command start fast and
 * pull in only what they use (ethers, pg, pdfkit are heavy).
 */
import { type Command, Option } from 'commander';
import type { Writable } from 'node:stream';
import type { CommandContext } from './command-context';
import { CliError } from './cli-error';
import type { Outcome } from './exit-codes';
import * as parse from './option-parsers';
import type { PinOptions } from './pinned-verification';

export interface CommandImplementation<Options, Data> {
  /** The command itself: options in, data out; no printing, no exit codes. */
  run(options: Options, ctx: CommandContext): Promise<Data>;
  /** Human-readable output of the data. */
  print(data: Data, out: Writable): void;
  /** What --json prints, when not the data itself (e.g. without a view model kept only for printing). */
  json?(data: Data): unknown;
  /** How the data maps to an exit code. */
  outcome(data: Data): Outcome;
}

export interface CommandEntry<Options = unknown, Data = unknown> {
  name: string;
  summary: string;
  /** Declares arguments and options on the commander command (`--json` is added for every command). */
  declare(command: Command): void;
  /** Commander's parsed values → the command's typed options. */
  options(args: string[], values: Record<string, unknown>): Options;
  load(): Promise<CommandImplementation<Options, Data>>;
}

interface AuditCommandOptions {
  databaseUrl?: string;
  api?: string;
  trust?: string;
  rpc: string[];
  contract?: string;
  brand?: string;
  key?: string;
  flags: boolean;
  timeoutMs: number;
}

// Typed per entry, stored erased: the table only pairs an entry's options() with its own load().
function entry<Options, Data>(e: CommandEntry<Options, Data>): CommandEntry {
  return e;
}

const DEFAULT_TIMEOUT_SECONDS = 15;

/** The pin of a bundle check (verify, report): a trust file, or a contract and chain, or explicitly none. */
function declarePin(c: Command): Command {
  return c
    .addOption(
      new Option('--trust <file>', "the brand's trust file (ordertrace-trust/1; a path or https:// URL): chain, contract and endpoints"),
    )
    .addOption(
      new Option('--rpc <url>', 'JSON-RPC URL of the chain; repeat for several (all must agree); default: those of the trust file')
        .env('CHAIN_RPC_URL')
        .argParser(parse.httpUrlList),
    )
    .addOption(confirmationsOption())
    .addOption(maxAnchorDelayOption())
    .addOption(contractOption('the OrderAnchor contract you trust; a bundle naming another one is invalid'))
    .addOption(new Option('--chain-id <id>', 'the chain you trust (with --contract)').argParser(parse.chainId))
    .option('--allow-unpinned', 'check against whatever contract the bundle names (proves nothing against a look-alike contract)')
    .addOption(timeoutOption('RPC node'));
}

/** The parsed pin options (see declarePin). */
function pinOptions(v: Record<string, unknown>): PinOptions {
  return {
    rpc: (v.rpc as string[] | undefined) ?? [],
    confirmations: v.confirmations as number | undefined,
    maxAnchorDelaySeconds: v.maxAnchorDelay as number | undefined,
    trust: v.trust as string | undefined,
    contract: v.contract as string | undefined,
    chainId: v.chainId as number | undefined,
    allowUnpinned: v.allowUnpinned === true,
    timeoutMs: (v.timeout as number) * 1000,
  };
}

function timeoutOption(what: string): Option {
  return new Option('--timeout <seconds>', `give up on an unresponsive ${what} after this long`)
    .argParser(parse.timeoutSeconds)
    .default(DEFAULT_TIMEOUT_SECONDS);
}

function contractOption(help: string): Option {
  return new Option('--contract <address>', help).argParser(parse.address);
}

function maxAnchorDelayOption(): Option {
  return new Option(
    '--max-anchor-delay <duration>',
    'warn about events anchored longer than this after they were recorded, e.g. 90m, 24h, 2d (default 24h)',
  ).argParser(parse.durationSeconds);
}

function confirmationsOption(): Option {
  return new Option('--confirmations <n>', 'blocks an anchoring transaction needs to count as final (default 1)').argParser(
    parse.confirmations,
  );
}

export const COMMANDS: readonly CommandEntry[] = [
  entry({
    name: 'verify',
    summary: 'verify a proof bundle against the chain and contract you pin',
    declare: (c) =>
      declarePin(c.argument('<bundle>', 'bundle file (ordertrace-bundle/1 JSON), or - to read stdin')).addHelpText(
        'after',
        '\nA pin is required: --trust, or --contract (and --chain-id), or --allow-unpinned.\n' +
          'Exit codes: 0 verified, 1 invalid (tampered, not anchored as claimed, another contract, endpoints disagree),\n' +
          '2 bad input or nothing pinned, 3 chain unreachable, 4 pending (valid so far, not all events anchored yet).\n' +
          'Time warnings (an event recorded after its anchoring block, or anchored later than --max-anchor-delay)\n' +
          'are printed and listed under "timeWarnings" in --json; they do not change the verdict or the exit code.\n\n' +
          'Example:\n  ordertrace verify order.json --trust https://brand.example/trust.json\n' +
          '  curl … | ordertrace verify - --rpc http://127.0.0.1:8545 --contract 0x… --json',
      ),
    options: (args, v) => ({ bundle: args[0], ...pinOptions(v) }),
    load: async () => {
      const [command, printer] = await Promise.all([import('./commands/verify'), import('./printers/verify-printer')]);
      return { run: command.verify, print: printer.printVerify, json: command.verifyJson, outcome: command.verifyOutcome };
    },
  }),
  entry({
    name: 'report',
    summary: 'write an evidence report (PDF) for a proof bundle',
    declare: (c) =>
      declarePin(
        c
          .argument('<bundle>', 'bundle file (ordertrace-bundle/1 JSON), or - to read stdin')
          .requiredOption('-o, --output <file>', 'where to write the PDF'),
      ).addHelpText(
        'after',
        '\nWith --trust or --rpc the report includes the verification result against the chain, and the exit code\n' +
          'is the verdict (0 verified, 1 invalid, 4 pending); without either the report says it was not checked.\n' +
          'A check needs a pin, as for verify: --trust, or --contract (and --chain-id), or --allow-unpinned (else exit 2).',
      ),
    options: (args, v) => ({ bundle: args[0], output: v.output as string, ...pinOptions(v) }),
    load: async () => {
      const [command, printer] = await Promise.all([import('./commands/report'), import('./printers/report-printer')]);
      return { run: command.report, print: printer.printReport, json: command.reportJson, outcome: command.reportOutcome };
    },
  }),
  entry({
    name: 'audit',
    summary: 'audit a whole database, or the batches an ordertrace API publishes, against the chain',
    declare: (c) =>
      c
        .addOption(
          new Option('--database-url <url>', 'PostgreSQL URL of the ordertrace database (read only)')
            .env('DATABASE_URL')
            .argParser(parse.postgresUrl)
            .conflicts('api'),
        )
        .addOption(
          new Option('--api <url>', 'base URL of an ordertrace API: audit its public batches, no database or key needed').argParser(
            parse.httpUrl,
          ),
        )
        .addOption(new Option('--trust <file>', "with --api: the brand's trust file (ordertrace-trust/1): contract and endpoints"))
        .addOption(
          new Option(
            '--key <key>',
            "with --api: an auditor's API key; adds the audit trail and the hash chain of every order the key's grants open",
          ),
        )
        .addOption(
          new Option(
            '--flags',
            'with --api --key: also list the anomaly flags of the orders checked (they point a risk team at an order; they are no discrepancy)',
          ),
        )
        .addOption(
          new Option('--rpc <url>', 'JSON-RPC URL of the chain (repeat for several with --api; default: those of the trust file)')
            .env('CHAIN_RPC_URL')
            .argParser(parse.httpUrlList),
        )
        .addOption(contractOption("OrderAnchor address (default: the trust file's, or the one recorded in the database)"))
        .addOption(
          new Option('--brand <slug>', "audit only this brand's orders (batch roots are still checked in full)").argParser(parse.brandSlug),
        )
        .addOption(timeoutOption('database, API or RPC node'))
        .addHelpText(
          'after',
          '\nWith --database-url: every record, hash chain and batch root. With --api and --trust: every published\n' +
            "batch's leaves folded to its root and compared with the contract through the trust file's endpoints;\n" +
            "with --key (an auditor's key) also the audit trail and every granted order's records, hash chain and\n" +
            'inclusion proofs, and with --flags their anomaly flags. The database audit checks the audit trail too.\n' +
            'Streams in constant memory; progress goes to stderr.\n' +
            'Exit codes: 0 clean, 1 discrepancies found, 2 bad arguments, 3 database, API or chain unreachable.\n\n' +
            'Example:\n  ordertrace audit --api https://api.example.com --trust https://brand.example/trust.json',
        ),
    options: (_args, v) => {
      const rpc = (v.rpc as string[] | undefined) ?? [];
      if (v.api === undefined && v.databaseUrl === undefined)
        throw new CliError('USAGE', 'give --database-url <url>, or --api <url> with --trust <file>');
      if (v.api === undefined && v.key !== undefined)
        throw new CliError('USAGE', '--key goes with --api: a database audit reads the audit trail from the database');
      if (v.flags === true && (v.api === undefined || v.key === undefined))
        throw new CliError('USAGE', '--flags goes with --api and --key: the flags of the orders the key may read come from the API');
      if (v.api === undefined && rpc.length !== 1)
        throw new CliError('USAGE', 'a database audit reads the chain through exactly one --rpc <url>');
      return {
        databaseUrl: v.databaseUrl as string | undefined,
        api: v.api as string | undefined,
        trust: v.trust as string | undefined,
        rpc,
        contract: v.contract as string | undefined,
        brand: v.brand as string | undefined,
        key: v.key as string | undefined,
        flags: v.flags === true,
        timeoutMs: (v.timeout as number) * 1000,
      };
    },
    load: async () => {
      const [database, api, printer, apiPrinter] = await Promise.all([
        import('./commands/audit'),
        import('./commands/audit-api'),
        import('./printers/audit-printer'),
        import('./printers/audit-api-printer'),
      ]);
      type Data = Awaited<ReturnType<typeof database.audit>> | Awaited<ReturnType<typeof api.auditApi>>;
      return {
        run: (o: AuditCommandOptions, ctx: CommandContext): Promise<Data> =>
          o.api !== undefined
            ? api.auditApi(
                { api: o.api, trust: o.trust, rpc: o.rpc, contract: o.contract, key: o.key, flags: o.flags, timeoutMs: o.timeoutMs },
                ctx,
              )
            : database.audit(
                { databaseUrl: o.databaseUrl!, rpc: o.rpc[0], contract: o.contract, brand: o.brand, timeoutMs: o.timeoutMs },
                ctx,
              ),
        print: (data: Data, out: Writable) => ('api' in data ? apiPrinter.printAuditApi(data, out) : printer.printAudit(data, out)),
        outcome: (data: Data) => (data.discrepancyCount > 0 ? 'invalid' : 'verified'),
      };
    },
  }),
  entry({
    name: 'export',
    summary: "download an order's proof bundle from the ordertrace API",
    declare: (c) =>
      c
        .argument('<orderId>', 'the order id (ord_…)', parse.orderId)
        .addOption(
          new Option('--api <url>', 'base URL of the ordertrace API')
            .env('ORDERTRACE_API_URL')
            .argParser(parse.httpUrl)
            .makeOptionMandatory(),
        )
        .addOption(
          new Option('--key <key>', "an API key: the brand's (brand:read), or an arbitrator's or auditor's the brand granted the order")
            .env('ORDERTRACE_API_KEY')
            .makeOptionMandatory(),
        )
        .addOption(new Option('--disclose <fields>', 'private fields to disclose with their salts: a,b or all').argParser(parse.disclosure))
        .option('-o, --output <file>', 'write the bundle here (default: stdout)')
        .addOption(timeoutOption('API')),
    options: (args, v) => ({
      orderId: args[0],
      api: v.api as string,
      key: v.key as string,
      disclose: v.disclose as string[] | 'all' | undefined,
      output: v.output as string | undefined,
      timeoutMs: (v.timeout as number) * 1000,
    }),
    load: async () => {
      const [command, printer] = await Promise.all([import('./commands/export'), import('./printers/export-printer')]);
      return { run: command.exportBundle, print: printer.printExport, outcome: command.exportOutcome };
    },
  }),
  entry({
    name: 'qr',
    summary: "write the QR code (PNG or SVG) of an order's public verifier link",
    declare: (c) =>
      c
        .argument('<orderId>', 'the order id (ord_…)', parse.orderId)
        .addOption(
          new Option('--api <url>', 'base URL of the ordertrace API')
            .env('ORDERTRACE_API_URL')
            .argParser(parse.httpUrl)
            .makeOptionMandatory(),
        )
        .addOption(
          new Option('--key <key>', "the brand's API key (brand:write: showing a code issues the link)")
            .env('ORDERTRACE_API_KEY')
            .makeOptionMandatory(),
        )
        .addOption(new Option('--format <format>', 'png or svg (default: from the output file name, else png)').argParser(parse.qrFormat))
        .addOption(new Option('--size <pixels>', 'PNG side in pixels, 128 to 2048').argParser(parse.qrSize))
        .option('-o, --output <file>', 'where to write the image (default: <orderId>.png or .svg)')
        .option('--new', 'issue a new link first; QR codes printed earlier stop working')
        .addOption(timeoutOption('API'))
        .addHelpText('after', '\nExample:\n  ordertrace qr ord_01JD… --api http://localhost:3000 --key $KEY -o label.svg'),
    options: (args, v) => ({
      orderId: args[0],
      api: v.api as string,
      key: v.key as string,
      format: v.format as 'png' | 'svg' | undefined,
      size: v.size as number | undefined,
      output: v.output as string | undefined,
      renew: v.new === true,
      timeoutMs: (v.timeout as number) * 1000,
    }),
    load: async () => {
      const [command, printer] = await Promise.all([import('./commands/qr'), import('./printers/qr-printer')]);
      return { run: command.qr, print: printer.printQr, outcome: command.qrOutcome };
    },
  }),
];
