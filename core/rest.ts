/**
 * The REST (LCD) route contract: what a route handler gets and returns. Modules declare their routes
 * with these types (`ModuleDescriptor.restRoutes`); the HTTP server in `app/rest/` serves them.
 */
import { AinError, ainError, ErrInvalidHeight, ErrInvalidRequest } from './errors.ts';
import type { JsonValue } from './json.ts';
import type { PageRequest } from './pagination.ts';
import { type AnyTypes, type JsonCodec, toProtoJson } from './protoJson.ts';

/** A CometBFT JSON-RPC call: method and params in, the `result` out. */
export type CometCall = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/** What the app's ABCI `Query` answers (a subset of `ResponseQuery`). */
export interface RestQueryResponse {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly value: Uint8Array;
  readonly height: bigint;
}

/**
 * The app's in-process ABCI query: a gRPC-style path (`/cosmos.bank.v1beta1.Query/Balance`) and the
 * protobuf request bytes in, the response out.
 */
export type RestQuery = (path: string, data: Uint8Array) => RestQueryResponse | Promise<RestQueryResponse>;

/** What every route handler can use. */
export interface RestContext {
  readonly query: RestQuery;
  readonly comet: CometCall;
  readonly anyTypes: AnyTypes;
  /** `application_version.version` of node_info. */
  readonly appVersion: string;
}

/** One parsed HTTP request, as a handler sees it. */
export interface RestRequest {
  /** The decoded `{name}` segments of the route's path, in order. */
  readonly params: readonly string[];
  readonly searchParams: URLSearchParams;
  /** The parsed JSON body of a POST (undefined for GET). */
  readonly body: unknown;
  /** `x-cosmos-block-height`, when the client asked for a height. */
  readonly height: bigint | undefined;
}

/** A handler's answer: a JSON body (status 200) and the height it was read at, when it has one. */
export interface RestReply {
  readonly body: JsonValue;
  readonly height?: bigint;
}

export type RestHandler = (context: RestContext, request: RestRequest) => Promise<RestReply>;

export type RestMethod = 'GET' | 'POST';

/** One route: the method, the path template (`{name}` stands for one path segment) and its handler. */
export interface RestRoute {
  readonly method: RestMethod;
  readonly path: string;
  readonly handler: RestHandler;
}

/** The `index`-th `{param}` of the route's path, decoded. */
export function param(request: RestRequest, index: number): string {
  return request.params[index] ?? '';
}

/**
 * A query-string parameter, empty when absent. A parameter given more than once takes its last value,
 * as the SDK's gateway reads a non-repeated field (`order_by=2&order_by=ORDER_BY_DESC`).
 */
export function search(request: RestRequest, name: string): string {
  return request.searchParams.getAll(name).at(-1) ?? '';
}

/** A uint64 query parameter (0 when absent); anything but decimal digits is a 400, as the gateway's parse. */
export function searchUint(request: RestRequest, name: string): bigint {
  const text = search(request, name);
  if (text === '') return 0n;
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) > 0xffffffffffffffffn)
    throw ainError(ErrInvalidRequest, `type mismatch, parameter: ${name}, error: "${text}" is not an unsigned integer`);
  return BigInt(text);
}

/** A bool query parameter: `true`/`1` or `false`/`0` (absent: false), as Go's strconv.ParseBool. */
export function searchBool(request: RestRequest, name: string): boolean {
  const text = search(request, name);
  if (['', 'false', 'False', 'FALSE', '0', 'f', 'F'].includes(text)) return false;
  if (['true', 'True', 'TRUE', '1', 't', 'T'].includes(text)) return true;
  throw ainError(ErrInvalidRequest, `type mismatch, parameter: ${name}, error: "${text}" is not a bool`);
}

/**
 * The `pagination.key` (base64, standard or URL-safe), `.offset`, `.limit`, `.count_total` and
 * `.reverse` query parameters as the gateway reads them into a `PageRequest`.
 * @example pageRequestOf(request) // { key: Uint8Array [], offset: 0n, limit: 20n, countTotal: false, reverse: true }
 */
export function pageRequestOf(request: RestRequest): PageRequest {
  // A `+` sent unescaped arrives as a space (form decoding); URL-safe base64 is accepted too.
  const keyText = search(request, 'pagination.key').replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(keyText))
    throw ainError(ErrInvalidRequest, 'type mismatch, parameter: pagination.key, error: not valid base64');
  return {
    key: new Uint8Array(Buffer.from(keyText, 'base64')),
    offset: searchUint(request, 'pagination.offset'),
    limit: searchUint(request, 'pagination.limit'),
    countTotal: searchBool(request, 'pagination.count_total'),
    reverse: searchBool(request, 'pagination.reverse'),
  };
}

/**
 * Runs one ABCI query and prints its response. A failed query becomes the app's `AinError` (same
 * codespace, code and log); a response at another height than the client asked for is refused.
 */
export async function abciQuery<T>(
  context: RestContext,
  request: RestRequest,
  path: string,
  data: Uint8Array,
  codec: JsonCodec<T>,
): Promise<RestReply> {
  const response = await context.query(path, data);
  if (response.code !== 0) {
    throw new AinError({ codespace: response.codespace, code: response.code, description: response.log || `query ${path} failed` });
  }
  if (request.height !== undefined && request.height !== 0n && request.height !== response.height) {
    throw ainError(
      ErrInvalidHeight,
      `height ${request.height} is not available; this node answers at its latest height ${response.height}`,
    );
  }
  // A response that does not decode is the app's bug, not the client's: it surfaces as a 500.
  const message = codec.decode(response.value);
  return { body: toProtoJson(codec, message, context.anyTypes), height: response.height };
}
