/**
 * The evidence report: a PDF an arbitrator can read and file, describing an order's proof bundle —
 * timeline, every event's data, disclosed fields, hashes and anchors, the verification result at
 * the time of export, and how anyone can verify the bundle without ordertrace. Used by
 * GET /v1/orders/{id}/evidence.pdf and by `ordertrace report`.
 *
 * The bundle may be tampered with (the CLI reports on any file), so every value is rendered
 * defensively: nothing here assumes the records are well formed.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { Bundle, BundleEvent } from '../proof/bundle';
import { canonicalJson } from '../proof/canonical';
import { commitment } from '../proof/hashes';
import { STEP_NUMBER, type EventCheck, type VerificationResult } from '../proof/verify';

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
const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
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
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    info: {
      Title: `ordertrace evidence report: ${printable(input.bundle.order)}`,
      Subject: `Proof bundle ${printable(input.bundle.order)} of brand ${printable(input.bundle.brand)}`,
      Creator: input.generator,
      Producer: 'ordertrace',
      CreationDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const report = new ReportWriter(doc);
  writeTitle(report, input);
  writeVerdict(report, input);
  writeTimeline(report, input);
  input.bundle.events.forEach((event, index) => writeEvent(report, input, event, index));
  writeHowToVerify(report, input);
  writeFooters(doc, input);
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
    this.doc
      .font(options.mono ? MONO : FONT)
      .fontSize(options.mono ? 8 : 9)
      .fillColor(options.color ?? COLORS.text)
      .text(printable(value), x + labelWidth, y, { width: this.width - labelWidth });
    this.doc.y = Math.max(this.doc.y, afterLabel) + 1.5;
    this.doc.x = PAGE_MARGIN;
  }
}

function writeTitle(r: ReportWriter, input: EvidenceReportInput): void {
  const { bundle } = input;
  r.doc.font(FONT_BOLD).fontSize(20).fillColor(COLORS.text).text('ordertrace evidence report', PAGE_MARGIN, PAGE_MARGIN);
  r.doc.moveDown(0.2).font(FONT).fontSize(10).fillColor(COLORS.muted);
  r.doc.text("Proof of an order's event history, anchored on a public blockchain.", { width: r.width });
  r.doc.moveDown(0.8);
  r.field('Order', String(bundle.order), { mono: true });
  r.field('Brand', String(bundle.brand));
  r.field('Events', String(bundle.events.length));
  r.field('Chain', `chain id ${bundle.chain.chainId}`);
  r.field('Anchor contract', String(bundle.chain.contract), { mono: true });
  r.field('Bundle format', String(bundle.format));
  r.field('Bundle fingerprint', `SHA-256 of the bundle's RFC 8785 canonical JSON: ${bundleFingerprint(bundle)}`, { mono: true });
  r.field('Report generated', `${input.generatedAt.toISOString()} by ${input.generator}`);
}

function verdictText(v: VerificationResult | null): { title: string; color: string; explanation: string } {
  if (v === null) {
    return {
      title: 'NOT CHECKED AGAINST A CHAIN',
      color: COLORS.pending,
      explanation: 'This report was produced without reading the blockchain. Verify the bundle as described at the end of this report.',
    };
  }
  switch (v.verdict) {
    case 'verified':
      return {
        title: 'VERIFIED',
        color: COLORS.verified,
        explanation:
          `Every event's record hashes to its leaf, every disclosed field opens its commitment, the events form an unbroken ` +
          `hash chain from seq 1 to ${v.events.length}, and every leaf is included in a batch root that the anchor contract holds on chain, ` +
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

function writeVerdict(r: ReportWriter, input: EvidenceReportInput): void {
  const v = input.verification;
  const { title, color, explanation } = verdictText(v);
  r.heading('Verification result at export time');
  r.doc.font(FONT_BOLD).fontSize(16).fillColor(color).text(title, PAGE_MARGIN);
  r.doc.moveDown(0.3);
  r.paragraph(explanation);
  if (input.verificationNote) r.paragraph(input.verificationNote, { color: COLORS.muted });
  if (v) {
    if (v.failure) {
      const f = v.failure;
      const where = f.index < 0 ? 'the bundle as a whole' : `event seq ${f.seq ?? '?'} (#${f.index + 1} in the bundle)`;
      r.field('First failure', `${where}, step ${STEP_NUMBER[f.step]} "${f.step}" (${f.code}): ${f.message}`, { color: COLORS.invalid });
    }
    const counts = countStatuses(v.events);
    r.field('Events', `${counts.verified} verified, ${counts.pending} pending, ${counts.invalid} invalid, ${counts.unchecked} unchecked`);
    r.field('Checked at', input.generatedAt.toISOString());
    if (input.rpcDescription) r.field('Chain endpoint', input.rpcDescription, { mono: true });
    r.field('Chain head block', v.headBlock === null ? 'not read' : String(v.headBlock));
    r.field('Confirmations required', String(v.confirmationsRequired));
  }
}

function countStatuses(events: EventCheck[]): Record<EventCheck['status'], number> {
  const counts = { verified: 0, pending: 0, invalid: 0, unchecked: 0 };
  for (const e of events) counts[e.status]++;
  return counts;
}

function eventStatus(input: EvidenceReportInput, index: number): EventCheck | undefined {
  return input.verification?.events[index];
}

function statusColor(status: EventCheck['status'] | undefined): string {
  if (status === 'verified') return COLORS.verified;
  if (status === 'pending') return COLORS.pending;
  if (status === 'invalid') return COLORS.invalid;
  return COLORS.muted;
}

function writeTimeline(r: ReportWriter, input: EvidenceReportInput): void {
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
  input.bundle.events.forEach((event, index) => {
    if (r.doc.y + rowHeight > r.doc.page.height - PAGE_MARGIN) {
      r.doc.addPage();
      drawHeader();
    }
    const check = eventStatus(input, index);
    const record = asObject(event.record);
    const cells = [
      display(record.seq),
      display(record.type),
      display(record.at),
      event.anchor ? String(event.anchor.batch) : '-',
      check?.anchor ? String(check.anchor.blockNumber) : event.anchor ? `(${event.anchor.blockNumber})` : '-',
      check ? (check.status === 'invalid' ? `invalid: ${check.step}` : check.status) : 'not checked',
    ];
    let x = PAGE_MARGIN;
    const y = r.doc.y;
    cells.forEach((cell, i) => {
      r.doc
        .font(i === 5 ? FONT_BOLD : FONT)
        .fontSize(8.5)
        .fillColor(i === 5 ? statusColor(check?.status) : COLORS.text)
        .text(printable(cell), x, y, { width: columns[i].width - 4, lineBreak: false, ellipsis: true });
      x += columns[i].width;
    });
    r.doc.y = y + rowHeight;
  });
  r.doc.x = PAGE_MARGIN;
  r.doc.moveDown(0.3);
  r.paragraph('Block numbers in parentheses are claimed by the bundle and were not confirmed against a chain.', {
    color: COLORS.muted,
    size: 8,
  });
}

function writeEvent(r: ReportWriter, input: EvidenceReportInput, event: BundleEvent, index: number): void {
  const record = asObject(event.record);
  const check = eventStatus(input, index);
  if (index === 0) r.heading('Events in detail');
  r.subheading(`#${index + 1}  seq ${display(record.seq)}: ${display(record.type)}`);

  const statusLine = !check
    ? 'not checked against a chain'
    : check.status === 'invalid'
      ? `INVALID at step ${check.step ? STEP_NUMBER[check.step] : '?'} "${check.step ?? '?'}": ${check.message ?? ''}`
      : check.status === 'pending'
        ? `pending: ${check.message ?? 'not yet anchored'}`
        : check.status;
  r.field('Verification', statusLine, { color: statusColor(check?.status) });
  r.field('Happened at', display(record.at));
  r.field('Recorded at', display(record.recorded));

  const data = asObject(record.data);
  const dataKeys = Object.keys(data);
  if (dataKeys.length === 0) r.field('Public data', '(none)');
  else dataKeys.forEach((key, i) => r.field(i === 0 ? 'Public data' : '', `${key}: ${display(data[key])}`));

  const sealed = asObject(record.sealed);
  const disclosed = asObject(event.disclosed);
  const sealedNames = Object.keys(sealed);
  if (sealedNames.length === 0) r.field('Private fields', '(none)');
  sealedNames.forEach((name, i) => {
    const label = i === 0 ? 'Private fields' : '';
    const d = asObject(disclosed[name]);
    if (!(name in disclosed)) {
      r.field(label, `${name}: not disclosed (commitment ${display(sealed[name])})`);
      return;
    }
    r.field(label, `${name}: ${display(d.value)}`);
    r.field('', `salt ${display(d.salt)}`, { mono: true });
    r.field(
      '',
      `commitment ${display(sealed[name])} (${opensCommitment(name, d, sealed[name]) ? 'the disclosed value and salt open it' : 'DOES NOT MATCH the disclosed value and salt'})`,
      {
        mono: true,
        color: opensCommitment(name, d, sealed[name]) ? COLORS.text : COLORS.invalid,
      },
    );
  });
  for (const name of Object.keys(disclosed).filter((n) => !(n in sealed))) {
    r.field('', `${name}: disclosed, but the record has no commitment for it`, { color: COLORS.invalid });
  }

  r.field('Leaf', display(event.leaf), { mono: true });
  r.field('Previous leaf', display(record.prev), { mono: true });
  if (!event.anchor) {
    r.field('Anchor', 'not yet anchored when the bundle was exported');
    return;
  }
  const a = event.anchor;
  r.field('Batch', `${a.batch}, root ${a.root}`, { mono: true });
  r.field('Merkle proof', a.proof.length === 0 ? '(empty: the leaf is the batch root)' : a.proof.join(' '), { mono: true });
  r.field('Transaction', String(a.txHash), { mono: true });
  const chainAnchor = check?.anchor;
  if (chainAnchor) {
    const time = chainAnchor.blockTime !== undefined ? `, block time ${new Date(chainAnchor.blockTime * 1000).toISOString()}` : '';
    r.field('Block (from chain)', `${chainAnchor.blockNumber}, ${chainAnchor.confirmations} confirmation(s)${time}`);
    r.field('Block hash', chainAnchor.blockHash, { mono: true });
  } else {
    r.field('Block (claimed)', `${a.blockNumber} (not confirmed against a chain)`);
    r.field('Block hash (claimed)', String(a.blockHash), { mono: true });
  }
}

function opensCommitment(name: string, disclosure: Record<string, unknown>, sealed: unknown): boolean {
  try {
    return commitment(name, disclosure.value as never, disclosure.salt as never) === sealed;
  } catch {
    return false;
  }
}

function writeHowToVerify(r: ReportWriter, input: EvidenceReportInput): void {
  const { bundle } = input;
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
      `npx ordertrace verify bundle.json --rpc <JSON-RPC URL of chain ${bundle.chain.chainId}> --contract ${bundle.chain.contract}`,
      PAGE_MARGIN,
      undefined,
      {
        width: r.width,
      },
    );
  r.doc.moveDown(0.4);
  r.paragraph(
    'Exit code 0 means verified, 1 invalid (the failing event and step are printed), 4 pending. Use an RPC endpoint you trust ' +
      '(your own node or a provider of your choice), not one named by the party that gave you the bundle.',
  );
  r.subheading('By hand, following the proof specification (docs/proof-spec.md, proof spec v1)');
  const steps = [
    `Format: the file is an ordertrace-bundle/1, and the RPC endpoint serves the chain named in "chain" (chain id ${bundle.chain.chainId}).`,
    'Leaf: for each event, leaf = keccak256(0x00 || JCS(record)), where JCS is RFC 8785 canonical JSON.',
    'Disclosure: for each disclosed field, keccak256(0x02 || JCS({"name", "salt", "value"})) equals record.sealed[name].',
    "Chain link: seq runs 1..n without gaps, record.prev is the previous event's leaf (32 zero bytes for seq 1), and all events name the same brand and order.",
    'Inclusion: folding the Merkle proof from the leaf, hashing each pair as keccak256(min(a, b) || max(a, b)), gives the batch root.',
    `Anchor: eth_call batch(seq) on contract ${bundle.chain.contract} returns that root, and the receipt of the anchoring transaction ` +
      "holds the contract's Anchored(seq, root, leafCount) log. The block of that transaction bounds the time of every event in the batch from above.",
  ];
  steps.forEach((step, i) => r.paragraph(`${i + 1}. ${step}`));
  r.paragraph(
    "In this report, characters outside the Latin-1 range are written as \\uXXXX escapes (the PDF's built-in fonts cannot show them); " +
      'the bundle holds the exact values.',
    { color: COLORS.muted, size: 8 },
  );
}

function writeFooters(doc: PDFKit.PDFDocument, input: EvidenceReportInput): void {
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
        `ordertrace evidence report · ${printable(input.bundle.order)} · generated ${input.generatedAt.toISOString()} · page ${i + 1} of ${range.count}`,
        PAGE_MARGIN,
        doc.page.height - PAGE_MARGIN + 15,
        { width: doc.page.width - PAGE_MARGIN * 2, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}

function asObject(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/** Any JSON value as text: strings as they are, everything else as JSON. */
function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(missing)';
  try {
    return JSON.stringify(value);
  } catch {
    // BigInt or a cycle: nothing a bundle parsed from JSON can hold, but never throw while printing.
    return typeof value === 'bigint' ? value.toString() : Object.prototype.toString.call(value);
  }
}

// The built-in PDF fonts cover Latin-1 and a few typographic marks. Other characters (e.g. Chinese)
// are written as \u escapes: unambiguous, and the bundle JSON holds the exact value.
const TYPOGRAPHIC = new Set(['\u2013', '\u2014', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2026', '\u00b7', '\u20ac']);

export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || TYPOGRAPHIC.has(ch)) out += ch;
    else if (code === 0x0a || code === 0x09) out += ' ';
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
}
