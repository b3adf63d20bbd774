/**
 * Rewards through the whole app, in process: the split of block rewards and fees among validators by
 * the last commit's power, commission, delegators' rewards by share, the community pool, withdrawals;
 * checked against the formula computed here by hand to the last 10^-18 uain, and (every block, by
 * the harness) that no uain is created or lost.
 */
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgBeginRedelegate, MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import { testKey } from '../helpers/tx.ts';
import { moduleAddress } from '../../core/address.ts';
import { anyOf, attribute, codeOf, DENOM, FEE, PosHarness } from './posHarness.fixture.ts';

const E18 = 10n ** 18n;
const AIN = 1_000_000n;
const REWARD = 1_000_003n;
const TAX = 20_000_000_000_000_000n; // 0.02
const RATES = [100_000_000_000_000_000n, 50_000_000_000_000_000n]; // 0.1, 0.05

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const amountOf = (coins: { denom: string; amount: string }[]) => BigInt(coins.find((c) => c.denom === DENOM)?.amount ?? '0');
const rewardsOf = (delegator: string, valoper: string) =>
  amountOf(
    h.query(
      '/cosmos.distribution.v1beta1.Query/DelegationRewards',
      QueryDelegationRewardsRequest.encode({ delegatorAddress: delegator, validatorAddress: valoper }).finish(),
      QueryDelegationRewardsResponse,
    ).rewards,
  );
const commissionOf = (valoper: string) =>
  amountOf(
    h.query(
      '/cosmos.distribution.v1beta1.Query/ValidatorCommission',
      QueryValidatorCommissionRequest.encode({ validatorAddress: valoper }).finish(),
      QueryValidatorCommissionResponse,
    ).commission.commission,
  );
const outstandingOf = (valoper: string) =>
  amountOf(
    h.query(
      '/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards',
      QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: valoper }).finish(),
      QueryValidatorOutstandingRewardsResponse,
    ).rewards.rewards,
  );
const communityPool = () =>
  amountOf(
    h.query('/cosmos.distribution.v1beta1.Query/CommunityPool', QueryCommunityPoolRequest.encode({}).finish(), QueryCommunityPoolResponse)
      .pool,
  );
const withdraw = (delegator: string, valoper: string) =>
  anyOf(MsgWithdrawDelegatorReward, { delegatorAddress: delegator, validatorAddress: valoper });
const delegate = (delegator: string, valoper: string, amount: bigint) =>
  anyOf(MsgDelegate, { delegatorAddress: delegator, validatorAddress: valoper, amount: { denom: DENOM, amount: amount.toString() } });

/**
 * The split of one block, by hand: `collected` uain (fees + minted) to validators of powers `powers`
 * with `shares` (atomics) each; returns each validator's reward, commission and per-share increase,
 * and what the community pool gets (all in 10^-18 uain).
 */
function split(collected: bigint, powers: bigint[], shares: bigint[]) {
  const total = powers.reduce((a, b) => a + b, 0n);
  const forValidators = (collected * E18 * (E18 - TAX)) / E18;
  const rewards = powers.map((p) => (forValidators * ((p * E18) / total)) / E18);
  const commissions = rewards.map((r, i) => (r * RATES[i]!) / E18);
  const perShare = rewards.map((r, i) => ((r - commissions[i]!) * E18) / shares[i]!);
  const pool = collected * E18 - rewards.reduce((a, b) => a + b, 0n);
  return { rewards, commissions, perShare, pool };
}

describe('distribution in the app', () => {
  it('splits block rewards and fees by power, commission first, to the last 10^-18 uain; withdraw pays the whole part', () => {
    h = PosHarness.open({
      stakes: [300n * AIN + 1n, 100n * AIN],
      commissionRates: ['0.1', '0.05'],
      distribution: { community_tax: '0.02', block_reward: REWARD.toString() },
    });
    const [v0, v1] = h.validators as [(typeof h.validators)[0], (typeof h.validators)[0]];
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    // Block 1 has no last commit: nothing is minted.
    h.finalize();
    expect(communityPool()).toBe(0n);
    expect(h.app.keeper<DistributionKeeper>('distribution').minted(h.store)).toBe(0n);

    // Block 2: alice delegates (paying FEE); then the block's reward and fee are split by the genesis powers.
    const aliceStake = 33n * AIN + 333_333n;
    h.ok(alice, [delegate(alice.address, v0.valoper, aliceStake)]);
    const shares0 = (300n * AIN + 1n + aliceStake) * E18;
    const shares1 = 100n * AIN * E18;
    const block2 = split(REWARD + FEE, [300n, 100n], [shares0, shares1]);
    expect(commissionOf(v0.valoper)).toBe(block2.commissions[0]);
    expect(commissionOf(v1.valoper)).toBe(block2.commissions[1]);
    expect(outstandingOf(v0.valoper)).toBe(block2.rewards[0]);
    expect(outstandingOf(v1.valoper)).toBe(block2.rewards[1]);
    expect(communityPool()).toBe(block2.pool);

    // Block 3: only the reward; the last commit is still the genesis set (alice's stake counts from block 4).
    h.finalize();
    const block3 = split(REWARD, [300n, 100n], [shares0, shares1]);
    const ratio0 = block2.perShare[0]! + block3.perShare[0]!;
    const aliceRewards = (aliceStake * E18 * ratio0) / E18;
    const operatorRewards = ((300n * AIN + 1n) * E18 * ratio0) / E18;
    expect(rewardsOf(alice.address, v0.valoper)).toBe(aliceRewards);
    expect(rewardsOf(v0.operator.address, v0.valoper)).toBe(operatorRewards);
    expect(rewardsOf(v1.operator.address, v1.valoper)).toBe((100n * AIN * E18 * (block2.perShare[1]! + block3.perShare[1]!)) / E18);
    const total = h.query(
      '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
      QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: alice.address }).finish(),
      QueryDelegationTotalRewardsResponse,
    );
    expect(total.rewards.map((r) => r.validatorAddress)).toEqual([v0.valoper]);
    expect(amountOf(total.total)).toBe(aliceRewards);
    expect(commissionOf(v0.valoper)).toBe(block2.commissions[0]! + block3.commissions[0]!);

    // Block 4: alice withdraws what block 3's state reported, in whole uain; the fraction goes to the pool.
    const before = h.balance(alice.address);
    const poolBefore = communityPool();
    const result = h.ok(alice, [withdraw(alice.address, v0.valoper)]);
    expect(attribute(result.events, 'withdraw_rewards', 'amount')).toBe(`${aliceRewards / E18}${DENOM}`);
    expect(h.balance(alice.address)).toBe(before - FEE + aliceRewards / E18);
    const block4 = split(REWARD + FEE, [300n, 100n], [shares0, shares1]);
    expect(communityPool()).toBe(poolBefore + (aliceRewards % E18) + block4.pool);
    // Her new period started at block 4's withdrawal: she now holds exactly block 4's share.
    expect(rewardsOf(alice.address, v0.valoper)).toBe((aliceStake * E18 * block4.perShare[0]!) / E18);
  });

  it('pays commission to the operator and keeps the fraction', () => {
    h = PosHarness.open({ stakes: [100n * AIN], distribution: { block_reward: '1000001' } });
    const v0 = h.validators[0]!;
    const none = h.send(v0.operator, [anyOf(MsgWithdrawValidatorCommission, { validatorAddress: v0.valoper })]);
    expect(codeOf(none)).toEqual(['distribution', 7]);
    h.blocks(3);
    const commission = commissionOf(v0.valoper);
    const before = h.balance(v0.operator.address);
    const result = h.ok(v0.operator, [anyOf(MsgWithdrawValidatorCommission, { validatorAddress: v0.valoper })]);
    expect(attribute(result.events, 'withdraw_commission', 'amount')).toBe(`${commission / E18}${DENOM}`);
    // The tx ran before this block's allocation: the block added its own commission on top of the fraction.
    const paid = commission / E18;
    expect(h.balance(v0.operator.address)).toBe(before - FEE + paid);
    expect(commissionOf(v0.valoper) % E18).not.toBe(0n);
    // Only the operator signs for its validator.
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    const forged = h.send(alice, [anyOf(MsgWithdrawValidatorCommission, { validatorAddress: v0.valoper })]);
    expect(codeOf(forged)).toEqual(['sdk', 8]);
    expect(forged.log).toContain(v0.operator.address);
  });

  it('sends rewards to the withdraw address, funds the pool, refuses bad requests', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const v0 = h.validators[0]!;
    const [alice, bob] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.ok(alice, [delegate(alice.address, v0.valoper, 10n * AIN)]);
    h.ok(alice, [anyOf(MsgSetWithdrawAddress, { delegatorAddress: alice.address, withdrawAddress: bob.address })]);
    const bobBefore = h.balance(bob.address);
    const reported = rewardsOf(alice.address, v0.valoper);
    h.ok(alice, [withdraw(alice.address, v0.valoper)]);
    expect(h.balance(bob.address)).toBe(bobBefore + reported / E18);
    const blocked = h.send(alice, [
      anyOf(MsgSetWithdrawAddress, { delegatorAddress: alice.address, withdrawAddress: moduleAddress('distribution') }),
    ]);
    expect(codeOf(blocked)).toEqual(['sdk', 4]);
    expect(codeOf(h.send(bob, [withdraw(bob.address, v0.valoper)]))).toEqual(['distribution', 5]);
    expect(codeOf(h.send(bob, [withdraw(bob.address, h.validators[0]!.valoper.replace(/.$/, 'x'))]))).toEqual(['sdk', 7]);
    const pool = communityPool();
    h.ok(bob, [anyOf(MsgFundCommunityPool, { depositor: bob.address, amount: [{ denom: DENOM, amount: '777' }] })]);
    expect(communityPool() - pool).toBeGreaterThanOrEqual(777n * E18);
    // MsgSend to the module accounts is refused.
    const send = (to: string) => anyOf(MsgSend, { fromAddress: bob.address, toAddress: to, amount: [{ denom: DENOM, amount: '1' }] });
    for (const to of [moduleAddress('distribution'), moduleAddress('bonded_tokens_pool'), moduleAddress('not_bonded_tokens_pool')]) {
      expect(codeOf(h.send(bob, [send(to)]))).toEqual(['sdk', 4]);
    }
  });

  it('creates and loses no uain over many blocks of delegations, redelegations, undelegations and withdrawals', () => {
    h = PosHarness.open({
      stakes: [50n * AIN + 7n, 30n * AIN + 3n, 20n * AIN],
      delegators: 4,
      commissionRates: ['0.1', '0.333333333333333333', '0'],
      staking: { unbonding_time: '30' },
      distribution: { community_tax: '0.013', block_reward: '999999' },
    });
    let seed = 12345n;
    const next = (n: number) => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return Number((seed >> 33n) % BigInt(n));
    };
    const valopers = h.validators.map((v) => v.valoper);
    const other = testKey('outsider');
    let ops = 0;
    for (let block = 0; block < 60; block++) {
      const who = h.delegators[next(h.delegators.length)]!;
      const valoper = valopers[next(valopers.length)]!;
      const amount = BigInt(1 + next(3_000_000));
      const delegated = h.app.keeper<StakingKeeper>('staking').getDelegation(h.store, who.address, valoper);
      let msg: ReturnType<typeof anyOf>;
      switch (next(5)) {
        case 0:
          msg = delegate(who.address, valoper, amount);
          break;
        case 1:
          msg = withdraw(who.address, valoper);
          break;
        case 2:
          msg = anyOf(MsgUndelegate, {
            delegatorAddress: who.address,
            validatorAddress: valoper,
            amount: { denom: DENOM, amount: String((amount % 1_000_000n) + 1n) },
          });
          break;
        case 3:
          msg = anyOf(MsgBeginRedelegate, {
            delegatorAddress: who.address,
            validatorSrcAddress: valoper,
            validatorDstAddress: valopers[(valopers.indexOf(valoper) + 1) % valopers.length]!,
            amount: { denom: DENOM, amount: String((amount % 500_000n) + 1n) },
          });
          break;
        default:
          msg = anyOf(MsgSend, { fromAddress: who.address, toAddress: other.address, amount: [{ denom: DENOM, amount: String(amount) }] });
      }
      const result = h.send(who, [msg]);
      if (result.code === 0) ops++;
      else expect(delegated === undefined || result.codespace === 'staking').toBe(true);
    }
    expect(ops).toBeGreaterThan(30);
    // Everyone leaves: each withdrawal pays its whole part; the supply still adds up (checked every block).
    for (const who of h.delegators) {
      for (const d of h.app.keeper<StakingKeeper>('staking').delegatorDelegations(h.store, who.address))
        h.ok(who, [withdraw(who.address, d.validator)]);
    }
    expect(h.app.keeper<DistributionKeeper>('distribution').minted(h.store)).toBe(999_999n * (h.height - 1n));
  });
});
