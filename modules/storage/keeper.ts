/**
 * `StorageKeeper`: the only code touching `/storage`. Providers and reservations are
 * reservations.ts's work, access records and wrapped keys access.ts's; the reads the queries need
 * are here. See README.md for the rules.
 */
import { BASE_DENOM, moduleAddress } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
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
import type { BlobAccess, Provider, Reservation, WrappedKey } from '../../proto/gen/ain/storage/v1/types.ts';
import {
  accessToProto,
  canRead,
  getAccess,
  getWrappedKey,
  grant,
  type ReadDecision,
  revealKey,
  revoke,
  setAccess,
  shareKeys,
} from './access.ts';
import type { BankKeeper, JobsKeeper, StorageContext } from './expected_keepers.ts';
import { byClientPath, PROVIDERS_ROOT } from './keys.ts';
import { readStorageParams, type StorageParams } from './params.ts';
import {
  cancelReservation,
  claimPayment,
  decodeProvider,
  type EscrowAccount,
  getProvider,
  getReservation,
  providerToProto,
  readEscrowTotal,
  registerProvider,
  reservationToProto,
  reserve,
  settleEnded,
} from './reservations.ts';

export const STORAGE_MODULE = 'storage';
/** Most providers or reservations one query lists. */
export const MAX_LISTED = 100;
const MAX_SCANNED = 10_000;

export class StorageKeeper {
  /** The module account holding every active reservation's price. */
  readonly moduleAddress = moduleAddress(STORAGE_MODULE);
  private readonly account: EscrowAccount;

  constructor(
    bank: BankKeeper,
    private readonly jobs: JobsKeeper,
  ) {
    this.account = { bank, moduleAddress: this.moduleAddress };
  }

  params(state: ReadableState): StorageParams {
    return readStorageParams(state);
  }

  // ---- providers and reservations (reservations.ts) ----

  registerProvider(ctx: StorageContext, msg: MsgRegisterProvider): void {
    registerProvider(ctx, msg);
  }

  /** MsgReserve: returns the reservation's id, price and end. */
  reserve(ctx: StorageContext, msg: MsgReserve): { reservationId: bigint; price: string; end: bigint } {
    const reservation = reserve(ctx, this.account, this.params(ctx.state), msg);
    return { reservationId: reservation.id, price: reservation.price.toString(), end: reservation.end };
  }

  cancelReservation(ctx: StorageContext, msg: MsgCancelReservation): { paid: string; refunded: string } {
    const { paid, refunded } = cancelReservation(ctx, this.account, msg.signer, msg.reservationId);
    return { paid: paid.toString(), refunded: refunded.toString() };
  }

  claimPayment(ctx: StorageContext, msg: MsgClaimPayment): { paid: string } {
    return { paid: claimPayment(ctx, this.account, msg.signer, msg.reservationId).toString() };
  }

  /** The end of a block: reservations past their end pay the provider the rest and close. */
  endBlock(ctx: StorageContext): void {
    settleEnded(ctx, this.account);
  }

  // ---- access and keys (access.ts) ----

  setAccess(ctx: StorageContext, msg: MsgSetAccess): void {
    setAccess(ctx, this.jobs, this.params(ctx.state), msg);
  }

  grant(ctx: StorageContext, msg: MsgGrant): void {
    grant(ctx, this.params(ctx.state), msg);
  }

  revoke(ctx: StorageContext, msg: MsgRevoke): void {
    revoke(ctx, msg);
  }

  shareKeys(ctx: StorageContext, msg: MsgShareKeys): void {
    shareKeys(ctx, this.jobs, this.params(ctx.state), msg);
  }

  revealKey(ctx: StorageContext, msg: MsgRevealKey): void {
    revealKey(ctx, this.jobs, msg);
  }

  // ---- queries ----

  getProvider(state: ReadableState, address: string): Provider | undefined {
    const provider = getProvider(state, address);
    return provider && providerToProto(provider);
  }

  /** Providers in address order after `startAfter`, at most `limit` (<= {@link MAX_LISTED}). */
  providers(state: ReadableState, startAfter: string, limit: number): Provider[] {
    return state
      .list(PROVIDERS_ROOT, MAX_SCANNED)
      .map(([, text]) => decodeProvider(text as string))
      .filter((p) => p.address > startAfter)
      .slice(0, Math.min(limit || MAX_LISTED, MAX_LISTED))
      .map(providerToProto);
  }

  getReservation(state: ReadableState, id: bigint): Reservation | undefined {
    const reservation = getReservation(state, id);
    return reservation && reservationToProto(reservation);
  }

  /** A client's active reservations (with one provider when given), oldest first, at most {@link MAX_LISTED}. */
  activeReservations(state: ReadableState, client: string, provider: string): Reservation[] {
    return state
      .list(byClientPath(client, provider === '' ? undefined : provider), MAX_SCANNED)
      .map(([path]) => BigInt(path.slice(path.lastIndexOf('/') + 1)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_LISTED)
      .map((id) => reservationToProto(getReservation(state, id)!));
  }

  getAccess(state: ReadableState, hash: string, owner: string): BlobAccess | undefined {
    const access = getAccess(state, hash, owner);
    return access && accessToProto(access);
  }

  canRead(state: ReadableState, hash: string, owner: string, reader: string, time: bigint): ReadDecision & { encrypted: boolean } {
    const decision = canRead(state, this.jobs, this.params(state), hash, owner, reader, time);
    return { ...decision, encrypted: getAccess(state, hash, owner)?.encrypted ?? false };
  }

  wrappedKey(state: ReadableState, hash: string, owner: string, reader: string): WrappedKey | undefined {
    return getWrappedKey(state, hash, owner, reader);
  }

  /** uain held for active reservations (equal to the module account's balance). */
  escrowTotal(state: ReadableState): bigint {
    return readEscrowTotal(state);
  }

  /** uain the storage account holds (genesis checks it against the reservations it imports). */
  escrowBalance(state: ReadableState): bigint {
    return this.account.bank.getBalance(state, this.moduleAddress, BASE_DENOM);
  }
}
