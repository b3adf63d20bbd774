import { ainError, ErrUnknownRequest } from './errors.ts';
import type { ReadableState } from './state.ts';

/** A gRPC-style query served over ABCI Query: request protobuf in, response protobuf out. */
export type QueryHandler = (state: ReadableState, data: Uint8Array) => Uint8Array;

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

  handle(path: string, state: ReadableState, data: Uint8Array): Uint8Array {
    const handler = this.handlers.get(path);
    if (!handler) throw ainError(ErrUnknownRequest, `unknown query path "${path}"`);
    return handler(state, data);
  }
}
