/**
 * Stateful fuzzing of proof of stake and governance: random sequences of blocks whose txs create and
 * edit validators, delegate, undelegate, redelegate, withdraw rewards and commission, set withdraw
 * addresses, unjail, submit, deposit on and vote on gov proposals, and propose and vote in the
 * committee; blocks move time on by 1 to 30 s, with absent votes (downtime) and double-sign evidence.
 * Actors are the right signer most of the time and another key sometimes; amounts sit near their
 * bounds. After every block: the harness's pool and supply invariants (test/app/posHarness.fixture.ts),
 * a twin and a reference app agree (test/app/posFuzz.fixture.ts), and the invariants below.
 */
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import type { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import {
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
  MsgUpdateParams as StakingUpdateParams,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type Misbehavior, MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { govAuthority, moduleAddress } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { type CommitteeKeeper, committeeAddress, ProposalStatus as CommitteeStatus } from '../../modules/committee/index.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import { type GovKeeper, ProposalStatus as GovStatus } from '../../modules/gov/index.ts';
import { toValoper } from '../../modules/staking/address.ts';
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import { BondStatus } from '../../modules/staking/validator.ts';
import { MsgCommitteePropose, MsgCommitteeVote, MsgFundCommittee } from '../../proto/gen/ain/committee/v1/tx.ts';
import { type TestKey, testKey } from '../helpers/tx.ts';
import { type FuzzTx, PosFuzzChain } from './posFuzz.fixture.ts';
import { anyOf, consensusKey, DENOM, type PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const DEC = 10n ** 18n;
const MAX_VALIDATORS = 3;

/** 3 genesis validators (operators are keys 0-2) and 3 delegators (keys 3-5); short periods, a small window. */
function openChain(): PosFuzzChain {
  return new PosFuzzChain({
    stakes: [100n * AIN, 60n * AIN, 20n * AIN],
    delegators: 3,
    balance: 10n ** 12n,
    staking: { unbonding_time: '40', max_entries: 3, max_validators: MAX_VALIDATORS },
    slashing: {
      signed_blocks_window: '4',
      min_signed_per_window: '0.5',
      downtime_jail_duration: '20',
      slash_fraction_downtime: '0.01',
      slash_fraction_double_sign: '0.05',
    },
    patchGenesis: (state) => ({
      ...state,
      gov: { params: { voting_period: '25', max_deposit_period: '25', min_deposit: '10000000uain' } },
      committee: {
        committee: {
          members: [
            { address: keyOf(3).address, weight: '1' },
            { address: keyOf(4).address, weight: '2' },
          ],
          threshold: '2',
        },
        params: { voting_period: '25' },
      },
    }),
  });
}

// The harness's keys: operators 0-2, then delegators 0-2.
const chainKeys: TestKey[] = [0, 1, 2].map((i) => testKey(`operator-${i}`)).concat([0, 1, 2].map((i) => testKey(`delegator-${i}`)));
const keyOf = (i: number): TestKey => chainKeys[i]!;

const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });
const ours = <T>(codec: { $type: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T }, message: object): Any => ({
  typeUrl: `/${codec.$type}`,
  value: codec.encode(codec.fromPartial(message)).finish(),
});

/** An amount near a bound: tiny, one power, a fraction of a stake, the whole of what is held (resolved at run time). */
const amountArb = fc.oneof(
  fc.constantFrom<bigint | 'all' | 'half'>(0n, 1n, AIN - 1n, AIN, 'all', 'half', 'all', 'half'),
  fc.bigInt({ min: 1n, max: 50n * AIN }),
);
const rateArb = fc.constantFrom('', '0', '50000000000000000', '100000000000000000', '110000000000000000', '200000000000000000');

/** A validator by key index: mostly a genesis validator (0-2), sometimes a key that may have created one (3-5). */
const valArb = fc.oneof({ weight: 4, arbitrary: fc.nat(2) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 5 }) });
/** The actor's own validator (null) most of the time, another sometimes (a wrong signer). */
const ownValArb = fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(5) });
/** For undelegating: the n-th validator the actor delegates to (resolved at run time), or any validator. */
const heldArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ held: fc.nat(2) }) },
  { weight: 1, arbitrary: valArb.map((index) => ({ index })) },
);
/** A proposal by how far back from the latest it is (0 = the latest); 5 is past the first (unknown). */
const idArb = fc.oneof({ weight: 6, arbitrary: fc.nat(2) }, { weight: 1, arbitrary: fc.constant(5) });

const actionArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delegate' as const), val: valArb, amount: amountArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('undelegate' as const), val: heldArb, amount: amountArb }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('redelegate' as const), src: heldArb, dst: valArb, amount: amountArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      consSeed: fc.constantFrom('a', 'b', 0),
      amount: fc.constantFrom(1n, AIN - 1n, AIN, 30n * AIN),
      rate: rateArb,
      minSelf: fc.constantFrom('1', '1', String(AIN), String(40n * AIN)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('edit' as const), rate: rateArb, minSelf: fc.constantFrom('', '1', '2', String(AIN)) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdrawReward' as const), val: heldArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdrawCommission' as const), val: ownValArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setWithdraw' as const), to: fc.nat(6) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unjail' as const), val: ownValArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fundPool' as const), amount: fc.bigInt({ min: 1n, max: 5n * AIN }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      deposit: fc.constantFrom(0n, 1n, 5n * AIN, 10n * AIN),
      change: fc.constantFrom('none', 'maxValidators', 'unbonding', 'maxEntries'),
      value: fc.nat(3),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('deposit' as const), id: idArb, amount: fc.constantFrom(1n, 5n * AIN, 10n * AIN) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('vote' as const),
      id: idArb,
      option: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 5) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('voteWeighted' as const),
      id: idArb,
      // Splits summing to 1 most of the time; a zero, an excess or a shortfall sometimes.
      weights: fc.constantFrom(
        [DEC],
        [DEC / 2n, DEC / 2n],
        [DEC / 4n, (3n * DEC) / 4n],
        [DEC / 4n, DEC / 4n, DEC / 4n, DEC / 4n],
        [DEC / 3n, DEC / 3n, DEC / 3n + 1n],
        [0n, DEC],
        [DEC, 1n],
        [DEC / 2n],
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('fundCommittee' as const), amount: fc.bigInt({ min: 1n, max: 5n * AIN }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('committeePropose' as const), amount: fc.constantFrom(1n, AIN, 100n * AIN) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('committeeVote' as const), id: idArb, yes: fc.boolean() }) },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

/** One block: up to four txs (an actor each, key 0-5), seconds since the previous block, absent validators, evidence. */
const blockArb = fc.record({
  txs: fc.uniqueArray(fc.record({ actor: fc.nat(5), action: actionArb }), { maxLength: 4, selector: (tx) => tx.actor }),
  seconds: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(1n, 5n, 5n, 12n, 30n) }, { weight: 1, arbitrary: fc.constant(86_400n) }),
  absent: fc.subarray([0, 1, 2, 3, 4, 5]),
  evidence: fc.option(fc.nat(5), { freq: 25 }),
});

type Block = typeof blockArb extends fc.Arbitrary<infer B> ? B : never;

/** What a delegation of `key` to `valoper` is worth now, in tokens. */
function delegationValue(h: PosHarness, key: TestKey, valoper: string): bigint {
  const staking = h.app.keeper<StakingKeeper>('staking');
  const shares = staking.getDelegation(h.store, key.address, valoper);
  const validator = staking.getValidator(h.store, valoper);
  if (shares === undefined || !validator || validator.delegatorShares === 0n) return 0n;
  return (shares * validator.tokens) / validator.delegatorShares;
}

function resolve(amount: bigint | 'all' | 'half', held: bigint): bigint {
  if (amount === 'all') return held;
  if (amount === 'half') return held / 2n;
  return amount;
}

/** The messages of one action by `key`, read against main's committed state. */
function messagesOf(h: PosHarness, key: TestKey, action: Action): Any[] {
  const valoper = (i: number) => toValoper(keyOf(i).address);
  const self = toValoper(key.address);
  const held = (choice: { held: number } | { index: number }) => {
    if ('index' in choice) return valoper(choice.index);
    const delegations = h.app.keeper<StakingKeeper>('staking').delegatorDelegations(h.store, key.address);
    return delegations.length === 0 ? valoper(0) : delegations[choice.held % delegations.length]!.validator;
  };
  switch (action.kind) {
    case 'delegate':
      return [
        anyOf(MsgDelegate, {
          delegatorAddress: key.address,
          validatorAddress: valoper(action.val),
          amount: coin(resolve(action.amount, h.balance(key.address) / 100n)),
        }),
      ];
    case 'undelegate':
      return [
        anyOf(MsgUndelegate, {
          delegatorAddress: key.address,
          validatorAddress: held(action.val),
          amount: coin(resolve(action.amount, delegationValue(h, key, held(action.val)))),
        }),
      ];
    case 'redelegate':
      return [
        anyOf(MsgBeginRedelegate, {
          delegatorAddress: key.address,
          validatorSrcAddress: held(action.src),
          validatorDstAddress: valoper(action.dst),
          amount: coin(resolve(action.amount, delegationValue(h, key, held(action.src)))),
        }),
      ];
    case 'create':
      return [
        anyOf(MsgCreateValidator, {
          description: { moniker: `fuzz-${key.address.slice(-4)}` },
          commission: { rate: action.rate || '0', maxRate: '200000000000000000', maxChangeRate: '10000000000000000' },
          minSelfDelegation: action.minSelf,
          delegatorAddress: '',
          validatorAddress: self,
          pubkey: {
            typeUrl: '/cosmos.crypto.ed25519.PubKey',
            value: PubKey.encode({ key: consensusKey(action.consSeed === 0 ? 0 : `${key.address}/${action.consSeed}`) }).finish(),
          },
          value: coin(action.amount),
        }),
      ];
    case 'edit':
      return [
        anyOf(MsgEditValidator, {
          description: {
            moniker: '[do-not-modify]',
            identity: '[do-not-modify]',
            website: '[do-not-modify]',
            securityContact: '[do-not-modify]',
            details: '[do-not-modify]',
          },
          validatorAddress: self,
          commissionRate: action.rate,
          minSelfDelegation: action.minSelf,
        }),
      ];
    case 'withdrawReward':
      return [anyOf(MsgWithdrawDelegatorReward, { delegatorAddress: key.address, validatorAddress: held(action.val) })];
    case 'withdrawCommission':
      return [anyOf(MsgWithdrawValidatorCommission, { validatorAddress: action.val === null ? self : valoper(action.val) })];
    case 'setWithdraw':
      return [
        anyOf(MsgSetWithdrawAddress, {
          delegatorAddress: key.address,
          withdrawAddress: action.to === 6 ? moduleAddress('distribution') : keyOf(action.to).address,
        }),
      ];
    case 'unjail':
      return [anyOf(MsgUnjail, { validatorAddr: action.val === null ? self : valoper(action.val) })];
    case 'fundPool':
      return [anyOf(MsgFundCommunityPool, { depositor: key.address, amount: [coin(action.amount)] })];
    case 'submit':
      return [
        anyOf(MsgSubmitProposal, {
          messages: proposalMessages(h, action.change, action.value),
          initialDeposit: action.deposit === 0n ? [] : [coin(action.deposit)],
          proposer: key.address,
          title: 'fuzz',
          summary: 'fuzz',
        }),
      ];
    case 'deposit':
      return [anyOf(MsgDeposit, { proposalId: govId(h, action.id), depositor: key.address, amount: [coin(action.amount)] })];
    case 'vote':
      return [anyOf(MsgVote, { proposalId: govId(h, action.id), voter: key.address, option: action.option as VoteOption })];
    case 'voteWeighted':
      return [
        anyOf(MsgVoteWeighted, {
          proposalId: govId(h, action.id),
          voter: key.address,
          options: action.weights.map((weight, i) => ({ option: ((i % 4) + 1) as VoteOption, weight: weight.toString() })),
        }),
      ];
    case 'fundCommittee':
      return [ours(MsgFundCommittee, { sender: key.address, amount: `${action.amount}${DENOM}` })];
    case 'committeePropose': {
      const spend = anyOf(MsgSend, { fromAddress: committeeAddress(), toAddress: key.address, amount: [coin(action.amount)] });
      return [ours(MsgCommitteePropose, { proposer: key.address, messages: [spend], summary: 'spend' })];
    }
    case 'committeeVote':
      return [ours(MsgCommitteeVote, { voter: key.address, proposalId: committeeId(h, action.id), yes: action.yes })];
  }
}

/** The id `back` before the latest gov proposal (at least 0, an invalid id). */
function govId(h: PosHarness, back: number): bigint {
  const next = h.store.get('/gov/next_proposal_id');
  const latest = (typeof next === 'string' || typeof next === 'number' ? BigInt(next) : 1n) - 1n;
  return pickId(latest, back);
}

/** `back` before `latest`, at least 1; 5 is the id after the latest (unknown). */
function pickId(latest: bigint, back: number): bigint {
  if (back === 5) return latest + 1n;
  return latest - BigInt(back) < 1n ? 1n : latest - BigInt(back);
}

function committeeId(h: PosHarness, back: number): bigint {
  const committee = h.app.keeper<CommitteeKeeper>('committee');
  let latest = 0n;
  while (committee.getProposal(h.store, latest + 1n)) latest++;
  return pickId(latest, back);
}

/** A gov proposal's messages: none (a signal) or a staking params change near its bounds. */
function proposalMessages(h: PosHarness, change: string, value: number): Any[] {
  if (change === 'none') return [];
  const params = h.app.keeper<StakingKeeper>('staking').params(h.store);
  const next = {
    unbondingTime: { seconds: params.unbondingTime, nanos: 0 },
    maxValidators: params.maxValidators,
    maxEntries: params.maxEntries,
    historicalEntries: 0,
    bondDenom: params.bondDenom,
    minCommissionRate: params.minCommissionRate.toString(),
  };
  if (change === 'maxValidators') next.maxValidators = value + 1;
  if (change === 'maxEntries') next.maxEntries = value + 1;
  if (change === 'unbonding') next.unbondingTime = { seconds: BigInt([1, 10, 40, 100][value]!), nanos: 0 };
  return [anyOf(StakingUpdateParams, { authority: govAuthority(), params: next })];
}

/** Statuses seen so far, to check they only move forward. */
interface Seen {
  gov: Map<bigint, GovStatus>;
  committee: Map<bigint, CommitteeStatus>;
}

const GOV_ORDER: Partial<Record<GovStatus, number>> = {
  [GovStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD]: 0,
  [GovStatus.PROPOSAL_STATUS_VOTING_PERIOD]: 1,
  [GovStatus.PROPOSAL_STATUS_PASSED]: 2,
  [GovStatus.PROPOSAL_STATUS_REJECTED]: 2,
  [GovStatus.PROPOSAL_STATUS_FAILED]: 2,
};
const bondDenomAmount = (coins: readonly { denom: string; amount: bigint }[]) =>
  coins.filter((c) => c.denom === DENOM).reduce((sum, c) => sum + c.amount, 0n);

/**
 * The invariants the pos harness does not check: gov's account holds exactly the deposits of open
 * proposals, each proposal's total deposit is the sum of its deposit records, statuses only move
 * forward; every validator's outstanding rewards cover its commission and what its delegators may
 * withdraw; tokens, shares and unbonding balances are never negative; the active set is at most
 * max_validators and holds no jailed validator.
 */
function checkInvariants(h: PosHarness, seen: Seen): void {
  const { app, store } = h;
  const gov = app.keeper<GovKeeper>('gov');
  let deposits = 0n;
  for (const proposal of gov.proposals(store)) {
    const records = gov.deposits(store, proposal.id).reduce((sum, d) => sum + bondDenomAmount(d.amount), 0n);
    const open =
      proposal.status === GovStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD || proposal.status === GovStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    if (open) {
      expect(records, `proposal ${proposal.id}: its deposit records`).toBe(bondDenomAmount(proposal.totalDeposit));
      deposits += records;
    } else expect(records, `closed proposal ${proposal.id} keeps deposits`).toBe(0n);
    const before = seen.gov.get(proposal.id);
    if (before !== undefined)
      expect(GOV_ORDER[proposal.status]!, `proposal ${proposal.id}: ${before} -> ${proposal.status}`).toBeGreaterThanOrEqual(
        GOV_ORDER[before]!,
      );
    if (before !== undefined && GOV_ORDER[before] === 2) expect(proposal.status).toBe(before);
    seen.gov.set(proposal.id, proposal.status);
  }
  expect(h.balance(moduleAddress('gov')), 'the gov account against open deposits').toBe(deposits);

  const committee = app.keeper<CommitteeKeeper>('committee');
  for (let id = 1n, proposal = committee.getProposal(store, id); proposal; proposal = committee.getProposal(store, ++id)) {
    const before = seen.committee.get(proposal.id);
    if (before !== undefined && before !== CommitteeStatus.PROPOSAL_STATUS_OPEN)
      expect(proposal.status, `committee proposal ${proposal.id}`).toBe(before);
    seen.committee.set(proposal.id, proposal.status);
  }

  const staking = app.keeper<StakingKeeper>('staking');
  const distribution = app.keeper<DistributionKeeper>('distribution');
  const params = staking.params(store);
  const lastPowers = staking.lastValidatorPowers(store);
  expect(lastPowers.size, 'active set size').toBeLessThanOrEqual(params.maxValidators);
  let bondedCount = 0;
  for (const v of staking.validators(store)) {
    expect(v.tokens >= 0n && v.delegatorShares >= 0n, `${v.operatorAddress} tokens/shares`).toBe(true);
    if (v.status === BondStatus.BOND_STATUS_BONDED) bondedCount++;
    if (v.jailed) expect(v.status, `jailed ${v.operatorAddress} still bonded`).not.toBe(BondStatus.BOND_STATUS_BONDED);
    let owed = bondDenomAmount(distribution.commission(store, v.operatorAddress));
    for (const d of staking.validatorDelegations(store, v.operatorAddress))
      owed += bondDenomAmount(distribution.delegationRewards(store, d.delegator, v.operatorAddress));
    const outstanding = bondDenomAmount(distribution.outstanding(store, v.operatorAddress));
    expect(outstanding, `${v.operatorAddress}: outstanding rewards below commission + delegators' rewards`).toBeGreaterThanOrEqual(owed);
    for (const record of staking.validatorUnbondings(store, v.operatorAddress))
      for (const e of record.entries) expect(e.balance >= 0n && e.balance <= e.initialBalance, 'unbonding balance').toBe(true);
  }
  expect(bondedCount, 'bonded validators').toBeLessThanOrEqual(params.maxValidators);
  expect(app.keeper<BankKeeper>('bank').getBalance(store, committeeAddress(), DENOM) >= 0n).toBe(true);
}

/** Runs `blocks` on a fresh chain; returns the number of successful txs. */
async function runBlocks(blocks: readonly Block[]): Promise<number> {
  const chain = openChain();
  const h = chain.main;
  expect(h.delegators.map((k) => k.address)).toEqual(chainKeys.slice(3).map((k) => k.address));
  const seen: Seen = { gov: new Map(), committee: new Map() };
  let succeeded = 0;
  try {
    for (const block of blocks) {
      const staking = h.app.keeper<StakingKeeper>('staking');
      const consOf = (i: number) => staking.getValidator(h.store, toValoper(keyOf(i).address))?.consAddress;
      const absent = new Set(block.absent.map(consOf).filter((c): c is string => c !== undefined));
      const misbehavior: Misbehavior[] = [];
      const set = h.validatorSet(h.height);
      const accused = block.evidence === null ? undefined : consOf(block.evidence);
      if (accused !== undefined && set.has(accused)) {
        const total = [...set.values()].reduce((a, b) => a + b, 0n);
        misbehavior.push({
          type: MisbehaviorType.DUPLICATE_VOTE,
          validator: { address: Buffer.from(accused, 'hex'), power: set.get(accused)! },
          height: h.height,
          time: { seconds: h.time, nanos: 0 },
          totalVotingPower: total,
        });
      }
      const txs: FuzzTx[] = block.txs.map(({ actor, action }) => ({ key: keyOf(actor), messages: messagesOf(h, keyOf(actor), action) }));
      const results = chain.block(txs, { seconds: block.seconds, absent, misbehavior });
      succeeded += results.filter((r) => r.code === 0).length;
      checkInvariants(h, seen);
    }
  } finally {
    await chain.close();
  }
  return succeeded;
}

describe('proof of stake and governance, fuzzed as sequences of blocks', () => {
  it('keeps pools, rewards, deposits and statuses consistent; failures change nothing; apps agree', async () => {
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 5, maxLength: 25 }), async (blocks) => {
        succeeded += await runBlocks(blocks);
      }),
      { seed: 42, numRuns: 12 },
    );
    // The sequences reach the keepers: a good share of the txs succeed.
    expect(succeeded).toBeGreaterThan(40);
  });
});
