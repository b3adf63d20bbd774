import type { ReadableState } from '../../core/index.ts';
import type { BlockContext, StakingParams, Validator } from '../staking/index.ts';

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
