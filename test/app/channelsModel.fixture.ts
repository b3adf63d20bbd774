/**
 * The model of the channels module for test/app/fuzzChannels.test.ts, written from its README: what
 * each tx must do at a block time (refused with which error, or the records and balances after it).
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { moduleAddress, type ReadableState } from '../../core/index.ts';
import { decodeContract, type StoredChannel, type StoredContract } from '../../modules/channels/index.ts';
import { MsgProposeContract } from '../../proto/gen/ain/channels/v1/tx.ts';
import { anyOf, type TestKey } from '../helpers/tx.ts';

export const CHANNELS_ACCOUNT = moduleAddress('channels');

/** Every contract record in the state, by id. */
export function storedContracts(state: ReadableState): StoredContract[] {
  return state
    .list('/channels/contracts', 10_000)
    .map(([, text]) => decodeContract(text as string))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The terms of a proposal as both fuzz tests draw them. */
export interface ProposeTerms {
  readonly price: bigint;
  readonly deposit: bigint;
  readonly penalty: bigint;
  readonly duration: bigint;
  readonly dispute: bigint;
}

/** A MsgProposeContract from `signer` to `executor` (1 request a second, no GPUs), with the model's view of it. */
export function proposeTx(signer: TestKey, executor: string, terms: ProposeTerms): { signer: TestKey; tx: ResolvedTx; messages: Any[] } {
  const { price, deposit, penalty, duration, dispute } = terms;
  const msg = anyOf(MsgProposeContract, {
    signer: signer.address,
    clientPubkey: signer.pubkey,
    executor,
    requestsPerSecond: 1,
    gpus: 0,
    price: price.toString(),
    deposit: deposit.toString(),
    penaltyPerMiss: penalty.toString(),
    durationSeconds: duration,
    disputeSeconds: dispute,
  });
  return { signer, tx: { kind: 'propose', executor, price, deposit, penalty, duration, dispute }, messages: [msg] };
}
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** A tx as the model sees it: the messages' terms, with whether each signature is the right key's. */
export type ResolvedTx =
  | { kind: 'open'; executor: string; deposit: bigint; duration: bigint }
  | { kind: 'redeem'; vouchers: { channelId: bigint; amount: bigint; nonce: bigint; validSignature: boolean }[] }
  | { kind: 'close'; channelId: bigint }
  | { kind: 'propose'; executor: string; price: bigint; deposit: bigint; penalty: bigint; duration: bigint; dispute: bigint }
  | { kind: 'accept'; contractId: bigint }
  | { kind: 'end'; contractId: bigint }
  | { kind: 'claim'; contractId: bigint; requests: { seq: bigint; deadline: bigint; validSignature: boolean }[] }
  | { kind: 'dispute'; contractId: bigint; receipts: { seq: bigint; answeredAt: bigint; validSignature: boolean }[] }
  | { kind: 'settle'; contractId: bigint };

export interface ModelClaim {
  deadline: bigint;
  claimedAt: bigint;
  disputed: boolean;
}

/** The outcome the model predicts: 'ok', or the error as `codespace/code`. */
export type Outcome = string;

export class Refusal extends Error {
  /** `stateless`: refused by validateBasic, before the ante takes the fee. */
  constructor(
    readonly code: number,
    readonly stateless = false,
  ) {
    super(`channels/${code}`);
  }
}
const refuse = (code: number): never => {
  throw new Refusal(code);
};
const invalid = (): never => {
  throw new Refusal(1, true);
};

export class Model {
  readonly balances = new Map<string, bigint>();
  readonly channels: StoredChannel[] = [];
  readonly contracts: StoredContract[] = [];
  readonly claims = new Map<bigint, Map<bigint, ModelClaim>>();

  constructor(readonly keys: TestKey[]) {}

  private pay(from: string, to: string, amount: bigint): void {
    this.balances.set(from, this.balances.get(from)! - amount);
    this.balances.set(to, this.balances.get(to)! + amount);
  }

  private balance(address: string): bigint {
    return this.balances.get(address)!;
  }

  channel(id: bigint): StoredChannel {
    const channel = this.channels[Number(id) - 1];
    return channel ?? refuse(2);
  }

  contract(id: bigint, status?: StoredContract['status']): StoredContract {
    const contract = this.contracts[Number(id) - 1] ?? refuse(12);
    if (status && contract.status !== status) refuse(13);
    return contract;
  }

  /** Applies `action` (already resolved to its tx) at block time `now`; throws Refusal, changing nothing, when the chain must refuse it. */
  apply(signer: TestKey, tx: ResolvedTx, now: bigint): void {
    // Work on copies: a refusal half-way must leave the model as it was.
    const channels = this.channels.map((c) => ({ ...c }));
    const contracts = this.contracts.map((c) => ({ ...c }));
    const claims = new Map([...this.claims].map(([id, m]) => [id, new Map([...m].map(([s, c]) => [s, { ...c }]))]));
    const balances = new Map(this.balances);
    try {
      this.applyUnchecked(signer.address, tx, now);
    } catch (error) {
      this.channels.splice(0, this.channels.length, ...channels);
      this.contracts.splice(0, this.contracts.length, ...contracts);
      this.claims.clear();
      for (const [id, m] of claims) this.claims.set(id, m);
      this.balances.clear();
      for (const [a, b] of balances) this.balances.set(a, b);
      throw error;
    }
  }

  private applyUnchecked(signer: string, tx: ResolvedTx, now: bigint): void {
    switch (tx.kind) {
      case 'open': {
        if (tx.executor === signer) invalid();
        if (this.balance(signer) < tx.deposit) refuse(9);
        const id = BigInt(this.channels.length + 1);
        this.pay(signer, CHANNELS_ACCOUNT, tx.deposit);
        this.channels.push({
          id,
          payer: signer,
          payerPubkey: '',
          executor: tx.executor,
          deposit: tx.deposit,
          redeemed: 0n,
          nonce: 0n,
          expiresAt: now + tx.duration,
          status: 'open',
        });
        return;
      }
      case 'redeem': {
        const ids = tx.vouchers.map((v) => v.channelId);
        if (new Set(ids).size !== ids.length) invalid();
        for (const voucher of tx.vouchers) {
          const channel = this.channel(voucher.channelId);
          if (channel.status !== 'open') refuse(8);
          if (channel.executor !== signer) refuse(3);
          if (now > channel.expiresAt) refuse(11);
          if (!voucher.validSignature) refuse(4);
          if (voucher.amount > channel.deposit) refuse(5);
          if (voucher.amount <= channel.redeemed || voucher.nonce <= channel.nonce) refuse(6);
          this.pay(CHANNELS_ACCOUNT, signer, voucher.amount - channel.redeemed);
          channel.redeemed = voucher.amount;
          channel.nonce = voucher.nonce;
        }
        return;
      }
      case 'close': {
        const channel = this.channel(tx.channelId);
        if (channel.status !== 'open') refuse(8);
        if (channel.payer !== signer) refuse(3);
        if (now <= channel.expiresAt) refuse(7);
        this.pay(CHANNELS_ACCOUNT, signer, channel.deposit - channel.redeemed);
        channel.status = 'closed';
        return;
      }
      case 'propose': {
        if (tx.executor === signer) invalid();
        if (this.balance(signer) < tx.price) refuse(9);
        const id = BigInt(this.contracts.length + 1);
        this.pay(signer, CHANNELS_ACCOUNT, tx.price);
        this.contracts.push({
          id,
          client: signer,
          clientPubkey: '',
          executor: tx.executor,
          executorPubkey: '',
          requestsPerSecond: 1,
          gpus: 0,
          price: tx.price,
          deposit: tx.deposit,
          penaltyPerMiss: tx.penalty,
          durationSeconds: tx.duration,
          disputeSeconds: tx.dispute,
          startsAt: 0n,
          endsAt: 0n,
          refunded: 0n,
          claims: 0n,
          disputed: 0n,
          slashed: 0n,
          status: 'proposed',
        });
        return;
      }
      case 'accept': {
        const contract = this.contract(tx.contractId, 'proposed');
        if (contract.executor !== signer) refuse(3);
        if (this.balance(signer) < contract.deposit) refuse(9);
        this.pay(signer, CHANNELS_ACCOUNT, contract.deposit);
        Object.assign(contract, { startsAt: now, endsAt: now + contract.durationSeconds, status: 'active' });
        return;
      }
      case 'end': {
        const contract = this.contract(tx.contractId);
        if (contract.client !== signer) refuse(3);
        if (contract.status === 'proposed') {
          contract.refunded = contract.price;
          contract.status = 'cancelled';
        } else if (contract.status === 'active' && now < contract.endsAt) {
          contract.refunded = (contract.price * (contract.endsAt - now)) / contract.durationSeconds;
          contract.endsAt = now;
        } else refuse(13);
        this.pay(CHANNELS_ACCOUNT, signer, contract.refunded);
        return;
      }
      case 'claim': {
        const contract = this.contract(tx.contractId, 'active');
        if (contract.client !== signer) refuse(3);
        if (now > contract.endsAt + contract.disputeSeconds) refuse(15);
        const claims = this.claims.get(contract.id) ?? new Map<bigint, ModelClaim>();
        for (const request of tx.requests) {
          if (request.deadline < contract.startsAt || request.deadline > contract.endsAt) refuse(15);
          if (request.deadline >= now) refuse(15);
          if (claims.has(request.seq)) refuse(15);
          if (!request.validSignature) refuse(14);
          claims.set(request.seq, { deadline: request.deadline, claimedAt: now, disputed: false });
        }
        this.claims.set(contract.id, claims);
        contract.claims += BigInt(tx.requests.length);
        return;
      }
      case 'dispute': {
        const seqs = tx.receipts.map((r) => r.seq);
        if (new Set(seqs).size !== seqs.length) invalid();
        const contract = this.contract(tx.contractId, 'active');
        if (contract.executor !== signer) refuse(3);
        for (const receipt of tx.receipts) {
          const claim = this.claims.get(contract.id)?.get(receipt.seq);
          if (!claim || claim.disputed) refuse(16);
          if (now > claim!.claimedAt + contract.disputeSeconds) refuse(16);
          if (receipt.answeredAt > claim!.deadline) refuse(16);
          if (!receipt.validSignature) refuse(14);
          claim!.disputed = true;
        }
        contract.disputed += BigInt(tx.receipts.length);
        return;
      }
      case 'settle': {
        const contract = this.contract(tx.contractId, 'active');
        if (signer !== contract.client && signer !== contract.executor) refuse(3);
        if (now <= contract.endsAt + 2n * contract.disputeSeconds) refuse(17);
        const slashed = min((contract.claims - contract.disputed) * contract.penaltyPerMiss, contract.deposit);
        this.pay(CHANNELS_ACCOUNT, contract.client, slashed);
        this.pay(CHANNELS_ACCOUNT, contract.executor, contract.price - contract.refunded + contract.deposit - slashed);
        contract.slashed = slashed;
        contract.status = 'settled';
        return;
      }
    }
  }
}
