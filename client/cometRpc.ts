/**
 * A minimal JSON-RPC 2.0 client for CometBFT's RPC (`status`, `block`, `tx`, `broadcast_tx_*`), plus
 * the small readers that pull typed fields out of its untyped JSON without ever throwing a TypeError.
 */
import { AinError, ainError, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import type { CometCall } from '../core/index.ts';

/**
 * A `CometCall` that POSTs JSON-RPC to `url` (e.g. `http://127.0.0.1:26657`), giving up after
 * `timeoutMs` (never when undefined). An unreachable node or a garbled answer throws `ErrIO` (with
 * the transport's own error as its `cause`); a JSON-RPC error throws `ErrInvalidRequest` with
 * CometBFT's `data` text as the detail and `{rpcCode, rpcMessage, rpcData}` as metadata.
 *
 * @example
 * const call = cometRpcClient('http://127.0.0.1:26657', 10_000);
 * const status = await call('status', {});
 */
export function cometRpcClient(url: string, timeoutMs?: number): CometCall {
  let nextId = 1;
  return async (method, params) => {
    const id = nextId++;
    let text: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
      });
      text = await response.text();
    } catch (error) {
      throw new AinError(ErrIO, `CometBFT RPC ${method} at ${url} failed: ${(error as Error).message}`, {}, error);
    }
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      throw ainError(ErrIO, `CometBFT RPC ${method} answered with something that is not JSON`);
    }
    const error = field(reply, 'error');
    if (error !== undefined && error !== null) {
      const rpcData = str(error, 'data');
      const rpcMessage = str(error, 'message');
      throw ainError(ErrInvalidRequest, rpcData || rpcMessage || `CometBFT RPC ${method} failed`, {
        rpcCode: field(error, 'code'),
        rpcMessage,
        rpcData,
      });
    }
    const result = field(reply, 'result');
    if (result === null || typeof result !== 'object') throw ainError(ErrIO, `CometBFT RPC ${method} answered without a result`);
    return result;
  };
}

/**
 * One CometBFT JSON-RPC call: its raw `result` (snake_case JSON as CometBFT sends it). Throws as
 * `cometRpcClient` does.
 * @example const status = await cometRpc('http://127.0.0.1:26657', 'status');
 */
export function cometRpc(url: string, method: string, params: Record<string, unknown> = {}, timeoutMs?: number): Promise<unknown> {
  return cometRpcClient(url, timeoutMs)(method, params);
}

/**
 * The last height the app behind `url` has committed, from ABCI Info (0 before its first block).
 * CometBFT's /status shows a block once its block store holds it, a moment before the app has run
 * and committed it: a query at that height can still fail, and its block results may not be saved.
 * Throws as `cometRpcClient` does.
 */
export async function appHeight(url: string, timeoutMs = 5_000): Promise<number> {
  return int32(field(await cometRpc(url, 'abci_info', {}, timeoutMs), 'response'), 'last_block_height');
}

/** `value[key]` when `value` is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** `value[key]` as a string ('' when absent; numbers and booleans are stringified). */
export function str(value: unknown, key: string): string {
  const v = field(value, key);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

/** `value[key]` as a bigint (CometBFT prints int64 as decimal strings); 0 when absent or malformed. */
export function int(value: unknown, key: string): bigint {
  const text = str(value, key);
  return /^-?[0-9]{1,20}$/.test(text) ? BigInt(text) : 0n;
}

/** `value[key]` as a number that fits 32 bits; 0 when absent or malformed. */
export function int32(value: unknown, key: string): number {
  const n = Number(int(value, key));
  return Number.isSafeInteger(n) ? n : 0;
}

/** `value[key]` as an array (empty when absent). */
export function list(value: unknown, key: string): unknown[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : [];
}

/** Hex text (CometBFT's `HexBytes`: hashes, addresses) as bytes; empty when absent or not hex. */
export function hexBytes(value: unknown, key: string): Uint8Array {
  const text = str(value, key);
  return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : new Uint8Array();
}

/** Base64 text (CometBFT's plain `[]byte`: txs, signatures, result data) as bytes; empty when absent. */
export function base64Bytes(value: unknown, key?: string): Uint8Array {
  const text = key === undefined ? (typeof value === 'string' ? value : '') : str(value, key);
  return new Uint8Array(Buffer.from(text, 'base64'));
}
