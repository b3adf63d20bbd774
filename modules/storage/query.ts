/**
 * `ain.storage.v1.Query`: providers, reservations, blob access records, the read decision a provider
 * asks before serving a non-public blob (`CanRead`, at the provider's clock), and a reader's wrapped key.
 */
import { decodeQueryRequest, ainError, parseAddress } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryAccessRequest,
  QueryAccessResponse,
  QueryCanReadRequest,
  QueryCanReadResponse,
  QueryKeyRequest,
  QueryKeyResponse,
  QueryParamsResponse,
  QueryProviderRequest,
  QueryProviderResponse,
  QueryProvidersRequest,
  QueryProvidersResponse,
  QueryReservationRequest,
  QueryReservationResponse,
  QueryReservationsRequest,
  QueryReservationsResponse,
  QueryServiceName,
} from '../../proto/gen/ain/storage/v1/query.ts';
import { ErrAccessNotFound, ErrProviderNotFound, ErrReservationNotFound } from './errors.ts';
import type { StorageKeeper } from './keeper.ts';
import { checkHash } from './msgs.ts';
import { storageParamsToProto } from './params.ts';

export function registerStorageQueries(router: QueryRegistrar, keeper: StorageKeeper): void {
  const path = (method: string) => `/${QueryServiceName}/${method}`;
  router.register(path('Provider'), (state, data) => {
    const { address } = decodeQueryRequest(QueryProviderRequest, data);
    parseAddress(address, 'address');
    const provider = keeper.getProvider(state, address);
    if (!provider) throw ainError(ErrProviderNotFound, `${address} is not a registered storage provider`);
    return QueryProviderResponse.encode({ provider }).finish();
  });
  router.register(path('Providers'), (state, data) => {
    const { startAfter, limit } = decodeQueryRequest(QueryProvidersRequest, data);
    return QueryProvidersResponse.encode({ providers: keeper.providers(state, startAfter, limit) }).finish();
  });
  router.register(path('Reservation'), (state, data) => {
    const { reservationId } = decodeQueryRequest(QueryReservationRequest, data);
    const reservation = keeper.getReservation(state, reservationId);
    if (!reservation) throw ainError(ErrReservationNotFound, `no reservation ${reservationId}`);
    return QueryReservationResponse.encode({ reservation }).finish();
  });
  router.register(path('Reservations'), (state, data) => {
    const { client, provider } = decodeQueryRequest(QueryReservationsRequest, data);
    parseAddress(client, 'client');
    if (provider !== '') parseAddress(provider, 'provider');
    const reservations = keeper.activeReservations(state, client, provider);
    const reservedBytes = reservations.reduce((sum, r) => sum + r.bytes, 0n);
    return QueryReservationsResponse.encode({ reservations, reservedBytes }).finish();
  });
  router.register(path('Access'), (state, data) => {
    const { hash, owner } = decodeQueryRequest(QueryAccessRequest, data);
    checkHash(hash);
    parseAddress(owner, 'owner');
    const access = keeper.getAccess(state, hash, owner);
    if (!access) throw ainError(ErrAccessNotFound, `${owner} set no access for blob ${hash}`);
    return QueryAccessResponse.encode({ access }).finish();
  });
  router.register(path('CanRead'), (state, data) => {
    const { hash, owner, reader, time } = decodeQueryRequest(QueryCanReadRequest, data);
    checkHash(hash);
    parseAddress(owner, 'owner');
    parseAddress(reader, 'reader');
    return QueryCanReadResponse.encode(keeper.canRead(state, hash, owner, reader, time)).finish();
  });
  router.register(path('Key'), (state, data) => {
    const { hash, owner, reader } = decodeQueryRequest(QueryKeyRequest, data);
    checkHash(hash);
    parseAddress(owner, 'owner');
    parseAddress(reader, 'reader');
    const access = keeper.getAccess(state, hash, owner);
    return QueryKeyResponse.encode({ key: keeper.wrappedKey(state, hash, owner, reader), revealedKey: access?.revealedKey ?? '' }).finish();
  });
  router.register(path('Params'), (state) => QueryParamsResponse.encode({ params: storageParamsToProto(keeper.params(state)) }).finish());
}
