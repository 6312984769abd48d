/**
 * A ChainReader over several JSON-RPC endpoints of the same chain, so that one endpoint (a node
 * run by whoever also runs the server, say) cannot lie on its own. Every question goes to every
 * endpoint still answering; the answers that come back must be identical, or the read fails with
 * ENDPOINTS_DISAGREE naming who said what — verification turns that into `invalid`, never into
 * `verified`. An endpoint that cannot be reached is noted and skipped; only when none answers is
 * the chain unavailable.
 */
import type { Hex } from './bytes';
import type { ChainReader, EndpointReport, TxReceipt } from './chain-reader';
import { ProofError } from './errors';

export interface NamedChainReader {
  url: string;
  reader: ChainReader;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function receiptKey(r: TxReceipt | null): string {
  if (r === null) return 'no receipt';
  const logs = r.logs.map((l) => `${l.address.toLowerCase()}:${l.topics.map((t) => t.toLowerCase()).join(',')}:${l.data.toLowerCase()}`);
  return `status ${r.status}, block ${r.blockNumber} ${r.blockHash.toLowerCase()}, logs [${logs.join(' ')}]`;
}

export class ConsensusChainReader implements ChainReader {
  private readonly failed = new Map<string, string>();
  private readonly disagreed = new Map<string, string>();

  constructor(private readonly endpoints: readonly NamedChainReader[]) {
    if (endpoints.length === 0) throw new ProofError('INVALID_ARGUMENT', 'at least one JSON-RPC endpoint is needed');
  }

  get urls(): string[] {
    return this.endpoints.map((e) => e.url);
  }

  /** Which endpoints answered, failed or disagreed, in the order configured. */
  endpointReport(): EndpointReport[] {
    return this.endpoints.map(({ url }) => {
      const disagreed = this.disagreed.get(url);
      if (disagreed !== undefined) return { url, status: 'disagreed', detail: disagreed };
      const failed = this.failed.get(url);
      return failed === undefined ? { url, status: 'answered' } : { url, status: 'failed', detail: failed };
    });
  }

  /** Asks every live endpoint; returns their answers (at least one) with the endpoints that gave them. */
  private async ask<T>(what: string, call: (reader: ChainReader) => Promise<T>): Promise<{ url: string; value: T }[]> {
    const live = this.endpoints.filter((e) => !this.failed.has(e.url));
    const settled = await Promise.allSettled(live.map((e) => call(e.reader)));
    const answers: { url: string; value: T }[] = [];
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') answers.push({ url: live[i].url, value: s.value });
      else if (!this.failed.has(live[i].url)) this.failed.set(live[i].url, message(s.reason));
    });
    if (answers.length === 0) {
      const reasons = this.endpoints.map((e) => `${e.url}: ${this.failed.get(e.url) ?? 'not asked'}`).join('; ');
      throw new ProofError('CHAIN_UNAVAILABLE', `no JSON-RPC endpoint answered ${what} (${reasons})`);
    }
    return answers;
  }

  /** The one answer all endpoints that answered agree on, or ENDPOINTS_DISAGREE. */
  private async agree<T>(what: string, call: (reader: ChainReader) => Promise<T>, key: (value: T) => string, field?: string): Promise<T> {
    const answers = await this.ask(what, call);
    const groups = new Map<string, string[]>();
    for (const a of answers) {
      const k = key(a.value);
      groups.set(k, [...(groups.get(k) ?? []), a.url]);
    }
    if (groups.size > 1) {
      const said = [...groups.entries()].map(([k, urls]) => `${urls.join(' and ')} ${urls.length > 1 ? 'say' : 'says'} ${k}`);
      // Every endpoint in a disagreement is suspect: there is no majority vote over who is lying.
      for (const urls of groups.values())
        for (const url of urls) this.disagreed.set(url, `${what}: ${key(answers.find((a) => a.url === url)!.value)}`);
      throw new ProofError('ENDPOINTS_DISAGREE', `the JSON-RPC endpoints disagree about ${what}: ${said.join('; ')}`, {
        problems: [...groups.values()].flat(),
        ...(field ? { field } : {}),
      });
    }
    return answers[0].value;
  }

  getChainId(): Promise<number> {
    return this.agree(
      'the chain id',
      (r) => r.getChainId(),
      (id) => `chain ${id}`,
      'chainId',
    );
  }

  /** Heads differ by a block or two between honest nodes: the lowest one counts (fewest confirmations). */
  async getBlockNumber(): Promise<number> {
    const answers = await this.ask('the block number', (r) => r.getBlockNumber());
    return Math.min(...answers.map((a) => a.value));
  }

  getBatchRoot(contract: Hex, seq: number): Promise<Hex> {
    return this.agree(
      `the root of batch ${seq}`,
      (r) => r.getBatchRoot(contract, seq),
      (root) => `root ${root.toLowerCase()}`,
    );
  }

  getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null> {
    return this.agree(`the receipt of ${txHash}`, (r) => r.getTransactionReceipt(txHash), receiptKey);
  }

  async getBlockTimestamp(blockNumber: number): Promise<number> {
    return this.agree(
      `the time of block ${blockNumber}`,
      (r) => (r.getBlockTimestamp ? r.getBlockTimestamp(blockNumber) : Promise.reject(new Error('no block times'))),
      (t) => `time ${t}`,
    );
  }
}
