/**
 * The evidence report: a PDF an arbitrator can read and file, describing an order's proof bundle —
 * timeline, every event's data, disclosed fields, hashes and anchors, the verification result at
 * the time of export, and how anyone can verify the bundle without ordertrace. Used by
 * GET /v1/orders/{id}/evidence.pdf and by `ordertrace report`.
 *
 * Everything shown comes from the bundle view (view/bundle-view.ts), which reads the possibly
 * tampered bundle defensively; this file only lays it out.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { Bundle } from '../proof/bundle';
import { canonicalJson } from '../proof/canonical';
import { BLOCK_TIME_TOLERANCE_SECONDS, type VerificationResult } from '../proof/verify';
import {
  batchOf,
  type BatchView,
  buildBundleView,
  type BundleView,
  type ChangeRequestView,
  type EventRow,
  type RecordSource,
  type RowStatus,
} from '../view/bundle-view';
import { MONO, printable, registerReportFonts, SANS as FONT, SANS_BOLD as FONT_BOLD } from './report-fonts';

export interface EvidenceReportInput {
  bundle: Bundle;
  /** The verification at export time; null when it was not run (no chain given). */
  verification: VerificationResult | null;
  /** Why verification is missing, or a remark about how it was done. */
  verificationNote?: string;
  /** The chain endpoint verification used, as far as it may be shown. */
  rpcDescription?: string;
  generatedAt: Date;
  /** Who produced the report, e.g. "ordertrace API" or "ordertrace CLI 0.1.0". */
  generator: string;
}

const PAGE_MARGIN = 50;
const COLORS = { text: '#111111', muted: '#555555', rule: '#bbbbbb', verified: '#1b6e20', pending: '#8a5a00', invalid: '#b00020' };

/**
 * SHA-256 of the bundle's RFC 8785 canonical JSON: the same for every copy of the bundle whatever
 * its whitespace, so the report can be matched to the file it describes.
 */
export function bundleFingerprint(bundle: Bundle): string {
  try {
    return createHash('sha256').update(canonicalJson(bundle)).digest('hex');
  } catch (err) {
    // Only a malformed bundle gets here (the CLI reports on any file).
    return `not computable: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function renderEvidenceReport(input: EvidenceReportInput): Promise<Buffer> {
  const view = buildBundleView(input.bundle, input.verification);
  const order = view.order.order ?? '?';
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    info: {
      Title: `ordertrace evidence report: ${order}`,
      Subject: `Proof bundle ${order} of brand ${view.order.brand ?? '?'}`,
      Creator: input.generator,
      Producer: 'ordertrace',
      CreationDate: input.generatedAt,
    },
  });
  registerReportFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const report = new ReportWriter(doc);
  writeTitle(report, input, view);
  writeVerdict(report, input, view);
  writeTimeline(report, view);
  writeRequests(report, view);
  writeBatches(report, view);
  view.events.forEach((row) => writeEvent(report, view, row));
  writeHowToVerify(report, view);
  writeFooters(doc, input, view);
  doc.end();
  return done;
}

/** Thin layer over pdfkit: consistent styles, and page breaks before blocks that must stay together. */
class ReportWriter {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get width(): number {
    return this.doc.page.width - PAGE_MARGIN * 2;
  }

  ensureSpace(height: number): void {
    if (this.doc.y + height > this.doc.page.height - PAGE_MARGIN) this.doc.addPage();
  }

  heading(text: string): void {
    this.ensureSpace(60);
    this.doc.moveDown(0.8).font(FONT_BOLD).fontSize(13).fillColor(COLORS.text).text(printable(text), PAGE_MARGIN);
    const y = this.doc.y + 2;
    this.doc
      .moveTo(PAGE_MARGIN, y)
      .lineTo(PAGE_MARGIN + this.width, y)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    this.doc.moveDown(0.5);
  }

  subheading(text: string, color = COLORS.text): void {
    this.ensureSpace(80);
    this.doc.moveDown(0.6).font(FONT_BOLD).fontSize(11).fillColor(color).text(printable(text), PAGE_MARGIN);
    this.doc.moveDown(0.2);
  }

  paragraph(text: string, options: { color?: string; size?: number; bold?: boolean } = {}): void {
    this.doc
      .font(options.bold ? FONT_BOLD : FONT)
      .fontSize(options.size ?? 9.5)
      .fillColor(options.color ?? COLORS.text)
      .text(printable(text), PAGE_MARGIN, undefined, { width: this.width });
    this.doc.moveDown(0.3);
  }

  /** "label: value" with the label in a fixed column; hashes and ids in a monospace font. */
  field(label: string, value: string, options: { mono?: boolean; color?: string } = {}): void {
    const labelWidth = 110;
    const x = PAGE_MARGIN;
    this.ensureSpace(14);
    const y = this.doc.y;
    this.doc
      .font(FONT)
      .fontSize(8.5)
      .fillColor(COLORS.muted)
      .text(printable(label), x, y, { width: labelWidth - 6 });
    const afterLabel = this.doc.y;
    // Courier covers only Latin-1: a value with other characters (a tampered hash) is set in the text font.
    const mono = options.mono === true && isLatin1(value);
    this.doc
      .font(mono ? MONO : FONT)
      .fontSize(mono ? 8 : 9)
      .fillColor(options.color ?? COLORS.text)
      .text(printable(value), x + labelWidth, y, { width: this.width - labelWidth });
    this.doc.y = Math.max(this.doc.y, afterLabel) + 1.5;
    this.doc.x = PAGE_MARGIN;
  }
}

function isLatin1(text: string): boolean {
  return /^[\x20-\x7e\xa0-\xff]*$/.test(text);
}

function writeTitle(r: ReportWriter, input: EvidenceReportInput, view: BundleView): void {
  const o = view.order;
  r.doc.font(FONT_BOLD).fontSize(20).fillColor(COLORS.text).text('ordertrace evidence report', PAGE_MARGIN, PAGE_MARGIN);
  r.doc.moveDown(0.2).font(FONT).fontSize(10).fillColor(COLORS.muted);
  r.doc.text("Proof of an order's event history, anchored on a public blockchain.", { width: r.width });
  r.doc.moveDown(0.8);
  r.field('Order', o.order ?? '(missing)', { mono: true });
  r.field('Brand', o.brand ?? '(missing)');
  r.field('Events', String(o.eventCount));
  r.field('Chain', `chain id ${o.chainId ?? '?'}`);
  r.field('Anchor contract', o.contract ?? '(missing)', { mono: true });
  r.field('Bundle format', o.format ?? '(missing)');
  r.field('Bundle fingerprint', `SHA-256 of the bundle's RFC 8785 canonical JSON: ${bundleFingerprint(input.bundle)}`, { mono: true });
  r.field('Report generated', `${input.generatedAt.toISOString()} by ${input.generator}`);
}

function verdictText(view: BundleView): { title: string; color: string; explanation: string } {
  const v = view.verdict;
  switch (v.kind) {
    case 'not-checked':
      return {
        title: 'NOT CHECKED AGAINST A CHAIN',
        color: COLORS.pending,
        explanation: 'This report was produced without reading the blockchain. Verify the bundle as described at the end of this report.',
      };
    case 'verified':
      return {
        title: 'VERIFIED',
        color: COLORS.verified,
        explanation:
          `Every event's record hashes to its leaf, every disclosed field opens its commitment, the events form an unbroken ` +
          `hash chain from seq 1 to ${v.events}, and every leaf is included in a batch root that the anchor contract holds on chain, ` +
          `written by a transaction with at least ${v.confirmationsRequired} confirmation(s).`,
      };
    case 'pending':
      return {
        title: 'PENDING',
        color: COLORS.pending,
        explanation:
          'No tampering was found, but some events were not yet anchored on chain (or not yet confirmed) when this report was made. ' +
          'Their existence is not yet proven by the chain; verify again later.',
      };
    case 'invalid':
      return {
        title: 'INVALID',
        color: COLORS.invalid,
        explanation: 'The bundle does not prove the history it contains. The first failure is given below; affected events are marked.',
      };
  }
}

function seqList(seqs: readonly (number | null)[]): string {
  return seqs.map((s) => (s === null ? '?' : String(s))).join(', ');
}

function writeVerdict(r: ReportWriter, input: EvidenceReportInput, view: BundleView): void {
  const { title, color, explanation } = verdictText(view);
  r.heading('Verification result at export time');
  r.doc.font(FONT_BOLD).fontSize(16).fillColor(color).text(title, PAGE_MARGIN);
  r.doc.moveDown(0.3);
  r.paragraph(explanation);
  if (input.verificationNote) r.paragraph(input.verificationNote, { color: COLORS.muted });
  if (view.verdict.kind === 'not-checked') return;
  if (view.verdict.kind === 'invalid' && view.verdict.failure) {
    const f = view.verdict.failure;
    const where = f.index < 0 ? 'the bundle as a whole' : `event seq ${f.seq ?? '?'} (#${f.index + 1} in the bundle)`;
    r.field('First failure', `${where}, step ${f.stepNumber} "${f.step}" (${f.code}): ${f.message}`, { color: COLORS.invalid });
  }
  const c = view.counts;
  r.field('Events', `${c.verified} verified, ${c.pending} pending, ${c.invalid} invalid, ${c.unchecked} unchecked`);
  for (const w of view.warnings) {
    if (w.code === 'pending-events') r.field('Not yet proven', `events seq ${seqList(w.seqs)}`, { color: COLORS.pending });
    if (w.code === 'recorded-after-block') {
      r.field(
        'Time warning',
        `events seq ${seqList(w.seqs)} say they were recorded after the block that anchors them (by more than ${w.toleranceSeconds} s); ` +
          'see the events. This does not change the result.',
        { color: COLORS.pending },
      );
    }
    if (w.code === 'late-anchor') {
      r.field(
        'Time warning',
        `events seq ${seqList(w.seqs)} were anchored more than ${durationText(w.maxDelaySeconds)} after they were recorded; ` +
          'a drained anchoring wallet or a chain outage delays anchoring honestly, so this does not change the result.',
        { color: COLORS.pending },
      );
    }
  }
  r.field('Checked at', input.generatedAt.toISOString());
  if (input.rpcDescription) r.field('Chain endpoint', input.rpcDescription, { mono: true });
  r.field('Chain head block', view.order.headBlock === null ? 'not read' : String(view.order.headBlock));
  r.field('Confirmations required', String(view.order.confirmationsRequired ?? '?'));
}

function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day(s)`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour(s)`;
  if (seconds % 60 === 0) return `${seconds / 60} minute(s)`;
  return `${seconds} s`;
}

/** Who recorded an event, as its hashed record states it. */
function recordedByText(source: RecordSource): string {
  switch (source.kind) {
    case 'api-key':
      return `the brand, through its API key ${source.keyId}`;
    case 'consumer':
      return "the consumer, through the order's receipt link";
    case 'operator':
      return 'the ordertrace operator';
    case 'unknown':
      return `"${source.value}" (a value this report does not know)`;
    case 'not-stated':
      return 'not stated (recorded before ordertrace wrote it into records)';
  }
}

function statusColor(status: RowStatus): string {
  if (status === 'verified') return COLORS.verified;
  if (status === 'pending') return COLORS.pending;
  if (status === 'invalid') return COLORS.invalid;
  return COLORS.muted;
}

function statusWord(view: BundleView, row: EventRow): string {
  if (view.verdict.kind === 'not-checked') return 'not checked';
  return row.failure ? `invalid: ${row.failure.step}` : row.status;
}

function blockCell(batch: BatchView | undefined): string {
  if (!batch) return '-';
  if (batch.onChain) return String(batch.onChain.blockNumber);
  return `(${batch.claimedBlockNumber ?? '?'})`;
}

function writeTimeline(r: ReportWriter, view: BundleView): void {
  r.heading('Order timeline');
  const columns = [
    { header: 'Seq', width: 30 },
    { header: 'Event', width: 100 },
    { header: 'Happened at (UTC)', width: 125 },
    { header: 'Batch', width: 45 },
    { header: 'Block', width: 60 },
    { header: 'Status', width: 135 },
  ];
  const rowHeight = 13;
  const drawHeader = () => {
    let x = PAGE_MARGIN;
    const y = r.doc.y;
    r.doc.font(FONT_BOLD).fontSize(8.5).fillColor(COLORS.muted);
    for (const c of columns) {
      r.doc.text(c.header, x, y, { width: c.width - 4, lineBreak: false });
      x += c.width;
    }
    r.doc.y = y + rowHeight;
  };
  drawHeader();
  for (const row of view.events) {
    if (r.doc.y + rowHeight > r.doc.page.height - PAGE_MARGIN) {
      r.doc.addPage();
      drawHeader();
    }
    const batch = batchOf(view, row);
    const cells = [
      row.seq === null ? '?' : String(row.seq),
      row.type ?? '(missing)',
      row.at ?? '(missing)',
      batch ? String(batch.batch ?? '?') : '-',
      blockCell(batch),
      statusWord(view, row),
    ];
    let x = PAGE_MARGIN;
    const y = r.doc.y;
    cells.forEach((cell, i) => {
      r.doc
        .font(i === 5 ? FONT_BOLD : FONT)
        .fontSize(8.5)
        .fillColor(i === 5 ? statusColor(row.status) : COLORS.text)
        .text(printable(cell), x, y, { width: columns[i].width - 4, lineBreak: false, ellipsis: true });
      x += columns[i].width;
    });
    r.doc.y = y + rowHeight;
  }
  r.doc.x = PAGE_MARGIN;
  r.doc.moveDown(0.3);
  if (view.warnings.some((w) => w.code === 'unconfirmed-blocks')) {
    r.paragraph('Block numbers in parentheses are claimed by the bundle and were not confirmed against a chain.', {
      color: COLORS.muted,
      size: 8,
    });
  }
}

/** Each anchoring batch once, however many of the order's events it holds. */
const REQUEST_WORDS: Record<ChangeRequestView['request'], string> = {
  address: 'Change of delivery address',
  hold: 'Hold the parcel',
  unknown: 'Change request',
};

/** The consumer's change requests (proof spec §1) and how the brand answered each. */
function writeRequests(r: ReportWriter, view: BundleView): void {
  if (view.requests.length === 0) return;
  r.heading("Consumer's change requests");
  for (const request of view.requests) {
    const answer = request.answeredBy === null ? 'not answered' : `${request.state} by event seq ${request.answeredBy}`;
    r.field(`Seq ${request.seq ?? '?'}: ${REQUEST_WORDS[request.request]}`, request.state === 'pending' ? 'pending, not answered' : answer);
  }
}

function writeBatches(r: ReportWriter, view: BundleView): void {
  if (view.batches.length === 0) return;
  r.heading('Anchoring batches');
  for (const batch of view.batches) {
    r.subheading(`Batch ${batch.batch ?? '?'}: events seq ${seqList(batch.events)}`);
    r.field('Batch root', batch.root ?? '(missing)', { mono: true });
    r.field('Transaction', batch.txHash ?? '(missing)', { mono: true });
    const chain = batch.onChain;
    if (chain) {
      const time = chain.blockTime !== null ? `, block time ${chain.blockTime}` : '';
      r.field('Block (from chain)', `${chain.blockNumber}, ${chain.confirmations} confirmation(s)${time}`);
      r.field('Block hash', chain.blockHash, { mono: true });
    } else {
      r.field('Block (claimed)', `${batch.claimedBlockNumber ?? '?'} (not confirmed against a chain)`);
      r.field('Block hash (claimed)', batch.claimedBlockHash ?? '(missing)', { mono: true });
    }
  }
}

function eventStatusLine(view: BundleView, row: EventRow): string {
  if (view.verdict.kind === 'not-checked') return 'not checked against a chain';
  if (row.status === 'invalid') {
    const f = row.failure;
    return f ? `INVALID at step ${f.stepNumber} "${f.step}": ${f.message ?? ''}` : 'INVALID';
  }
  if (row.status === 'pending') return `pending: ${row.pendingReason ?? 'not yet anchored'}`;
  return row.status;
}

function writeEvent(r: ReportWriter, view: BundleView, row: EventRow): void {
  if (row.index === 0) r.heading('Events in detail');
  r.subheading(`#${row.index + 1}  seq ${row.seq ?? '?'}: ${row.type ?? '(missing)'}`);
  r.field('Verification', eventStatusLine(view, row), { color: statusColor(row.status) });
  r.field('Happened at', row.at ?? '(missing)');
  r.field('Recorded at', row.recorded ?? '(missing)');
  r.field('Recorded by', recordedByText(row.recordedBy));
  if (row.timeWarning) {
    const what = row.timeWarning.code === 'RECORDED_AFTER_BLOCK' ? 'recorded after its anchoring block' : 'anchored late';
    r.field('Time warning', `${what}: ${row.timeWarning.message}`, { color: COLORS.pending });
  }

  if (row.data.length === 0) r.field('Public data', '(none)');
  else row.data.forEach((f, i) => r.field(i === 0 ? 'Public data' : '', `${f.name}: ${f.value}`));
  row.reservedData.forEach((f, i) =>
    r.field(i === 0 ? 'Other ordertrace fields' : '', `${f.name}: ${f.value} (not known to this report; shown as recorded)`),
  );

  if (row.sealed.length === 0) r.field('Private fields', '(none)');
  row.sealed.forEach((f, i) => {
    const label = i === 0 ? 'Private fields' : '';
    if (f.state === 'sealed') {
      r.field(label, `${f.name}: ${f.erased === true ? 'erased by the issuer' : 'not disclosed'} (commitment ${f.commitment})`);
      return;
    }
    r.field(label, `${f.name}: ${f.value ?? ''}`);
    r.field('', `salt ${f.salt ?? ''}`, { mono: true });
    const opens = f.state === 'disclosed';
    r.field(
      '',
      `commitment ${f.commitment} (${opens ? 'the disclosed value and salt open it' : 'DOES NOT MATCH the disclosed value and salt'})`,
      {
        mono: true,
        color: opens ? COLORS.text : COLORS.invalid,
      },
    );
  });
  for (const name of row.disclosedWithoutCommitment) {
    r.field('', `${name}: disclosed, but the record has no commitment for it`, { color: COLORS.invalid });
  }

  r.field('Leaf', row.leaf ?? '(missing)', { mono: true });
  r.field('Previous leaf', row.prev ?? '(missing)', { mono: true });
  const batch = batchOf(view, row);
  if (!batch) {
    r.field('Anchor', 'not yet anchored when the bundle was exported');
    return;
  }
  r.field('Batch', `${batch.batch ?? '?'} (see "Anchoring batches")`);
  const proof = row.proof ?? [];
  r.field('Merkle proof', proof.length === 0 ? '(empty: the leaf is the batch root)' : proof.join(' '), { mono: true });
}

const STEP_TEXT: Record<BundleView['checks'][number]['step'], (view: BundleView) => string> = {
  format: (v) =>
    `Format: the file is an ordertrace-bundle/1, and the RPC endpoint serves the chain named in "chain" (chain id ${v.order.chainId ?? '?'}).`,
  leaf: () => 'Leaf: for each event, leaf = keccak256(0x00 || JCS(record)), where JCS is RFC 8785 canonical JSON.',
  disclosure: () => 'Disclosure: for each disclosed field, keccak256(0x02 || JCS({"name", "salt", "value"})) equals record.sealed[name].',
  'chain-link': () =>
    "Chain link: seq runs 1..n without gaps, record.prev is the previous event's leaf (32 zero bytes for seq 1), and all events name the same brand and order.",
  inclusion: () =>
    'Inclusion: folding the Merkle proof from the leaf, hashing each pair as keccak256(min(a, b) || max(a, b)), gives the batch root.',
  anchor: (v) =>
    `Anchor: eth_call batch(seq) on contract ${v.order.contract ?? '?'} returns that root, and the receipt of the anchoring transaction ` +
    "holds the contract's Anchored(seq, root, leafCount) log. The block of that transaction bounds the time of every event in the batch from above: " +
    `an event recorded more than ${BLOCK_TIME_TOLERANCE_SECONDS} s after its block, or anchored more than ${v.order.maxAnchorDelaySeconds === null ? 'the allowed delay' : durationText(v.order.maxAnchorDelaySeconds)} ` +
    'after it was recorded, is a time warning, which does not change the result.',
};

const OUTCOME_TEXT = { passed: 'passed', failed: 'FAILED', pending: 'pending', 'not-run': 'not run' } as const;

function writeHowToVerify(r: ReportWriter, view: BundleView): void {
  r.heading('How to verify this independently');
  r.paragraph(
    'Nothing in this report needs to be taken on trust. The proof bundle (the JSON file this report describes; its fingerprint is on the ' +
      'first page) contains every record, hash and Merkle proof. Anyone can check it against the public chain, without ordertrace.',
  );
  r.subheading('With the ordertrace command line');
  r.doc
    .font(MONO)
    .fontSize(8.5)
    .fillColor(COLORS.text)
    .text(
      printable(
        `npx ordertrace verify bundle.json --rpc <JSON-RPC URL of chain ${view.order.chainId ?? '?'}> --contract ${view.order.contract ?? '?'}`,
      ),
      PAGE_MARGIN,
      undefined,
      { width: r.width },
    );
  r.doc.moveDown(0.4);
  r.paragraph(
    'Exit code 0 means verified, 1 invalid (the failing event and step are printed), 4 pending. Use an RPC endpoint you trust ' +
      '(your own node or a provider of your choice), not one named by the party that gave you the bundle.',
  );
  r.subheading('By hand, following the proof specification (docs/proof-spec.md, proof spec v1)');
  const checked = view.verdict.kind !== 'not-checked';
  for (const c of view.checks) {
    r.paragraph(`${c.number}. ${STEP_TEXT[c.step](view)}${checked ? ` At export: ${OUTCOME_TEXT[c.outcome]}.` : ''}`);
  }
}

function writeFooters(doc: PDFKit.PDFDocument, input: EvidenceReportInput, view: BundleView): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing into the bottom margin would otherwise make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(
        printable(
          `ordertrace evidence report · ${view.order.order ?? '?'} · generated ${input.generatedAt.toISOString()} · page ${i + 1} of ${range.count}`,
        ),
        PAGE_MARGIN,
        doc.page.height - PAGE_MARGIN + 15,
        { width: doc.page.width - PAGE_MARGIN * 2, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}
