/**
 * The gov module's params, as the Cosmos SDK's x/gov v1 `Params`. A chain whose genesis sets none
 * stores none and uses the defaults, so adding the module changed no existing chain's state; a
 * `MsgUpdateParams` passed by governance stores the first ten all, and the SDK v0.50 ones (expedited,
 * cancellation, `min_deposit_ratio`; added later) only where they differ from their defaults, so a
 * chain that never set them keeps its state's bytes.
 */
import type { Params as ParamsV1 } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  ainError,
  BASE_DENOM,
  type Coin,
  coinsFromProto,
  coinsToProto,
  DEC_ONE,
  decFromText,
  decToFixed18,
  decToText,
  formatCoins,
  moduleAddress,
  parseAddress,
  parseCoins,
  type ReadableState,
  type WritableState,
} from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { PARAMS_ROOT, paramPath } from './keys.ts';

export interface GovParams {
  /** Total deposit that moves a proposal into its voting period. */
  readonly minDeposit: readonly Coin[];
  /** Seconds (block time) a proposal may wait for its minimum deposit. */
  readonly maxDepositPeriod: bigint;
  /** Seconds (block time) of the voting period. */
  readonly votingPeriod: bigint;
  /** Share of bonded stake that must vote (LegacyDec atomics). */
  readonly quorum: bigint;
  /** Share of yes among non-abstaining votes needed to pass (atomics). */
  readonly threshold: bigint;
  /** Share of no-with-veto among all votes that vetoes and burns the deposits (atomics). */
  readonly vetoThreshold: bigint;
  /** Share of `minDeposit` the proposer must deposit on submission (atomics). */
  readonly minInitialDepositRatio: bigint;
  /** Burn the deposits of a proposal that misses quorum (else they are refunded). */
  readonly burnVoteQuorum: boolean;
  /** Burn the deposits of a proposal that never reaches its minimum deposit (else refunded). */
  readonly burnProposalDepositPrevote: boolean;
  /** Burn the deposits of a vetoed proposal. */
  readonly burnVoteVeto: boolean;
  /** Seconds (block time) an expedited proposal is voted on; shorter than `votingPeriod`. */
  readonly expeditedVotingPeriod: bigint;
  /** Share of yes an expedited proposal needs (atomics); above `threshold`. */
  readonly expeditedThreshold: bigint;
  /** Total deposit that moves an expedited proposal into its voting period. */
  readonly expeditedMinDeposit: readonly Coin[];
  /** Share of the deposits a cancelled proposal loses (atomics); the rest goes back to the depositors. */
  readonly proposalCancelRatio: bigint;
  /** Where that share goes: '' burns it, the distribution account funds the community pool, else that account. */
  readonly proposalCancelDest: string;
  /**
   * Share of the (expedited) minimum deposit each deposit must bring in one of its denoms (atomics);
   * 0 (ours, where the SDK's is 0.01) lets any deposit in.
   */
  readonly minDepositRatio: bigint;
}

type ParamName =
  | 'min_deposit'
  | 'max_deposit_period'
  | 'voting_period'
  | 'quorum'
  | 'threshold'
  | 'veto_threshold'
  | 'min_initial_deposit_ratio'
  | 'burn_vote_quorum'
  | 'burn_proposal_deposit_prevote'
  | 'burn_vote_veto'
  | ExpeditedName;

/** The params the SDK v0.50 added; stored only where they differ from their defaults. */
type ExpeditedName =
  | 'expedited_voting_period'
  | 'expedited_threshold'
  | 'expedited_min_deposit'
  | 'proposal_cancel_ratio'
  | 'proposal_cancel_dest'
  | 'min_deposit_ratio';

/** `app_state.gov.params`: text values (coins "10000000uain", seconds "172800", decimals "0.334", "true"); missing names take their default. */
export type GovParamsJson = { [K in ParamName]?: string };

const NAMES: readonly ParamName[] = [
  'min_deposit',
  'max_deposit_period',
  'voting_period',
  'quorum',
  'threshold',
  'veto_threshold',
  'min_initial_deposit_ratio',
  'burn_vote_quorum',
  'burn_proposal_deposit_prevote',
  'burn_vote_veto',
  'expedited_voting_period',
  'expedited_threshold',
  'expedited_min_deposit',
  'proposal_cancel_ratio',
  'proposal_cancel_dest',
  'min_deposit_ratio',
];
const EXPEDITED_NAMES: readonly ExpeditedName[] = [
  'expedited_voting_period',
  'expedited_threshold',
  'expedited_min_deposit',
  'proposal_cancel_ratio',
  'proposal_cancel_dest',
  'min_deposit_ratio',
];
/** The SDK's defaults: a day of voting, 2/3 of yes, five times the minimum deposit, half of a cancelled deposit burned. */
const EXPEDITED_VOTING_PERIOD = 86_400n;
const EXPEDITED_THRESHOLD = 667n * 10n ** 15n;
const EXPEDITED_DEPOSIT_MULTIPLE = 5n;
const PROPOSAL_CANCEL_RATIO = DEC_ONE / 2n;
/** Longest deposit or voting period: one year of seconds. */
export const MAX_PERIOD_SECONDS = 366n * 86_400n;

export function defaultGovParams(): GovParams {
  const regular = {
    minDeposit: [{ denom: BASE_DENOM, amount: 10_000_000n }],
    maxDepositPeriod: 172_800n,
    votingPeriod: 172_800n,
    quorum: 334n * 10n ** 15n,
    threshold: DEC_ONE / 2n,
    vetoThreshold: 334n * 10n ** 15n,
    minInitialDepositRatio: 0n,
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
  };
  return { ...regular, ...expeditedDefaults(regular) };
}

type ExpeditedParams = Pick<
  GovParams,
  'expeditedVotingPeriod' | 'expeditedThreshold' | 'expeditedMinDeposit' | 'proposalCancelRatio' | 'proposalCancelDest' | 'minDepositRatio'
>;

/**
 * The SDK v0.50 params a chain gets where it set none: the SDK's defaults, kept consistent with the
 * regular params a chain chose before they existed (a chain voting 60 s gets an expedited period of
 * 30 s, not a day): the period is a day where the voting period is longer, else half of it (at least
 * 1 s); the threshold 0.667 where `threshold` is below it, else 1; the deposit five times
 * `min_deposit`. `min_deposit_ratio` is 0, not the SDK's 0.01, so no chain starts refusing the small
 * deposits it accepted before the param existed.
 */
export function expeditedDefaults(regular: Pick<GovParams, 'votingPeriod' | 'threshold' | 'minDeposit'>): ExpeditedParams {
  const halfPeriod = regular.votingPeriod / 2n;
  return {
    expeditedVotingPeriod: regular.votingPeriod > EXPEDITED_VOTING_PERIOD ? EXPEDITED_VOTING_PERIOD : halfPeriod > 0n ? halfPeriod : 1n,
    expeditedThreshold: regular.threshold < EXPEDITED_THRESHOLD ? EXPEDITED_THRESHOLD : DEC_ONE,
    expeditedMinDeposit: regular.minDeposit.map((c) => ({ denom: c.denom, amount: c.amount * EXPEDITED_DEPOSIT_MULTIPLE })),
    proposalCancelRatio: PROPOSAL_CANCEL_RATIO,
    proposalCancelDest: '',
    minDepositRatio: 0n,
  };
}

function seconds(text: string, field: string): bigint {
  const match = /^([0-9]{1,12})s?$/.exec(text);
  if (!match || BigInt(match[1]!) < 1n || BigInt(match[1]!) > MAX_PERIOD_SECONDS)
    throw ainError(ErrInvalidParams, `${field} "${text}" must be a number of seconds in [1, ${MAX_PERIOD_SECONDS}]`, { field });
  return BigInt(match[1]!);
}

function ratio(text: string, field: string, allowZero: boolean): bigint {
  let value: bigint;
  try {
    value = decFromText(text, field);
  } catch {
    throw ainError(ErrInvalidParams, `${field} "${text}" is not a decimal`, { field });
  }
  if (value > DEC_ONE || (!allowZero && value === 0n))
    throw ainError(ErrInvalidParams, `${field} ${text} must be in ${allowZero ? '[0' : '(0'}, 1]`, { field });
  return value;
}

function flag(text: string, field: string): boolean {
  if (text !== 'true' && text !== 'false') throw ainError(ErrInvalidParams, `${field} "${text}" must be "true" or "false"`, { field });
  return text === 'true';
}

function coinList(text: string, field: string): Coin[] {
  try {
    return parseCoins(text, field);
  } catch (error) {
    throw ainError(ErrInvalidParams, `${field} "${text}": ${(error as Error).message}`, { field });
  }
}

/**
 * The SDK v0.50 params: each given one checked alone and against the regular params (as the SDK's
 * `Params.ValidateBasic`); a missing one takes its default (`expeditedDefaults`).
 */
function expeditedFromJson(json: GovParamsJson | undefined, regular: Omit<GovParams, keyof ExpeditedParams>, prefix: string) {
  const defaults = expeditedDefaults(regular);
  const given = (name: ExpeditedName): string | undefined => {
    const value = json?.[name];
    if (value !== undefined && typeof value !== 'string')
      throw ainError(ErrInvalidParams, `${prefix}.${name} must be a string`, { field: name });
    return value;
  };
  const refuse = (name: ExpeditedName, why: string) => ainError(ErrInvalidParams, `${prefix}.${name} ${why}`, { field: name });
  const periodText = given('expedited_voting_period');
  const expeditedVotingPeriod =
    periodText === undefined ? defaults.expeditedVotingPeriod : seconds(periodText, `${prefix}.expedited_voting_period`);
  if (periodText !== undefined && expeditedVotingPeriod >= regular.votingPeriod)
    throw refuse('expedited_voting_period', `${expeditedVotingPeriod}s must be shorter than voting_period (${regular.votingPeriod}s)`);
  const thresholdText = given('expedited_threshold');
  const expeditedThreshold =
    thresholdText === undefined ? defaults.expeditedThreshold : ratio(thresholdText, `${prefix}.expedited_threshold`, false);
  if (thresholdText !== undefined && expeditedThreshold <= regular.threshold)
    throw refuse('expedited_threshold', `${thresholdText} must be above threshold (${decToText(regular.threshold)}) and at most 1`);
  const depositText = given('expedited_min_deposit');
  const expeditedMinDeposit =
    depositText === undefined ? defaults.expeditedMinDeposit : coinList(depositText, `${prefix}.expedited_min_deposit`);
  // As the SDK: refused only when no coin of it is above min_deposit's amount of its denom.
  const amountOf = (denom: string) => regular.minDeposit.find((c) => c.denom === denom)?.amount ?? 0n;
  if (depositText !== undefined && expeditedMinDeposit.every((c) => c.amount <= amountOf(c.denom)))
    throw refuse('expedited_min_deposit', `"${depositText}" must be more than min_deposit (${formatCoins(regular.minDeposit)})`);
  const cancelText = given('proposal_cancel_ratio');
  const proposalCancelRatio =
    cancelText === undefined ? defaults.proposalCancelRatio : ratio(cancelText, `${prefix}.proposal_cancel_ratio`, true);
  const proposalCancelDest = given('proposal_cancel_dest') ?? '';
  if (proposalCancelDest !== '') {
    try {
      parseAddress(proposalCancelDest, `${prefix}.proposal_cancel_dest`);
    } catch (error) {
      throw refuse(
        'proposal_cancel_dest',
        `"${proposalCancelDest}" must be empty (burn) or an account address: ${(error as Error).message}`,
      );
    }
  }
  const minDepositText = given('min_deposit_ratio');
  const minDepositRatio =
    minDepositText === undefined ? defaults.minDepositRatio : ratio(minDepositText, `${prefix}.min_deposit_ratio`, true);
  return { expeditedVotingPeriod, expeditedThreshold, expeditedMinDeposit, proposalCancelRatio, proposalCancelDest, minDepositRatio };
}

/**
 * Checked params from their text form: unknown names refused, each within its bounds.
 * @throws AinError gov/100 naming the field
 */
export function govParamsFromJson(json: GovParamsJson | undefined, prefix = 'gov.params'): GovParams {
  const defaults = govParamsToJson(defaultGovParams());
  if (json !== undefined && (typeof json !== 'object' || json === null || Array.isArray(json)))
    throw ainError(ErrInvalidParams, `${prefix} must be an object`);
  for (const name of Object.keys(json ?? {}))
    if (!NAMES.includes(name as ParamName))
      throw ainError(ErrInvalidParams, `${prefix}.${name} is not a param; expected ${NAMES.join(', ')}`, { field: name });
  const text = (name: ParamName): string => {
    const value = json?.[name] ?? defaults[name]!;
    if (typeof value !== 'string') throw ainError(ErrInvalidParams, `${prefix}.${name} must be a string`, { field: name });
    return value;
  };
  const regular = {
    minDeposit: coinList(text('min_deposit'), `${prefix}.min_deposit`),
    maxDepositPeriod: seconds(text('max_deposit_period'), `${prefix}.max_deposit_period`),
    votingPeriod: seconds(text('voting_period'), `${prefix}.voting_period`),
    quorum: ratio(text('quorum'), `${prefix}.quorum`, false),
    threshold: ratio(text('threshold'), `${prefix}.threshold`, false),
    vetoThreshold: ratio(text('veto_threshold'), `${prefix}.veto_threshold`, false),
    minInitialDepositRatio: ratio(text('min_initial_deposit_ratio'), `${prefix}.min_initial_deposit_ratio`, true),
    burnVoteQuorum: flag(text('burn_vote_quorum'), `${prefix}.burn_vote_quorum`),
    burnProposalDepositPrevote: flag(text('burn_proposal_deposit_prevote'), `${prefix}.burn_proposal_deposit_prevote`),
    burnVoteVeto: flag(text('burn_vote_veto'), `${prefix}.burn_vote_veto`),
  };
  return { ...regular, ...expeditedFromJson(json, regular, prefix) };
}

export function govParamsToJson(params: GovParams): Required<GovParamsJson> {
  return {
    min_deposit: formatCoins(params.minDeposit),
    max_deposit_period: params.maxDepositPeriod.toString(),
    voting_period: params.votingPeriod.toString(),
    quorum: decToText(params.quorum),
    threshold: decToText(params.threshold),
    veto_threshold: decToText(params.vetoThreshold),
    min_initial_deposit_ratio: decToText(params.minInitialDepositRatio),
    burn_vote_quorum: String(params.burnVoteQuorum),
    burn_proposal_deposit_prevote: String(params.burnProposalDepositPrevote),
    burn_vote_veto: String(params.burnVoteVeto),
    expedited_voting_period: params.expeditedVotingPeriod.toString(),
    expedited_threshold: decToText(params.expeditedThreshold),
    expedited_min_deposit: formatCoins(params.expeditedMinDeposit),
    proposal_cancel_ratio: decToText(params.proposalCancelRatio),
    proposal_cancel_dest: params.proposalCancelDest,
    min_deposit_ratio: decToText(params.minDepositRatio),
  };
}

/**
 * Writes params at `/params/gov/<name>`: of the first ten, those named (all of them for a
 * MsgUpdateParams); of the SDK v0.50 ones, those that differ from their defaults
 * (a stored one now equal to its default is removed), so the state of a chain that never changed
 * them holds the same leaves as before they existed.
 */
export function writeGovParams(state: WritableState, json: GovParamsJson): void {
  const parsed = govParamsFromJson(json);
  const params = govParamsToJson(parsed);
  const defaults = govParamsToJson({ ...parsed, ...expeditedDefaults(parsed) });
  for (const name of NAMES) {
    if (!EXPEDITED_NAMES.includes(name as ExpeditedName)) {
      if (json[name] !== undefined) state.set(paramPath(name), json[name]);
    } else if (params[name] !== defaults[name]) state.set(paramPath(name), params[name]);
    else if (state.get(paramPath(name)) !== undefined) state.set(paramPath(name), null);
  }
}

/** The params in force: the stored ones over the defaults. */
export function readGovParams(state: ReadableState): GovParams {
  const stored = state.list(PARAMS_ROOT, NAMES.length + 1);
  if (stored.length === 0) return defaultGovParams();
  const json: Record<string, string> = {};
  for (const [path, value] of stored) if (typeof value === 'string') json[path.slice(PARAMS_ROOT.length + 1)] = value;
  return govParamsFromJson(json as GovParamsJson);
}

const duration = (secondsValue: bigint) => ({ seconds: secondsValue, nanos: 0 });

/** The params as `cosmos.gov.v1.Params` (decimals as the SDK's Dec text, "0.334000000000000000"). */
export function govParamsToProto(params: GovParams): ParamsV1 {
  return {
    minDeposit: coinsToProto(params.minDeposit),
    maxDepositPeriod: duration(params.maxDepositPeriod),
    votingPeriod: duration(params.votingPeriod),
    quorum: decToFixed18(params.quorum),
    threshold: decToFixed18(params.threshold),
    vetoThreshold: decToFixed18(params.vetoThreshold),
    minInitialDepositRatio: decToFixed18(params.minInitialDepositRatio),
    proposalCancelRatio: decToFixed18(params.proposalCancelRatio),
    proposalCancelDest: params.proposalCancelDest,
    expeditedVotingPeriod: duration(params.expeditedVotingPeriod),
    expeditedThreshold: decToFixed18(params.expeditedThreshold),
    expeditedMinDeposit: coinsToProto(params.expeditedMinDeposit),
    burnVoteQuorum: params.burnVoteQuorum,
    burnProposalDepositPrevote: params.burnProposalDepositPrevote,
    burnVoteVeto: params.burnVoteVeto,
    minDepositRatio: decToFixed18(params.minDepositRatio),
  };
}

/**
 * The params of a `cosmos.gov.v1.MsgUpdateParams`. A client built before SDK v0.50 leaves the
 * expedited, cancellation and `min_deposit_ratio` fields unset (a zero duration, empty text or
 * coins): those take their defaults.
 * @throws AinError gov/100 naming the field
 */
export function govParamsFromProto(proto: ParamsV1): GovParams {
  const period = (d: { seconds: bigint; nanos: number } | undefined, field: string) => {
    if (d?.nanos !== 0) throw ainError(ErrInvalidParams, `${field} must be whole seconds`, { field });
    return d.seconds.toString();
  };
  const coinsText = (coins: ParamsV1['minDeposit'], field: string) => {
    try {
      return formatCoins(coinsFromProto(coins, field));
    } catch (error) {
      throw ainError(ErrInvalidParams, (error as Error).message, { field });
    }
  };
  const expedited = proto.expeditedVotingPeriod;
  const unsetPeriod = expedited === undefined || (expedited.seconds === 0n && expedited.nanos === 0);
  return govParamsFromJson(
    {
      min_deposit: coinsText(proto.minDeposit, 'params.min_deposit'),
      max_deposit_period: period(proto.maxDepositPeriod, 'params.max_deposit_period'),
      voting_period: period(proto.votingPeriod, 'params.voting_period'),
      quorum: proto.quorum,
      threshold: proto.threshold,
      veto_threshold: proto.vetoThreshold,
      min_initial_deposit_ratio: proto.minInitialDepositRatio === '' ? '0' : proto.minInitialDepositRatio,
      burn_vote_quorum: String(proto.burnVoteQuorum),
      burn_proposal_deposit_prevote: String(proto.burnProposalDepositPrevote),
      burn_vote_veto: String(proto.burnVoteVeto),
      ...(unsetPeriod ? {} : { expedited_voting_period: period(expedited, 'params.expedited_voting_period') }),
      ...(proto.expeditedThreshold === '' ? {} : { expedited_threshold: proto.expeditedThreshold }),
      ...(proto.expeditedMinDeposit.length === 0
        ? {}
        : { expedited_min_deposit: coinsText(proto.expeditedMinDeposit, 'params.expedited_min_deposit') }),
      ...(proto.proposalCancelRatio === '' ? {} : { proposal_cancel_ratio: proto.proposalCancelRatio }),
      ...(proto.proposalCancelDest === '' ? {} : { proposal_cancel_dest: proto.proposalCancelDest }),
      ...(proto.minDepositRatio === '' ? {} : { min_deposit_ratio: proto.minDepositRatio }),
    },
    'params',
  );
}

/** The distribution module's account: a cancellation destination that funds the community pool. */
export const COMMUNITY_POOL_ADDRESS = moduleAddress('distribution');
