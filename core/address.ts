import { createHash } from 'node:crypto';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { ainError, ErrInvalidAddress } from './errors.ts';
import { RecentResults, bytesKey } from './recentResults.ts';

/** Bech32 prefix of account addresses, as in `ain1...`. */
export const ADDRESS_PREFIX = 'ain';
/** Addresses are 20 bytes: ripemd160(sha256(compressed secp256k1 public key)). */
export const ADDRESS_BYTES = 20;
/** Longest bech32 address we accept (bech32's own limit is 90). */
const MAX_ADDRESS_CHARS = 90;

/**
 * The conversions below for the keys and addresses seen lately: every tx converts its signer's key
 * and parses several addresses (about 10 us of hashing and bech32 per tx otherwise).
 */
const addressOfKey = new RecentResults<string>(8192);
const bytesOfAddress = new RecentResults<{ readonly prefix: string; readonly data: Uint8Array }>(8192);

/**
 * The account address of a 33-byte compressed secp256k1 public key.
 * @example pubkeyToAddress(pubkey) // 'ain1...'
 */
export function pubkeyToAddress(compressedPubkey: Uint8Array): string {
  const key = bytesKey(compressedPubkey);
  const known = addressOfKey.get(key);
  if (known !== undefined) return known;
  const sha = createHash('sha256').update(compressedPubkey).digest();
  const ripemd = createHash('ripemd160').update(sha).digest();
  return addressOfKey.remember(key, toBech32(ADDRESS_PREFIX, ripemd));
}

/**
 * Checks that `address` is an `ain1...` bech32 address of 20 bytes (or another `prefix`, e.g. a
 * validator's `ainvaloper1...`) and returns its bytes. Throws `sdk/7 invalid address` naming the field otherwise.
 */
export function parseAddress(address: string, field = 'address', prefix = ADDRESS_PREFIX): Uint8Array {
  // Only valid addresses are remembered (a copy each time: callers own the bytes); a bad one is parsed
  // again so that its error names the caller's field.
  const known = typeof address === 'string' ? bytesOfAddress.get(address) : undefined;
  if (known !== undefined && known.prefix === prefix) return known.data.slice();
  if (typeof address !== 'string' || address.length === 0) {
    throw ainError(ErrInvalidAddress, `${field} is empty; expected an ${prefix}1... address`);
  }
  if (address.length > MAX_ADDRESS_CHARS) {
    throw ainError(ErrInvalidAddress, `${field} is ${address.length} characters; expected at most ${MAX_ADDRESS_CHARS}`);
  }
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, MAX_ADDRESS_CHARS);
  } catch (cause) {
    throw ainError(ErrInvalidAddress, `${field} "${address}" is not valid bech32 (${(cause as Error).message})`);
  }
  if (decoded.prefix !== prefix) {
    throw ainError(ErrInvalidAddress, `${field} has prefix "${decoded.prefix}"; expected "${prefix}"`);
  }
  if (decoded.data.length !== ADDRESS_BYTES) {
    throw ainError(ErrInvalidAddress, `${field} holds ${decoded.data.length} bytes; expected ${ADDRESS_BYTES}`);
  }
  if (address !== address.toLowerCase()) {
    throw ainError(ErrInvalidAddress, `${field} must be lower case`);
  }
  return bytesOfAddress.remember(address, { prefix, data: decoded.data }).data.slice();
}

/**
 * The address of a module account (e.g. `fee_collector`): the first 20 bytes of sha256(name), as in
 * the Cosmos SDK, so no key can sign for it.
 */
export function moduleAddress(name: string): string {
  return toBech32(ADDRESS_PREFIX, createHash('sha256').update(name).digest().subarray(0, ADDRESS_BYTES));
}
