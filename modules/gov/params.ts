/**
 * The gov module's params, as the Cosmos SDK's x/gov v1 `Params` (expedited proposals and
 * cancellation are not offered: their fields read as zero and are refused when set). A chain whose
 * genesis sets none stores none and uses the defaults, so adding the module changed no existing
 * chain's state; a `MsgUpdateParams` passed by governance stores them all.
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
  | 'burn_vote_veto';

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
];
/** Longest deposit or voting period: one year of seconds. */
export const MAX_PERIOD_SECONDS = 366n * 86_400n;

export function defaultGovParams(): GovParams {
  return {
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
  let minDeposit: Coin[];
  try {
    minDeposit = parseCoins(text('min_deposit'), `${prefix}.min_deposit`);
  } catch (error) {
    throw ainError(ErrInvalidParams, `${prefix}.min_deposit "${text('min_deposit')}": ${(error as Error).message}`, {
      field: 'min_deposit',
    });
  }
  return {
    minDeposit,
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
  };
}

/** Writes the named params (only those; all of them for a MsgUpdateParams) at `/params/gov/<name>`. */
export function writeGovParams(state: WritableState, json: GovParamsJson): void {
  govParamsFromJson(json);
  for (const name of NAMES) if (json[name] !== undefined) state.set(paramPath(name), json[name]);
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
const ZERO = decToFixed18(0n);

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
    proposalCancelRatio: ZERO,
    proposalCancelDest: '',
    expeditedVotingPeriod: duration(0n),
    expeditedThreshold: ZERO,
    expeditedMinDeposit: [],
    burnVoteQuorum: params.burnVoteQuorum,
    burnProposalDepositPrevote: params.burnProposalDepositPrevote,
    burnVoteVeto: params.burnVoteVeto,
    minDepositRatio: ZERO,
  };
}

const isZeroDec = (text: string) => text === '' || /^0(\.0*)?$/.test(text);

/**
 * The params of a `cosmos.gov.v1.MsgUpdateParams`; the expedited and cancellation fields must be
 * left zero (this chain has neither).
 * @throws AinError gov/100 naming the field
 */
export function govParamsFromProto(proto: ParamsV1): GovParams {
  const unsupported: Array<[string, boolean]> = [
    ['params.proposal_cancel_ratio', !isZeroDec(proto.proposalCancelRatio)],
    ['params.proposal_cancel_dest', proto.proposalCancelDest !== ''],
    ['params.expedited_voting_period', (proto.expeditedVotingPeriod?.seconds ?? 0n) !== 0n],
    ['params.expedited_threshold', !isZeroDec(proto.expeditedThreshold)],
    ['params.expedited_min_deposit', proto.expeditedMinDeposit.length > 0],
    ['params.min_deposit_ratio', !isZeroDec(proto.minDepositRatio)],
  ];
  for (const [field, set] of unsupported)
    if (set) throw ainError(ErrInvalidParams, `${field} must be empty: this chain has no expedited or cancelled proposals`, { field });
  const period = (d: { seconds: bigint; nanos: number } | undefined, field: string) => {
    if (d?.nanos !== 0) throw ainError(ErrInvalidParams, `${field} must be whole seconds`, { field });
    return d.seconds.toString();
  };
  let minDeposit: Coin[];
  try {
    minDeposit = coinsFromProto(proto.minDeposit, 'params.min_deposit');
  } catch (error) {
    throw ainError(ErrInvalidParams, (error as Error).message, { field: 'params.min_deposit' });
  }
  return govParamsFromJson(
    {
      min_deposit: formatCoins(minDeposit),
      max_deposit_period: period(proto.maxDepositPeriod, 'params.max_deposit_period'),
      voting_period: period(proto.votingPeriod, 'params.voting_period'),
      quorum: proto.quorum,
      threshold: proto.threshold,
      veto_threshold: proto.vetoThreshold,
      min_initial_deposit_ratio: proto.minInitialDepositRatio === '' ? '0' : proto.minInitialDepositRatio,
      burn_vote_quorum: String(proto.burnVoteQuorum),
      burn_proposal_deposit_prevote: String(proto.burnProposalDepositPrevote),
      burn_vote_veto: String(proto.burnVoteVeto),
    },
    'params',
  );
}
