/**
 * Providers and paid reservations. A provider registers its URL, backends, price per GiB-day and
 * capacity; a client reserves bytes for a time with one, its price escrowed in the module account.
 * The provider earns the price linearly over the reservation's time (`earned`, integer uain rounded
 * down); it claims what it earned so far, a cancel pays it up to now and refunds the rest, and the
 * end of the block after a reservation's end pays the remainder. Every path ends with the escrow of
 * the reservation paid out exactly.
 */
import { ainError, BASE_DENOM, decodeRecord, encodeRecord, ErrLogic, readRecord } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { MsgRegisterProvider, MsgReserve } from '../../proto/gen/ain/storage/v1/tx.ts';
import type { Provider, Reservation } from '../../proto/gen/ain/storage/v1/types.ts';
import {
  ErrCapacityExceeded,
  ErrInsufficientFunds,
  ErrInvalidStorageMsg,
  ErrPriceTooHigh,
  ErrProviderNotFound,
  ErrReservationClosed,
  ErrReservationNotFound,
  ErrUnauthorized,
} from './errors.ts';
import { providerRegisteredEvent, reservationClosedEvent, reservationPaidEvent, reservedEvent } from './events.ts';
import type { BankKeeper, StorageContext } from './expected_keepers.ts';
import {
  byClientEntryPath,
  ENDS_ROOT,
  ESCROW_TOTAL_PATH,
  endPath,
  NEXT_RESERVATION_ID_PATH,
  parseEndPath,
  providerPath,
  reservationPath,
} from './keys.ts';
import type { StorageParams } from './params.ts';

/** 2^30 bytes x 86,400 s: the unit a price per GiB-day is for. */
export const GIB_SECONDS = 1024n * 1024n * 1024n * 86_400n;
/** Most reservations the end of one block settles (the rest wait for the next block). */
export const MAX_ENDS_PER_BLOCK = 1000;

export interface StoredProvider {
  address: string;
  url: string;
  backends: string[];
  pricePerGibDay: bigint;
  capacityBytes: bigint;
  reservedBytes: bigint;
  registeredAt: bigint;
  updatedAt: bigint;
}

export type ReservationStatus = 'active' | 'ended' | 'cancelled';

export interface StoredReservation {
  id: bigint;
  client: string;
  provider: string;
  bytes: bigint;
  start: bigint;
  end: bigint;
  price: bigint;
  paid: bigint;
  refunded: bigint;
  status: ReservationStatus;
}

const PROVIDER_BIGINTS = new Set(['pricePerGibDay', 'capacityBytes', 'reservedBytes', 'registeredAt', 'updatedAt']);
const RESERVATION_BIGINTS = new Set(['id', 'bytes', 'start', 'end', 'price', 'paid', 'refunded']);
const uain = (amount: bigint) => [{ denom: BASE_DENOM, amount }];

/** The money side: the bank and the module account holding every active reservation's price. */
export interface EscrowAccount {
  readonly bank: BankKeeper;
  readonly moduleAddress: string;
}

export function getProvider(state: ReadableState, address: string): StoredProvider | undefined {
  return readRecord<StoredProvider>(state, providerPath(address), PROVIDER_BIGINTS);
}

export function decodeProvider(text: string): StoredProvider {
  return decodeRecord<StoredProvider>(text, PROVIDER_BIGINTS);
}

export function getReservation(state: ReadableState, id: bigint): StoredReservation | undefined {
  return readRecord<StoredReservation>(state, reservationPath(id), RESERVATION_BIGINTS);
}

const putProvider = (ctx: StorageContext, p: StoredProvider) => ctx.state.set(providerPath(p.address), encodeRecord(p));
const putReservation = (ctx: StorageContext, r: StoredReservation) => ctx.state.set(reservationPath(r.id), encodeRecord(r));

/** The price of `bytes` for `seconds` at `pricePerGibDay`, rounded up to a whole uain. */
export function reservationPrice(bytes: bigint, seconds: bigint, pricePerGibDay: bigint): bigint {
  const numerator = bytes * seconds * pricePerGibDay;
  return (numerator + GIB_SECONDS - 1n) / GIB_SECONDS;
}

/** What the provider has earned of a reservation at time `now`: price x elapsed / duration, rounded down. */
export function earned(reservation: StoredReservation, now: bigint): bigint {
  const duration = reservation.end - reservation.start;
  if (now >= reservation.end || duration <= 0n) return reservation.price;
  if (now <= reservation.start) return 0n;
  return (reservation.price * (now - reservation.start)) / duration;
}

/** MsgRegisterProvider: registers or updates the signer; capacity may not drop below what is reserved. */
export function registerProvider(ctx: StorageContext, msg: MsgRegisterProvider): void {
  const existing = getProvider(ctx.state, msg.signer);
  const reserved = existing?.reservedBytes ?? 0n;
  if (msg.capacityBytes < reserved)
    throw ainError(ErrCapacityExceeded, `capacity_bytes ${msg.capacityBytes} is below the ${reserved} bytes already reserved`);
  putProvider(ctx, {
    address: msg.signer,
    url: msg.url,
    backends: [...msg.backends],
    pricePerGibDay: BigInt(msg.pricePerGibDay),
    capacityBytes: msg.capacityBytes,
    reservedBytes: reserved,
    registeredAt: existing?.registeredAt ?? ctx.blockTimeSeconds,
    updatedAt: ctx.blockTimeSeconds,
  });
  ctx.events.emit(
    providerRegisteredEvent({
      provider: msg.signer,
      url: msg.url,
      pricePerGibDay: msg.pricePerGibDay,
      capacityBytes: msg.capacityBytes,
    }),
  );
}

/** MsgReserve: escrows the price and opens the reservation; returns it. */
export function reserve(ctx: StorageContext, account: EscrowAccount, params: StorageParams, msg: MsgReserve): StoredReservation {
  const provider = getProvider(ctx.state, msg.provider);
  if (!provider) throw ainError(ErrProviderNotFound, `${msg.provider} is not a registered storage provider`);
  if (msg.signer === msg.provider) throw ainError(ErrUnauthorized, 'a provider cannot reserve space with itself');
  if (msg.durationSeconds > params.maxReservationSeconds)
    throw ainError(
      ErrInvalidStorageMsg,
      `duration_seconds ${msg.durationSeconds} is more than max_reservation_seconds ${params.maxReservationSeconds}`,
      { field: 'duration_seconds' },
    );
  const free = provider.capacityBytes - provider.reservedBytes;
  if (msg.bytes > free)
    throw ainError(ErrCapacityExceeded, `${msg.provider} has ${free} of ${provider.capacityBytes} bytes free; asked for ${msg.bytes}`);
  const price = reservationPrice(msg.bytes, msg.durationSeconds, provider.pricePerGibDay);
  if (msg.maxPrice !== '' && price > BigInt(msg.maxPrice))
    throw ainError(ErrPriceTooHigh, `the price is ${price}uain; max_price is ${msg.maxPrice}uain`);
  const balance = account.bank.getBalance(ctx.state, msg.signer, BASE_DENOM);
  if (balance < price)
    throw ainError(
      ErrInsufficientFunds,
      `${msg.signer} has ${balance}uain; reserving ${msg.bytes} bytes for ${msg.durationSeconds}s costs ${price}uain`,
    );
  const next = ctx.state.get(NEXT_RESERVATION_ID_PATH);
  const id = typeof next === 'string' ? BigInt(next) : 1n;
  ctx.state.set(NEXT_RESERVATION_ID_PATH, (id + 1n).toString());
  account.bank.sendCoins(ctx, msg.signer, account.moduleAddress, uain(price));
  addEscrow(ctx, price);
  const reservation: StoredReservation = {
    id,
    client: msg.signer,
    provider: msg.provider,
    bytes: msg.bytes,
    start: ctx.blockTimeSeconds,
    end: ctx.blockTimeSeconds + msg.durationSeconds,
    price,
    paid: 0n,
    refunded: 0n,
    status: 'active',
  };
  putReservation(ctx, reservation);
  ctx.state.set(byClientEntryPath(reservation.client, reservation.provider, id), true);
  ctx.state.set(endPath(reservation.end, id), true);
  putProvider(ctx, { ...provider, reservedBytes: provider.reservedBytes + msg.bytes });
  ctx.events.emit(
    reservedEvent({
      reservationId: id,
      client: msg.signer,
      provider: msg.provider,
      bytes: msg.bytes,
      end: reservation.end,
      price: price.toString(),
    }),
  );
  return reservation;
}

function requireActive(ctx: StorageContext, id: bigint): StoredReservation {
  const reservation = getReservation(ctx.state, id);
  if (!reservation) throw ainError(ErrReservationNotFound, `no reservation ${id}`);
  if (reservation.status !== 'active') throw ainError(ErrReservationClosed, `reservation ${id} is ${reservation.status}`);
  return reservation;
}

/** Pays the provider what it earned up to `now` and not yet received; returns the amount. */
function payEarned(ctx: StorageContext, account: EscrowAccount, reservation: StoredReservation, now: bigint): bigint {
  const due = earned(reservation, now) - reservation.paid;
  if (due <= 0n) return 0n;
  payOut(ctx, account, reservation.provider, due);
  reservation.paid += due;
  ctx.events.emit(reservationPaidEvent({ reservationId: reservation.id, provider: reservation.provider, amount: due.toString() }));
  return due;
}

/** MsgClaimPayment (by the provider): pays what the reservation earned so far. */
export function claimPayment(ctx: StorageContext, account: EscrowAccount, signer: string, id: bigint): bigint {
  const reservation = requireActive(ctx, id);
  if (signer !== reservation.provider)
    throw ainError(ErrUnauthorized, `only the provider ${reservation.provider} claims reservation ${id}`);
  const paid = payEarned(ctx, account, reservation, ctx.blockTimeSeconds);
  putReservation(ctx, reservation);
  return paid;
}

/** MsgCancelReservation (by the client): pays the provider up to now and refunds the rest. */
export function cancelReservation(
  ctx: StorageContext,
  account: EscrowAccount,
  signer: string,
  id: bigint,
): { paid: bigint; refunded: bigint } {
  const reservation = requireActive(ctx, id);
  if (signer !== reservation.client) throw ainError(ErrUnauthorized, `only the client ${reservation.client} cancels reservation ${id}`);
  const paid = payEarned(ctx, account, reservation, ctx.blockTimeSeconds);
  const refund = reservation.price - reservation.paid;
  if (refund > 0n) payOut(ctx, account, reservation.client, refund);
  reservation.refunded = refund;
  close(ctx, reservation, 'cancelled');
  return { paid, refunded: refund };
}

/** The end of a block: reservations whose end is at or before the block's time are paid in full and end. */
export function settleEnded(ctx: StorageContext, account: EscrowAccount): void {
  for (const [path] of ctx.state.list(ENDS_ROOT, MAX_ENDS_PER_BLOCK)) {
    const { end, id } = parseEndPath(path);
    if (end > ctx.blockTimeSeconds) break;
    const reservation = getReservation(ctx.state, id);
    if (reservation?.status !== 'active') throw ainError(ErrLogic, `end index names reservation ${id}, which is not active`);
    payEarned(ctx, account, reservation, reservation.end);
    close(ctx, reservation, 'ended');
  }
}

function close(ctx: StorageContext, reservation: StoredReservation, status: ReservationStatus): void {
  if (reservation.paid + reservation.refunded !== reservation.price)
    throw ainError(
      ErrLogic,
      `reservation ${reservation.id} closes with ${reservation.price - reservation.paid - reservation.refunded}uain left`,
    );
  reservation.status = status;
  putReservation(ctx, reservation);
  ctx.state.set(byClientEntryPath(reservation.client, reservation.provider, reservation.id), null);
  ctx.state.set(endPath(reservation.end, reservation.id), null);
  const provider = getProvider(ctx.state, reservation.provider);
  if (provider) putProvider(ctx, { ...provider, reservedBytes: provider.reservedBytes - reservation.bytes });
  ctx.events.emit(
    reservationClosedEvent({
      reservationId: reservation.id,
      client: reservation.client,
      provider: reservation.provider,
      status,
      refunded: reservation.refunded.toString(),
    }),
  );
}

function payOut(ctx: StorageContext, account: EscrowAccount, to: string, amount: bigint): void {
  addEscrow(ctx, -amount);
  account.bank.sendCoins(ctx, account.moduleAddress, to, uain(amount));
}

function addEscrow(ctx: StorageContext, delta: bigint): void {
  const total = readEscrowTotal(ctx.state) + delta;
  if (total < 0n) throw ainError(ErrLogic, `storage escrow total would be ${total}`);
  if (total === 0n) ctx.state.set(ESCROW_TOTAL_PATH, null);
  else ctx.state.set(ESCROW_TOTAL_PATH, total.toString());
}

export function readEscrowTotal(state: ReadableState): bigint {
  const total = state.get(ESCROW_TOTAL_PATH);
  return typeof total === 'string' ? BigInt(total) : 0n;
}

export function providerToProto(p: StoredProvider): Provider {
  return {
    address: p.address,
    url: p.url,
    backends: [...p.backends],
    pricePerGibDay: p.pricePerGibDay.toString(),
    capacityBytes: p.capacityBytes,
    reservedBytes: p.reservedBytes,
    registeredAt: p.registeredAt,
    updatedAt: p.updatedAt,
  };
}

export function reservationToProto(r: StoredReservation): Reservation {
  return {
    id: r.id,
    client: r.client,
    provider: r.provider,
    bytes: r.bytes,
    start: r.start,
    end: r.end,
    price: r.price.toString(),
    paid: r.paid.toString(),
    status: r.status,
    refunded: r.refunded.toString(),
  };
}
