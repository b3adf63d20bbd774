/**
 * The end of a block (the SDK's val_state_change.go): choosing the active set from the power index,
 * bonding validators that enter it and starting the unbonding of those that leave, the updates sent to
 * CometBFT, then completing matured unbonding validators, unbonding delegations and redelegations.
 * Imports `unbonding.ts`, `validators.ts` and `common.ts` of the keeper's files.
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { MAX_MATURE_PER_BLOCK, moveStake, type StakingEnv } from './common.ts';
import type { BlockContext } from './expected_keepers.ts';
import { LAST_TOTAL_POWER_PATH, labelsAfter, lastPowerPath, POWER_ROOT, VAL_QUEUE_ROOT, valQueuePath } from './keys.ts';
import { readStakingParams, type StakingParams } from './params.ts';
import { completeRedelegations, completeUnbondings } from './unbonding.ts';
import { BondStatus, consensusPower, type Validator } from './validator.ts';
import { getValidator, lastValidatorPowers, removeValidator, requireValidator, setValidator } from './validators.ts';

export function endBlock(env: StakingEnv, ctx: BlockContext): ValidatorUpdate[] {
  const params = readStakingParams(ctx.state);
  const updates = applyValidatorSetUpdates(env, ctx, params);
  completeUnbondingValidators(env, ctx);
  completeUnbondings(env, ctx, params);
  completeRedelegations(ctx);
  return updates;
}

export function applyValidatorSetUpdates(env: StakingEnv, ctx: BlockContext, params: StakingParams): ValidatorUpdate[] {
  const last = lastValidatorPowers(ctx.state);
  const updates: ValidatorUpdate[] = [];
  const active = new Set<string>();
  let total = 0n;
  for (const [, valoper] of ctx.state.list(POWER_ROOT, params.maxValidators)) {
    let validator = requireValidator(ctx.state, valoper as string);
    const power = consensusPower(validator.tokens);
    if (power === 0n) break;
    if (validator.status !== BondStatus.BOND_STATUS_BONDED) validator = bondValidator(env, ctx, params, validator);
    active.add(validator.operatorAddress);
    total += power;
    if (last.get(validator.operatorAddress) !== power) {
      updates.push(validatorUpdate(validator, power));
      ctx.state.set(lastPowerPath(validator.operatorAddress), power.toString());
    }
  }
  for (const valoper of last.keys()) {
    if (active.has(valoper)) continue;
    const validator = requireValidator(ctx.state, valoper);
    beginUnbondingValidator(env, ctx, params, validator);
    updates.push(validatorUpdate(validator, 0n));
    ctx.state.set(lastPowerPath(valoper), null);
  }
  if (ctx.state.get(LAST_TOTAL_POWER_PATH) !== total.toString()) ctx.state.set(LAST_TOTAL_POWER_PATH, total.toString());
  return updates;
}

function bondValidator(env: StakingEnv, ctx: BlockContext, params: StakingParams, validator: Validator): Validator {
  if (validator.status === BondStatus.BOND_STATUS_UNBONDING) {
    ctx.state.set(valQueuePath(validator.unbondingTime, validator.operatorAddress), null);
  }
  const next = { ...validator, status: BondStatus.BOND_STATUS_BONDED };
  setValidator(ctx.state, validator, next);
  moveStake(env, ctx, params, env.notBondedPool, env.bondedPool, validator.tokens);
  env.callHooks((h) => h.afterValidatorBonded?.(ctx, next));
  return next;
}

function beginUnbondingValidator(env: StakingEnv, ctx: BlockContext, params: StakingParams, validator: Validator): void {
  const unbondingTime = ctx.blockTimeSeconds + params.unbondingTime;
  const next = { ...validator, status: BondStatus.BOND_STATUS_UNBONDING, unbondingTime, unbondingHeight: ctx.height };
  setValidator(ctx.state, validator, next);
  ctx.state.set(valQueuePath(unbondingTime, validator.operatorAddress), true);
  moveStake(env, ctx, params, env.bondedPool, env.notBondedPool, validator.tokens);
}

/** Unbonding validators whose time has come become unbonded (and are removed when no shares are left). */
function completeUnbondingValidators(env: StakingEnv, ctx: BlockContext): void {
  for (const [path] of ctx.state.list(VAL_QUEUE_ROOT, MAX_MATURE_PER_BLOCK)) {
    const [time, valoper] = labelsAfter(VAL_QUEUE_ROOT, path);
    if (BigInt(time!) > ctx.blockTimeSeconds) break;
    ctx.state.set(path, null);
    const validator = getValidator(ctx.state, valoper!);
    if (validator?.status !== BondStatus.BOND_STATUS_UNBONDING) continue;
    const next = { ...validator, status: BondStatus.BOND_STATUS_UNBONDED };
    if (next.delegatorShares === 0n) removeValidator(env, ctx, validator, next);
    else setValidator(ctx.state, validator, next);
  }
}

/** CometBFT's ValidatorUpdate for a validator at `power` (0 removes it). */
function validatorUpdate(validator: Validator, power: bigint): ValidatorUpdate {
  return { pubKey: { ed25519: Buffer.from(validator.consensusPubkey, 'base64') }, power };
}
