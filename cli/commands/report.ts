/** `ordertrace report`: the evidence PDF of a bundle, optionally with its verification against the chain. */
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { nodeHttpFetch } from '../node-http-fetch';
import { type VerificationResult, verifyBundle } from '../../proof/verify';
import { renderEvidenceReport } from '../../evidence/evidence-report';
import { buildBundleView, type BundleView } from '../../view/bundle-view';
import { loadBundle } from '../bundle-input';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { writeOutputFile } from '../output-file';
import { packageVersion } from '../package-version';

export interface ReportOptions {
  bundle: string;
  output: string;
  /** Without it the report says the bundle was not checked against a chain. */
  rpc?: string;
  confirmations?: number;
  /** Warn about events anchored longer than this after they were recorded (default 24 h). */
  maxAnchorDelaySeconds?: number;
  contract?: string;
  timeoutMs: number;
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
}

export interface ReportData {
  json: ReportJson;
  /** What the human output shows. */
  view: BundleView;
}

export async function report(options: ReportOptions, ctx: CommandContext): Promise<ReportData> {
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  let verification: VerificationResult | null = null;
  if (options.rpc) {
    ctx.progress.note(`verifying ${bundle.events.length} event(s) against ${options.rpc}`);
    const reader = new JsonRpcChainReader(options.rpc, nodeHttpFetch, { timeoutMs: options.timeoutMs });
    verification = await verifyBundle(bundle, reader, {
      confirmations: options.confirmations,
      maxAnchorDelaySeconds: options.maxAnchorDelaySeconds,
      expectedContract: options.contract,
    });
  }
  ctx.progress.note(`rendering the report of ${bundle.events.length} event(s)`);
  const pdf = await renderEvidenceReport({
    bundle,
    verification,
    verificationNote: options.rpc ? undefined : 'No chain endpoint was given when this report was made (ordertrace report without --rpc).',
    rpcDescription: options.rpc,
    generatedAt: new Date(),
    generator: `ordertrace CLI ${packageVersion()}`,
  });
  const output = await writeOutputFile(ctx.cwd, options.output, pdf);
  return {
    json: { source, output, bytes: pdf.length, order: bundle.order, events: bundle.events.length, verification },
    view: buildBundleView(bundle, verification),
  };
}

export function reportJson(data: ReportData): ReportJson {
  return data.json;
}

export function reportOutcome(data: ReportData): Outcome {
  return data.json.verification?.verdict ?? 'done';
}
