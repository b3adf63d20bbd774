/**
 * Routes only CometBFT can answer (node info, blocks, indexed txs) and broadcasting, read from its RPC
 * and printed as the SDK's gateway prints the `cosmos.base.tendermint.v1beta1` and `cosmos.tx.v1beta1`
 * services: CometBFT's hex hashes become base64 bytes, its RFC 3339 times keep their nanoseconds.
 */
import { createHash } from 'node:crypto';
import { toBech32 } from '@cosmjs/encoding';
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { GetLatestBlockResponse, GetNodeInfoResponse, GetSyncingResponse } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import { BroadcastTxResponse, GetTxResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import type { BlockID, CommitSig, Header } from 'cosmjs-types/tendermint/types/types';
import {
  ADDRESS_PREFIX,
  AinError,
  ainError,
  ErrInvalidHeight,
  ErrInvalidRequest,
  ErrMempoolIsFull,
  ErrNotFound,
  ErrTxInMempoolCache,
  ErrTxTooLarge,
  type ErrorDefinition,
  formatTimestamp,
  parseTimestamp,
  toProtoJson,
} from '../../core/index.ts';
import { buildInfo } from './buildInfo.ts';
import { txBytesOf } from './txRoutes.ts';
import { base64Bytes, field, hexBytes, int, int32, list, str } from '../../client/index.ts';
import type { RestContext, RestHandler } from '../../core/index.ts';

/** `application_version.name` and `app_name` of node_info. */
export const APP_NAME = 'ain';
export const APP_BINARY = 'aind';

/**
 * `GET /cosmos/base/tendermint/v1beta1/node_info`: CometBFT's node info and this app's version: name,
 * version, git commit, runtime and dependencies (`buildInfo`), and the Cosmos SDK version whose routes
 * and shapes this server follows, by which clients choose their route set.
 */
export const getNodeInfo: RestHandler = async (context) => {
  const status = await context.comet('status', {});
  const info = field(status, 'node_info');
  const protocol = field(info, 'protocol_version');
  const other = field(info, 'other');
  const build = buildInfo();
  const message = GetNodeInfoResponse.fromPartial({
    defaultNodeInfo: {
      protocolVersion: { p2p: int(protocol, 'p2p'), block: int(protocol, 'block'), app: int(protocol, 'app') },
      defaultNodeId: str(info, 'id'),
      listenAddr: str(info, 'listen_addr'),
      network: str(info, 'network'),
      version: str(info, 'version'),
      channels: hexBytes(info, 'channels'),
      moniker: str(info, 'moniker'),
      other: { txIndex: str(other, 'tx_index'), rpcAddress: str(other, 'rpc_address') },
    },
    applicationVersion: {
      name: APP_NAME,
      appName: APP_BINARY,
      version: context.appVersion,
      gitCommit: build.gitCommit,
      buildTags: build.buildTags,
      goVersion: build.runtime,
      buildDeps: build.deps.map((dep) => ({ path: dep.path, version: dep.version, sum: '' })),
      cosmosSdkVersion: build.cosmosSdkVersion,
    },
  });
  return { body: toProtoJson(GetNodeInfoResponse, message, context.anyTypes) };
};

/** `GET /cosmos/base/tendermint/v1beta1/syncing`: whether CometBFT is still catching up. */
export const getSyncing: RestHandler = async (context) => {
  const status = await context.comet('status', {});
  const syncing = field(field(status, 'sync_info'), 'catching_up') === true;
  return { body: toProtoJson(GetSyncingResponse, GetSyncingResponse.fromPartial({ syncing }), context.anyTypes) };
};

/** `GET /cosmos/base/tendermint/v1beta1/blocks/latest` */
export const getLatestBlock: RestHandler = (context) => blockReply(context, {});

/** `GET /cosmos/base/tendermint/v1beta1/blocks/{height}` */
export const getBlockByHeight: RestHandler = (context, request) => {
  const text = request.params[0] ?? '';
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 0x7fffffffffffffffn) {
    throw ainError(ErrInvalidHeight, `block height "${text}" is not a positive integer`);
  }
  return blockReply(context, { height: BigInt(text).toString() });
};

/**
 * CometBFT's `/block` as `GetBlockByHeightResponse` (same shape as `GetLatestBlockResponse`):
 * `block_id`, `block` (tendermint.types.Block) and `sdk_block` (proposer as an `ainvalcons1...`
 * address). Evidence is not carried over: the list is always empty.
 */
async function blockReply(context: RestContext, params: Record<string, unknown>) {
  const message = GetLatestBlockResponse.fromPartial(await readBlock(context, params));
  return { body: toProtoJson(GetLatestBlockResponse, message, context.anyTypes), height: message.block!.header!.height };
}

/** The parts of a block the block and txs-of-a-block routes print: its id, the block, and the SDK's block. */
export async function readBlock(context: RestContext, params: Record<string, unknown>) {
  const result = await context.comet('block', params);
  const block = field(result, 'block');
  if (block === null || typeof block !== 'object') throw ainError(ErrNotFound, `block ${String(params['height'] ?? 'latest')} not found`);
  const header = headerOf(field(block, 'header'));
  const commit = field(block, 'last_commit');
  const body = {
    data: { txs: list(field(block, 'data'), 'txs').map((tx) => base64Bytes(tx)) },
    evidence: { evidence: [] },
    lastCommit: {
      height: int(commit, 'height'),
      round: int32(commit, 'round'),
      blockId: blockIdOf(field(commit, 'block_id')),
      signatures: list(commit, 'signatures').map(commitSigOf),
    },
  };
  return {
    blockId: blockIdOf(field(result, 'block_id')),
    block: { header, ...body },
    sdkBlock: {
      header: {
        ...header,
        proposerAddress: header.proposerAddress.length > 0 ? toBech32(`${ADDRESS_PREFIX}valcons`, header.proposerAddress) : '',
      },
      ...body,
    },
  };
}

function blockIdOf(value: unknown): BlockID {
  const parts = field(value, 'parts');
  return { hash: hexBytes(value, 'hash'), partSetHeader: { total: int32(parts, 'total'), hash: hexBytes(parts, 'hash') } };
}

function headerOf(value: unknown): Header {
  const version = field(value, 'version');
  return {
    version: { block: int(version, 'block'), app: int(version, 'app') },
    chainId: str(value, 'chain_id'),
    height: int(value, 'height'),
    time: parseTimestamp(str(value, 'time')) ?? { seconds: 0n, nanos: 0 },
    lastBlockId: blockIdOf(field(value, 'last_block_id')),
    lastCommitHash: hexBytes(value, 'last_commit_hash'),
    dataHash: hexBytes(value, 'data_hash'),
    validatorsHash: hexBytes(value, 'validators_hash'),
    nextValidatorsHash: hexBytes(value, 'next_validators_hash'),
    consensusHash: hexBytes(value, 'consensus_hash'),
    appHash: hexBytes(value, 'app_hash'),
    lastResultsHash: hexBytes(value, 'last_results_hash'),
    evidenceHash: hexBytes(value, 'evidence_hash'),
    proposerAddress: hexBytes(value, 'proposer_address'),
  };
}

function commitSigOf(value: unknown): CommitSig {
  return {
    blockIdFlag: int32(value, 'block_id_flag'),
    validatorAddress: hexBytes(value, 'validator_address'),
    timestamp: parseTimestamp(str(value, 'timestamp')) ?? { seconds: 0n, nanos: 0 },
    signature: base64Bytes(value, 'signature'),
  };
}

/** `GET /cosmos/tx/v1beta1/txs/{hash}`: a committed tx from CometBFT's indexer, with its result. */
export const getTx: RestHandler = async (context, request) => {
  const text = request.params[0] ?? '';
  if (!/^(?:0x)?[0-9a-fA-F]{64}$/.test(text)) throw ainError(ErrInvalidRequest, `tx hash "${text}" is not 64 hex characters`);
  const hash = text.replace(/^0x/, '').toUpperCase();
  let result: unknown;
  try {
    result = await context.comet('tx', { hash: Buffer.from(hash, 'hex').toString('base64'), prove: false });
  } catch (error) {
    if (error instanceof AinError && error.is(ErrInvalidRequest) && /not found/i.test(error.message)) {
      throw ainError(ErrNotFound, `tx not found: ${hash}`);
    }
    throw error;
  }
  const height = int(result, 'height');
  const { tx, txResponse } = indexedTxOf(result, await blockTime(context, height));
  const message = GetTxResponse.fromPartial({ ...(tx ? { tx } : {}), txResponse });
  return { body: toProtoJson(GetTxResponse, message, context.anyTypes), height };
};

/**
 * One tx of CometBFT's indexer (`tx` or an item of `tx_search`) as the SDK's `TxResponse`, with the
 * decoded `Tx` (undefined when its bytes are not a Cosmos tx) and the block time given.
 */
export function indexedTxOf(result: unknown, timestamp: string): { tx: Tx | undefined; txResponse: TxResponse } {
  const txResult = field(result, 'tx_result');
  const tx = decodeTx(base64Bytes(result, 'tx'));
  const txResponse = TxResponse.fromPartial({
    height: int(result, 'height'),
    txhash: str(result, 'hash').toUpperCase(),
    codespace: str(txResult, 'codespace'),
    code: int32(txResult, 'code'),
    data: Buffer.from(base64Bytes(txResult, 'data')).toString('hex').toUpperCase(),
    rawLog: str(txResult, 'log'),
    info: str(txResult, 'info'),
    gasWanted: int(txResult, 'gas_wanted'),
    gasUsed: int(txResult, 'gas_used'),
    ...(tx ? { tx: { typeUrl: '/cosmos.tx.v1beta1.Tx', value: Tx.encode(tx).finish() } } : {}),
    timestamp,
    events: list(txResult, 'events').map(eventOf),
  });
  return { tx, txResponse };
}

/** A `TxRaw` as the decoded `Tx` the SDK prints; undefined when the bytes are not one. */
export function decodeTx(bytes: Uint8Array): Tx | undefined {
  try {
    const raw = TxRaw.decode(bytes);
    return { body: TxBody.decode(raw.bodyBytes), authInfo: AuthInfo.decode(raw.authInfoBytes), signatures: raw.signatures };
  } catch {
    return undefined;
  }
}

/** The block's time in RFC 3339 without fractions, as the SDK fills `tx_response.timestamp`; '' if unknown. */
export async function blockTime(context: RestContext, height: bigint): Promise<string> {
  if (height <= 0n) return '';
  try {
    const result = await context.comet('header', { height: height.toString() });
    const time = parseTimestamp(str(field(result, 'header'), 'time'));
    return time ? formatTimestamp({ seconds: time.seconds, nanos: 0 }) : '';
  } catch {
    return '';
  }
}

function eventOf(value: unknown): Event {
  return {
    type: str(value, 'type'),
    attributes: list(value, 'attributes').map((attribute) => ({
      key: str(attribute, 'key'),
      value: str(attribute, 'value'),
      index: field(attribute, 'index') === true,
    })),
  };
}

/** CometBFT's mempool refusals that the SDK reports as a tx_response with an SDK code, not an error. */
const MEMPOOL_REFUSALS: ReadonlyArray<readonly [RegExp, ErrorDefinition]> = [
  [/tx already exists in cache/i, ErrTxInMempoolCache],
  [/mempool is full/i, ErrMempoolIsFull],
  [/tx too large/i, ErrTxTooLarge],
];

/**
 * `POST /cosmos/tx/v1beta1/txs` with `{tx_bytes, mode}`: hands the tx to CometBFT's
 * `broadcast_tx_sync` (CheckTx result in `code`/`raw_log`) or `broadcast_tx_async` (hash only).
 * `BROADCAST_MODE_BLOCK` was removed from the SDK and is refused.
 */
export const broadcastTx: RestHandler = async (context, request) => {
  const txBytes = txBytesOf(request.body);
  const method = broadcastMethodOf((request.body as Record<string, unknown>)['mode']);
  const txhash = createHash('sha256').update(txBytes).digest('hex').toUpperCase();
  let txResponse: TxResponse;
  try {
    const result = await context.comet(method, { tx: Buffer.from(txBytes).toString('base64') });
    txResponse = TxResponse.fromPartial({
      height: 0n,
      txhash: str(result, 'hash').toUpperCase() || txhash,
      codespace: str(result, 'codespace'),
      code: int32(result, 'code'),
      data: str(result, 'data').toUpperCase(),
      rawLog: str(result, 'log'),
    });
  } catch (error) {
    if (!(error instanceof AinError) || !error.is(ErrInvalidRequest)) throw error;
    const reason = typeof error.meta['rpcData'] === 'string' && error.meta['rpcData'] !== '' ? error.meta['rpcData'] : error.message;
    const definition = MEMPOOL_REFUSALS.find(([pattern]) => pattern.test(reason))?.[1];
    if (!definition) throw error;
    txResponse = TxResponse.fromPartial({ txhash, codespace: definition.codespace, code: definition.code, rawLog: reason });
  }
  return { body: toProtoJson(BroadcastTxResponse, BroadcastTxResponse.fromPartial({ txResponse }), context.anyTypes) };
};

function broadcastMethodOf(mode: unknown): 'broadcast_tx_sync' | 'broadcast_tx_async' {
  switch (mode) {
    case 'BROADCAST_MODE_SYNC':
    case 2:
    case '2':
      return 'broadcast_tx_sync';
    case 'BROADCAST_MODE_ASYNC':
    case 3:
    case '3':
      return 'broadcast_tx_async';
    case 'BROADCAST_MODE_BLOCK':
    case 1:
    case '1':
      throw ainError(
        ErrInvalidRequest,
        'BROADCAST_MODE_BLOCK is not supported (removed in Cosmos SDK 0.47); use BROADCAST_MODE_SYNC and query the tx',
      );
    default:
      throw ainError(
        ErrInvalidRequest,
        `unsupported broadcast mode ${JSON.stringify(mode) ?? 'undefined'}; use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`,
      );
  }
}
