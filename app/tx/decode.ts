import { hash } from 'node:crypto';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainError, ErrTxDecode, ErrTxTooLarge } from '../../core/index.ts';

/** A transaction decoded from `TxRaw` bytes, with the raw parts that signatures cover. */
export interface DecodedTx {
  readonly bytes: Uint8Array;
  /** Upper-case hex sha256 of the tx bytes: the id CometBFT and CosmJS use. */
  readonly hash: string;
  readonly raw: TxRaw;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly messages: readonly Any[];
}

/** Hard bound before any decoding, whatever the genesis parameter says. */
export const ABSOLUTE_MAX_TX_BYTES = 1 << 20;
const MAX_MESSAGES = 64;

export function txHash(bytes: Uint8Array): string {
  // The one-shot hash: half the time of a Hash object for a tx's few hundred bytes.
  return hash('sha256', bytes, 'hex').toUpperCase();
}

/**
 * Decodes Cosmos `TxRaw` bytes. Anything that is not a well-formed tx with a body, auth info, at least
 * one message and a fee is refused with `sdk/2 tx parse error` naming what is wrong.
 */
export function decodeTx(bytes: Uint8Array, maxTxBytes: number = ABSOLUTE_MAX_TX_BYTES): DecodedTx {
  const limit = Math.min(maxTxBytes, ABSOLUTE_MAX_TX_BYTES);
  if (bytes.length > limit) throw ainError(ErrTxTooLarge, `tx is ${bytes.length} bytes; expected at most ${limit}`);
  if (bytes.length === 0) throw ainError(ErrTxDecode, 'tx is empty');
  let raw: TxRaw;
  let body: TxBody;
  let authInfo: AuthInfo;
  try {
    raw = TxRaw.decode(bytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (cause) {
    throw ainError(ErrTxDecode, `tx bytes are not a cosmos.tx.v1beta1.TxRaw (${(cause as Error).message})`);
  }
  if (raw.bodyBytes.length === 0) throw ainError(ErrTxDecode, 'tx body is empty');
  if (raw.authInfoBytes.length === 0) throw ainError(ErrTxDecode, 'tx auth_info is empty');
  if (body.messages.length === 0) throw ainError(ErrTxDecode, 'tx body has no messages; expected at least one');
  if (body.messages.length > MAX_MESSAGES) {
    throw ainError(ErrTxDecode, `tx body has ${body.messages.length} messages; expected at most ${MAX_MESSAGES}`);
  }
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw ainError(ErrTxDecode, 'tx body extension options are not supported; expected none');
  }
  if (!authInfo.fee) throw ainError(ErrTxDecode, 'tx auth_info has no fee');
  return { bytes, hash: txHash(bytes), raw, body, authInfo, messages: body.messages };
}
