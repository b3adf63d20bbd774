/**
 * `ContractDesk`: the executor's side of service contracts in its HTTP gateway. A contract call carries
 * the client's signed request in the `ain-contract` header; it is served (before calls without a
 * contract, `slots.ts`) only when the contract is active for this executor on chain, the request is
 * signed by the contract's client over this body, its deadline is not past and inside the period, and
 * its seq was not served before. The answer carries the executor's signed receipt, which is what
 * disputes a miss the client might claim on chain. The desk also disputes such claims itself: each
 * `disputeOpen()` walks every claim of the contracts it served and sends the receipts of the claimed
 * calls it answered in time, leaving out what the chain would refuse (judged by the latest block's
 * time, never this machine's clock); a failed tx is logged and counted, and the round goes on.
 */
import type { AinClient, ContractRequestJson } from '../client/index.ts';
import { channelsMsg, contractBodyHash, queryContract, queryContractClaims, queryContracts } from '../client/index.ts';
import { AinError, ainError } from '../core/index.ts';
import {
  contractRequestHash,
  contractRequestSignBytes,
  type ContractRequestTerms,
  MAX_CLAIMS_PER_MSG,
  signContractReceipt,
  verifySigned,
} from '../modules/channels/index.ts';
import { type Claim, type Contract, ContractStatus } from '../proto/gen/ain/channels/v1/contracts.ts';
import { describeError, ErrContractCallRefused } from './errors.ts';

/** How long a contract read from the chain is trusted before it is read again (ms). */
const CONTRACT_TTL_MS = 5_000;
/** Claims a ContractClaims page asks for: the most the chain answers. */
const CLAIMS_PAGE_LIMIT = 1000n;
/**
 * A dispute tx lands in a block after the latest one the desk judged windows by, so a claim whose
 * window closes within this many seconds of that block's time may be refused when the tx lands: its
 * receipts go in txs of their own, sent first, so they cannot sink receipts with time to spare.
 */
export const DISPUTE_MARGIN_SECONDS = 60n;

/** What the desk's dispute rounds have done so far. */
export interface DisputeStats {
  /** MsgDisputeMisses txs the chain took, and the receipts they carried. */
  txs: number;
  disputed: number;
  /** Txs that failed (each logged with the chain's error); the receipts the chain did not name are sent again. */
  failedTxs: number;
  /**
   * Receipts given up: the claim's window passed, the call was answered after its deadline, the claim
   * is of another request under the same seq, or the chain refused the receipt by name.
   */
  forgotten: number;
}

/** A receipt the desk signed (`answeredAt` -1 while the call runs). */
interface HeldReceipt {
  readonly answeredAt: bigint;
  readonly signature: Uint8Array;
  /** The hash of the request answered: a claim of another request under the same seq cannot be disputed with it. */
  readonly requestHash: Uint8Array;
}

/** A receipt that disputes a standing claim, and when that claim's window closes. */
interface OpenReceipt {
  readonly seq: bigint;
  readonly answeredAt: bigint;
  readonly signature: Uint8Array;
  readonly closesAt: bigint;
}

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
  /** Receipts signed, by contract and seq (what disputes send); forgotten once disputed or of no more use. */
  private readonly receipts = new Map<bigint, Map<bigint, HeldReceipt>>();
  private active = 0;
  readonly disputeStats: DisputeStats = { txs: 0, disputed: 0, failedTxs: 0, forgotten: 0 };

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
    const served = this.receipts.get(contractId) ?? new Map<bigint, HeldReceipt>();
    this.receipts.set(contractId, served);
    if (served.has(seq)) refuse(`seq ${seq} of contract ${contractId} was served already`, 'seq');
    served.set(seq, { answeredAt: -1n, signature: new Uint8Array(), requestHash: contractRequestHash(terms) });
    return terms;
  }

  /** Signs the receipt of an answered call (its time is now). */
  receipt(terms: ContractRequestTerms): ReceiptJson {
    const answeredAt = this.now();
    const signature = signContractReceipt(this.options.privkey, terms, answeredAt);
    this.receipts.get(terms.contractId)?.set(terms.seq, { answeredAt, signature, requestHash: contractRequestHash(terms) });
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
   * at most {@link MAX_CLAIMS_PER_MSG} receipts a tx; returns how many. What the chain would refuse
   * is not sent (see {@link openBatches}); a failed tx does not stop the round.
   */
  async disputeOpen(): Promise<number> {
    const chainTime = await this.chainTime();
    let disputed = 0;
    for (const [contractId, served] of this.receipts) {
      let batches: OpenReceipt[][];
      try {
        batches = await this.openBatches(contractId, served, chainTime);
      } catch (error) {
        this.options.log(`contracts: reading the claims of contract ${contractId} failed: ${describeError(error)} (read again next round)`);
        continue;
      }
      for (const batch of batches) disputed += await this.sendDisputes(contractId, served, batch);
    }
    return disputed;
  }

  /**
   * The receipts of a contract's standing claims that the chain takes at `chainTime` (the latest
   * block's): the contract active and this executor's, the claim not disputed, its window
   * (`claimedAt + disputeSeconds`) not passed, the call answered by its deadline and the claim of the
   * request answered. A receipt that can never dispute its claim is forgotten, and so is a contract
   * over or past its last window (`endsAt + 2 x disputeSeconds`). Batches of at most
   * {@link MAX_CLAIMS_PER_MSG}, the soonest-closing windows first, the claims that close within
   * {@link DISPUTE_MARGIN_SECONDS} apart from the rest.
   */
  private async openBatches(contractId: bigint, served: Map<bigint, HeldReceipt>, chainTime: bigint): Promise<OpenReceipt[][]> {
    const { contract } = await queryContract(this.options.client.cometClient, contractId);
    if (
      contract.status !== ContractStatus.CONTRACT_STATUS_ACTIVE ||
      contract.executor !== this.options.client.address ||
      chainTime > contract.endsAt + 2n * contract.disputeSeconds
    ) {
      this.forget(served.size, `contract ${contractId} takes no more disputes at block time ${chainTime}`);
      this.receipts.delete(contractId);
      return [];
    }
    const open: OpenReceipt[] = [];
    const gone = { closed: 0, late: 0, other: 0 };
    for await (const claim of this.claimsOf(contractId)) {
      const held = served.get(claim.seq);
      if (!held || held.answeredAt < 0n) continue;
      const closesAt = claim.claimedAt + contract.disputeSeconds;
      const reason = claim.disputed
        ? 'disputed'
        : chainTime > closesAt
          ? 'closed'
          : held.answeredAt > claim.deadline
            ? 'late'
            : !Buffer.from(held.requestHash).equals(claim.requestHash)
              ? 'other'
              : undefined;
      if (reason === undefined) open.push({ seq: claim.seq, answeredAt: held.answeredAt, signature: held.signature, closesAt });
      else {
        served.delete(claim.seq);
        if (reason !== 'disputed') gone[reason] += 1;
      }
    }
    this.forget(gone.closed, `claim(s) of contract ${contractId} closed to disputes at block time ${chainTime}`);
    this.forget(gone.late, `claim(s) of contract ${contractId} answered after their deadline`);
    this.forget(gone.other, `claim(s) of contract ${contractId} made on another request than the one answered under its seq`);
    open.sort((a, b) => (a.closesAt !== b.closesAt ? (a.closesAt < b.closesAt ? -1 : 1) : a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const closing = open.filter((r) => r.closesAt < chainTime + DISPUTE_MARGIN_SECONDS);
    const batches: OpenReceipt[][] = [];
    for (const group of [closing, open.slice(closing.length)])
      for (let i = 0; i < group.length; i += MAX_CLAIMS_PER_MSG) batches.push(group.slice(i, i + MAX_CLAIMS_PER_MSG));
    return batches;
  }

  /**
   * One MsgDisputeMisses; returns how many claims it disputed. The chain takes all of its receipts or
   * none: a receipt it refuses by name (`receipts[i]`, a bad signature or an invalid dispute) is
   * forgotten and the others are sent again at once; any other failure leaves them to the next round.
   */
  private async sendDisputes(contractId: bigint, served: Map<bigint, HeldReceipt>, batch: readonly OpenReceipt[]): Promise<number> {
    const address = this.options.client.address ?? '';
    let receipts = batch;
    while (receipts.length > 0) {
      const message = channelsMsg.disputeMisses(address, {
        contractId,
        receipts: receipts.map(({ seq, answeredAt, signature }) => ({ seq, answeredAt, signature })),
      });
      try {
        await this.options.client.signAndBroadcast([message]);
      } catch (error) {
        this.disputeStats.failedTxs += 1;
        const refused = refusedReceipt(error, receipts.length);
        const what = `disputing ${receipts.length} claim(s) of contract ${contractId} failed: ${describeError(error)}`;
        if (refused === undefined) {
          this.options.log(`contracts: ${what} (sent again next round)`);
          return 0;
        }
        const seq = receipts[refused]!.seq;
        this.options.log(`contracts: ${what}; the receipt of seq ${seq} is forgotten, the other ${receipts.length - 1} sent again`);
        served.delete(seq);
        this.disputeStats.forgotten += 1;
        receipts = receipts.filter((r) => r.seq !== seq);
        continue;
      }
      for (const r of receipts) served.delete(r.seq);
      this.disputeStats.txs += 1;
      this.disputeStats.disputed += receipts.length;
      this.options.log(`contracts: disputed ${receipts.length} claim(s) of contract ${contractId} with receipts`);
      return receipts.length;
    }
    return 0;
  }

  /** Counts and logs receipts given up (none: nothing). */
  private forget(count: number, why: string): void {
    if (count === 0) return;
    this.disputeStats.forgotten += count;
    this.options.log(`contracts: ${count} receipt(s) forgotten: ${why}`);
  }

  /** The latest block's time (unix seconds): the chain's windows are judged by it, never by this machine's clock. */
  private async chainTime(): Promise<bigint> {
    const status = await this.options.client.cometClient.status();
    return BigInt(Math.floor(status.syncInfo.latestBlockTime.getTime() / 1000));
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

/** Channels refusals of one receipt that no later round changes: a bad signature (14), an invalid dispute (16). */
const FINAL_RECEIPT_REFUSALS = new Set([14, 16]);

/**
 * The index of the receipt a MsgDisputeMisses was refused for, when the refusal is final (the chain's
 * log names `receipts[i]`); undefined for anything a later round may get through (a node down, fees).
 * @example refusedReceipt(new TxError({ codespace: 'channels', code: 16, log: 'receipts[2]: claim 9 could be disputed until 1700000100', stage: 'deliver' }), 5) // 2
 */
export function refusedReceipt(error: unknown, count: number): number | undefined {
  if (!(error instanceof AinError) || error.codespace !== 'channels' || !FINAL_RECEIPT_REFUSALS.has(error.code)) return undefined;
  const match = /receipts\[(\d+)\]/.exec(error.message);
  const index = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(index) && index < count ? index : undefined;
}
