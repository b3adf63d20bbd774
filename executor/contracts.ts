/**
 * `ContractDesk`: the executor's side of service contracts in its HTTP gateway. A contract call carries
 * the client's signed request in the `ain-contract` header; it is served (before calls without a
 * contract, `slots.ts`) only when the contract is active for this executor on chain, the request is
 * signed by the contract's client over this body, its deadline is not past and inside the period, and
 * its seq was not served before. The answer carries the executor's signed receipt, which is what
 * disputes a miss the client might claim on chain. The desk also disputes such claims itself: each
 * `disputeOpen()` walks every claim of the contracts it served and sends the receipts of the claimed
 * calls it answered in time.
 */
import type { AinClient, ContractRequestJson } from '../client/index.ts';
import { channelsMsg, contractBodyHash, queryContract, queryContractClaims, queryContracts } from '../client/index.ts';
import { ainError } from '../core/index.ts';
import {
  contractRequestSignBytes,
  type ContractRequestTerms,
  MAX_CLAIMS_PER_MSG,
  signContractReceipt,
  verifySigned,
} from '../modules/channels/index.ts';
import { type Claim, type Contract, ContractStatus } from '../proto/gen/ain/channels/v1/contracts.ts';
import { ErrContractCallRefused } from './errors.ts';

/** How long a contract read from the chain is trusted before it is read again (ms). */
const CONTRACT_TTL_MS = 5_000;
/** Claims a ContractClaims page asks for: the most the chain answers. */
const CLAIMS_PAGE_LIMIT = 1000n;

export interface ContractDeskOptions {
  readonly client: Pick<AinClient, 'cometClient' | 'chainId' | 'address' | 'signAndBroadcast'>;
  /** The executor's secp256k1 private key (the account key): receipts are signed with it. */
  readonly privkey: Uint8Array;
  /** Wall clock, unix seconds (tests replace it). */
  readonly nowSeconds?: () => bigint;
  readonly log: (line: string) => void;
}

/** A receipt as the gateway returns it. */
export interface ReceiptJson {
  readonly contract_id: string;
  readonly seq: string;
  readonly answered_at: string;
  readonly signature: string;
}

const refuse = (detail: string, field: string): never => {
  throw ainError(ErrContractCallRefused, detail, { field });
};

const UINT64_MAX = 2n ** 64n - 1n;

function uintField(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^[0-9]{1,20}$/.test(value) || BigInt(value) > UINT64_MAX)
    refuse(`${field} must be decimal text of a uint64`, field);
  return BigInt(value as string);
}

export class ContractDesk {
  private readonly contracts = new Map<bigint, { contract: Contract; readAt: number }>();
  /** Receipts signed, by contract and seq (what disputes send). */
  private readonly receipts = new Map<bigint, Map<bigint, { answeredAt: bigint; signature: Uint8Array }>>();
  private active = 0;

  constructor(private readonly options: ContractDeskOptions) {}

  private now(): bigint {
    return this.options.nowSeconds?.() ?? BigInt(Math.floor(Date.now() / 1000));
  }

  /** Whether any contract is active for this executor (as last read): then calls without one yield to them. */
  get hasActiveContracts(): boolean {
    return this.active > 0;
  }

  /** Reads this executor's active contracts (call at start and now and then). */
  async refreshActive(): Promise<void> {
    const address = this.options.client.address ?? '';
    const list = await queryContracts(this.options.client.cometClient, { executor: address });
    const now = this.now();
    this.active = list.filter((c) => c.status === ContractStatus.CONTRACT_STATUS_ACTIVE && c.endsAt > now).length;
  }

  /**
   * Checks a contract call before it runs: throws executor/11 naming the field, or returns the terms
   * (the request's seq is taken: a replay is refused).
   */
  async admit(header: unknown, input: unknown): Promise<ContractRequestTerms> {
    let json: Partial<Record<keyof ContractRequestJson, unknown>>;
    try {
      json = JSON.parse(typeof header === 'string' ? header : '') as typeof json;
    } catch {
      return refuse('the ain-contract header must hold the signed request as JSON', 'ain-contract');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      return refuse('the ain-contract header must hold the signed request as a JSON object', 'ain-contract');
    const contractId = uintField(json.contract_id, 'contract_id');
    const seq = uintField(json.seq, 'seq');
    const deadline = uintField(json.deadline, 'deadline');
    const contract = await this.contract(contractId);
    if (contract.status !== ContractStatus.CONTRACT_STATUS_ACTIVE || contract.executor !== this.options.client.address)
      refuse(`contract ${contractId} is not active for this executor`, 'contract_id');
    const now = this.now();
    if (now < contract.startsAt || now >= contract.endsAt)
      refuse(`contract ${contractId} runs from ${contract.startsAt} to ${contract.endsAt}; now is ${now}`, 'contract_id');
    if (deadline < now || deadline > contract.endsAt)
      refuse(`deadline ${deadline} is past or after the contract's end ${contract.endsAt}`, 'deadline');
    const bodyHash = contractBodyHash(input);
    if (json.body_hash !== Buffer.from(bodyHash).toString('hex')) refuse('body_hash is not the sha256 of this body', 'body_hash');
    const terms = { chainId: this.options.client.chainId, contractId, seq, deadline, bodyHash };
    const signature = new Uint8Array(Buffer.from(typeof json.signature === 'string' ? json.signature : '', 'base64'));
    if (!verifySigned(contract.clientPubkey, signature, contractRequestSignBytes(terms)))
      refuse(`signature is not contract ${contractId}'s client's over this request`, 'signature');
    const served = this.receipts.get(contractId) ?? new Map();
    this.receipts.set(contractId, served);
    if (served.has(seq)) refuse(`seq ${seq} of contract ${contractId} was served already`, 'seq');
    served.set(seq, { answeredAt: -1n, signature: new Uint8Array() });
    return terms;
  }

  /** Signs the receipt of an answered call (its time is now). */
  receipt(terms: ContractRequestTerms): ReceiptJson {
    const answeredAt = this.now();
    const signature = signContractReceipt(this.options.privkey, terms, answeredAt);
    this.receipts.get(terms.contractId)?.set(terms.seq, { answeredAt, signature });
    return {
      contract_id: terms.contractId.toString(),
      seq: terms.seq.toString(),
      answered_at: answeredAt.toString(),
      signature: Buffer.from(signature).toString('base64'),
    };
  }

  /**
   * Disputes every open claim against this executor's contracts that it holds a receipt in time for
   * (all of a contract's claims, page by page: the Contract query embeds only the lowest 1000 seqs),
   * at most {@link MAX_CLAIMS_PER_MSG} receipts a tx; returns how many.
   */
  async disputeOpen(): Promise<number> {
    let disputed = 0;
    const address = this.options.client.address ?? '';
    for (const [contractId, served] of this.receipts) {
      const receipts: Array<{ seq: bigint; answeredAt: bigint; signature: Uint8Array }> = [];
      for await (const claim of this.claimsOf(contractId)) {
        const r = served.get(claim.seq);
        if (!claim.disputed && r && r.answeredAt >= 0n && r.answeredAt <= claim.deadline)
          receipts.push({ seq: claim.seq, answeredAt: r.answeredAt, signature: r.signature });
      }
      for (let i = 0; i < receipts.length; i += MAX_CLAIMS_PER_MSG) {
        const batch = receipts.slice(i, i + MAX_CLAIMS_PER_MSG);
        await this.options.client.signAndBroadcast([channelsMsg.disputeMisses(address, { contractId, receipts: batch })]);
        this.options.log(`contracts: disputed ${batch.length} claim(s) of contract ${contractId} with receipts`);
        disputed += batch.length;
      }
    }
    return disputed;
  }

  /** A contract's claims in seq order, every one: ContractClaims pages followed by `next_key`. */
  private async *claimsOf(contractId: bigint): AsyncGenerator<Claim> {
    let key: Uint8Array = new Uint8Array();
    do {
      const page = await queryContractClaims(this.options.client.cometClient, contractId, {
        key,
        offset: 0n,
        limit: CLAIMS_PAGE_LIMIT,
        countTotal: false,
        reverse: false,
      });
      yield* page.claims;
      key = page.pagination?.nextKey ?? new Uint8Array();
    } while (key.length > 0);
  }

  private async contract(id: bigint): Promise<Contract> {
    const cached = this.contracts.get(id);
    if (cached && Date.now() - cached.readAt < CONTRACT_TTL_MS) return cached.contract;
    let contract: Contract;
    try {
      contract = (await queryContract(this.options.client.cometClient, id)).contract;
    } catch {
      return refuse(`no contract ${id}`, 'contract_id');
    }
    this.contracts.set(id, { contract, readAt: Date.now() });
    return contract;
  }
}
