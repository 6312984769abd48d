import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { ChainConnection } from '../anchoring/chain-connection';
import { AppConfig } from '../config/app-config';
import { parseTrustFile, TRUST_FORMAT, type TrustAnchors } from '../../proof/trust';

/** Where the public JSON-RPC proxy of the service's own node answers (server/public-api/public-rpc.controller.ts). */
export const PUBLIC_RPC_PATH = '/public/rpc';

/**
 * The operator's trust anchors, served at /public/trust.json (and as trust.json next to the page
 * at /v/): the file ORDERTRACE_TRUST_FILE names, byte for byte, validated once at start; or, without
 * one, a file generated from the service's own chain, contract and public RPC endpoint. A brand that
 * does not want to trust this server publishes its own file and builds its own page with it.
 */
@Injectable()
export class TrustAnchorsService {
  private readonly operatorFile: { text: string; trust: TrustAnchors } | null;

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainConnection,
  ) {
    const path = config.verifier.trustFile;
    if (path === null) {
      this.operatorFile = null;
      return;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`ORDERTRACE_TRUST_FILE ${path} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    try {
      this.operatorFile = { text, trust: parseTrustFile(text) };
    } catch (err) {
      throw new Error(`ORDERTRACE_TRUST_FILE ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The JSON-RPC endpoint browsers read the chain through: PUBLIC_RPC_URL, else this service's read-only proxy. */
  publicRpcUrl(): string {
    return this.config.chain.publicRpcUrl ?? `${this.config.http.publicBaseUrl}${PUBLIC_RPC_PATH}`;
  }

  /** The body of /public/trust.json. */
  async trustFileText(): Promise<string> {
    if (this.operatorFile !== null) return this.operatorFile.text;
    const identity = await this.chain.requireIdentity();
    const generated: Omit<TrustAnchors, 'previous'> = {
      format: TRUST_FORMAT,
      chainId: identity.chainId,
      contract: identity.contract.toLowerCase() as TrustAnchors['contract'],
      rpc: [this.publicRpcUrl()],
    };
    return `${JSON.stringify(generated, null, 2)}\n`;
  }
}
