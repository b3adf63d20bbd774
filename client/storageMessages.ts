/**
 * The storage module's messages as CosmJS `EncodeObject`s (`storageMsg`) and their type URLs, for
 * `aind storage`, providers registering themselves and `aind job run --encrypt`.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import * as storageTx from '../proto/gen/ain/storage/v1/tx.ts';

export { AccessKind } from '../proto/gen/ain/storage/v1/types.ts';
export { keyCommitment } from '../modules/storage/index.ts';

/** Type URLs of the storage module's messages. */
export const STORAGE_TYPE_URLS = {
  registerProvider: `/${storageTx.MsgRegisterProvider.$type}`,
  reserve: `/${storageTx.MsgReserve.$type}`,
  cancelReservation: `/${storageTx.MsgCancelReservation.$type}`,
  claimPayment: `/${storageTx.MsgClaimPayment.$type}`,
  setAccess: `/${storageTx.MsgSetAccess.$type}`,
  grant: `/${storageTx.MsgGrant.$type}`,
  revoke: `/${storageTx.MsgRevoke.$type}`,
  shareKeys: `/${storageTx.MsgShareKeys.$type}`,
  revealKey: `/${storageTx.MsgRevealKey.$type}`,
} as const;

type Fields<T> = Omit<Partial<T>, 'signer'>;
const build =
  <T>(typeUrl: string, codec: { fromPartial(value: object): T }) =>
  (signer: string, fields: Fields<T>): EncodeObject => ({ typeUrl, value: codec.fromPartial({ ...fields, signer }) });

/**
 * One builder per storage message: `storageMsg.<name>(signer, fields)`.
 * @example storageMsg.reserve('ain1client', { provider: 'ain1prov', bytes: 1n << 30n, durationSeconds: 86_400n })
 */
export const storageMsg = {
  registerProvider: build(STORAGE_TYPE_URLS.registerProvider, storageTx.MsgRegisterProvider),
  reserve: build(STORAGE_TYPE_URLS.reserve, storageTx.MsgReserve),
  cancelReservation: build(STORAGE_TYPE_URLS.cancelReservation, storageTx.MsgCancelReservation),
  claimPayment: build(STORAGE_TYPE_URLS.claimPayment, storageTx.MsgClaimPayment),
  setAccess: build(STORAGE_TYPE_URLS.setAccess, storageTx.MsgSetAccess),
  grant: build(STORAGE_TYPE_URLS.grant, storageTx.MsgGrant),
  revoke: build(STORAGE_TYPE_URLS.revoke, storageTx.MsgRevoke),
  shareKeys: build(STORAGE_TYPE_URLS.shareKeys, storageTx.MsgShareKeys),
  revealKey: build(STORAGE_TYPE_URLS.revealKey, storageTx.MsgRevealKey),
};

/** Each storage message's type URL with its codec (for the registry). */
export const ainStorageTypes = [
  [STORAGE_TYPE_URLS.registerProvider, storageTx.MsgRegisterProvider],
  [STORAGE_TYPE_URLS.reserve, storageTx.MsgReserve],
  [STORAGE_TYPE_URLS.cancelReservation, storageTx.MsgCancelReservation],
  [STORAGE_TYPE_URLS.claimPayment, storageTx.MsgClaimPayment],
  [STORAGE_TYPE_URLS.setAccess, storageTx.MsgSetAccess],
  [STORAGE_TYPE_URLS.grant, storageTx.MsgGrant],
  [STORAGE_TYPE_URLS.revoke, storageTx.MsgRevoke],
  [STORAGE_TYPE_URLS.shareKeys, storageTx.MsgShareKeys],
  [STORAGE_TYPE_URLS.revealKey, storageTx.MsgRevealKey],
] as const;
