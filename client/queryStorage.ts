/**
 * Reads of the storage module over abci_query: providers, reservations, access records, the read
 * decision a provider asks for before serving a private copy, a reader's wrapped key, and a reader's
 * on-chain public key (what keys are wrapped for).
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import {
  QueryAccessRequest,
  QueryAccessResponse,
  QueryCanReadRequest,
  QueryCanReadResponse,
  QueryKeyRequest,
  QueryKeyResponse,
  QueryProviderRequest,
  QueryProviderResponse,
  QueryProvidersRequest,
  QueryProvidersResponse,
  QueryReservationRequest,
  QueryReservationResponse,
  QueryReservationsRequest,
  QueryReservationsResponse,
} from '../proto/gen/ain/storage/v1/query.ts';
import type { BlobAccess, Provider, Reservation, WrappedKey } from '../proto/gen/ain/storage/v1/types.ts';
import { QueryError } from './errors.ts';
import { abciQueryOrThrow, decodeAnswer, queryGet } from './queryState.ts';

export const STORAGE_QUERY_PATHS = {
  provider: '/ain.storage.v1.Query/Provider',
  providers: '/ain.storage.v1.Query/Providers',
  reservation: '/ain.storage.v1.Query/Reservation',
  reservations: '/ain.storage.v1.Query/Reservations',
  access: '/ain.storage.v1.Query/Access',
  canRead: '/ain.storage.v1.Query/CanRead',
  key: '/ain.storage.v1.Query/Key',
} as const;

type Comet = Pick<CometClient, 'abciQuery'>;

async function ask<T>(comet: Comet, path: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<T> {
  return decodeAnswer(decode, (await abciQueryOrThrow(comet, path, data)).value, path);
}

/** A provider, or undefined when the address never registered. */
export async function queryProvider(comet: Comet, address: string): Promise<Provider | undefined> {
  try {
    return (await ask(comet, STORAGE_QUERY_PATHS.provider, QueryProviderRequest.encode({ address }).finish(), QueryProviderResponse.decode))
      .provider;
  } catch (error) {
    if (error instanceof QueryError && error.codespace === 'bigstorage' && error.code === 2) return undefined;
    throw error;
  }
}

/**
 * Registered providers in address order (at most 100 after `startAfter`): how a client finds storage.
 * @example (await queryProviders(comet)).map((p) => p.url)
 */
export async function queryProviders(comet: Comet, startAfter = '', limit = 100): Promise<Provider[]> {
  const request = QueryProvidersRequest.encode({ startAfter, limit }).finish();
  return (await ask(comet, STORAGE_QUERY_PATHS.providers, request, QueryProvidersResponse.decode)).providers;
}

export async function queryReservation(comet: Comet, reservationId: bigint): Promise<Reservation> {
  const request = QueryReservationRequest.encode({ reservationId }).finish();
  return (await ask(comet, STORAGE_QUERY_PATHS.reservation, request, QueryReservationResponse.decode)).reservation!;
}

/** A client's active reservations (with `provider` when given) and their bytes. */
export async function queryReservations(
  comet: Comet,
  client: string,
  provider = '',
): Promise<{ reservations: Reservation[]; reservedBytes: bigint }> {
  const request = QueryReservationsRequest.encode({ client, provider }).finish();
  return ask(comet, STORAGE_QUERY_PATHS.reservations, request, QueryReservationsResponse.decode);
}

/** The access record of `owner`'s copy of a blob, or undefined when none was set. */
export async function queryAccess(comet: Comet, hash: string, owner: string): Promise<BlobAccess | undefined> {
  try {
    return (await ask(comet, STORAGE_QUERY_PATHS.access, QueryAccessRequest.encode({ hash, owner }).finish(), QueryAccessResponse.decode))
      .access;
  } catch (error) {
    if (error instanceof QueryError && error.codespace === 'bigstorage' && error.code === 8) return undefined;
    throw error;
  }
}

/** Whether `reader` may read `owner`'s copy of `hash` at `time` (Unix seconds), and why. */
export async function queryCanRead(comet: Comet, hash: string, owner: string, reader: string, time: bigint): Promise<QueryCanReadResponse> {
  const request = QueryCanReadRequest.encode({ hash, owner, reader, time }).finish();
  return ask(comet, STORAGE_QUERY_PATHS.canRead, request, QueryCanReadResponse.decode);
}

/** The key of `owner`'s blob wrapped for `reader` (undefined until shared), and the key itself once revealed. */
export async function queryKey(
  comet: Comet,
  hash: string,
  owner: string,
  reader: string,
): Promise<{ key: WrappedKey | undefined; revealedKey: string }> {
  return ask(comet, STORAGE_QUERY_PATHS.key, QueryKeyRequest.encode({ hash, owner, reader }).finish(), QueryKeyResponse.decode);
}

/** A reader's 33-byte secp256k1 public key as the chain knows it (set by its first tx); undefined before that. */
export async function queryPubkey(comet: Comet, address: string): Promise<Uint8Array | undefined> {
  const { value } = await queryGet(comet, { path: `/accounts/${address}/pub_key` });
  return typeof value === 'string' && value !== '' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined;
}
