/**
 * Tx simulation, the one route the app answers itself through its in-process ABCI query (the
 * modules' routes are in their `rest.ts`), and the `tx_bytes` reader broadcast shares.
 */
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { ainError, ErrInvalidRequest, ErrTxDecode, abciQuery, type RestHandler } from '../../core/index.ts';

/** `POST /cosmos/tx/v1beta1/simulate` with `{tx_bytes}`: gas_info and result of running the tx. */
export const simulate: RestHandler = (context, request) =>
  abciQuery(
    context,
    request,
    '/cosmos.tx.v1beta1.Service/Simulate',
    SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: txBytesOf(request.body) })).finish(),
    SimulateResponse,
  );

/**
 * The `tx_bytes` of a simulate or broadcast body (`txBytes` is accepted too, as the gateway does), as
 * bytes. Standard and URL-safe base64, padded or not, as Go's JSON decoder for `bytes` accepts.
 */
export function txBytesOf(body: unknown): Uint8Array {
  const record = body as Record<string, unknown>;
  const text = record['tx_bytes'] ?? record['txBytes'];
  if (text === undefined || text === null || text === '') {
    if (record['tx'] !== undefined)
      throw ainError(ErrInvalidRequest, 'the deprecated "tx" field is not supported; send "tx_bytes" (base64 TxRaw)');
    throw ainError(ErrInvalidRequest, 'invalid empty tx: "tx_bytes" (base64 TxRaw) is required');
  }
  if (typeof text !== 'string') throw ainError(ErrTxDecode, '"tx_bytes" must be a base64 string');
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized) || normalized.replace(/=+$/, '').length % 4 === 1) {
    throw ainError(ErrTxDecode, '"tx_bytes" is not valid base64');
  }
  return new Uint8Array(Buffer.from(normalized, 'base64'));
}
