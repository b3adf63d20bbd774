/**
 * Stateful fuzzing of the channels module (payment channels and service contracts) through the app
 * (test/app/fuzzChain.fixture.ts: a main app, a twin without CheckTx, a reference app for failed txs).
 * Each run builds a fresh chain and plays a random sequence of actions, one signed tx per block, by the
 * right actor most of the time, with block time jumping on: open, redeem (vouchers of random amounts and
 * nonces, replayed, stale, over the deposit, signed by another key), close; propose, accept, end, claim,
 * dispute, settle. A model written from README.md predicts each tx's outcome (success or its exact error)
 * and every balance; after each block the chain's records must equal the model's, and the module account
 * must hold exactly `/channels/escrow_total`, the sum of what the open channels and live contracts hold.
 */
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { signContractReceipt, signContractRequest, signVoucher, type StoredChannel } from '../../modules/channels/index.ts';
import {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgCloseChannel,
  MsgDisputeMisses,
  MsgEndContract,
  MsgOpenChannel,
  MsgRedeem,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { anyOf, type TestKey } from '../helpers/tx.ts';
import { CHANNELS_ACCOUNT, Model, type Outcome, proposeTx, Refusal, type ResolvedTx, storedContracts } from './channelsModel.fixture.ts';
import { CHAIN_ID, FEE, FuzzChain } from './fuzzChain.fixture.ts';

const BIG = 10n ** 16n; // more than any key holds

const bodyHash = (seq: bigint) => new Uint8Array(createHash('sha256').update(`call ${seq}`).digest());

// ---- actions --------------------------------------------------------------------------------------

const actor = fc.nat({ max: 3 });
/** Another signer than the right one, rarely. */
const wrong = fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: actor, weight: 1 });
const ref = fc.nat({ max: 40 });
/** The other party: another key mostly, the signer itself rarely. */
const counterparty = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 });
/** A small amount mostly, more than any key holds rarely. */
const amount = (max: bigint) => fc.oneof({ arbitrary: fc.bigInt(1n, max), weight: 9 }, { arbitrary: fc.constant(BIG), weight: 1 });
const amountKind = fc.constantFrom('up', 'up', 'up', 'deposit', 'over', 'same', 'below');
const nonceKind = fc.constantFrom('up', 'up', 'up', 'same', 'down');
const signerKind = fc.constantFrom('payer', 'payer', 'payer', 'payer', 'other', 'otherChannel');
const voucherArb = fc.record({ channel: ref, amountKind, delta: fc.nat({ max: 30 }), nonceKind, signerKind });
const timeKind = fc.oneof(
  { arbitrary: fc.constant('recent' as const), weight: 8 },
  { arbitrary: fc.constantFrom('before', 'start', 'inside', 'end', 'after', 'future'), weight: 3 },
);
/** True rarely: a request or receipt signed by the other party. */
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });

const actionArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('open' as const),
      payer: actor,
      executor: counterparty,
      deposit: amount(500n),
      duration: fc.bigInt(1n, 200n),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('redeem' as const), wrong, vouchers: fc.array(voucherArb, { minLength: 1, maxLength: 3 }) }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('close' as const), wrong, channel: ref }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.bigInt(0n, 60n) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('propose' as const),
      client: actor,
      executor: counterparty,
      price: amount(1000n),
      deposit: fc.bigInt(1n, 300n),
      penalty: fc.bigInt(1n, 200n),
      duration: fc.bigInt(1n, 200n),
      dispute: fc.bigInt(1n, 60n),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), wrong, contract: ref }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('end' as const), wrong, contract: ref }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      wrong,
      contract: ref,
      requests: fc.array(fc.record({ seq: fc.bigInt(1n, 6n), deadline: timeKind, badSignature: rarely }), { minLength: 1, maxLength: 2 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('dispute' as const),
      wrong,
      contract: ref,
      receipts: fc.array(fc.record({ seq: fc.bigInt(1n, 6n), late: rarely, badSignature: rarely }), { minLength: 1, maxLength: 2 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('settle' as const), wrong, contract: ref }), weight: 2 },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

/** Every run starts with two channels and an active contract, so most actions reach past "not found". */
const SETUP: Action[] = [
  { kind: 'open', payer: 1, executor: 1, deposit: 300n, duration: 150n },
  { kind: 'open', payer: 3, executor: 3, deposit: 200n, duration: 30n },
  { kind: 'propose', client: 1, executor: 1, price: 600n, deposit: 200n, penalty: 70n, duration: 150n, dispute: 30n },
  { kind: 'accept', wrong: null, contract: 1 },
];

// ---- resolving an action against the model into a tx -------------------------------------------------

/** An existing id mostly (count of them), the next one (not found) one time in ten. */
const idOf = (pick: number, count: number) => BigInt(count === 0 || pick % 10 === 0 ? count + 1 : (pick % count) + 1);

/** The signer, the tx's messages and what the model needs to predict it. */
function resolve(
  model: Model,
  action: Exclude<Action, { kind: 'wait' }>,
  now: bigint,
): { signer: TestKey; tx: ResolvedTx; messages: Any[] } {
  const keys = model.keys;
  const keyOf = (address: string) => keys.find((k) => k.address === address)!;
  const rightOr = (address: string | undefined, other: number | null) => (other !== null || !address ? keys[other ?? 0]! : keyOf(address));
  switch (action.kind) {
    case 'open': {
      const signer = keys[action.payer]!;
      const executor = keys[(action.payer + action.executor) % keys.length]!.address;
      const tx = { kind: 'open' as const, executor, deposit: action.deposit, duration: action.duration };
      const msg = anyOf(MsgOpenChannel, {
        signer: signer.address,
        executor,
        deposit: action.deposit.toString(),
        durationSeconds: action.duration,
        payerPubkey: signer.pubkey,
      });
      return { signer, tx, messages: [msg] };
    }
    case 'redeem': {
      const first = model.channels[Number(idOf(action.vouchers[0]!.channel, model.channels.length)) - 1];
      const signer = rightOr(first?.executor, action.wrong);
      // The vouchers after the first are for channels of the same executor (or the first's id again).
      const executorChannels = model.channels.filter((c) => c.executor === first?.executor).map((c) => c.id);
      const vouchers = action.vouchers.map((v, i) => {
        const channelId =
          i === 0 || executorChannels.length === 0
            ? idOf(v.channel, model.channels.length)
            : executorChannels[v.channel % executorChannels.length]!;
        const channel = model.channels[Number(channelId) - 1] ?? { redeemed: 0n, nonce: 0n, deposit: 100n, payer: keys[1]!.address };
        const amount = {
          up: channel.redeemed + 1n + BigInt(v.delta),
          deposit: channel.deposit,
          over: channel.deposit + 1n,
          same: channel.redeemed,
          below: channel.redeemed - BigInt(v.delta),
        }[v.amountKind];
        const nonce = { up: channel.nonce + 1n + BigInt(v.delta % 3), same: channel.nonce, down: channel.nonce - 1n }[v.nonceKind];
        const payer = keyOf(channel.payer);
        const signingKey = v.signerKind === 'other' ? keys[(keys.indexOf(payer) + 1) % keys.length]! : payer;
        const signedId = v.signerKind === 'otherChannel' ? channelId + 1n : channelId;
        return { channelId, amount, nonce, signingKey, signedId, validSignature: v.signerKind === 'payer' };
      });
      // Amounts and nonces validateBasic refuses are left out: the single-tx fuzz covers them.
      const usable = vouchers.filter((v) => v.amount > 0n && v.nonce > 0n);
      if (usable.length === 0) usable.push({ ...vouchers[0]!, amount: 1n, nonce: 1n });
      const msg = anyOf(MsgRedeem, {
        signer: signer.address,
        vouchers: usable.map((v) => ({
          channelId: v.channelId,
          amount: v.amount.toString(),
          nonce: v.nonce,
          signature: signVoucher(v.signingKey.privkey, { chainId: CHAIN_ID, channelId: v.signedId, amount: v.amount, nonce: v.nonce }),
        })),
      });
      return { signer, tx: { kind: 'redeem', vouchers: usable }, messages: [msg] };
    }
    case 'close': {
      const channelId = idOf(action.channel, model.channels.length);
      const signer = rightOr(model.channels[Number(channelId) - 1]?.payer, action.wrong);
      return { signer, tx: { kind: 'close', channelId }, messages: [anyOf(MsgCloseChannel, { signer: signer.address, channelId })] };
    }
    case 'propose':
      return proposeTx(keys[action.client]!, keys[(action.client + action.executor) % keys.length]!.address, action);
    case 'accept':
    case 'end':
    case 'settle':
    case 'claim':
    case 'dispute': {
      // Two times in three a contract in the state the action needs, else any id.
      const fits = model.contracts.filter((c) =>
        action.kind === 'accept' ? c.status === 'proposed' : action.kind === 'dispute' ? model.claims.has(c.id) : c.status !== 'settled',
      );
      const contractId =
        action.contract % 3 !== 0 && fits.length > 0
          ? fits[action.contract % fits.length]!.id
          : idOf(action.contract, model.contracts.length);
      const contract = model.contracts[Number(contractId) - 1];
      const right = action.kind === 'accept' || action.kind === 'dispute' ? contract?.executor : contract?.client;
      const signer = rightOr(right, action.wrong);
      if (action.kind === 'accept') {
        const msg = anyOf(MsgAcceptContract, { signer: signer.address, contractId, executorPubkey: signer.pubkey });
        return { signer, tx: { kind: 'accept', contractId }, messages: [msg] };
      }
      if (action.kind === 'end')
        return { signer, tx: { kind: 'end', contractId }, messages: [anyOf(MsgEndContract, { signer: signer.address, contractId })] };
      if (action.kind === 'settle')
        return { signer, tx: { kind: 'settle', contractId }, messages: [anyOf(MsgSettleContract, { signer: signer.address, contractId })] };
      const startsAt = contract?.startsAt ?? now;
      const endsAt = contract?.endsAt ?? now;
      const client = keyOf(contract?.client ?? keys[1]!.address);
      const executor = keyOf(contract?.executor ?? keys[2]!.address);
      const terms = (seq: bigint, deadline: bigint) => ({ chainId: CHAIN_ID, contractId, seq, deadline, bodyHash: bodyHash(seq) });
      if (action.kind === 'claim') {
        const requests = action.requests.map((r) => {
          const recent = now - 1n - (r.seq % 3n) < startsAt ? startsAt : now - 1n - (r.seq % 3n);
          const deadline = {
            before: startsAt - 1n,
            start: startsAt,
            inside: (startsAt + endsAt) / 2n,
            recent,
            end: endsAt,
            after: endsAt + 1n,
            future: now,
          }[r.deadline];
          return { seq: r.seq, deadline: deadline < 1n ? 1n : deadline, validSignature: !r.badSignature };
        });
        const msg = anyOf(MsgClaimMisses, {
          signer: signer.address,
          contractId,
          requests: requests.map((r) => ({
            seq: r.seq,
            deadline: r.deadline,
            bodyHash: bodyHash(r.seq),
            signature: signContractRequest((r.validSignature ? client : executor).privkey, terms(r.seq, r.deadline)),
          })),
        });
        return { signer, tx: { kind: 'claim', contractId, requests }, messages: [msg] };
      }
      // A claimed seq mostly (seq 1 to 4 pick among the claims), else the seq as drawn.
      const claimed = [...(model.claims.get(contractId)?.keys() ?? [])];
      const receipts = action.receipts.map((drawn) => {
        const r = { ...drawn, seq: claimed.length > 0 && drawn.seq <= 4n ? claimed[Number(drawn.seq) % claimed.length]! : drawn.seq };
        const claim = model.claims.get(contractId)?.get(r.seq);
        const deadline = claim?.deadline ?? now;
        return { seq: r.seq, deadline, answeredAt: r.late ? deadline + 1n : deadline, validSignature: !r.badSignature };
      });
      const msg = anyOf(MsgDisputeMisses, {
        signer: signer.address,
        contractId,
        receipts: receipts.map((r) => ({
          seq: r.seq,
          answeredAt: r.answeredAt,
          signature: signContractReceipt((r.validSignature ? executor : client).privkey, terms(r.seq, r.deadline), r.answeredAt),
        })),
      });
      return { signer, tx: { kind: 'dispute', contractId, receipts }, messages: [msg] };
    }
  }
}

// ---- reading the chain ------------------------------------------------------------------------------

const CHANNEL_BIGINTS = new Set(['id', 'deposit', 'redeemed', 'nonce', 'expiresAt']);

function records<T>(chain: FuzzChain, root: string, bigints: ReadonlySet<string>): T[] {
  return chain.main.store
    .list(root, 10_000)
    .map(([path, text]) => [BigInt(path.slice(root.length + 1)), decodeRecord<T>(text as string, bigints)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, record]) => record);
}

/** The invariants after a block: the records and balances the model predicts, the escrow exactly what the records hold. */
function checkInvariants(chain: FuzzChain, model: Model, what: string): void {
  const bank = chain.main.app.keeper<BankKeeper>('bank');
  const channels = records<StoredChannel>(chain, '/channels/channels', CHANNEL_BIGINTS);
  const contracts = storedContracts(chain.main.store);
  const strip = <T extends object>(r: T) => ({
    ...r,
    payerPubkey: '',
    clientPubkey: '',
    executorPubkey: '',
    requestsPerSecond: 1,
    gpus: 0,
  });
  expect(channels.map(strip), `${what}: channels`).toEqual(model.channels.map(strip));
  expect(contracts.map(strip), `${what}: contracts`).toEqual(model.contracts.map(strip));
  const held =
    channels.reduce((sum, c) => sum + (c.status === 'open' ? c.deposit - c.redeemed : 0n), 0n) +
    contracts.reduce(
      (sum, c) => sum + (c.status === 'proposed' ? c.price : c.status === 'active' ? c.price - c.refunded + c.deposit : 0n),
      0n,
    );
  const account = bank.getBalance(chain.main.store, CHANNELS_ACCOUNT, 'uain');
  expect(account, `${what}: the module account against its records`).toBe(held);
  expect(BigInt((chain.main.store.get('/channels/escrow_total') as string | undefined) ?? '0'), `${what}: escrow_total`).toBe(account);
  for (const [address, balance] of model.balances)
    expect(bank.getBalance(chain.main.store, address, 'uain'), `${what}: balance of ${address}`).toBe(balance);
}

describe('channels and contracts, stateful fuzz through the app', () => {
  it('predicts every outcome and balance; the escrow always equals what the records hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 30, size: 'medium' }), async (random) => {
        const actions = [...SETUP, ...random];
        const chain = new FuzzChain();
        try {
          const model = new Model(chain.keys);
          const bank = chain.main.app.keeper<BankKeeper>('bank');
          for (const address of [...chain.keys.map((k) => k.address), CHANNELS_ACCOUNT])
            model.balances.set(address, bank.getBalance(chain.main.store, address, 'uain'));
          for (const [step, action] of actions.entries()) {
            if (action.kind === 'wait') {
              chain.advanceTime(action.seconds);
              chain.deliver([]);
              continue;
            }
            const now = chain.nextBlockTime();
            const { signer, tx, messages } = resolve(model, action, now);
            let expected: Outcome = 'ok';
            try {
              model.balances.set(signer.address, model.balances.get(signer.address)! - FEE);
              model.apply(signer, tx, now);
            } catch (error) {
              if (!(error instanceof Refusal)) throw error;
              expected = error.message;
              if (error.stateless) model.balances.set(signer.address, model.balances.get(signer.address)! + FEE);
            }
            const [result] = chain.deliver([chain.sign(signer, messages)], [signer]);
            const what = `step ${step} (${JSON.stringify(tx, (_, v) => (typeof v === 'bigint' ? `${v}` : v))})`;
            expect(result!.code === 0 ? 'ok' : `${result!.codespace}/${result!.code}`, `${what}: ${result!.log}`).toBe(expected);
            checkInvariants(chain, model, what);
          }
        } finally {
          await chain.close();
        }
      }),
      { seed: 42, numRuns: 20 },
    );
  }, 120_000);
});
