import { decodeTxRaw } from '@cosmjs/proto-signing';
import type { comet38 } from '@cosmjs/tendermint-rpc';
import { toBase64, toHex } from '@cosmjs/encoding';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { ainRegistry } from '../../client/index.ts';
import { formatText, type OutputFormat, printResult, toJsonValue } from './output.ts';

/** A transaction result in the shape of the Cosmos SDK's `TxResponse` JSON (64-bit numbers as strings). */
export interface TxResponseJson {
  height: string;
  txhash: string;
  codespace: string;
  code: number;
  data: string;
  raw_log: string;
  gas_wanted: string;
  gas_used: string;
  events: { type: string; attributes: { key: string; value: string }[] }[];
  tx?: unknown;
}

/** A short text summary of a tx result (`--output text`): everything but the events. */
export function formatTxSummary(response: TxResponseJson): string {
  const { events: _events, ...summary } = response;
  return formatText(summary);
}

/**
 * Prints a sent tx's response: JSON, or as text `text` of it (default the summary); a tx the chain
 * refused (code != 0) makes the command exit 1.
 */
export function printSentTx(
  sent: { readonly ok: boolean; readonly response: TxResponseJson },
  format: OutputFormat,
  text: (response: TxResponseJson) => string = formatTxSummary,
): void {
  printResult(sent.response, format, () => text(sent.response));
  if (!sent.ok) process.exitCode = 1;
}

/** Converts CometBFT's `tx` RPC answer to SDK TxResponse JSON, decoding the tx when `withTx`. */
export function txResponseJson(response: comet38.TxResponse, withTx = false): TxResponseJson {
  const result = response.result;
  const json: TxResponseJson = {
    height: String(response.height),
    txhash: toHex(response.hash).toUpperCase(),
    codespace: result.codespace ?? '',
    code: result.code,
    data: result.data ? toHex(result.data).toUpperCase() : '',
    raw_log: result.log ?? '',
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    events: result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
  };
  if (withTx) json.tx = decodeTxJson(response.tx);
  return json;
}

/** Cosmos and AIN Chain messages, so `query tx` shows a state message's fields. */
const registry = ainRegistry();

/**
 * Decodes TxRaw bytes into SDK-style JSON (`body.messages` with `@type`, snake_case fields). Messages
 * of unknown types are shown as their base64 value.
 */
export function decodeTxJson(bytes: Uint8Array): unknown {
  const tx = decodeTxRaw(bytes);
  return {
    body: {
      messages: tx.body.messages.map((any) => {
        const type = registry.lookupType(any.typeUrl) as { toJSON?: (m: unknown) => unknown } | undefined;
        if (!type?.toJSON) return { '@type': any.typeUrl, value: toBase64(any.value) };
        return { '@type': any.typeUrl, ...(snakeKeys(type.toJSON(registry.decode(any))) as object) };
      }),
      memo: tx.body.memo,
      timeout_height: tx.body.timeoutHeight.toString(),
    },
    auth_info: {
      signer_infos: tx.authInfo.signerInfos.map((s) => ({
        public_key:
          s.publicKey?.typeUrl === '/cosmos.crypto.secp256k1.PubKey'
            ? { '@type': s.publicKey.typeUrl, key: toBase64(PubKey.decode(s.publicKey.value).key) }
            : s.publicKey
              ? { '@type': s.publicKey.typeUrl, value: toBase64(s.publicKey.value) }
              : null,
        mode_info: snakeKeys(toJsonValue(s.modeInfo ?? {})),
        sequence: s.sequence.toString(),
      })),
      fee: {
        amount: tx.authInfo.fee?.amount ?? [],
        gas_limit: (tx.authInfo.fee?.gasLimit ?? 0n).toString(),
        payer: tx.authInfo.fee?.payer ?? '',
        granter: tx.authInfo.fee?.granter ?? '',
      },
    },
    signatures: tx.signatures.map((s) => toBase64(s)),
  };
}

/** Renames camelCase keys to snake_case, recursively (ts-proto JSON to the SDK's field names). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.startsWith('@') ? k : k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]),
    );
  }
  return value;
}
