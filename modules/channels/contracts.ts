/**
 * `ContractsKeeper`: service contracts, the part of `/channels` under `contracts`, `contracts_by_*`
 * and `claims`. A client proposes (the price escrowed), the executor accepts (its deposit escrowed;
 * the period starts). The client claims misses with its signed requests whose deadline passed; the
 * executor disputes a claim within the dispute window with its signed receipt of an answer by the
 * deadline; a claim not disputed stands. After the end (of the period, or the block time the client
 * ended it early, refunding the unused price pro rata) and two dispute windows (one to claim, one to
 * dispute), either party settles: the client gets `min(misses x penalty, deposit)`, the executor the
 * rest of its deposit and the price less the refund. All in block time; see README.md.
 */
import { ainError, BASE_DENOM, decodeRecord, encodeRecord, moduleAddress, readRecord } from '../../core/index.ts';
import type { Context, Page, PageRequest, ReadableState } from '../../core/index.ts';
import type { Claim, Contract } from '../../proto/gen/ain/channels/v1/contracts.ts';
import { ContractStatus } from '../../proto/gen/ain/channels/v1/contracts.ts';
import type {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgDisputeMisses,
  MsgEndContract,
  MsgProposeContract,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { contractReceiptSignBytes, contractRequestHash, contractRequestSignBytes, verifySigned } from './contractSigning.ts';
import {
  ErrBadContractSignature,
  ErrContractNotFound,
  ErrContractState,
  ErrInsufficientFunds,
  ErrInvalidClaim,
  ErrInvalidDispute,
  ErrNotSettleable,
  ErrUnauthorized,
} from './errors.ts';
import {
  contractAcceptedEvent,
  contractEndedEvent,
  contractProposedEvent,
  contractSettledEvent,
  missClaimedEvent,
  missDisputedEvent,
} from './events.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { indexedSeqsPage, indexSeq, isSeqIndexed, lowestIndexedSeqs, startSeqIndex } from './claimIndex.ts';
import { SEQ_READS, seqsPage, walkSeqs } from './claimSeqs.ts';
import { addEscrow, CHANNELS_MODULE } from './keeper.ts';
import { claimPath, claimsPath, contractPath, contractsByPath, NEXT_CONTRACT_ID_PATH } from './keys.ts';

/** Gas per claimed request or receipt checked: one secp256k1 verification. */
export const CONTRACT_VERIFY_GAS = 1000;

export type ContractStatusName = 'proposed' | 'active' | 'settled' | 'cancelled';

/** A contract as stored (canonical JSON; amounts decimal text, keys base64). */
export interface StoredContract {
  id: bigint;
  client: string;
  clientPubkey: string;
  executor: string;
  executorPubkey: string;
  requestsPerSecond: number;
  gpus: number;
  price: bigint;
  deposit: bigint;
  penaltyPerMiss: bigint;
  durationSeconds: bigint;
  disputeSeconds: bigint;
  startsAt: bigint;
  endsAt: bigint;
  refunded: bigint;
  claims: bigint;
  disputed: bigint;
  slashed: bigint;
  status: ContractStatusName;
}

/** A claimed miss as stored. */
export interface StoredClaim {
  deadline: bigint;
  requestHash: string;
  claimedAt: bigint;
  disputed: boolean;
}

const CONTRACT_BIGINTS = new Set([
  'id',
  'price',
  'deposit',
  'penaltyPerMiss',
  'durationSeconds',
  'disputeSeconds',
  'startsAt',
  'endsAt',
  'refunded',
  'claims',
  'disputed',
  'slashed',
]);
const CLAIM_BIGINTS = new Set(['deadline', 'claimedAt']);

/** A contract record from its leaf text (what `/channels/contracts/<id>` holds). */
export const decodeContract = (text: string): StoredContract => decodeRecord<StoredContract>(text, CONTRACT_BIGINTS);
const STATUS: Record<ContractStatusName, ContractStatus> = {
  proposed: ContractStatus.CONTRACT_STATUS_PROPOSED,
  active: ContractStatus.CONTRACT_STATUS_ACTIVE,
  settled: ContractStatus.CONTRACT_STATUS_SETTLED,
  cancelled: ContractStatus.CONTRACT_STATUS_CANCELLED,
};
const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];
const key = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

export class ContractsKeeper {
  readonly moduleAddress = moduleAddress(CHANNELS_MODULE);

  constructor(private readonly bank: BankKeeper) {}

  getContract(state: ReadableState, id: bigint): StoredContract | undefined {
    return readRecord<StoredContract>(state, contractPath(id), CONTRACT_BIGINTS);
  }

  getClaim(state: ReadableState, contractId: bigint, seq: bigint): StoredClaim | undefined {
    return readRecord<StoredClaim>(state, claimPath(contractId, seq), CLAIM_BIGINTS);
  }

  /**
   * A contract's claims with the lowest seqs, at most `limit`, in seq order: from its seq index, or
   * by walking the labels of a contract with claims from before the index (fewer when the walk's
   * reads run out). Queries only.
   */
  lowestClaims(state: ReadableState, contractId: bigint, limit: number): Claim[] {
    const seqs = isSeqIndexed(state, contractId)
      ? lowestIndexedSeqs(state, contractId, limit)
      : walkSeqs(state, claimsPath(contractId), 1n, limit, SEQ_READS).seqs;
    return this.claimsAt(state, contractId, seqs);
  }

  /**
   * One page of a contract's claims in seq order (`key` the seq in decimal, `total` the contract's
   * count): from its seq index, or by a label walk (`claimSeqs.ts`) for a contract without one. Queries only.
   */
  claimsPage(state: ReadableState, contract: StoredContract, page: PageRequest | undefined, maxLimit: number): Page<Claim> {
    const seqs = isSeqIndexed(state, contract.id)
      ? indexedSeqsPage(state, contract.id, page, contract.claims, maxLimit)
      : seqsPage(state, claimsPath(contract.id), page, contract.claims, maxLimit);
    return { items: this.claimsAt(state, contract.id, seqs.items), pagination: seqs.pagination };
  }

  private claimsAt(state: ReadableState, contractId: bigint, seqs: readonly bigint[]): Claim[] {
    return seqs.flatMap((seq) => {
      const claim = this.getClaim(state, contractId, seq);
      return claim ? [{ contractId, seq, ...claim, requestHash: key(claim.requestHash) }] : [];
    });
  }

  /** MsgProposeContract: escrows the price; the contract waits for the executor's deposit. */
  propose(ctx: Context, msg: MsgProposeContract): { contractId: bigint } {
    const price = BigInt(msg.price);
    const balance = this.bank.getBalance(ctx.state, msg.signer, BASE_DENOM);
    if (balance < price)
      throw ainError(ErrInsufficientFunds, `${msg.signer} has ${balance}uain; the price is ${price}uain`, { field: 'price' });
    const next = ctx.state.get(NEXT_CONTRACT_ID_PATH);
    const id = typeof next === 'string' ? BigInt(next) : 1n;
    ctx.state.set(NEXT_CONTRACT_ID_PATH, (id + 1n).toString());
    this.bank.sendCoins(ctx, msg.signer, this.moduleAddress, uain(price));
    addEscrow(ctx, price);
    this.put(ctx, {
      id,
      client: msg.signer,
      clientPubkey: Buffer.from(msg.clientPubkey).toString('base64'),
      executor: msg.executor,
      executorPubkey: '',
      requestsPerSecond: msg.requestsPerSecond,
      gpus: msg.gpus,
      price,
      deposit: BigInt(msg.deposit),
      penaltyPerMiss: BigInt(msg.penaltyPerMiss),
      durationSeconds: msg.durationSeconds,
      disputeSeconds: msg.disputeSeconds,
      startsAt: 0n,
      endsAt: 0n,
      refunded: 0n,
      claims: 0n,
      disputed: 0n,
      slashed: 0n,
      status: 'proposed',
    });
    ctx.state.set(`${contractsByPath('client', msg.signer)}/${id}`, true);
    ctx.state.set(`${contractsByPath('executor', msg.executor)}/${id}`, true);
    ctx.events.emit(
      contractProposedEvent({ contractId: id, client: msg.signer, executor: msg.executor, price: msg.price, deposit: msg.deposit }),
    );
    return { contractId: id };
  }

  /** MsgAcceptContract: the executor escrows its deposit; the period starts at this block's time. */
  accept(ctx: Context, msg: MsgAcceptContract): { endsAt: bigint } {
    const contract = this.contractOf(ctx.state, msg.contractId, 'proposed');
    if (contract.executor !== msg.signer)
      throw ainError(ErrUnauthorized, `contract ${contract.id} is offered to ${contract.executor}, not ${msg.signer}`, { field: 'signer' });
    const balance = this.bank.getBalance(ctx.state, msg.signer, BASE_DENOM);
    if (balance < contract.deposit)
      throw ainError(ErrInsufficientFunds, `${msg.signer} has ${balance}uain; the deposit is ${contract.deposit}uain`, {
        field: 'deposit',
      });
    this.bank.sendCoins(ctx, msg.signer, this.moduleAddress, uain(contract.deposit));
    addEscrow(ctx, contract.deposit);
    const endsAt = ctx.blockTimeSeconds + contract.durationSeconds;
    this.put(ctx, {
      ...contract,
      executorPubkey: Buffer.from(msg.executorPubkey).toString('base64'),
      startsAt: ctx.blockTimeSeconds,
      endsAt,
      status: 'active',
    });
    ctx.events.emit(contractAcceptedEvent({ contractId: contract.id, executor: msg.signer, endsAt }));
    return { endsAt };
  }

  /**
   * MsgEndContract: the client withdraws a proposal (the whole price back) or ends an active contract
   * before its end (`price x (endsAt - now) / duration` back, rounded down; calls due later do not count).
   */
  end(ctx: Context, msg: MsgEndContract): { refunded: string } {
    const contract = this.contractOf(ctx.state, msg.contractId);
    if (contract.client !== msg.signer)
      throw ainError(ErrUnauthorized, `contract ${contract.id} is ${contract.client}'s, not ${msg.signer}'s`, { field: 'signer' });
    const now = ctx.blockTimeSeconds;
    let refunded: bigint;
    let next: StoredContract;
    if (contract.status === 'proposed') {
      refunded = contract.price;
      next = { ...contract, refunded, status: 'cancelled' };
    } else if (contract.status === 'active' && now < contract.endsAt) {
      refunded = (contract.price * (contract.endsAt - now)) / contract.durationSeconds;
      next = { ...contract, refunded, endsAt: now };
    } else {
      throw ainError(
        ErrContractState,
        `contract ${contract.id} is ${contract.status} and ends at ${contract.endsAt}; block time is ${now}`,
        {
          field: 'contract_id',
        },
      );
    }
    if (refunded > 0n) this.bank.sendCoins(ctx, this.moduleAddress, contract.client, uain(refunded));
    addEscrow(ctx, -refunded);
    this.put(ctx, next);
    ctx.events.emit(
      contractEndedEvent({ contractId: contract.id, client: contract.client, refunded: refunded.toString(), endsAt: next.endsAt }),
    );
    return { refunded: refunded.toString() };
  }

  /**
   * MsgClaimMisses: each request must carry the client's signature over this contract's terms, a
   * deadline already passed and within the period, and a seq not claimed before; claims are taken up
   * to one dispute window after the end. Each claim is entered in the contract's seq index in the
   * same tx (unless the contract has claims from before the index: `claimIndex.ts`).
   */
  claim(ctx: Context, msg: MsgClaimMisses): { claims: bigint } {
    const contract = this.contractOf(ctx.state, msg.contractId, 'active');
    if (contract.client !== msg.signer)
      throw ainError(ErrUnauthorized, `contract ${contract.id} is ${contract.client}'s, not ${msg.signer}'s`, { field: 'signer' });
    const now = ctx.blockTimeSeconds;
    if (now > contract.endsAt + contract.disputeSeconds)
      throw ainError(
        ErrInvalidClaim,
        `contract ${contract.id} took claims until ${contract.endsAt + contract.disputeSeconds}; block time is ${now}`,
        {
          field: 'contract_id',
        },
      );
    const indexed = startSeqIndex(ctx.state, contract.id, contract.claims);
    for (const [i, request] of msg.requests.entries()) {
      const field = `requests[${i}]`;
      if (request.deadline < contract.startsAt || request.deadline > contract.endsAt)
        throw ainError(
          ErrInvalidClaim,
          `${field}.deadline ${request.deadline} is outside the period ${contract.startsAt}..${contract.endsAt}`,
          {
            field: `${field}.deadline`,
          },
        );
      if (request.deadline >= now)
        throw ainError(ErrInvalidClaim, `${field}.deadline ${request.deadline} has not passed; block time is ${now}`, {
          field: `${field}.deadline`,
        });
      if (this.getClaim(ctx.state, contract.id, request.seq))
        throw ainError(ErrInvalidClaim, `${field}.seq ${request.seq} of contract ${contract.id} was claimed already`, {
          field: `${field}.seq`,
        });
      ctx.gas.consume(CONTRACT_VERIFY_GAS, 'contract request signature');
      const terms = {
        chainId: ctx.chainId,
        contractId: contract.id,
        seq: request.seq,
        deadline: request.deadline,
        bodyHash: request.bodyHash,
      };
      if (!verifySigned(key(contract.clientPubkey), request.signature, contractRequestSignBytes(terms)))
        throw ainError(
          ErrBadContractSignature,
          `${field}.signature is not ${contract.client}'s over contract ${contract.id}, seq ${request.seq}`,
          {
            field: `${field}.signature`,
          },
        );
      const claim: StoredClaim = {
        deadline: request.deadline,
        requestHash: Buffer.from(contractRequestHash(terms)).toString('base64'),
        claimedAt: now,
        disputed: false,
      };
      ctx.state.set(claimPath(contract.id, request.seq), encodeRecord(claim));
      if (indexed) indexSeq(ctx.state, contract.id, request.seq);
      ctx.events.emit(missClaimedEvent({ contractId: contract.id, seq: request.seq, deadline: request.deadline }));
    }
    const claims = contract.claims + BigInt(msg.requests.length);
    this.put(ctx, { ...contract, claims });
    return { claims };
  }

  /** MsgDisputeMisses: each receipt must answer a standing claim, signed by the executor, answered by the deadline, within the window. */
  dispute(ctx: Context, msg: MsgDisputeMisses): { disputed: bigint } {
    const contract = this.contractOf(ctx.state, msg.contractId, 'active');
    if (contract.executor !== msg.signer)
      throw ainError(ErrUnauthorized, `contract ${contract.id} serves ${contract.executor}, not ${msg.signer}`, { field: 'signer' });
    const now = ctx.blockTimeSeconds;
    for (const [i, receipt] of msg.receipts.entries()) {
      const field = `receipts[${i}]`;
      const claim = this.getClaim(ctx.state, contract.id, receipt.seq);
      if (!claim || claim.disputed)
        throw ainError(ErrInvalidDispute, `${field}.seq: contract ${contract.id} has no standing claim ${receipt.seq}`, {
          field: `${field}.seq`,
        });
      if (now > claim.claimedAt + contract.disputeSeconds)
        throw ainError(
          ErrInvalidDispute,
          `${field}: claim ${receipt.seq} could be disputed until ${claim.claimedAt + contract.disputeSeconds}`,
          {
            field: `${field}.seq`,
          },
        );
      if (receipt.answeredAt > claim.deadline)
        throw ainError(ErrInvalidDispute, `${field}.answered_at ${receipt.answeredAt} is after the deadline ${claim.deadline}`, {
          field: `${field}.answered_at`,
        });
      ctx.gas.consume(CONTRACT_VERIFY_GAS, 'contract receipt signature');
      const bytes = contractReceiptSignBytes(ctx.chainId, contract.id, receipt.seq, key(claim.requestHash), receipt.answeredAt);
      if (!verifySigned(key(contract.executorPubkey), receipt.signature, bytes))
        throw ainError(ErrBadContractSignature, `${field}.signature is not ${contract.executor}'s receipt of seq ${receipt.seq}`, {
          field: `${field}.signature`,
        });
      ctx.state.set(claimPath(contract.id, receipt.seq), encodeRecord({ ...claim, disputed: true }));
      ctx.events.emit(missDisputedEvent({ contractId: contract.id, seq: receipt.seq, answeredAt: receipt.answeredAt }));
    }
    const disputed = contract.disputed + BigInt(msg.receipts.length);
    this.put(ctx, { ...contract, disputed });
    return { disputed };
  }

  /** MsgSettleContract: after `endsAt + 2 x dispute window`, pays out (either party may send it). */
  settle(ctx: Context, msg: MsgSettleContract): { slashed: string; paid: string } {
    const contract = this.contractOf(ctx.state, msg.contractId, 'active');
    if (msg.signer !== contract.client && msg.signer !== contract.executor)
      throw ainError(ErrUnauthorized, `${msg.signer} is not a party of contract ${contract.id}`, { field: 'signer' });
    const settleAt = contract.endsAt + 2n * contract.disputeSeconds;
    if (ctx.blockTimeSeconds <= settleAt)
      throw ainError(ErrNotSettleable, `contract ${contract.id} settles after ${settleAt}; block time is ${ctx.blockTimeSeconds}`, {
        field: 'contract_id',
      });
    const misses = contract.claims - contract.disputed;
    const penalty = misses * contract.penaltyPerMiss;
    // The slash is capped at the deposit (bigints: Math.min does not apply).
    let slashed = contract.deposit;
    if (penalty < slashed) slashed = penalty;
    const paid = contract.price - contract.refunded + contract.deposit - slashed;
    if (slashed > 0n) this.bank.sendCoins(ctx, this.moduleAddress, contract.client, uain(slashed));
    if (paid > 0n) this.bank.sendCoins(ctx, this.moduleAddress, contract.executor, uain(paid));
    addEscrow(ctx, -(slashed + paid));
    this.put(ctx, { ...contract, slashed, status: 'settled' });
    ctx.events.emit(
      contractSettledEvent({
        contractId: contract.id,
        executor: contract.executor,
        paid: paid.toString(),
        client: contract.client,
        slashed: slashed.toString(),
        misses,
      }),
    );
    return { slashed: slashed.toString(), paid: paid.toString() };
  }

  /** The contract as its proto (for queries). */
  toProto(c: StoredContract): Contract {
    return {
      ...c,
      clientPubkey: key(c.clientPubkey),
      executorPubkey: key(c.executorPubkey),
      price: c.price.toString(),
      deposit: c.deposit.toString(),
      penaltyPerMiss: c.penaltyPerMiss.toString(),
      refunded: c.refunded.toString(),
      slashed: c.slashed.toString(),
      status: STATUS[c.status],
    };
  }

  private contractOf(state: ReadableState, id: bigint, status?: ContractStatusName): StoredContract {
    const contract = this.getContract(state, id);
    if (!contract) throw ainError(ErrContractNotFound, `contract_id: no contract ${id}`, { field: 'contract_id' });
    if (status && contract.status !== status)
      throw ainError(ErrContractState, `contract ${id} is ${contract.status}, not ${status}`, { field: 'contract_id' });
    return contract;
  }

  private put(ctx: Context, contract: StoredContract): void {
    ctx.state.set(contractPath(contract.id), encodeRecord(contract));
  }
}
