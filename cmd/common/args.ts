/**
 * Parsers of command-line arguments several commands share: ids (`JOB_ID`, `REQUEST_ID`),
 * non-negative integer flags, and ed25519 consensus keys (`--pubkey`, a slashing KEY). Each refuses
 * bad text with `sdk/18` (or `sdk/8` for a key) naming the argument.
 */
import { ainError, ErrInvalidPubKey, ErrInvalidRequest } from '../../core/index.ts';
import { ED25519_PUBKEY_BYTES, ED25519_PUBKEY_TYPE_URL } from '../../modules/staking/index.ts';

/** A positive id (JOB_ID, REQUEST_ID). */
export function parseId(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^[1-9][0-9]{0,19}$/.test(text)) {
    throw ainError(ErrInvalidRequest, `${what} "${text ?? ''}" must be a positive integer`);
  }
  return BigInt(text);
}

/** Parses a non-negative integer flag (a commander `argParser`). */
export function parseCount(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d{1,15}$/.test(value)) throw ainError(ErrInvalidRequest, `${name} "${value}" must be a non-negative integer`);
    return Number(value);
  };
}

/**
 * The consensus key of `--pubkey`: base64 of the 32-byte ed25519 key, or simd's JSON
 * `{"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}`.
 */
export function parseConsensusPubkey(text: string): Uint8Array {
  let base64 = text.trim();
  if (base64.startsWith('{')) {
    let json: { '@type'?: string; key?: string };
    try {
      json = JSON.parse(base64);
    } catch {
      throw ainError(ErrInvalidPubKey, '--pubkey is not valid JSON');
    }
    if (json['@type'] !== ED25519_PUBKEY_TYPE_URL) throw ainError(ErrInvalidPubKey, `--pubkey @type must be ${ED25519_PUBKEY_TYPE_URL}`);
    base64 = String(json.key);
  }
  const key = Buffer.from(base64, 'base64');
  if (key.length !== ED25519_PUBKEY_BYTES || key.toString('base64') !== base64) {
    throw ainError(ErrInvalidPubKey, `--pubkey must be base64 of a ${ED25519_PUBKEY_BYTES}-byte ed25519 key`);
  }
  return key;
}
