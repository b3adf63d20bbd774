/** Types shared by the REST server's files. */
import type { CometCall } from '../../client/cometRpc.ts';
import type { AnyTypes, JsonValue } from '../../core/protoJson.ts';

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

/** Where the server reports requests and failures. Fields are structured, never interpolated. */
export interface RestLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

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
