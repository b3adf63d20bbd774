import type { Params as ParamsProto } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { ainError, ErrInvalidRequest, DEC_ONE, decFromAtomics, decFromText, decToText } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';
import { MAX_UNBONDING_SECONDS, parseSeconds } from '../staking/index.ts';
import { PARAMS_ROOT } from './keys.ts';

/** Largest signed-blocks window accepted (the missed-block bitmap holds at most this many leaves per validator). */
export const MAX_SIGNED_BLOCKS_WINDOW = 100_000n;

export interface SlashingParams {
  /** Blocks in the liveness window. */
  readonly signedBlocksWindow: bigint;
  /** Share of the window a validator must sign (atomics); missing more than window - floor(window x this) jails it. */
  readonly minSignedPerWindow: bigint;
  /** Seconds (block time) a validator jailed for downtime stays jailed. */
  readonly downtimeJailDuration: bigint;
  /** Share of the stake burned for a double sign (atomics); the validator is also tombstoned. */
  readonly slashFractionDoubleSign: bigint;
  /** Share of the stake burned for downtime (atomics). */
  readonly slashFractionDowntime: bigint;
}

/** `app_state.slashing.params` as JSON: decimals as "0.05", durations as seconds "600". */
export interface SlashingParamsJson {
  signed_blocks_window: string;
  min_signed_per_window: string;
  downtime_jail_duration: string;
  slash_fraction_double_sign: string;
  slash_fraction_downtime: string;
}

export function defaultSlashingParams(): SlashingParamsJson {
  return {
    signed_blocks_window: '100',
    min_signed_per_window: '0.5',
    downtime_jail_duration: '600',
    slash_fraction_double_sign: '0.05',
    slash_fraction_downtime: '0.0001',
  };
}

function fraction(text: unknown, field: string): bigint {
  const value = decFromText(String(text), field);
  if (value > DEC_ONE) throw ainError(ErrInvalidRequest, `${field} must be at most 1`);
  return value;
}

export function slashingParamsFromJson(json: SlashingParamsJson): SlashingParams {
  if (json === null || typeof json !== 'object') throw ainError(ErrInvalidRequest, 'slashing.params must be an object');
  const window = String(json.signed_blocks_window);
  if (!/^[0-9]{1,7}$/.test(window) || BigInt(window) < 1n || BigInt(window) > MAX_SIGNED_BLOCKS_WINDOW) {
    throw ainError(
      ErrInvalidRequest,
      `slashing.params.signed_blocks_window "${window}" must be an integer in [1, ${MAX_SIGNED_BLOCKS_WINDOW}]`,
    );
  }
  const slashFractionDoubleSign = fraction(json.slash_fraction_double_sign, 'slashing.params.slash_fraction_double_sign');
  const slashFractionDowntime = fraction(json.slash_fraction_downtime, 'slashing.params.slash_fraction_downtime');
  if (slashFractionDoubleSign === DEC_ONE || slashFractionDowntime === DEC_ONE) {
    throw ainError(ErrInvalidRequest, 'slashing.params slash fractions must be below 1 (a validator must keep some tokens)');
  }
  return {
    signedBlocksWindow: BigInt(window),
    minSignedPerWindow: fraction(json.min_signed_per_window, 'slashing.params.min_signed_per_window'),
    downtimeJailDuration: parseSeconds(json.downtime_jail_duration, 'slashing.params.downtime_jail_duration', 0n, MAX_UNBONDING_SECONDS),
    slashFractionDoubleSign,
    slashFractionDowntime,
  };
}

export function slashingParamsToJson(params: SlashingParams): SlashingParamsJson {
  return {
    signed_blocks_window: params.signedBlocksWindow.toString(),
    min_signed_per_window: decToText(params.minSignedPerWindow),
    downtime_jail_duration: params.downtimeJailDuration.toString(),
    slash_fraction_double_sign: decToText(params.slashFractionDoubleSign),
    slash_fraction_downtime: decToText(params.slashFractionDowntime),
  };
}

export function writeSlashingParams(state: WritableState, params: SlashingParams): void {
  for (const [name, value] of Object.entries(slashingParamsToJson(params))) state.set(`${PARAMS_ROOT}/${name}`, value);
}

export function readSlashingParams(state: ReadableState): SlashingParams {
  const read = (name: keyof SlashingParamsJson): string => {
    const value = state.get(`${PARAMS_ROOT}/${name}`);
    if (typeof value !== 'string') throw new Error(`state invariant broken: ${PARAMS_ROOT}/${name} is missing`);
    return value;
  };
  return slashingParamsFromJson({
    signed_blocks_window: read('signed_blocks_window'),
    min_signed_per_window: read('min_signed_per_window'),
    downtime_jail_duration: read('downtime_jail_duration'),
    slash_fraction_double_sign: read('slash_fraction_double_sign'),
    slash_fraction_downtime: read('slash_fraction_downtime'),
  });
}

/**
 * The params of a `cosmos.slashing.v1beta1.MsgUpdateParams` (governance), checked as genesis params;
 * the SDK sends the LegacyDec fields as the ASCII of their atomics.
 * @throws AinError sdk/18 naming the field
 */
export function slashingParamsFromProto(proto: ParamsProto): SlashingParams {
  const dec = (bytes: Uint8Array, field: string) => decToText(decFromAtomics(new TextDecoder().decode(bytes), field));
  const jail = proto.downtimeJailDuration;
  if (jail === undefined || jail.nanos !== 0)
    throw ainError(ErrInvalidRequest, 'params.downtime_jail_duration must be a whole number of seconds', {
      field: 'params.downtime_jail_duration',
    });
  return slashingParamsFromJson({
    signed_blocks_window: proto.signedBlocksWindow.toString(),
    min_signed_per_window: dec(proto.minSignedPerWindow, 'params.min_signed_per_window'),
    downtime_jail_duration: jail.seconds.toString(),
    slash_fraction_double_sign: dec(proto.slashFractionDoubleSign, 'params.slash_fraction_double_sign'),
    slash_fraction_downtime: dec(proto.slashFractionDowntime, 'params.slash_fraction_downtime'),
  });
}
