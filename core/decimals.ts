/**
 * Fixed-point decimals with 18 fraction digits (the SDK's LegacyDec), as bigint "atomics" (value x 10^18).
 * Text forms: genesis and the CLI write "0.10"; the protobuf wire carries the atomics as decimal text
 * ("100000000000000000"), as the SDK's Dec marshals; REST prints 18 fraction digits ("0.100000000000000000").
 * Rounding: every product and quotient truncates toward zero (all operands are non-negative).
 */
import { type ErrorDefinition, ainError, ErrInvalidRequest } from './errors.ts';

/** 10^18: a decimal's atomics per unit. */
export const DEC_SCALE = 10n ** 18n;
/** 1.0 */
export const DEC_ONE = DEC_SCALE;
/** Most digits accepted in an atomics string (2^256 x 10^18 has 96). */
const MAX_ATOMICS_DIGITS = 100;

/** Parses decimal text ("0.10", at most 18 fraction digits) into atomics; `sdk/18` naming the field otherwise. */
export function decFromText(text: string, field: string): bigint {
  const match = /^([0-9]{1,30})(?:\.([0-9]{1,18}))?$/.exec(text);
  if (!match) throw ainError(ErrInvalidRequest, `${field} "${text}" is not a decimal with at most 18 fraction digits`);
  const fraction = (match[2] ?? '').padEnd(18, '0');
  return BigInt(match[1]!) * DEC_SCALE + BigInt(fraction);
}

/**
 * "0.1" for 10^17 atomics (trailing zeros dropped): the form genesis and the CLI write. A negative
 * prints as its magnitude after a minus ("-0.5"), which {@link decFromText} refuses (no sign where
 * decimal text is read).
 */
export function decToText(atomics: bigint): string {
  // The fixed form always has a point: drop its trailing zeros, and the point when nothing follows it.
  return decToFixed18(atomics).replace(/\.?0+$/, '');
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
