/**
 * The REST (LCD) route contract: what a route handler gets and returns. Modules declare their routes
 * with these types (`ModuleDescriptor.restRoutes`); the HTTP server in `app/rest/` serves them.
 */
import { AinError, ainError, ErrInvalidHeight } from './errors.ts';
import type { JsonValue } from './json.ts';
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

/** A query-string parameter, empty when absent. */
export function search(request: RestRequest, name: string): string {
  return request.searchParams.get(name) ?? '';
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
