import { describe, expect, it } from 'vitest';
import {
  lockedAmount,
  spendableAmount,
  stillVestingAmount,
  trackDelegation,
  trackUndelegation,
  type Vesting,
  vestingFromRecord,
  vestingToRecord,
} from './vesting.ts';

const continuous: Vesting = {
  kind: 'continuous',
  originalVesting: [{ denom: 'uain', amount: 1000n }],
  delegatedFree: [],
  delegatedVesting: [],
  startTime: 100n,
  endTime: 400n,
};
const delayed: Vesting = { ...continuous, kind: 'delayed', startTime: 0n };

describe('vesting schedule', () => {
  it('continuous: all locked up to start, linear (vested part floored) between, nothing from end', () => {
    expect(stillVestingAmount(continuous, 1000n, 0n)).toBe(1000n);
    expect(stillVestingAmount(continuous, 1000n, 100n)).toBe(1000n);
    expect(stillVestingAmount(continuous, 1000n, 101n)).toBe(997n); // vested floor(1000 * 1 / 300) = 3
    expect(stillVestingAmount(continuous, 1000n, 250n)).toBe(500n);
    expect(stillVestingAmount(continuous, 1000n, 399n)).toBe(4n); // vested floor(1000 * 299 / 300) = 996
    expect(stillVestingAmount(continuous, 1000n, 400n)).toBe(0n);
    expect(stillVestingAmount(continuous, 1000n, 10n ** 12n)).toBe(0n);
  });

  it('delayed: all locked until end, then nothing', () => {
    expect(stillVestingAmount(delayed, 1000n, 0n)).toBe(1000n);
    expect(stillVestingAmount(delayed, 1000n, 399n)).toBe(1000n);
    expect(stillVestingAmount(delayed, 1000n, 400n)).toBe(0n);
  });

  it('locks no denom it does not vest; large amounts stay exact', () => {
    expect(lockedAmount(continuous, 'foo', 0n)).toBe(0n);
    const big: Vesting = {
      ...continuous,
      originalVesting: [{ denom: 'uain', amount: 280_000_000_000_000n }],
      startTime: 0n,
      endTime: 126_230_400n,
    };
    expect(lockedAmount(big, 'uain', 63_115_200n)).toBe(140_000_000_000_000n);
  });

  it('spendable = balance - max(0, still vesting - delegated vesting), never below zero', () => {
    expect(spendableAmount(continuous, 'uain', 1500n, 250n)).toBe(1000n);
    expect(spendableAmount(continuous, 'uain', 300n, 250n)).toBe(0n);
    const staked = trackDelegation(continuous, { denom: 'uain', amount: 600n }, 250n);
    // 500 still vesting: 500 of the 600 staked were vesting, 100 free.
    expect(staked.delegatedVesting).toEqual([{ denom: 'uain', amount: 500n }]);
    expect(staked.delegatedFree).toEqual([{ denom: 'uain', amount: 100n }]);
    expect(lockedAmount(staked, 'uain', 250n)).toBe(0n);
    expect(spendableAmount(staked, 'uain', 400n, 250n)).toBe(400n);
  });

  it('undelegation returns free coins first, then vesting ones (which lock again)', () => {
    const staked = trackDelegation(continuous, { denom: 'uain', amount: 600n }, 250n);
    const partly = trackUndelegation(staked, { denom: 'uain', amount: 150n });
    expect(partly.delegatedFree).toEqual([]);
    expect(partly.delegatedVesting).toEqual([{ denom: 'uain', amount: 450n }]);
    const all = trackUndelegation(partly, { denom: 'uain', amount: 450n });
    expect(all.delegatedVesting).toEqual([]);
    expect(lockedAmount(all, 'uain', 250n)).toBe(500n);
    // More than was tracked (a slashed delegation's accounting) clamps at zero.
    expect(trackUndelegation(all, { denom: 'uain', amount: 10n }).delegatedVesting).toEqual([]);
  });

  it('the stored record round-trips', () => {
    const staked = trackDelegation(continuous, { denom: 'uain', amount: 600n }, 250n);
    expect(vestingFromRecord(vestingToRecord(staked))).toEqual(staked);
  });
});
