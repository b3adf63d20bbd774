import { type Misbehavior, MisbehaviorType, type VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { ainError, mulDecTruncate, canonicalJson, type JsonValue } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { consAddressBech32, valoperToAccount, rfc3339, BondStatus, tokensFromShares, type Validator } from '../staking/index.ts';
import type { BlockContext, StakingHooks } from '../staking/index.ts';
import {
  ErrMissingSelfDelegation,
  ErrNoValidatorForAddress,
  ErrSelfDelegationTooLowToUnjail,
  ErrValidatorJailed,
  ErrValidatorNotJailed,
} from './errors.ts';
import { livenessEvent, slashEvent, unjailEvent } from './events.ts';
import type { StakingKeeper } from './expected_keepers.ts';
import { missedBlockPath, missedBlocksPath, SIGNING_INFOS_ROOT, signingInfoPath } from './keys.ts';
import { readSlashingParams, type SlashingParams } from './params.ts';

export const SLASHING_MODULE = 'slashing';
/** A tombstoned validator is jailed until 9999-12-31T23:59:59Z, as in the SDK. */
export const DOUBLE_SIGN_JAIL_END_TIME = 253_402_300_799n;
/** Most signing infos one query lists. */
export const MAX_SIGNING_INFOS_LISTED = 1000;

/** A validator's liveness record (the SDK's ValidatorSigningInfo), keyed by consensus address. */
export interface SigningInfo {
  readonly consAddress: string;
  readonly startHeight: bigint;
  /** Blocks counted in the window so far (the position in the missed-block bitmap is this modulo the window). */
  readonly indexOffset: bigint;
  /** Block-time seconds before which MsgUnjail is refused. */
  readonly jailedUntil: bigint;
  readonly tombstoned: boolean;
  readonly missedBlocksCounter: bigint;
}

/**
 * The only code touching `/slashing`: double-sign evidence (slash, jail, tombstone), liveness over a
 * window of blocks (slash, jail for a time), MsgUnjail.
 */
export class SlashingKeeper implements StakingHooks {
  constructor(private readonly staking: StakingKeeper) {}

  params(state: ReadableState): SlashingParams {
    return readSlashingParams(state);
  }

  signingInfo(state: ReadableState, consHex: string): SigningInfo | undefined {
    const text = state.get(signingInfoPath(consHex));
    if (typeof text !== 'string') return undefined;
    const json = JSON.parse(text) as Record<string, string | boolean>;
    return {
      consAddress: consHex,
      startHeight: BigInt(json['start_height'] as string),
      indexOffset: BigInt(json['index_offset'] as string),
      jailedUntil: BigInt(json['jailed_until'] as string),
      tombstoned: json['tombstoned'] === true,
      missedBlocksCounter: BigInt(json['missed_blocks_counter'] as string),
    };
  }

  /** Every signing info in consensus-address order, at most {@link MAX_SIGNING_INFOS_LISTED}. */
  signingInfos(state: ReadableState): SigningInfo[] {
    return state
      .list(SIGNING_INFOS_ROOT, MAX_SIGNING_INFOS_LISTED)
      .map(([path]) => this.signingInfo(state, path.slice(SIGNING_INFOS_ROOT.length + 1))!);
  }

  /** Staking hook: a validator that bonds for the first time gets a signing info starting at this height. */
  afterValidatorBonded(ctx: BlockContext, validator: Validator): void {
    if (!this.signingInfo(ctx.state, validator.consAddress))
      this.setSigningInfo(ctx.state, newSigningInfo(validator.consAddress, ctx.height));
  }

  /**
   * After the block's txs, before staking's end of block: liveness from the last commit's votes, then
   * double-sign evidence. Jails take effect in this block's validator updates.
   */
  processBlock(ctx: BlockContext, votes: readonly VoteInfo[], misbehavior: readonly Misbehavior[]): void {
    const params = this.params(ctx.state);
    for (const vote of votes) this.handleVote(ctx, params, vote);
    for (const evidence of misbehavior) this.handleEquivocation(ctx, params, evidence);
  }

  /**
   * MsgUnjail: the operator's self-delegation must exist and be at least its minimum, the validator
   * must be jailed, not tombstoned, and the block time past `jailed_until`.
   */
  unjail(ctx: BlockContext, valoper: string): void {
    const validator = this.staking.getValidator(ctx.state, valoper);
    if (!validator) throw ainError(ErrNoValidatorForAddress, `no validator ${valoper}`);
    const selfShares = this.staking.getDelegation(ctx.state, valoperToAccount(valoper), valoper);
    if (selfShares === undefined) throw ainError(ErrMissingSelfDelegation, `${valoper} has no self-delegation`);
    const selfTokens = tokensFromShares(validator, selfShares);
    if (selfTokens < validator.minSelfDelegation) {
      throw ainError(ErrSelfDelegationTooLowToUnjail, `self-delegation ${selfTokens} < min_self_delegation ${validator.minSelfDelegation}`);
    }
    if (!validator.jailed) throw ainError(ErrValidatorNotJailed, `validator ${valoper} is not jailed`);
    const info = this.signingInfo(ctx.state, validator.consAddress);
    if (info?.tombstoned) throw ainError(ErrValidatorJailed, `validator ${valoper} is tombstoned for double signing`);
    if (info && ctx.blockTimeSeconds < info.jailedUntil) {
      throw ainError(
        ErrValidatorJailed,
        `validator ${valoper} is jailed until ${rfc3339(info.jailedUntil)}; the block time is ${rfc3339(ctx.blockTimeSeconds)}`,
        {
          jailedUntil: info.jailedUntil.toString(),
        },
      );
    }
    this.staking.unjail(ctx, valoper);
    ctx.events.emit(unjailEvent(valoper));
  }

  /** One vote of the last commit: a block missed (flag ABSENT) or signed (COMMIT, NIL) in the window; too many missed jails. */
  private handleVote(ctx: BlockContext, params: SlashingParams, vote: VoteInfo): void {
    const consHex = Buffer.from(vote.validator.address).toString('hex');
    const validator = this.staking.validatorByConsAddress(ctx.state, consHex);
    if (!validator || validator.jailed) return;
    const info = this.signingInfo(ctx.state, consHex) ?? newSigningInfo(consHex, ctx.height);
    const window = params.signedBlocksWindow;
    const index = info.indexOffset % window;
    const missedBefore = ctx.state.get(missedBlockPath(consHex, index)) === true;
    const missed = vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT;
    let counter = info.missedBlocksCounter;
    if (missed && !missedBefore) {
      ctx.state.set(missedBlockPath(consHex, index), true);
      counter += 1n;
    } else if (!missed && missedBefore) {
      ctx.state.set(missedBlockPath(consHex, index), null);
      counter -= 1n;
    }
    let next: SigningInfo = { ...info, indexOffset: info.indexOffset + 1n, missedBlocksCounter: counter };
    if (missed) ctx.events.emit(livenessEvent(consAddressBech32(consHex), counter, ctx.height));
    const maxMissed = window - mulDecTruncate(window, params.minSignedPerWindow);
    if (ctx.height > info.startHeight + window && counter > maxMissed) {
      // The infraction is seen at this height; stake that unbonded since the votes counted (2 blocks of delay) is spared.
      const burned = this.staking.slash(ctx, consHex, ctx.height - 2n, vote.validator.power, params.slashFractionDowntime);
      this.staking.jail(ctx, validator.operatorAddress);
      for (const [path] of ctx.state.list(missedBlocksPath(consHex), Number(window))) ctx.state.set(path, null);
      next = { ...next, jailedUntil: ctx.blockTimeSeconds + params.downtimeJailDuration, missedBlocksCounter: 0n, indexOffset: 0n };
      ctx.events.emit(slashEvent(consAddressBech32(consHex), vote.validator.power, 'missing_signature', this.burned(ctx.state, burned)));
    }
    this.setSigningInfo(ctx.state, next);
  }

  /** Double-sign evidence (DUPLICATE_VOTE; LIGHT_CLIENT_ATTACK alike, as the SDK does): slash, jail, tombstone. */
  private handleEquivocation(ctx: BlockContext, params: SlashingParams, evidence: Misbehavior): void {
    if (evidence.type !== MisbehaviorType.DUPLICATE_VOTE && evidence.type !== MisbehaviorType.LIGHT_CLIENT_ATTACK) return;
    const consHex = Buffer.from(evidence.validator.address).toString('hex');
    const validator = this.staking.validatorByConsAddress(ctx.state, consHex);
    if (!validator || validator.status === BondStatus.BOND_STATUS_UNBONDED) return;
    const info = this.signingInfo(ctx.state, consHex) ?? newSigningInfo(consHex, ctx.height);
    if (info.tombstoned) return;
    // Votes of height H come from the set chosen at H - 1: stake that left since then is spared.
    const burned = this.staking.slash(ctx, consHex, evidence.height - 1n, evidence.validator.power, params.slashFractionDoubleSign);
    if (!validator.jailed) this.staking.jail(ctx, validator.operatorAddress);
    this.setSigningInfo(ctx.state, { ...info, jailedUntil: DOUBLE_SIGN_JAIL_END_TIME, tombstoned: true });
    ctx.events.emit(slashEvent(consAddressBech32(consHex), evidence.validator.power, 'double_sign', this.burned(ctx.state, burned)));
  }

  private burned(state: ReadableState, amount: bigint): string {
    return `${amount}${this.staking.params(state).bondDenom}`;
  }

  private setSigningInfo(state: WritableState, info: SigningInfo): void {
    const json = {
      start_height: info.startHeight.toString(),
      index_offset: info.indexOffset.toString(),
      jailed_until: info.jailedUntil.toString(),
      tombstoned: info.tombstoned,
      missed_blocks_counter: info.missedBlocksCounter.toString(),
    };
    state.set(signingInfoPath(info.consAddress), canonicalJson(json as JsonValue));
  }
}

function newSigningInfo(consAddress: string, height: bigint): SigningInfo {
  return { consAddress, startHeight: height, indexOffset: 0n, jailedUntil: 0n, tombstoned: false, missedBlocksCounter: 0n };
}
