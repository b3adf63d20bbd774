/**
 * Service contracts from the client's side: the channels module's queries (`queryContract`,
 * `queryContractClaims`, `queryContracts`, `queryChannels`) and one contract call over HTTP (`ContractCaller`): each call
 * carries a request the client signed (contract, seq, deadline, body hash) in the `ain-contract`
 * header and comes back with the executor's signed receipt. The caller keeps each signed request, so
 * the calls not answered by their deadline can be claimed on chain (`missedRequests`,
 * `channelsMsg.claimMisses`).
 */
import { createHash } from 'node:crypto';
import { ainError, AinError, ErrIO, ErrInvalidRequest } from '../core/index.ts';
import { contractReceiptSignBytes, contractRequestHash, signContractRequest, verifySigned } from '../modules/channels/index.ts';
import type { Claim, Contract, ContractRequest } from '../proto/gen/ain/channels/v1/contracts.ts';
import {
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryContractClaimsRequest,
  QueryContractClaimsResponse,
  QueryContractRequest,
  QueryContractResponse,
  QueryContractsRequest,
  QueryContractsResponse,
} from '../proto/gen/ain/channels/v1/query.ts';
import type { PageRequest, PageResponse } from '../proto/gen/ain/base/v1/pagination.ts';
import type { Channel } from '../proto/gen/ain/channels/v1/types.ts';
import { abciQueryOrThrow, decodeAnswer, type StateQuerier } from './queryState.ts';

/**
 * A contract by id with its claims (throws `QueryError` channels/12 when there is none).
 * @example const { contract, claims } = await queryContract(client.cometClient, 1n);
 */
export async function queryContract(
  comet: StateQuerier,
  contractId: bigint,
): Promise<{ contract: Contract; claims: Claim[]; height: number }> {
  const response = await abciQueryOrThrow(comet, '/ain.channels.v1.Query/Contract', QueryContractRequest.encode({ contractId }).finish());
  const { contract, claims } = decodeAnswer(QueryContractResponse.decode, response.value, '/ain.channels.v1.Query/Contract');
  if (!contract) throw ainError(ErrIO, `the node answered contract ${contractId} without a contract`);
  return { contract, claims, height: response.height ?? 0 };
}

/**
 * One page of a contract's claims in seq order (default the lowest 100; keys are the seqs in decimal):
 * pass `pagination.nextKey` back as `key` for the next page, until it is empty. Throws `QueryError`
 * channels/12 when there is no such contract.
 * @example
 * const { claims, pagination } = await queryContractClaims(client.cometClient, 1n, { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false });
 */
export async function queryContractClaims(
  comet: StateQuerier,
  contractId: bigint,
  pagination?: PageRequest,
): Promise<{ claims: Claim[]; pagination: PageResponse | undefined }> {
  const path = '/ain.channels.v1.Query/ContractClaims';
  const data = QueryContractClaimsRequest.encode({ contractId, pagination }).finish();
  const { claims, pagination: page } = decodeAnswer(
    QueryContractClaimsResponse.decode,
    (await abciQueryOrThrow(comet, path, data)).value,
    path,
  );
  return { claims, pagination: page };
}

/**
 * A client's or an executor's contracts: one page (default the first 100; keys are the ids as path labels).
 * @example const contracts = await queryContracts(client.cometClient, { executor: 'ain1...' });
 */
export async function queryContracts(
  comet: StateQuerier,
  party: { client?: string; executor?: string; pagination?: PageRequest },
): Promise<Contract[]> {
  const data = QueryContractsRequest.encode({
    client: party.client ?? '',
    executor: party.executor ?? '',
    pagination: party.pagination,
  }).finish();
  return decodeAnswer(
    QueryContractsResponse.decode,
    (await abciQueryOrThrow(comet, '/ain.channels.v1.Query/Contracts', data)).value,
    '/ain.channels.v1.Query/Contracts',
  ).contracts;
}

/**
 * A payer's or an executor's channels: one page (default the first 100; keys are the ids as path labels).
 * @example const channels = await queryChannels(client.cometClient, { payer: 'ain1...' });
 */
export async function queryChannels(
  comet: StateQuerier,
  party: { payer?: string; executor?: string; pagination?: PageRequest },
): Promise<Channel[]> {
  const data = QueryChannelsRequest.encode({
    payer: party.payer ?? '',
    executor: party.executor ?? '',
    pagination: party.pagination,
  }).finish();
  return decodeAnswer(
    QueryChannelsResponse.decode,
    (await abciQueryOrThrow(comet, '/ain.channels.v1.Query/Channels', data)).value,
    '/ain.channels.v1.Query/Channels',
  ).channels;
}

/** The header a contract call carries its signed request in. */
export const CONTRACT_HEADER = 'ain-contract';

/** A contract request as it travels in the `ain-contract` header (JSON; ids and times as decimal text). */
export interface ContractRequestJson {
  readonly contract_id: string;
  readonly seq: string;
  readonly deadline: string;
  /** hex sha256 of the body: `JSON.stringify(input)`. */
  readonly body_hash: string;
  /** base64 of the client's 64-byte signature. */
  readonly signature: string;
}

/** The executor's receipt of an answer, as the gateway returns it. */
export interface ContractReceiptJson {
  readonly contract_id: string;
  readonly seq: string;
  readonly answered_at: string;
  readonly signature: string;
}

/** sha256 of a call's body as both sides compute it: the UTF-8 of `JSON.stringify(input ?? null)`. */
export function contractBodyHash(input: unknown): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update(JSON.stringify(input ?? null))
      .digest(),
  );
}

/** What a contract call answered. */
export interface ContractCallResult {
  readonly status: number;
  readonly output?: unknown;
  /** The executor's receipt, checked against its key. */
  readonly receipt?: ContractReceiptJson;
  readonly error?: { readonly codespace: string; readonly code: number; readonly message: string };
}

interface Sent {
  readonly request: ContractRequest;
  receipt: ContractReceiptJson | undefined;
}

/**
 * The client's side of one contract: numbers and signs each call, sends it, checks the receipt, and
 * keeps what it sent to claim misses.
 * @example
 * const caller = new ContractCaller(privkey, chainId, 1n, executorPubkey);
 * const answer = await caller.call('http://127.0.0.1:8080', 'POST', '/apps/chat/ask', { q: 'hi' }, 30n);
 * const misses = caller.missedRequests(nowSeconds); // then channelsMsg.claimMisses(client, { contractId: 1n, requests: misses })
 */
export class ContractCaller {
  private seq = 0n;
  private readonly sent: Sent[] = [];

  constructor(
    private readonly privkey: Uint8Array,
    readonly chainId: string,
    readonly contractId: bigint,
    /** The executor's key (the contract's `executor_pubkey`): receipts are checked against it. */
    private readonly executorPubkey: Uint8Array,
  ) {}

  /** Signs the next request for `input`, due `deadline` (unix seconds). */
  sign(input: unknown, deadline: bigint): ContractRequestJson {
    this.seq += 1n;
    const terms = { chainId: this.chainId, contractId: this.contractId, seq: this.seq, deadline, bodyHash: contractBodyHash(input) };
    const signature = signContractRequest(this.privkey, terms);
    this.sent.push({ request: { seq: terms.seq, deadline, bodyHash: terms.bodyHash, signature }, receipt: undefined });
    return {
      contract_id: this.contractId.toString(),
      seq: terms.seq.toString(),
      deadline: deadline.toString(),
      body_hash: Buffer.from(terms.bodyHash).toString('hex'),
      signature: Buffer.from(signature).toString('base64'),
    };
  }

  /** Calls the gateway with a signed request due `withinSeconds` from now (wall clock). */
  async call(
    gatewayUrl: string,
    method: 'GET' | 'POST',
    path: string,
    input: unknown,
    withinSeconds: bigint,
    timeoutMs = 30_000,
  ): Promise<ContractCallResult> {
    if (method === 'GET' && input !== null && input !== undefined)
      throw ainError(ErrInvalidRequest, 'a GET contract call takes no input', { field: 'input' });
    const request = this.sign(method === 'GET' ? {} : input, BigInt(Math.floor(Date.now() / 1000)) + withinSeconds);
    const url = `${gatewayUrl.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { [CONTRACT_HEADER]: JSON.stringify(request), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body: JSON.stringify(input ?? null) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new AinError(ErrIO, `contract call ${method} ${url} failed: ${(cause as Error).message}`, {}, cause);
    }
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw ainError(ErrIO, `contract call ${method} ${url} answered ${response.status} with something that is not JSON`);
    }
    if (response.status === 200) {
      const receipt = body['receipt'] as ContractReceiptJson | undefined;
      if (!receipt || !this.checkReceipt(receipt))
        throw ainError(ErrIO, `contract call ${method} ${url}: the answer's receipt is missing or not the executor's`);
      return { status: 200, output: body['output'], receipt };
    }
    const error = body['error'] as { codespace?: unknown; code?: unknown; message?: unknown } | undefined;
    return {
      status: response.status,
      error: { codespace: String(error?.codespace ?? ''), code: Number(error?.code ?? 0), message: String(error?.message ?? text) },
    };
  }

  /** Whether `receipt` is the executor's signature over one of our requests answered by its deadline; records it. */
  checkReceipt(receipt: ContractReceiptJson): boolean {
    const sent = this.sent.find((s) => s.request.seq.toString() === receipt.seq);
    if (!sent || receipt.contract_id !== this.contractId.toString()) return false;
    const { seq, deadline, bodyHash } = sent.request;
    const hash = contractRequestHash({ chainId: this.chainId, contractId: this.contractId, seq, deadline, bodyHash });
    const bytes = contractReceiptSignBytes(this.chainId, this.contractId, seq, hash, BigInt(receipt.answered_at));
    if (!verifySigned(this.executorPubkey, new Uint8Array(Buffer.from(receipt.signature, 'base64')), bytes)) return false;
    if (BigInt(receipt.answered_at) <= deadline) sent.receipt = receipt;
    return true;
  }

  /** The request signed with `seq` (for a claim), or undefined. */
  request(seq: bigint): ContractRequest | undefined {
    return this.sent.find((s) => s.request.seq === seq)?.request;
  }

  /** The signed requests due before `nowSeconds` that have no receipt in time: what the client may claim. */
  missedRequests(nowSeconds: bigint): ContractRequest[] {
    return this.sent.filter((s) => !s.receipt && s.request.deadline < nowSeconds).map((s) => s.request);
  }
}
