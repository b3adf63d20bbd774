/**
 * Fixed-point decimals with 18 fraction digits (the SDK's LegacyDec), as bigint "atomics" (value x 10^18).
 * Text forms: genesis and the CLI write "0.10"; the protobuf wire carries the atomics as decimal text
 * ("100000000000000000"), as the SDK's Dec marshals; REST prints 18 fraction digits ("0.100000000000000000").
 * Rounding: every product and quotient truncates toward zero (all operands are non-negative).
 */
import { type ErrorDefinition, ainError, ErrInvalidRequest } from './errors.ts';
import { DEC_SCALE, formatDecimal, parseDecimal } from '../modules/auth/params.ts';

export { DEC_SCALE };
/** 1.0 */
export const DEC_ONE = DEC_SCALE;
/** Most digits accepted in an atomics string (2^256 x 10^18 has 96). */
const MAX_ATOMICS_DIGITS = 100;

/** Parses decimal text ("0.10", at most 18 fraction digits) into atomics; `sdk/18` naming the field otherwise. */
export function decFromText(text: string, field: string): bigint {
  return parseDecimal(text, field);
}

/** "0.1" for 10^17 atomics (trailing zeros dropped): the form genesis and the CLI write. */
export function decToText(atomics: bigint): string {
  return formatDecimal(atomics);
}

/** "0.100000000000000000": the SDK's LegacyDec String(), as its REST gateway prints. */
export function decToFixed18(atomics: bigint): string {
  const sign = atomics < 0n ? '-' : '';
  const abs = atomics < 0n ? -atomics : atomics;
  return `${sign}${abs / DEC_SCALE}.${(abs % DEC_SCALE).toString().padStart(18, '0')}`;
}

/**
 * Parses the protobuf form of a LegacyDec (atomics as decimal text, no sign, no point).
 * @throws AinError `error` (default sdk/18) naming the field
 */
export function decFromAtomics(text: string, field: string, error: ErrorDefinition = ErrInvalidRequest): bigint {
  if (typeof text !== 'string' || !new RegExp(`^(0|[1-9][0-9]{0,${MAX_ATOMICS_DIGITS - 1}})$`).test(text)) {
    throw ainError(
      error,
      `${field} "${String(text)}" is not a decimal in protobuf form (value x 10^18 as an integer, e.g. 100000000000000000 for 0.1)`,
    );
  }
  return BigInt(text);
}

/** The protobuf form of a LegacyDec: atomics as decimal text. */
export function decToAtomics(atomics: bigint): string {
  return atomics.toString();
}

/** amount x dec, truncated: e.g. a slash of `fraction` of `tokens`. */
export function mulDecTruncate(amount: bigint, dec: bigint): bigint {
  return (amount * dec) / DEC_SCALE;
}
