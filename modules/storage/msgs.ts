/**
 * Stateless checks (`validateBasic`) of the storage messages: every refusal names the field.
 * Checks that need state (the provider, the reservation, the record, the request) are the keeper's.
 */
import { ainError, parseAddress, parseAmount } from '../../core/index.ts';
import type {
  MsgCancelReservation,
  MsgClaimPayment,
  MsgGrant,
  MsgRegisterProvider,
  MsgReserve,
  MsgRevealKey,
  MsgRevoke,
  MsgSetAccess,
  MsgShareKeys,
} from '../../proto/gen/ain/storage/v1/tx.ts';
import { AccessKind, type Grant } from '../../proto/gen/ain/storage/v1/types.ts';
import { ErrInvalidStorageMsg } from './errors.ts';

/** A blob's address: sha256, 64 lower-case hex. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
export const BACKENDS: readonly string[] = ['folder', 's3', 'ipfs'];
/** A wrapped key: base64 of 33 + 24 + 48 bytes. */
export const WRAPPED_KEY_BYTES = 105;
/** Most grants, addresses or keys one message carries. */
export const MAX_LISTED_BOUND = 256;
const MAX_URL = 256;
/** Prices and sizes stay far below 2^64 so products of three of them fit any bigint comfortably. */
const MAX_BYTES = 1n << 50n;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidStorageMsg, detail, { field });
};

export function checkHash(hash: string, field = 'hash'): void {
  if (!HASH_PATTERN.test(hash)) invalid(`${field} ${JSON.stringify(hash.slice(0, 80))} must be a sha256 hash (64 lower-case hex)`, field);
}

function checkList(length: number, field: string): void {
  if (length > MAX_LISTED_BOUND) invalid(`${field} has ${length} entries; at most ${MAX_LISTED_BOUND}`, field);
}

function checkGrants(grants: readonly Grant[], field: string): void {
  checkList(grants.length, field);
  const seen = new Set<string>();
  grants.forEach((g, i) => {
    parseAddress(g.address, `${field}[${i}].address`);
    if (seen.has(g.address)) invalid(`${field}[${i}] ${g.address} is listed twice`, field);
    seen.add(g.address);
    if (g.expiresAt < 0n) invalid(`${field}[${i}].expires_at must be >= 0 (0: no expiry)`, `${field}[${i}].expires_at`);
  });
}

export function validateMsgRegisterProvider(msg: MsgRegisterProvider): void {
  parseAddress(msg.signer, 'signer');
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(msg.url) || msg.url.length > MAX_URL)
    invalid(`url ${JSON.stringify(msg.url.slice(0, 80))} must be an http(s) URL of at most ${MAX_URL} characters`, 'url');
  if (msg.backends.length === 0) invalid(`backends must name at least one of ${BACKENDS.join(', ')}`, 'backends');
  msg.backends.forEach((b, i) => {
    if (!BACKENDS.includes(b)) invalid(`backends[${i}] ${JSON.stringify(b.slice(0, 40))} is not one of ${BACKENDS.join(', ')}`, 'backends');
  });
  if (new Set(msg.backends).size !== msg.backends.length) invalid('backends lists one twice', 'backends');
  parseAmount(msg.pricePerGibDay, 'price_per_gib_day');
  if (msg.capacityBytes > MAX_BYTES) invalid(`capacity_bytes must be at most ${MAX_BYTES}`, 'capacity_bytes');
}

export function validateMsgReserve(msg: MsgReserve): void {
  parseAddress(msg.signer, 'signer');
  parseAddress(msg.provider, 'provider');
  if (msg.bytes === 0n || msg.bytes > MAX_BYTES) invalid(`bytes must be in [1, ${MAX_BYTES}]`, 'bytes');
  if (msg.durationSeconds === 0n) invalid('duration_seconds must be positive', 'duration_seconds');
  if (msg.maxPrice !== '') parseAmount(msg.maxPrice, 'max_price');
}

export function validateMsgCancelReservation(msg: MsgCancelReservation): void {
  parseAddress(msg.signer, 'signer');
  if (msg.reservationId === 0n) invalid('reservation_id must be positive', 'reservation_id');
}

export function validateMsgClaimPayment(msg: MsgClaimPayment): void {
  parseAddress(msg.signer, 'signer');
  if (msg.reservationId === 0n) invalid('reservation_id must be positive', 'reservation_id');
}

export function validateMsgSetAccess(msg: MsgSetAccess): void {
  parseAddress(msg.signer, 'signer');
  checkHash(msg.hash);
  if (![AccessKind.ACCESS_KIND_PUBLIC, AccessKind.ACCESS_KIND_LIST, AccessKind.ACCESS_KIND_REQUEST].includes(msg.kind))
    invalid('kind must be PUBLIC, LIST or REQUEST', 'kind');
  const isRequest = msg.kind === AccessKind.ACCESS_KIND_REQUEST;
  if (isRequest !== (msg.requestId !== 0n)) invalid('request_id is set exactly when kind is REQUEST', 'request_id');
  checkGrants(msg.grants, 'grants');
  if (msg.kind === AccessKind.ACCESS_KIND_PUBLIC && msg.grants.length > 0) invalid('a PUBLIC blob takes no grants', 'grants');
  if (msg.encrypted !== HASH_PATTERN.test(msg.keyCommitment))
    invalid('key_commitment (64 hex) is given exactly when encrypted is set', 'key_commitment');
  if (msg.testData && !(isRequest && msg.encrypted)) invalid('test_data needs kind REQUEST and an encrypted blob', 'test_data');
  if (msg.provider !== '') parseAddress(msg.provider, 'provider');
}

export function validateMsgGrant(msg: MsgGrant): void {
  parseAddress(msg.signer, 'signer');
  checkHash(msg.hash);
  if (msg.grants.length === 0) invalid('grants must not be empty', 'grants');
  checkGrants(msg.grants, 'grants');
}

export function validateMsgRevoke(msg: MsgRevoke): void {
  parseAddress(msg.signer, 'signer');
  checkHash(msg.hash);
  if (msg.addresses.length === 0) invalid('addresses must not be empty', 'addresses');
  checkList(msg.addresses.length, 'addresses');
  msg.addresses.forEach((a, i) => parseAddress(a, `addresses[${i}]`));
}

export function validateMsgShareKeys(msg: MsgShareKeys): void {
  parseAddress(msg.signer, 'signer');
  checkHash(msg.hash);
  if (msg.keys.length === 0) invalid('keys must not be empty', 'keys');
  checkList(msg.keys.length, 'keys');
  const seen = new Set<string>();
  msg.keys.forEach((k, i) => {
    parseAddress(k.reader, `keys[${i}].reader`);
    if (seen.has(k.reader)) invalid(`keys[${i}].reader ${k.reader} is listed twice`, 'keys');
    seen.add(k.reader);
    const bytes = Buffer.from(k.wrapped, 'base64');
    if (bytes.length !== WRAPPED_KEY_BYTES || bytes.toString('base64') !== k.wrapped)
      invalid(
        `keys[${i}].wrapped must be the base64 of ${WRAPPED_KEY_BYTES} bytes (ephemeral pubkey, nonce, sealed key)`,
        `keys[${i}].wrapped`,
      );
  });
}

export function validateMsgRevealKey(msg: MsgRevealKey): void {
  parseAddress(msg.signer, 'signer');
  checkHash(msg.hash);
  if (!/^[0-9a-f]{64}$/.test(msg.key)) invalid('key must be the 32-byte data key as 64 lower-case hex', 'key');
}
