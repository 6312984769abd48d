/** `ordertrace report`: the evidence PDF of a bundle, optionally with its verification against the chain. */
import type { VerificationResult } from '../../proof/verify';
import { renderEvidenceReport } from '../../evidence/evidence-report';
import { buildBundleView, type BundleView } from '../../view/bundle-view';
import { loadBundle } from '../bundle-input';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { writeOutputFile } from '../output-file';
import { packageVersion } from '../package-version';
import { loadPin, type PinOptions, verifyPinned } from '../pinned-verification';

export interface ReportOptions extends PinOptions {
  bundle: string;
  output: string;
}

/** What `report --json` prints. */
export interface ReportJson {
  source: string;
  output: string;
  bytes: number;
  order: string;
  events: number;
  /** null when no chain was given. */
  verification: VerificationResult | null;
  /** The JSON-RPC endpoints read (empty when not checked). */
  rpc: string[];
  /** False when not checked, or checked with --allow-unpinned against the contract the bundle names. */
  pinned: boolean;
}

export interface ReportData {
  json: ReportJson;
  /** What the human output shows. */
  view: BundleView;
}

/**
 * Checked against the chain when an endpoint or a trust file is given, and then only against a
 * pin (as `verify`): --trust, or --contract (and --chain-id), or explicitly --allow-unpinned.
 */
export async function report(options: ReportOptions, ctx: CommandContext): Promise<ReportData> {
  const check = options.rpc.length > 0 || options.trust !== undefined;
  const trust = check ? await loadPin(options, ctx) : null;
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  let verification: VerificationResult | null = null;
  let rpc: string[] = [];
  if (check) ({ result: verification, rpc } = await verifyPinned(bundle, options, trust, ctx));
  ctx.progress.note(`rendering the report of ${bundle.events.length} event(s)`);
  const pdf = await renderEvidenceReport({
    bundle,
    verification,
    verificationNote: check ? undefined : 'No chain endpoint was given when this report was made (ordertrace report without --rpc).',
    rpcDescription: check ? rpc.join(', ') : undefined,
    generatedAt: new Date(),
    generator: `ordertrace CLI ${packageVersion()}`,
  });
  const output = await writeOutputFile(ctx.cwd, options.output, pdf);
  return {
    json: {
      source,
      output,
      bytes: pdf.length,
      order: bundle.order,
      events: bundle.events.length,
      verification,
      rpc,
      pinned: verification?.pin !== undefined,
    },
    view: buildBundleView(bundle, verification),
  };
}

export function reportJson(data: ReportData): ReportJson {
  return data.json;
}

export function reportOutcome(data: ReportData): Outcome {
  return data.json.verification?.verdict ?? 'done';
}
