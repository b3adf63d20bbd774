/**
 * Unbonding delegations and redelegations (the SDK's delegation.go, unbonding half): their entries,
 * MsgUndelegate and MsgBeginRedelegate, the time-ordered queues, and paying out or dropping entries
 * that matured by the end of a block. Imports `delegations.ts`, `validators.ts` and `common.ts` of the
 * keeper's files.
 */
import { ainError } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import {
  asJson,
  checkDenom,
  lastLabel,
  MAX_LISTED,
  MAX_MATURE_PER_BLOCK,
  MAX_VALIDATOR_RECORDS,
  moveStake,
  type StakingEnv,
} from './common.ts';
import { addDelegation, sharesToUnbond, unbond } from './delegations.ts';
import {
  ErrBadRedelegationDst,
  ErrMaxRedelegationEntries,
  ErrMaxUnbondingDelegationEntries,
  ErrSelfRedelegation,
  ErrTinyRedelegationAmount,
  ErrTransitiveRedelegation,
} from './errors.ts';
import { completeRedelegationEvent, completeUnbondingEvent, redelegateEvent, unbondEvent } from './events.ts';
import type { BlockContext } from './expected_keepers.ts';
import {
  delegatorRedelegationsPath,
  delegatorUnbondingPath,
  labelsAfter,
  NEXT_UNBONDING_ID_PATH,
  RED_QUEUE_ROOT,
  redByDstPath,
  redBySrcPath,
  redelegationPath,
  redQueuePath,
  UBD_QUEUE_ROOT,
  ubdQueuePath,
  unbondingPath,
  valUnbondingPath,
  valUnbondingsPath,
} from './keys.ts';
import { readStakingParams, type StakingParams } from './params.ts';
import { BondStatus } from './validator.ts';
import { getValidator, requireValidator } from './validators.ts';

/** One undelegation waiting for the unbonding time (tokens in the not-bonded pool). */
export interface UnbondingEntry {
  readonly creationHeight: bigint;
  readonly completionTime: bigint;
  readonly initialBalance: bigint;
  /** What will be paid: the initial balance minus slashes. */
  readonly balance: bigint;
  readonly unbondingId: bigint;
}

/** One redelegation still slashable for infractions of the source validator. */
export interface RedelegationEntry {
  readonly creationHeight: bigint;
  readonly completionTime: bigint;
  readonly initialBalance: bigint;
  /** Shares (atomics) created at the destination. */
  readonly sharesDst: bigint;
  readonly unbondingId: bigint;
}

export interface UnbondingRecord {
  readonly delegator: string;
  readonly validator: string;
  readonly entries: readonly UnbondingEntry[];
}

export interface RedelegationRecord {
  readonly delegator: string;
  readonly src: string;
  readonly dst: string;
  readonly entries: readonly RedelegationEntry[];
}

/** An unbonding record's entries from its leaf text (canonical JSON, integers as decimal strings). */
export function unbondingEntriesFromText(text: string): UnbondingEntry[] {
  return (JSON.parse(text) as { entries: Record<string, string>[] }).entries.map((e) => ({
    creationHeight: BigInt(e['creation_height']!),
    completionTime: BigInt(e['completion_time']!),
    initialBalance: BigInt(e['initial_balance']!),
    balance: BigInt(e['balance']!),
    unbondingId: BigInt(e['unbonding_id']!),
  }));
}

/** The leaf text of an unbonding record. */
export function unbondingText(entries: readonly UnbondingEntry[]): string {
  return asJson({
    entries: entries.map((e) => ({
      creation_height: e.creationHeight.toString(),
      completion_time: e.completionTime.toString(),
      initial_balance: e.initialBalance.toString(),
      balance: e.balance.toString(),
      unbonding_id: e.unbondingId.toString(),
    })),
  });
}

/** A redelegation record's entries from its leaf text. */
export function redelegationEntriesFromText(text: string): RedelegationEntry[] {
  return (JSON.parse(text) as { entries: Record<string, string>[] }).entries.map((e) => ({
    creationHeight: BigInt(e['creation_height']!),
    completionTime: BigInt(e['completion_time']!),
    initialBalance: BigInt(e['initial_balance']!),
    sharesDst: BigInt(e['shares_dst']!),
    unbondingId: BigInt(e['unbonding_id']!),
  }));
}

/** The leaf text of a redelegation record. */
export function redelegationText(entries: readonly RedelegationEntry[]): string {
  return asJson({
    entries: entries.map((e) => ({
      creation_height: e.creationHeight.toString(),
      completion_time: e.completionTime.toString(),
      initial_balance: e.initialBalance.toString(),
      shares_dst: e.sharesDst.toString(),
      unbonding_id: e.unbondingId.toString(),
    })),
  });
}

export function getUnbonding(state: ReadableState, delegator: string, valoper: string): UnbondingRecord | undefined {
  const text = state.get(unbondingPath(delegator, valoper));
  if (typeof text !== 'string') return undefined;
  return { delegator, validator: valoper, entries: unbondingEntriesFromText(text) };
}

export function delegatorUnbondings(state: ReadableState, delegator: string): UnbondingRecord[] {
  return state
    .list(delegatorUnbondingPath(delegator), MAX_VALIDATOR_RECORDS)
    .map(([path]) => getUnbonding(state, delegator, lastLabel(path))!);
}

export function validatorUnbondings(state: ReadableState, valoper: string, limit: number): UnbondingRecord[] {
  return state.list(valUnbondingsPath(valoper), limit).map(([path]) => getUnbonding(state, lastLabel(path), valoper)!);
}

export function getRedelegation(state: ReadableState, delegator: string, src: string, dst: string): RedelegationRecord | undefined {
  const text = state.get(redelegationPath(delegator, src, dst));
  if (typeof text !== 'string') return undefined;
  return { delegator, src, dst, entries: redelegationEntriesFromText(text) };
}

export function delegatorRedelegations(state: ReadableState, delegator: string): RedelegationRecord[] {
  const root = delegatorRedelegationsPath(delegator);
  return state.list(root, MAX_LISTED).map(([path]) => {
    const [src, dst] = labelsAfter(root, path);
    return getRedelegation(state, delegator, src!, dst!)!;
  });
}

export function srcRedelegations(state: ReadableState, src: string): RedelegationRecord[] {
  const root = redBySrcPath(src);
  return state.list(root, MAX_LISTED).map(([path]) => {
    const [delegator, dst] = labelsAfter(root, path);
    return getRedelegation(state, delegator!, src, dst!)!;
  });
}

function nextUnbondingId(state: WritableState): bigint {
  const next = state.get(NEXT_UNBONDING_ID_PATH);
  const id = typeof next === 'string' ? BigInt(next) : 1n;
  state.set(NEXT_UNBONDING_ID_PATH, (id + 1n).toString());
  return id;
}

export function putUnbonding(state: WritableState, delegator: string, valoper: string, entries: readonly UnbondingEntry[]): void {
  if (entries.length === 0) {
    state.set(unbondingPath(delegator, valoper), null);
    state.set(valUnbondingPath(valoper, delegator), null);
    return;
  }
  state.set(unbondingPath(delegator, valoper), unbondingText(entries));
  state.set(valUnbondingPath(valoper, delegator), true);
}

function putRedelegation(state: WritableState, delegator: string, src: string, dst: string, entries: readonly RedelegationEntry[]): void {
  const exists = entries.length > 0;
  if (exists) {
    state.set(redelegationPath(delegator, src, dst), redelegationText(entries));
  } else {
    state.set(redelegationPath(delegator, src, dst), null);
  }
  state.set(redBySrcPath(src, delegator, dst), exists ? true : null);
  state.set(redByDstPath(dst, delegator, src), exists ? true : null);
}

export function undelegate(
  env: StakingEnv,
  ctx: BlockContext,
  delegator: string,
  valoper: string,
  denom: string,
  amount: bigint,
): { completionTime: bigint; amount: bigint } {
  const params = readStakingParams(ctx.state);
  checkDenom(params, denom, 'amount');
  const validator = requireValidator(ctx.state, valoper);
  const shares = sharesToUnbond(ctx.state, params, delegator, validator, amount);
  const record = getUnbonding(ctx.state, delegator, valoper);
  if ((record?.entries.length ?? 0) >= params.maxEntries) {
    throw ainError(ErrMaxUnbondingDelegationEntries, `${delegator} has ${params.maxEntries} unbonding entries from ${valoper} already`);
  }
  const returned = unbond(env, ctx, delegator, valoper, shares, amount);
  if (validator.status === BondStatus.BOND_STATUS_BONDED) moveStake(env, ctx, params, env.bondedPool, env.notBondedPool, returned);
  const completionTime = ctx.blockTimeSeconds + params.unbondingTime;
  const entry: UnbondingEntry = {
    creationHeight: ctx.height,
    completionTime,
    initialBalance: returned,
    balance: returned,
    unbondingId: nextUnbondingId(ctx.state),
  };
  putUnbonding(ctx.state, delegator, valoper, [...(record?.entries ?? []), entry]);
  ctx.state.set(ubdQueuePath(completionTime, delegator, valoper), true);
  ctx.events.emit(unbondEvent(valoper, delegator, `${returned}${params.bondDenom}`, completionTime));
  return { completionTime, amount: returned };
}

export function redelegate(
  env: StakingEnv,
  ctx: BlockContext,
  delegator: string,
  src: string,
  dst: string,
  denom: string,
  amount: bigint,
): bigint {
  if (src === dst) throw ainError(ErrSelfRedelegation, `validator_src_address and validator_dst_address are both ${src}`);
  const params = readStakingParams(ctx.state);
  checkDenom(params, denom, 'amount');
  const srcValidator = requireValidator(ctx.state, src);
  if (!getValidator(ctx.state, dst)) throw ainError(ErrBadRedelegationDst, `validator ${dst} does not exist`, { validator: dst });
  if (ctx.state.list(redByDstPath(src, delegator), 1).length > 0) {
    throw ainError(ErrTransitiveRedelegation, `${delegator} has a redelegation into ${src} that has not completed`);
  }
  const record = getRedelegation(ctx.state, delegator, src, dst);
  if ((record?.entries.length ?? 0) >= params.maxEntries) {
    throw ainError(ErrMaxRedelegationEntries, `${delegator} has ${params.maxEntries} redelegation entries from ${src} to ${dst} already`);
  }
  const shares = sharesToUnbond(ctx.state, params, delegator, srcValidator, amount);
  const returned = unbond(env, ctx, delegator, src, shares, amount);
  if (returned === 0n) throw ainError(ErrTinyRedelegationAmount, `${amount}${denom} is worth no tokens of ${src}`);
  const dstValidator = requireValidator(ctx.state, dst);
  const { shares: sharesDst } = addDelegation(env, ctx, params, delegator, dstValidator, returned, srcValidator.status);
  let completionTime = ctx.blockTimeSeconds;
  if (srcValidator.status === BondStatus.BOND_STATUS_BONDED) completionTime += params.unbondingTime;
  else if (srcValidator.status === BondStatus.BOND_STATUS_UNBONDING) completionTime = srcValidator.unbondingTime;
  // Stake leaving an unbonded validator is not slashable for it: no entry, complete at once.
  if (srcValidator.status !== BondStatus.BOND_STATUS_UNBONDED) {
    const entry: RedelegationEntry = {
      creationHeight: ctx.height,
      completionTime,
      initialBalance: returned,
      sharesDst,
      unbondingId: nextUnbondingId(ctx.state),
    };
    putRedelegation(ctx.state, delegator, src, dst, [...(record?.entries ?? []), entry]);
    ctx.state.set(redQueuePath(completionTime, delegator, src, dst), true);
  }
  ctx.events.emit(redelegateEvent(src, dst, delegator, `${returned}${params.bondDenom}`, completionTime));
  return completionTime;
}

/** Matured unbonding entries pay their balance from the not-bonded pool to the delegator. */
export function completeUnbondings(env: StakingEnv, ctx: BlockContext, params: StakingParams): void {
  for (const [path] of ctx.state.list(UBD_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
    const [time, delegator, valoper] = labelsAfter(UBD_QUEUE_ROOT, path) as [string, string, string];
    if (BigInt(time) > ctx.blockTimeSeconds) break;
    ctx.state.set(path, null);
    const record = getUnbonding(ctx.state, delegator, valoper);
    if (!record) continue;
    let paid = 0n;
    const remaining = record.entries.filter((entry) => {
      if (entry.completionTime > ctx.blockTimeSeconds) return true;
      paid += entry.balance;
      return false;
    });
    putUnbonding(ctx.state, delegator, valoper, remaining);
    // Paid back as an undelegation: a vesting delegator's still-vesting coins come back locked.
    if (paid > 0n) env.bank.undelegateCoins(ctx, env.notBondedPool, delegator, [{ denom: params.bondDenom, amount: paid }]);
    ctx.events.emit(completeUnbondingEvent(valoper, delegator, `${paid}${params.bondDenom}`));
  }
}

/** Matured redelegation entries are dropped: the stake is no longer slashable for the source. */
export function completeRedelegations(ctx: BlockContext): void {
  for (const [path] of ctx.state.list(RED_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
    const [time, delegator, src, dst] = labelsAfter(RED_QUEUE_ROOT, path) as [string, string, string, string];
    if (BigInt(time) > ctx.blockTimeSeconds) break;
    ctx.state.set(path, null);
    const record = getRedelegation(ctx.state, delegator, src, dst);
    if (!record) continue;
    let moved = 0n;
    const remaining = record.entries.filter((entry) => {
      if (entry.completionTime > ctx.blockTimeSeconds) return true;
      moved += entry.initialBalance;
      return false;
    });
    putRedelegation(ctx.state, delegator, src, dst, remaining);
    ctx.events.emit(completeRedelegationEvent(src, dst, delegator, moved.toString()));
  }
}
