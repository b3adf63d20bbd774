/**
 * Vesting accounts, the Cosmos SDK's x/auth/vesting types: a continuous account's coins vest
 * linearly between `start_time` and `end_time`, a delayed account's all at once at `end_time`.
 * Pure: the locked amount at a block time, and the delegation tracking the SDK does (a vesting
 * account may delegate its locked coins; `delegated_vesting` is what of them is staked).
 * Integer math only: the vested part of a continuous account is floored, so a coin never unlocks
 * early (`original * elapsed / duration`, rounded down; the SDK rounds a decimal the same way within
 * one micro-unit).
 */
import { ContinuousVestingAccount, DelayedVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainError, type Coin, coinsFromProto, ErrInvalidRequest, parseAmount } from '../../core/index.ts';

export const CONTINUOUS_VESTING_ACCOUNT = '/cosmos.vesting.v1beta1.ContinuousVestingAccount';
export const DELAYED_VESTING_ACCOUNT = '/cosmos.vesting.v1beta1.DelayedVestingAccount';
export type VestingKind = 'continuous' | 'delayed';

/** A vesting account's schedule and delegation tracking, as kept at `/accounts/<address>/vesting`. */
export interface Vesting {
  readonly kind: VestingKind;
  readonly originalVesting: readonly Coin[];
  readonly delegatedFree: readonly Coin[];
  readonly delegatedVesting: readonly Coin[];
  /** Seconds since epoch; a delayed account's is 0 (it has none). */
  readonly startTime: bigint;
  readonly endTime: bigint;
}

const amountOf = (coins: readonly Coin[], denom: string): bigint => coins.find((c) => c.denom === denom)?.amount ?? 0n;
const max0 = (a: bigint): bigint => (a > 0n ? a : 0n);
const minOf = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** `coins` with `denom` set to `amount` (zero drops it), in denom order as the SDK keeps Coins. */
function withAmount(coins: readonly Coin[], denom: string, amount: bigint): Coin[] {
  const rest = coins.filter((c) => c.denom !== denom);
  if (amount > 0n) rest.push({ denom, amount });
  return rest.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/**
 * The part of `original` still vesting at `time`: continuous `original - floor(original * (t - start) /
 * (end - start))`, clamped to [0, original]; delayed `original` until `end`, then nothing.
 * @example stillVesting({ kind: 'continuous', startTime: 0n, endTime: 100n, ... }, 1000n, 25n) // 750n
 */
export function stillVestingAmount(vesting: Vesting, original: bigint, time: bigint): bigint {
  if (time >= vesting.endTime) return 0n;
  if (vesting.kind === 'delayed' || time <= vesting.startTime) return original;
  const vested = (original * (time - vesting.startTime)) / (vesting.endTime - vesting.startTime);
  return original - vested;
}

/** The coins still vesting at `time` (the SDK's GetVestingCoins). */
export function vestingCoins(vesting: Vesting, time: bigint): Coin[] {
  return vesting.originalVesting
    .map((c) => ({ denom: c.denom, amount: stillVestingAmount(vesting, c.amount, time) }))
    .filter((c) => c.amount > 0n);
}

/** What of `denom` may not leave the account at `time`: max(0, still vesting - delegated vesting). */
export function lockedAmount(vesting: Vesting, denom: string, time: bigint): bigint {
  const original = amountOf(vesting.originalVesting, denom);
  if (original === 0n) return 0n;
  return max0(stillVestingAmount(vesting, original, time) - amountOf(vesting.delegatedVesting, denom));
}

/** Spendable of a balance: balance - locked, never below zero. */
export function spendableAmount(vesting: Vesting, denom: string, balance: bigint, time: bigint): bigint {
  return max0(balance - lockedAmount(vesting, denom, time));
}

/**
 * A delegation of `amount` leaving the account at `time` (the SDK's TrackDelegation): the still-vesting
 * coins not yet delegated go first into `delegated_vesting`, the rest into `delegated_free`.
 */
export function trackDelegation(vesting: Vesting, coin: Coin, time: bigint): Vesting {
  const stillVesting = stillVestingAmount(vesting, amountOf(vesting.originalVesting, coin.denom), time);
  const delegatedVesting = amountOf(vesting.delegatedVesting, coin.denom);
  const fromVesting = minOf(max0(stillVesting - delegatedVesting), coin.amount);
  const fromFree = coin.amount - fromVesting;
  return {
    ...vesting,
    delegatedVesting: withAmount(vesting.delegatedVesting, coin.denom, delegatedVesting + fromVesting),
    delegatedFree: withAmount(vesting.delegatedFree, coin.denom, amountOf(vesting.delegatedFree, coin.denom) + fromFree),
  };
}

/**
 * Coins coming back from an undelegation (the SDK's TrackUndelegation): they leave `delegated_free`
 * first, then `delegated_vesting` (so coins still vesting come back locked).
 */
export function trackUndelegation(vesting: Vesting, coin: Coin): Vesting {
  const free = amountOf(vesting.delegatedFree, coin.denom);
  const delegatedVesting = amountOf(vesting.delegatedVesting, coin.denom);
  const fromFree = minOf(free, coin.amount);
  const fromVesting = minOf(delegatedVesting, coin.amount - fromFree);
  return {
    ...vesting,
    delegatedFree: withAmount(vesting.delegatedFree, coin.denom, free - fromFree),
    delegatedVesting: withAmount(vesting.delegatedVesting, coin.denom, delegatedVesting - fromVesting),
  };
}

/** The stored record: canonical JSON with amounts and times as decimal strings. */
export interface VestingRecord {
  kind: VestingKind;
  original_vesting: Array<{ denom: string; amount: string }>;
  delegated_free: Array<{ denom: string; amount: string }>;
  delegated_vesting: Array<{ denom: string; amount: string }>;
  start_time: string;
  end_time: string;
}

const coinsJson = (coins: readonly Coin[]) => coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));

export function vestingToRecord(vesting: Vesting): VestingRecord {
  return {
    kind: vesting.kind,
    original_vesting: coinsJson(vesting.originalVesting),
    delegated_free: coinsJson(vesting.delegatedFree),
    delegated_vesting: coinsJson(vesting.delegatedVesting),
    start_time: vesting.startTime.toString(),
    end_time: vesting.endTime.toString(),
  };
}

export function vestingFromRecord(record: VestingRecord): Vesting {
  return {
    kind: record.kind,
    originalVesting: coinsFromProto(record.original_vesting, 'original_vesting', true),
    delegatedFree: coinsFromProto(record.delegated_free, 'delegated_free', true),
    delegatedVesting: coinsFromProto(record.delegated_vesting, 'delegated_vesting', true),
    startTime: BigInt(record.start_time),
    endTime: BigInt(record.end_time),
  };
}

/** The base account fields every account encoding carries. */
export interface BaseAccountFields {
  address: string;
  pubKey?: Any;
  accountNumber: bigint;
  sequence: bigint;
}

/** A vesting account as `Any` of the SDK's type, so CosmJS `accountFromAny` and Keplr decode it. */
export function vestingAccountToAny(base: BaseAccountFields, vesting: Vesting): Any {
  const baseVestingAccount = {
    baseAccount: base,
    originalVesting: coinsJson(vesting.originalVesting),
    delegatedFree: coinsJson(vesting.delegatedFree),
    delegatedVesting: coinsJson(vesting.delegatedVesting),
    endTime: vesting.endTime,
  };
  if (vesting.kind === 'delayed') {
    return { typeUrl: DELAYED_VESTING_ACCOUNT, value: DelayedVestingAccount.encode({ baseVestingAccount }).finish() };
  }
  return {
    typeUrl: CONTINUOUS_VESTING_ACCOUNT,
    value: ContinuousVestingAccount.encode({ baseVestingAccount, startTime: vesting.startTime }).finish(),
  };
}

/** The genesis JSON of a vesting account's own fields (the SDK's `base_vesting_account` without `base_account`). */
export interface GenesisVestingJson {
  original_vesting: Array<{ denom: string; amount: string }>;
  delegated_free: Array<{ denom: string; amount: string }>;
  delegated_vesting: Array<{ denom: string; amount: string }>;
  end_time: string;
}

/** A genesis vesting entry's schedule, checked: original vesting positive, end after start, times not negative. */
export function vestingFromGenesis(kind: VestingKind, json: GenesisVestingJson, startTime: string | undefined, field: string): Vesting {
  if (typeof json !== 'object' || json === null) throw ainError(ErrInvalidRequest, `${field}.base_vesting_account is missing`);
  const originalVesting = coinsFromProto(json.original_vesting ?? [], `${field}.base_vesting_account.original_vesting`);
  const delegatedFree = coinsFromProto(json.delegated_free ?? [], `${field}.base_vesting_account.delegated_free`, true);
  const delegatedVesting = coinsFromProto(json.delegated_vesting ?? [], `${field}.base_vesting_account.delegated_vesting`, true);
  const endTime = parseAmount(String(json.end_time), `${field}.base_vesting_account.end_time`);
  const start = kind === 'continuous' ? parseAmount(String(startTime), `${field}.start_time`) : 0n;
  for (const coin of delegatedVesting) {
    if (coin.amount > amountOf(originalVesting, coin.denom)) {
      throw ainError(
        ErrInvalidRequest,
        `${field}.base_vesting_account.delegated_vesting ${coin.amount}${coin.denom} exceeds original_vesting`,
      );
    }
  }
  if (kind === 'continuous' && endTime <= start) {
    throw ainError(ErrInvalidRequest, `${field}.base_vesting_account.end_time ${endTime} must be after start_time ${start}`);
  }
  return { kind, originalVesting, delegatedFree, delegatedVesting, startTime: start, endTime };
}

export function vestingToGenesis(vesting: Vesting): GenesisVestingJson {
  return {
    original_vesting: coinsJson(vesting.originalVesting),
    delegated_free: coinsJson(vesting.delegatedFree),
    delegated_vesting: coinsJson(vesting.delegatedVesting),
    end_time: vesting.endTime.toString(),
  };
}
