import { createHash } from 'node:crypto';
import { fromBech32, toBech32, toHex } from '@cosmjs/encoding';
import { ADDRESS_PREFIX, parseAddress } from '../../core/index.ts';

/** Bech32 prefix of validator operator addresses (`ainvaloper1...`), the SDK's `<prefix>valoper`. */
export const VALOPER_PREFIX = `${ADDRESS_PREFIX}valoper`;
/** Bech32 prefix of consensus addresses (`ainvalcons1...`), the SDK's `<prefix>valcons`. */
export const VALCONS_PREFIX = `${ADDRESS_PREFIX}valcons`;
/** Length of an ed25519 public key, the only consensus key type accepted. */
export const ED25519_PUBKEY_BYTES = 32;

/**
 * Checks an `ainvaloper1...` address (20 bytes); throws `sdk/7` naming the field otherwise.
 * @example parseValoper('ainvaloper1...', 'validator_address')
 */
export function parseValoper(address: string, field = 'validator_address'): Uint8Array {
  return parseAddress(address, field, VALOPER_PREFIX);
}

/**
 * The operator address of an account: same 20 bytes, prefix `ainvaloper`.
 * @example toValoper('ain1abc...') // 'ainvaloper1abc...'
 */
export function toValoper(accountAddress: string): string {
  return toBech32(VALOPER_PREFIX, fromBech32(accountAddress, 90).data);
}

/** The account that signs for a validator: same 20 bytes, prefix `ain`. */
export function valoperToAccount(valoper: string): string {
  return toBech32(ADDRESS_PREFIX, fromBech32(valoper, 90).data);
}

/** Hex of an operator address's 20 bytes: the tie-break of the power ranking (byte order, not bech32 order). */
export function valoperHex(valoper: string): string {
  return toHex(fromBech32(valoper, 90).data);
}

/**
 * CometBFT's address of an ed25519 key: the first 20 bytes of sha256(pubkey), as lower-case hex (the
 * form votes and evidence carry in FinalizeBlock, hex-encoded).
 */
export function consAddressHex(pubkey: Uint8Array): string {
  return createHash('sha256').update(pubkey).digest().subarray(0, 20).toString('hex');
}

/** `ainvalcons1...` of a consensus address given as hex. */
export function consAddressBech32(hex: string): string {
  return toBech32(VALCONS_PREFIX, Buffer.from(hex, 'hex'));
}

/** Hex of an `ainvalcons1...` address; throws `sdk/7` naming the field when malformed. */
export function parseValcons(address: string, field = 'cons_address'): string {
  return toHex(parseAddress(address, field, VALCONS_PREFIX));
}
