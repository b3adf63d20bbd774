/**
 * The AIN Chain client: what a dApp imports to read and write the state tree through CosmJS.
 *
 * @example
 * import { connectAin } from './client/index.ts'; // from the repo root
 *
 * const client = await connectAin({ rpcUrl: 'http://127.0.0.1:26657', signer: wallet });
 * await client.createApp('chat', { admins: [client.address!] });
 * await client.ref('/apps/chat/posts/$user').setRule({ write: 'auth.addr == $user' });
 * const post = client.ref(`/apps/chat/posts/${client.address}/1`);
 * await post.setValue({ text: 'hello' });
 * (await post.get()).value;                        // { text: 'hello' }
 * await post.child('text').prove().then((p) => p.verify()); // true
 * client.disconnect();
 */
export {
  type AinClient,
  type AinftClient,
  type ConnectAinOptions,
  connectAin,
  DEFAULT_GAS_ADJUSTMENT,
  DEFAULT_GAS_PRICE,
} from './connectAin.ts';
export type { EvalRuleOptions, StateRef, TxOptions } from './ref.ts';
export {
  AINFT_TYPE_URLS,
  ainAinftTypes,
  ainJobsTypes,
  ainRegistry,
  ainStateTypes,
  ainTriggersTypes,
  JOBS_TYPE_URLS,
  STATE_TYPE_URLS,
  TRIGGERS_TYPE_URLS,
} from './registry.ts';
export { type JobsEncodeObject, jobsMsg, resultCommitment, SALT_PATTERN, testDataCommitment } from './jobsMessages.ts';
export {
  JOBS_QUERY_PATHS,
  queryJob,
  queryJobNode,
  queryJobNodes,
  queryJobRequest,
  queryJobs,
  queryJobsParams,
  queryJobStats,
  queryLiveRequests,
} from './queryJobs.ts';
export { type AinftApi, type MintOptions, type RerunTerms, ainftApi } from './ainft.ts';
export {
  type AinftEncodeObject,
  type ChildShare,
  ainftMsg,
  compositionOf,
  metadataFromJson,
  parseChildren,
  parseTokenRef,
} from './ainftMessages.ts';
export {
  AINFT_QUERY_PATHS,
  queryAinftParams,
  queryApprovedForAll,
  queryChildren,
  queryClass,
  queryClasses,
  queryNftBalance,
  queryNftSupply,
  queryOwnerOf,
  queryParents,
  queryProvenance,
  queryReruns,
  querySplit,
  queryToken,
  queryTokens,
} from './queryAinft.ts';
export { AccessKind, ainStorageTypes, keyCommitment, STORAGE_TYPE_URLS, storageMsg } from './storageMessages.ts';
export {
  queryAccess,
  queryCanRead,
  queryKey,
  queryProvider,
  queryProviders,
  queryPubkey,
  queryReservation,
  queryReservations,
  STORAGE_QUERY_PATHS,
} from './queryStorage.ts';
export { queryCall, queryExecutors, queryPendingCalls, TRIGGERS_QUERY_PATHS } from './queryTriggers.ts';
export { ainShardsTypes, SHARDS_TYPE_URLS, shardsMsg } from './shardsMessages.ts';
export {
  queryClientState,
  queryConsensusState,
  queryPackets,
  queryParent,
  queryReceipt,
  queryShard,
  queryShards,
  queryShardValue,
  SHARDS_QUERY_PATHS,
} from './queryShards.ts';
export { type ChildProof, proveChildValue } from './proveChild.ts';
export { appHeight, cometRpc, cometRpcClient } from './cometRpc.ts';
export { type ChainEvent, type ChainEventItem, type EventListener, onEvent, type OnEventOptions } from './onEvent.ts';
export { type OnValueOptions, watchValue } from './onValue.ts';
export { ainChannelsTypes, CHANNELS_TYPE_URLS, channelsMsg } from './channelsMessages.ts';
export { ainCommitteeTypes, COMMITTEE_TYPE_URLS, committeeMsg } from './committeeMessages.ts';
export {
  callHttpFunction,
  type HttpCallResult,
  queryChannel,
  VOUCHER_HEADER,
  type VoucherJson,
  VoucherWallet,
} from './channels.ts';
export {
  CONTRACT_HEADER,
  type ContractCallResult,
  ContractCaller,
  type ContractReceiptJson,
  type ContractRequestJson,
  contractBodyHash,
  queryChannels,
  queryContract,
  queryContractClaims,
  queryContracts,
} from './contracts.ts';
export {
  type BatchOp,
  batchOp,
  type Delta,
  type FunctionConfig,
  type JsonValue,
  type OwnerConfig,
  type OwnerPermissions,
  type RuleConfig,
  type StateEncodeObject,
  type StateLimits,
  parseJsonText,
  stateMsg,
  toJsonText,
} from './messages.ts';
export {
  abciQueryOrThrow,
  type EvalRuleParams,
  type EvalRuleResult,
  type GetOptions,
  type GetParams,
  type HeightOption,
  type MatchRuleResult,
  queryEvalRule,
  queryGet,
  queryMatchRule,
  queryProof,
  STATE_QUERY_PATHS,
  type StateKind,
  type StateProofAnswer,
  type StateQuerier,
  type StateSnapshot,
} from './queryState.ts';
export { fetchAppHash, verifyStateProof, type VerifyStateProofParams } from './verifyStateProof.ts';
export { QueryError, type QueryErrorDetails, TxError, type TxErrorDetails, type TxStage } from './errors.ts';
export { AinError } from '../core/index.ts';
export type { DeliverTxResponse } from '@cosmjs/stargate';
export { base64Bytes, field, hexBytes, int, int32, list, str } from './cometRpc.ts';
