import type { ReadableState } from '../../core/state.ts';
import type { BlockContext } from '../staking/expected_keepers.ts';
import type { StakingParams } from '../staking/params.ts';
import type { Validator } from '../staking/validator.ts';

/** What slashing needs from staking: find validators, slash and jail them, let them out. */
export interface StakingKeeper {
  params(state: ReadableState): StakingParams;
  getValidator(state: ReadableState, valoper: string): Validator | undefined;
  validatorByConsAddress(state: ReadableState, consHex: string): Validator | undefined;
  getDelegation(state: ReadableState, delegator: string, valoper: string): bigint | undefined;
  slash(ctx: BlockContext, consHex: string, infractionHeight: bigint, power: bigint, fraction: bigint): bigint;
  jail(ctx: BlockContext, valoper: string): void;
  unjail(ctx: BlockContext, valoper: string): void;
}
