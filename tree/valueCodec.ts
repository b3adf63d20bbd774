/**
 * The canonical byte encoding of a leaf value, used both to persist it and to hash it
 * (valueHash = sha256(encodeValue(v))). The first byte is the type, so 1, "1" and true differ:
 *
 *   string  : 0x01 || UTF-8 bytes            ("1"   -> 01 31)
 *   number  : 0x02 || IEEE-754 binary64, big-endian, with -0 written as +0
 *                                            (1     -> 02 3f f0 00 00 00 00 00 00)
 *   boolean : 0x03 || 0x00 (false) or 0x01 (true)
 *                                            (true  -> 03 01)
 *
 * Numbers must be finite (NaN and +-Infinity are refused). The encoding copies the exact 64 bits of
 * the number: no arithmetic, no decimal formatting, so every platform produces the same bytes.
 * Strings must be well-formed UTF-16 (a lone surrogate would not survive UTF-8 and is refused), and
 * decoded string bytes well-formed UTF-8.
 */
import { ainError } from '../core/index.ts';
import { ErrInvalidValue } from './errors.ts';
import { sha256 } from './hash.ts';
import type { StateValue } from '../core/index.ts';

export const VALUE_TAG_STRING = 0x01;
export const VALUE_TAG_NUMBER = 0x02;
export const VALUE_TAG_BOOLEAN = 0x03;

const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Strict UTF-8: bytes from outside (a peer's snapshot, a damaged store) that are not well-formed
 * UTF-8 are refused, not replaced by U+FFFD (which would re-encode to other bytes). A leading BOM is
 * a character of the value, kept.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks that `value` is a state value and returns it normalised (-0 becomes 0).
 * @throws AinError ErrInvalidValue (store/6)
 * @example checkValue(-0) // 0
 */
export function checkValue(value: unknown): StateValue {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw ainError(ErrInvalidValue, 'string with a lone surrogate');
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw ainError(ErrInvalidValue, `number ${String(value)} is not finite`);
      return value === 0 ? 0 : value;
    case 'boolean':
      return value;
    default:
      throw ainError(ErrInvalidValue, `a value is a string, number or boolean, not ${value === null ? 'null' : typeof value}`);
  }
}

/**
 * The canonical bytes of a value.
 * @throws AinError ErrInvalidValue when `value` is not a valid state value
 * @example encodeValue(true) // Uint8Array [0x03, 0x01]
 */
export function encodeValue(value: StateValue): Uint8Array {
  const v = checkValue(value);
  if (typeof v === 'string') {
    const length = Buffer.byteLength(v, 'utf8');
    const out = Buffer.allocUnsafe(1 + length);
    out[0] = VALUE_TAG_STRING;
    out.write(v, 1, 'utf8');
    return out;
  }
  if (typeof v === 'number') {
    const out = new Uint8Array(9);
    out[0] = VALUE_TAG_NUMBER;
    new DataView(out.buffer).setFloat64(1, v, false);
    return out;
  }
  return Uint8Array.of(VALUE_TAG_BOOLEAN, v ? 1 : 0);
}

/**
 * The value of canonical bytes made by {@link encodeValue}.
 * @throws AinError ErrInvalidValue when the bytes are not a canonical encoding
 */
export function decodeValue(bytes: Uint8Array): StateValue {
  switch (bytes[0]) {
    case VALUE_TAG_STRING:
      try {
        return UTF8.decode(bytes.subarray(1));
      } catch {
        throw ainError(ErrInvalidValue, `not a canonical value encoding (${bytes.length} bytes, tag 1, a string not well-formed UTF-8)`);
      }
    case VALUE_TAG_NUMBER: {
      if (bytes.length !== 9) break;
      const v = new DataView(bytes.buffer, bytes.byteOffset, 9).getFloat64(1, false);
      if (!Number.isFinite(v) || Object.is(v, -0)) break;
      return v;
    }
    case VALUE_TAG_BOOLEAN:
      if (bytes.length !== 2 || (bytes[1] !== 0 && bytes[1] !== 1)) break;
      return bytes[1] === 1;
    default:
      break;
  }
  throw ainError(ErrInvalidValue, `not a canonical value encoding (${bytes.length} bytes, tag ${String(bytes[0])})`);
}

/** sha256 of the canonical encoding: the value's contribution to its leaf hash. */
export function valueHash(value: StateValue): Uint8Array {
  return sha256(encodeValue(value));
}
