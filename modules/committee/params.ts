/**
 * The committee module's params: `voting_period`, the seconds (block time) a proposal stays open.
 * Stored only when genesis or a MsgUpdateParams sets them; until then the default applies, so a chain
 * whose genesis sets none stores nothing.
 */
import { ainError, type ReadableState, type WritableState } from '../../core/index.ts';
import type { Params as ParamsProto } from '../../proto/gen/ain/committee/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';
import { paramPath } from './keys.ts';

export interface CommitteeParams {
  /** Seconds (block time) a proposal stays open before it expires. */
  readonly votingPeriod: bigint;
}

/** `app_state.committee.params`: text values, as the other modules' params. */
export interface CommitteeParamsJson {
  readonly voting_period?: string;
}

/** Longest voting period: one year of seconds. */
export const MAX_VOTING_PERIOD = 366n * 86_400n;

export function defaultCommitteeParams(): CommitteeParams {
  return { votingPeriod: 7n * 86_400n };
}

function checkPeriod(value: bigint, field: string): bigint {
  if (value < 1n || value > MAX_VOTING_PERIOD)
    throw ainError(ErrInvalidParams, `${field} ${value} must be in [1, ${MAX_VOTING_PERIOD}] seconds`, { field });
  return value;
}

/** @throws AinError committee/7 naming the field */
export function committeeParamsFromJson(json: CommitteeParamsJson | undefined, prefix = 'committee.params'): CommitteeParams {
  if (json === undefined) return defaultCommitteeParams();
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw ainError(ErrInvalidParams, `${prefix} must be an object`, { field: prefix });
  for (const name of Object.keys(json))
    if (name !== 'voting_period')
      throw ainError(ErrInvalidParams, `${prefix}.${name} is not a param; expected voting_period`, { field: `${prefix}.${name}` });
  const text = json.voting_period ?? defaultCommitteeParams().votingPeriod.toString();
  if (typeof text !== 'string' || !/^[0-9]{1,20}$/.test(text))
    throw ainError(ErrInvalidParams, `${prefix}.voting_period must be seconds as decimal text`, { field: `${prefix}.voting_period` });
  return { votingPeriod: checkPeriod(BigInt(text), `${prefix}.voting_period`) };
}

/** The params of a MsgUpdateParams. @throws AinError committee/7 naming the field */
export function committeeParamsFromProto(proto: ParamsProto | undefined): CommitteeParams {
  if (!proto) throw ainError(ErrInvalidParams, 'params is missing', { field: 'params' });
  return { votingPeriod: checkPeriod(proto.votingPeriod, 'params.voting_period') };
}

export const committeeParamsToJson = (params: CommitteeParams): Required<CommitteeParamsJson> => ({
  voting_period: params.votingPeriod.toString(),
});

export function writeCommitteeParams(state: WritableState, params: CommitteeParams): void {
  state.set(paramPath('voting_period'), params.votingPeriod.toString());
}

/** The stored params, or the defaults. */
export function readCommitteeParams(state: ReadableState): CommitteeParams {
  const stored = state.get(paramPath('voting_period'));
  return typeof stored === 'string' ? { votingPeriod: BigInt(stored) } : defaultCommitteeParams();
}
