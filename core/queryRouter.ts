import { AinError, ainError, ErrInvalidRequest, ErrUnknownRequest } from './errors.ts';
import type { ReadableState } from './state.ts';

/** What a query knows besides its request: the height it reads and whether the caller wants a proof. */
export interface QueryEnv {
  /** The height of the state the query reads (the latest committed, or a retained older one). */
  readonly height: bigint;
  /**
   * The time of the block at `height` when the node knows it (the latest committed block's; absent
   * for older heights). Spendable balances of a vesting account need it.
   */
  readonly blockTimeSeconds?: bigint;
  /** The caller asked for a proof (`RequestQuery.prove`). */
  readonly prove: boolean;
  /** The encoded Merkle proof of the leaf at `path` in the state at `height` (see `tree/proof.ts`). */
  proofOf(path: string): Uint8Array;
}

/** A query's answer when it carries more than the response bytes: the proof ops of what it read. */
export interface QueryAnswer {
  readonly value: Uint8Array;
  readonly proofOps?: { readonly ops: ReadonlyArray<{ readonly type: string; readonly key: Uint8Array; readonly data: Uint8Array }> };
}

/** A gRPC-style query served over ABCI Query: request protobuf in, response protobuf out. */
export type QueryHandler = (state: ReadableState, data: Uint8Array, env: QueryEnv) => Uint8Array | QueryAnswer;

/** One query a module serves, at its gRPC path (`/cosmos.bank.v1beta1.Query/Balance`). */
export interface QueryRoute {
  readonly path: string;
  readonly handler: QueryHandler;
}

/** Routes ABCI query paths like `/cosmos.bank.v1beta1.Query/Balance` to module query handlers. */
export class QueryRouter {
  private readonly handlers = new Map<string, QueryHandler>();

  register(path: string, handler: QueryHandler): void {
    if (this.handlers.has(path)) throw new Error(`query ${path} registered twice`);
    this.handlers.set(path, handler);
  }

  has(path: string): boolean {
    return this.handlers.has(path);
  }

  handle(path: string, state: ReadableState, data: Uint8Array, env: QueryEnv): QueryAnswer {
    const handler = this.handlers.get(path);
    if (!handler) throw ainError(ErrUnknownRequest, `unknown query path "${path}"`);
    const answer = handler(state, data, env);
    return answer instanceof Uint8Array ? { value: answer } : answer;
  }
}

/** A request message's codec, as cosmjs-types (`typeUrl`) and ts-proto (`$type`) generate them. */
export interface QueryRequestCodec<T> {
  decode(input: Uint8Array): T;
  readonly typeUrl?: string;
  readonly $type?: string;
}

/**
 * A query's request, decoded from the query's `data`.
 *
 * @throws AinError sdk/18 naming the request type and the decoder's complaint when `data` is not one
 * @example
 * const { address, denom } = decodeQueryRequest(QueryBalanceRequest, data);
 */
export function decodeQueryRequest<T>(codec: QueryRequestCodec<T>, data: Uint8Array): T {
  try {
    return codec.decode(data);
  } catch (cause) {
    const type = codec.$type ?? codec.typeUrl?.slice(1) ?? 'request';
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new AinError(ErrInvalidRequest, `query data is not a valid ${type} (${reason})`, { field: 'data', type }, cause);
  }
}

/** Where a module's `registerXQueries(router, ...)` puts its queries. */
export interface QueryRegistrar {
  register(path: string, handler: QueryHandler): void;
}

/** The routes a module's registration function declares, as a list for its descriptor. */
export function queryRoutes(register: (router: QueryRegistrar) => void): QueryRoute[] {
  const routes: QueryRoute[] = [];
  register({ register: (path, handler) => routes.push({ path, handler }) });
  return routes;
}
