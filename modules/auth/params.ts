import type { Params as ParamsProto } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { ainError, ErrInvalidRequest, validateDenom, DEC_SCALE, decFromText, decToText } from '../../core/index.ts';
import type { ReadableState, WritableState } from '../../core/index.ts';

export interface GasPrice {
  readonly denom: string;
  /** Price per unit of gas times 10^18. */
  readonly scaled: bigint;
}

/** `app_state.auth.params` as JSON (the Cosmos SDK's shape: integers as strings). */
export interface AuthParamsJson {
  max_memo_characters: string;
  tx_sig_limit: string;
  tx_size_cost_per_byte: string;
  sig_verify_cost_secp256k1: string;
  /** Largest accepted tx in bytes. */
  max_tx_bytes: string;
  /** Fee floor: fee >= gas limit x price, per listed denom (decimal prices, e.g. "0.025"). */
  min_gas_prices: { denom: string; amount: string }[];
}

export interface AuthParams {
  readonly maxMemoCharacters: number;
  readonly txSigLimit: number;
  readonly txSizeCostPerByte: number;
  readonly sigVerifyCostSecp256k1: number;
  readonly maxTxBytes: number;
  readonly minGasPrices: readonly GasPrice[];
}

const PARAMS_ROOT = '/params/auth';
const MAX_GAS_PRICE_DENOMS = 16;

function parseCount(text: string, field: string, min: number, max: number): number {
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw ainError(ErrInvalidRequest, `${field} "${text}" must be an integer in [${min}, ${max}]`);
  }
  return Number(text);
}

export function authParamsFromJson(json: AuthParamsJson): AuthParams {
  if (typeof json !== 'object' || json === null) throw ainError(ErrInvalidRequest, 'auth.params must be an object');
  if (!Array.isArray(json.min_gas_prices))
    throw ainError(ErrInvalidRequest, 'auth.params.min_gas_prices must be a list of {"denom", "amount"}');
  if (json.min_gas_prices.length > MAX_GAS_PRICE_DENOMS) {
    throw ainError(
      ErrInvalidRequest,
      `auth.params.min_gas_prices has ${json.min_gas_prices.length} entries; at most ${MAX_GAS_PRICE_DENOMS}`,
    );
  }
  const minGasPrices = json.min_gas_prices.map((price) => {
    if (typeof price !== 'object' || price === null)
      throw ainError(ErrInvalidRequest, 'auth.params.min_gas_prices entries must be {"denom", "amount"}');
    validateDenom(price.denom, 'auth.params.min_gas_prices denom');
    return { denom: price.denom, scaled: decFromText(price.amount, `auth.params.min_gas_prices ${price.denom}`) };
  });
  return {
    maxMemoCharacters: parseCount(json.max_memo_characters, 'auth.params.max_memo_characters', 0, 65536),
    txSigLimit: parseCount(json.tx_sig_limit, 'auth.params.tx_sig_limit', 1, 16),
    txSizeCostPerByte: parseCount(json.tx_size_cost_per_byte, 'auth.params.tx_size_cost_per_byte', 0, 1_000_000),
    sigVerifyCostSecp256k1: parseCount(json.sig_verify_cost_secp256k1, 'auth.params.sig_verify_cost_secp256k1', 0, 10_000_000),
    maxTxBytes: parseCount(json.max_tx_bytes, 'auth.params.max_tx_bytes', 256, 1 << 20),
    minGasPrices,
  };
}

export function authParamsToJson(params: AuthParams): AuthParamsJson {
  return {
    max_memo_characters: String(params.maxMemoCharacters),
    tx_sig_limit: String(params.txSigLimit),
    tx_size_cost_per_byte: String(params.txSizeCostPerByte),
    sig_verify_cost_secp256k1: String(params.sigVerifyCostSecp256k1),
    max_tx_bytes: String(params.maxTxBytes),
    min_gas_prices: params.minGasPrices.map((p) => ({ denom: p.denom, amount: decToText(p.scaled) })),
  };
}

/** Params live in the tree as `/params/auth/<name>` strings, so they are part of the app hash. */
export function writeAuthParams(state: WritableState, params: AuthParams): void {
  const json = authParamsToJson(params);
  state.set(`${PARAMS_ROOT}/max_memo_characters`, json.max_memo_characters);
  state.set(`${PARAMS_ROOT}/tx_sig_limit`, json.tx_sig_limit);
  state.set(`${PARAMS_ROOT}/tx_size_cost_per_byte`, json.tx_size_cost_per_byte);
  state.set(`${PARAMS_ROOT}/sig_verify_cost_secp256k1`, json.sig_verify_cost_secp256k1);
  state.set(`${PARAMS_ROOT}/max_tx_bytes`, json.max_tx_bytes);
  state.set(`${PARAMS_ROOT}/min_gas_prices`, json.min_gas_prices.map((p) => `${p.amount}${p.denom}`).join(','));
}

export function readAuthParams(state: ReadableState): AuthParams {
  const read = (name: string): string => {
    const value = state.get(`${PARAMS_ROOT}/${name}`);
    if (typeof value !== 'string') throw new Error(`state invariant broken: ${PARAMS_ROOT}/${name} is missing`);
    return value;
  };
  const prices = read('min_gas_prices');
  return authParamsFromJson({
    max_memo_characters: read('max_memo_characters'),
    tx_sig_limit: read('tx_sig_limit'),
    tx_size_cost_per_byte: read('tx_size_cost_per_byte'),
    sig_verify_cost_secp256k1: read('sig_verify_cost_secp256k1'),
    max_tx_bytes: read('max_tx_bytes'),
    min_gas_prices:
      prices === ''
        ? []
        : prices.split(',').map((entry) => {
            const match = /^([0-9.]+)(.+)$/.exec(entry);
            if (!match) throw new Error(`state invariant broken: bad min gas price "${entry}"`);
            return { amount: match[1]!, denom: match[2]! };
          }),
  });
}

/** Fee in `denom` needed for `gasLimit` at the minimum price, rounded up; undefined if the denom is not accepted. */
export function requiredFee(params: AuthParams, denom: string, gasLimit: bigint): bigint | undefined {
  const price = params.minGasPrices.find((p) => p.denom === denom);
  if (!price) return undefined;
  return (gasLimit * price.scaled + DEC_SCALE - 1n) / DEC_SCALE;
}

/**
 * The params of a `cosmos.auth.v1beta1.MsgUpdateParams` (governance): the SDK's four fields this chain
 * uses, checked as in genesis; `max_tx_bytes` and `min_gas_prices` (not in the SDK's message) stay as
 * they are, and `sig_verify_cost_ed25519` is not used (accounts are secp256k1).
 * @throws AinError sdk/18 naming the field
 */
export function authParamsFromProto(proto: ParamsProto, current: AuthParams): AuthParams {
  return authParamsFromJson({
    ...authParamsToJson(current),
    max_memo_characters: proto.maxMemoCharacters.toString(),
    tx_sig_limit: proto.txSigLimit.toString(),
    tx_size_cost_per_byte: proto.txSizeCostPerByte.toString(),
    sig_verify_cost_secp256k1: proto.sigVerifyCostSecp256k1.toString(),
  });
}
