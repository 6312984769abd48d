import { Injectable } from '@nestjs/common';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { ChainConnection } from '../anchoring/chain-connection';
import { ANCHOR_CHAIN_STATE_KEY, type AnchorChainState, ServiceStateRepository } from '../anchoring/service-state.repository';
import type { KeyCaller } from '../auth/brand-principal';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { BatchProofsService } from '../batches/batch-proofs.service';
import { OrdersService } from '../orders/orders.service';
import { type AnchorProof, BUNDLE_FORMAT, type Bundle, type BundleEvent, type DisclosedField } from '../../proof/bundle';
import type { Hex } from '../../proof/bytes';
import { ChainUnavailableError } from '../../proof/errors';
import { EthersChainReader } from '../../proof/ethers-chain-reader';
import type { EventRecord } from '../../proof/record';
import { type VerificationResult, verifyBundle } from '../../proof/verify';
import { type BundleQueryDto, type FieldsToDisclose, parseFieldsToDisclose } from './bundles.dto';
import { type BundleEventRow, BundlesRepository } from './bundles.repository';
import { renderEvidenceReport } from '../../evidence/evidence-report';
import { disclosureFor } from '../orders/sealed-value-access';
import type { SealedFieldSecrets } from '../orders/sealed-field-cipher';

/** What the caller asked to disclose, if its roles may see private values. */
function disclosureOf(caller: Pick<KeyCaller, 'roles'>, query: BundleQueryDto): FieldsToDisclose {
  return disclosureFor(caller, parseFieldsToDisclose(query), (asked) => asked !== 'all' && asked.length === 0);
}

/** What a bundle is made of, before it is either parsed into objects or written as text. */
interface BundleEventParts {
  /** The record as stored: its canonical JSON. */
  recordText: string;
  leaf: Hex;
  disclosed: { [name: string]: DisclosedField } | null;
  erased: string[];
  anchor: AnchorProof | null;
}

interface BundleParts {
  chain: Bundle['chain'];
  brand: string;
  events: BundleEventParts[];
}

export interface BuildBundleOptions {
  /** Sealed fields to disclose with their salts; none by default. */
  disclose?: FieldsToDisclose;
  /** Restrict to this brand's orders (another brand's order is "not found"). */
  brandId?: string;
}

/**
 * Proof bundles (ordertrace-bundle/1, docs/proof-spec.md) and their evidence reports. A bundle is
 * assembled from stored rows only: records as hashed, leaves, disclosed values from the encrypted
 * store, and inclusion proofs of confirmed batches from BatchProofsService.
 */
@Injectable()
export class BundlesService {
  constructor(
    private readonly repository: BundlesRepository,
    private readonly orders: OrdersService,
    private readonly proofs: BatchProofsService,
    private readonly chain: ChainConnection,
    private readonly serviceState: ServiceStateRepository,
    private readonly config: AppConfig,
    private readonly trail: AuditTrailService,
  ) {}

  /** GET /v1/orders/{id}/bundle. */
  async buildFor(caller: KeyCaller, origin: AuditOrigin, orderId: string, query: BundleQueryDto): Promise<string> {
    const options = await this.optionsFor(caller, orderId, query);
    const bundle = await this.buildText(orderId, options);
    await this.recordDisclosure(origin, orderId, options, 'bundle');
    return bundle;
  }

  /** A disclosing export is in the audit trail before the response leaves. */
  private async recordDisclosure(origin: AuditOrigin, orderId: string, options: BuildBundleOptions, format: string): Promise<void> {
    const disclose = options.disclose ?? [];
    if (disclose.length === 0) return;
    await this.trail.record(null, {
      ...origin,
      action: 'disclosure.exported',
      target: `order:${orderId}`,
      details: { fields: disclose === 'all' ? 'all' : [...disclose], format },
    });
  }

  /**
   * The caller's view of the order: its brand's keys and arbitrators (through a grant) may have
   * sealed values disclosed; an auditor sees records, leaves and proofs, and no private value.
   */
  private async optionsFor(caller: KeyCaller, orderId: string, query: BundleQueryDto): Promise<BuildBundleOptions> {
    const disclose = disclosureOf(caller, query);
    const brandId = caller.brandId ?? (await this.orders.findReadable(caller, orderId)).brandId;
    return { brandId, disclose };
  }

  /** The order's bundle. Throws DomainError ORDER_NOT_FOUND, or ChainUnavailableError while the anchoring chain is unknown. */
  async build(orderId: string, options: BuildBundleOptions = {}): Promise<Bundle> {
    const parts = await this.parts(orderId, options);
    const events = parts.events.map(({ recordText, leaf, disclosed, erased, anchor }): BundleEvent => ({
      record: JSON.parse(recordText) as EventRecord,
      leaf,
      ...(disclosed === null ? {} : { disclosed }),
      ...(erased.length === 0 ? {} : { erased }),
      anchor,
    }));
    return { format: BUNDLE_FORMAT, chain: parts.chain, order: orderId, brand: parts.brand, events };
  }

  /**
   * The same bundle as JSON text, each record spliced in as stored: its canonical JSON, the very
   * bytes that were hashed, neither parsed nor serialized again. Keys come in the order `build` gives.
   */
  async buildText(orderId: string, options: BuildBundleOptions = {}): Promise<string> {
    const parts = await this.parts(orderId, options);
    const events = parts.events.map(({ recordText, leaf, disclosed, erased, anchor }) => {
      let text = `{"record":${recordText},"leaf":${JSON.stringify(leaf)}`;
      if (disclosed !== null) text += `,"disclosed":${JSON.stringify(disclosed)}`;
      if (erased.length > 0) text += `,"erased":${JSON.stringify(erased)}`;
      return `${text},"anchor":${JSON.stringify(anchor)}}`;
    });
    const head = JSON.stringify({ format: BUNDLE_FORMAT, chain: parts.chain, order: orderId, brand: parts.brand });
    return `${head.slice(0, -1)},"events":[${events.join(',')}]}`;
  }

  private async parts(orderId: string, options: BuildBundleOptions): Promise<BundleParts> {
    // Events and their batches come in one answer (see eventsOfOrder).
    const rows = await this.repository.eventsOfOrder(orderId, options.brandId ?? null);
    // Every order has its `created` event: no events means no such order (for this brand).
    if (rows.length === 0) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    const anchors = await this.proofs.anchorsOfRows(rows.map((row) => row.position));
    const chain = await this.chainIdentity();
    const disclose = options.disclose ?? [];
    // Every row carries its order's key, the same for all of them.
    const open = this.orders.sealedFieldsOpener(orderId, rows[0].wrappedKey);
    const events = rows.map((row): BundleEventParts => {
      // Only an event with private fields needs its record read: for the names of what it seals.
      const sealedNames =
        row.sealedPrivate === null && row.erasedAt === null ? [] : Object.keys((JSON.parse(row.record) as EventRecord).sealed);
      return {
        recordText: row.record,
        leaf: row.leaf as Hex,
        disclosed: this.disclosed(open, row, sealedNames, disclose),
        // Erased fields are named, so that a reader knows why they cannot be disclosed; their commitments stay in the record.
        erased: row.erasedAt === null ? [] : sealedNames,
        anchor: anchors.get(row.id) ?? null,
      };
    });
    return { chain, brand: (JSON.parse(rows[0].record) as EventRecord).brand, events };
  }

  /** GET /v1/orders/{id}/evidence.pdf: the bundle, verified against the chain now, as a PDF. */
  async evidencePdf(caller: KeyCaller, origin: AuditOrigin, orderId: string, query: BundleQueryDto): Promise<Buffer> {
    const options = await this.optionsFor(caller, orderId, query);
    const bundle = await this.build(orderId, options);
    await this.recordDisclosure(origin, orderId, options, 'evidence.pdf');
    let verification: VerificationResult | null = null;
    let note: string | undefined;
    try {
      const reader = new EthersChainReader(await this.chain.provider());
      verification = await verifyBundle(bundle, reader, { confirmations: this.config.chain.confirmations });
    } catch (err) {
      // Unreachable chain: the report still serves as a record of the bundle, and says it was not checked.
      if (!(err instanceof ChainUnavailableError)) throw err;
      note = `The chain could not be read when this report was made (${err.message}).`;
    }
    return renderEvidenceReport({
      bundle,
      verification,
      verificationNote: note,
      rpcDescription: this.config.chain.publicRpcUrl ?? "the ordertrace service's own chain node",
      generatedAt: new Date(),
      generator: 'ordertrace API',
    });
  }

  /**
   * The chain and contract this service's events are anchored in, as bundles and EPCIS exports name
   * them: live when connected, else as the anchoring module recorded it.
   */
  async chainIdentity(): Promise<Bundle['chain']> {
    const live = this.chain.identity();
    if (live !== null) return { chainId: live.chainId, contract: live.contract.toLowerCase() as Hex };
    const recorded = await this.serviceState.get<AnchorChainState>(ANCHOR_CHAIN_STATE_KEY);
    if (recorded !== null) return { chainId: recorded.chainId, contract: recorded.contract.toLowerCase() as Hex };
    const connected = await this.chain.requireIdentity();
    return { chainId: connected.chainId, contract: connected.contract.toLowerCase() as Hex };
  }

  /** Requested fields that the event seals and whose value and salt are still stored (erasure removes them). */
  private disclosed(
    open: (event: { seq: number; sealedPrivate: Buffer }) => SealedFieldSecrets,
    row: BundleEventRow,
    sealedNames: readonly string[],
    disclose: FieldsToDisclose,
  ): { [name: string]: DisclosedField } | null {
    const wanted = disclose === 'all' ? sealedNames : sealedNames.filter((name) => disclose.includes(name));
    if (wanted.length === 0 || row.sealedPrivate === null || row.erasedAt !== null) return null;
    const secrets = open({ seq: row.seq, sealedPrivate: Buffer.from(row.sealedPrivate) });
    const out: { [name: string]: DisclosedField } = {};
    for (const name of wanted) {
      const secret = secrets[name];
      if (secret !== undefined) out[name] = { value: secret.value, salt: secret.salt };
    }
    return Object.keys(out).length === 0 ? null : out;
  }
}
