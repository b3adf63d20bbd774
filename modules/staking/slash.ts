/**
 * Slashing's side of staking (the SDK's slash.go): burning a fraction of a validator's stake for an
 * infraction, first from unbonding and redelegation entries created since it, then from the
 * validator's tokens; jailing and unjailing. Imports `unbonding.ts`, `delegations.ts`,
 * `validators.ts` and `common.ts` of the keeper's files.
 */
import { mulDecTruncate } from '../../core/index.ts';
import { lastLabel, min, poolOf, type StakingEnv } from './common.ts';
import { getDelegation, unbond } from './delegations.ts';
import type { BlockContext } from './expected_keepers.ts';
import { labelsAfter, redBySrcPath, valUnbondingsPath } from './keys.ts';
import { POWER_REDUCTION, readStakingParams, type StakingParams } from './params.ts';
import { getRedelegation, getUnbonding, putUnbonding } from './unbonding.ts';
import { BondStatus } from './validator.ts';
import { getValidator, requireValidator, setValidator, validatorByConsAddress } from './validators.ts';

export function slash(
  env: StakingEnv,
  ctx: BlockContext,
  consHex: string,
  infractionHeight: bigint,
  power: bigint,
  fraction: bigint,
): bigint {
  const validator = validatorByConsAddress(ctx.state, consHex);
  if (!validator || validator.status === BondStatus.BOND_STATUS_UNBONDED) return 0n;
  const params = readStakingParams(ctx.state);
  const slashAmount = mulDecTruncate(power * POWER_REDUCTION, fraction);
  let remaining = slashAmount;
  if (infractionHeight < ctx.height) {
    remaining -= slashUnbondings(env, ctx, params, validator.operatorAddress, infractionHeight, fraction);
    remaining -= slashRedelegations(env, ctx, params, validator.operatorAddress, infractionHeight, fraction);
  }
  const current = requireValidator(ctx.state, validator.operatorAddress);
  const burn = remaining <= 0n ? 0n : min(remaining, current.tokens);
  if (burn === 0n) return 0n;
  setValidator(ctx.state, current, { ...current, tokens: current.tokens - burn });
  env.bank.burnCoins(ctx, poolOf(env, current), [{ denom: params.bondDenom, amount: burn }]);
  return burn;
}

/** Unbonding entries created at or after the infraction lose `fraction` of their initial balance (burned). */
function slashUnbondings(
  env: StakingEnv,
  ctx: BlockContext,
  params: StakingParams,
  valoper: string,
  infractionHeight: bigint,
  fraction: bigint,
): bigint {
  let total = 0n;
  let burned = 0n;
  // Every entry must be seen: no limit (cost linear in the validator's unbonding delegators).
  for (const [path] of ctx.state.list(valUnbondingsPath(valoper), Number.POSITIVE_INFINITY)) {
    const delegator = lastLabel(path);
    const record = getUnbonding(ctx.state, delegator, valoper)!;
    let changed = false;
    const entries = record.entries.map((entry) => {
      if (entry.creationHeight < infractionHeight || entry.completionTime <= ctx.blockTimeSeconds) return entry;
      const amount = mulDecTruncate(entry.initialBalance, fraction);
      total += amount;
      const cut = min(amount, entry.balance);
      if (cut === 0n) return entry;
      burned += cut;
      changed = true;
      return { ...entry, balance: entry.balance - cut };
    });
    if (changed) putUnbonding(ctx.state, delegator, valoper, entries);
  }
  if (burned > 0n) env.bank.burnCoins(ctx, env.notBondedPool, [{ denom: params.bondDenom, amount: burned }]);
  return total;
}

/** Redelegations out of the validator created at or after the infraction: `fraction` of the destination shares is unbonded and burned. */
function slashRedelegations(
  env: StakingEnv,
  ctx: BlockContext,
  params: StakingParams,
  src: string,
  infractionHeight: bigint,
  fraction: bigint,
): bigint {
  let total = 0n;
  const root = redBySrcPath(src);
  for (const [path] of ctx.state.list(root, Number.POSITIVE_INFINITY)) {
    const [delegator, dst] = labelsAfter(root, path) as [string, string];
    const record = getRedelegation(ctx.state, delegator, src, dst)!;
    for (const entry of record.entries) {
      if (entry.creationHeight < infractionHeight || entry.completionTime <= ctx.blockTimeSeconds) continue;
      total += mulDecTruncate(entry.initialBalance, fraction);
      const delegated = getDelegation(ctx.state, delegator, dst);
      const dstValidator = getValidator(ctx.state, dst);
      const shares = min(mulDecTruncate(entry.sharesDst, fraction), delegated ?? 0n);
      if (shares === 0n || !dstValidator) continue;
      const tokens = unbond(env, ctx, delegator, dst, shares, undefined);
      if (tokens > 0n) env.bank.burnCoins(ctx, poolOf(env, dstValidator), [{ denom: params.bondDenom, amount: tokens }]);
    }
  }
  return total;
}

export function jail(ctx: BlockContext, valoper: string): void {
  const validator = requireValidator(ctx.state, valoper);
  if (!validator.jailed) setValidator(ctx.state, validator, { ...validator, jailed: true });
}

export function unjail(ctx: BlockContext, valoper: string): void {
  const validator = requireValidator(ctx.state, valoper);
  if (validator.jailed) setValidator(ctx.state, validator, { ...validator, jailed: false });
}
