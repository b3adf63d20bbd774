/** `aind query storage ...`: the `ain.storage.v1` queries (providers, reservations, access records), printed as proto3 JSON. */
import { QueryClient } from '@cosmjs/stargate';
import { ainError, ErrInvalidRequest, type JsonValue, parseAddress } from '../../../core/index.ts';
import * as q from '../../../proto/gen/ain/storage/v1/query.ts';
import { askJson, withCometClient } from '../../common/index.ts';

export const STORAGE_QUERIES = ['provider', 'providers', 'reservation', 'reservations', 'access', 'can-read', 'key', 'params'] as const;
export type StorageQuery = (typeof STORAGE_QUERIES)[number];

export interface StorageQueryFlags {
  readonly provider?: string | undefined;
  readonly startAfter?: string | undefined;
  readonly limit?: string | undefined;
  /** `can-read`: the provider's clock in Unix seconds (default now; 0 ignores ends). */
  readonly time?: string | undefined;
}

const HASH = /^[0-9a-f]{64}$/;

function hash(text: string | undefined): string {
  if (text === undefined || !HASH.test(text))
    throw ainError(ErrInvalidRequest, `HASH "${text ?? ''}" must be 64 lowercase hex digits (sha256)`);
  return text;
}

function uint(text: string | undefined, name: string, max: bigint): bigint {
  if (text === undefined || !/^[0-9]{1,20}$/.test(text) || BigInt(text) > max)
    throw ainError(ErrInvalidRequest, `${name} "${text ?? ''}" must be an integer from 0 to ${max}`);
  return BigInt(text);
}

/**
 * One storage query against `node`: `provider ADDRESS`, `providers [--start-after --limit]`,
 * `reservation ID`, `reservations CLIENT [--provider]`, `access HASH OWNER`, `can-read HASH OWNER
 * READER [--time]`, `key HASH OWNER READER`, `params`.
 * @example await queryStorage('tcp://127.0.0.1:26657', 'reservations', ['ain1...'], {})
 */
export function queryStorage(node: string, what: StorageQuery, args: readonly string[], flags: StorageQueryFlags): Promise<JsonValue> {
  const [first, second, third] = args;
  const address = (text: string | undefined, name: string): string => {
    parseAddress(text ?? '', name);
    return text ?? '';
  };
  return withCometClient(node, async (comet) => {
    const client = new QueryClient(comet);
    const ask = <Req>(method: string, request: { encode(m: Req): { finish(): Uint8Array } }, message: Req, response: unknown) =>
      askJson(client, q.QueryServiceName, method, request, message, response);
    switch (what) {
      case 'provider':
        return ask('Provider', q.QueryProviderRequest, { address: address(first, 'ADDRESS') }, q.QueryProviderResponse);
      case 'providers':
        return ask(
          'Providers',
          q.QueryProvidersRequest,
          {
            startAfter: flags.startAfter === undefined ? '' : address(flags.startAfter, '--start-after'),
            limit: Number(flags.limit === undefined ? 0n : uint(flags.limit, '--limit', 0xffffffffn)),
          },
          q.QueryProvidersResponse,
        );
      case 'reservation':
        return ask(
          'Reservation',
          q.QueryReservationRequest,
          { reservationId: uint(first, 'RESERVATION_ID', 2n ** 64n - 1n) },
          q.QueryReservationResponse,
        );
      case 'reservations':
        return ask(
          'Reservations',
          q.QueryReservationsRequest,
          { client: address(first, 'CLIENT'), provider: flags.provider === undefined ? '' : address(flags.provider, '--provider') },
          q.QueryReservationsResponse,
        );
      case 'access':
        return ask('Access', q.QueryAccessRequest, { hash: hash(first), owner: address(second, 'OWNER') }, q.QueryAccessResponse);
      case 'can-read': {
        const time = flags.time === undefined ? BigInt(Math.floor(Date.now() / 1000)) : uint(flags.time, '--time', 2n ** 63n - 1n);
        return ask(
          'CanRead',
          q.QueryCanReadRequest,
          { hash: hash(first), owner: address(second, 'OWNER'), reader: address(third, 'READER'), time },
          q.QueryCanReadResponse,
        );
      }
      case 'key':
        return ask(
          'Key',
          q.QueryKeyRequest,
          { hash: hash(first), owner: address(second, 'OWNER'), reader: address(third, 'READER') },
          q.QueryKeyResponse,
        );
      case 'params':
        return ask('Params', q.QueryParamsRequest, {}, q.QueryParamsResponse);
    }
  });
}
