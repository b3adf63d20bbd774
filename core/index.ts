/** The face of `core/`: what other folders import from it, name by name. */
// First, for every process that loads core: cosmjs-types' 64-bit varint writer, fixed (see the file).
import './protobufInt64.ts';
export { ADDRESS_PREFIX, moduleAddress, parseAddress, pubkeyToAddress } from './address.ts';
export { RecentResults, bytesKey } from './recentResults.ts';
export { ErrInvalidSigner, GOV_MODULE_NAME, govAuthority, paramsFieldsOf, requireGovAuthority, updateParamsHandler } from './authority.ts';
export {
  BASE_DENOM,
  coinsFromProto,
  coinsToProto,
  formatCoins,
  parseAmount,
  parseCoins,
  subtractCoins,
  validateCoins,
  validateDenom,
} from './coins.ts';
export type { Coin } from './coins.ts';
export type { BlockContext, CoinContext, Context, ExecMode, GenesisContext } from './context.ts';
export { DEC_ONE, DEC_SCALE, decFromAtomics, decFromText, decToAtomics, decToFixed18, decToText, mulDecTruncate } from './decimals.ts';
export {
  AinError,
  ErrAppConfig,
  ErrConflict,
  ErrIO,
  ErrInsufficientFee,
  ErrInsufficientFunds,
  ErrInvalidAddress,
  ErrInvalidChainID,
  ErrInvalidCoins,
  ErrInvalidGasLimit,
  ErrInvalidHeight,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrInvalidType,
  ErrJSONUnmarshal,
  ErrKeyNotFound,
  ErrLogic,
  ErrMemoTooLarge,
  ErrMempoolIsFull,
  ErrNoSignatures,
  ErrNotFound,
  ErrNotSupported,
  ErrOutOfGas,
  ErrPanic,
  ErrTooManySignatures,
  ErrTxDecode,
  ErrTxInMempoolCache,
  ErrTxTimeoutHeight,
  ErrTxTooLarge,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrUnknownRequest,
  ErrWrongPassword,
  ErrWrongSequence,
  ainError,
  registerError,
  registeredError,
  registeredErrors,
} from './errors.ts';
export type { ErrorDefinition } from './errors.ts';
export { EventCollector, indexEventsFilter, protoEvent, toAbciEvents } from './events.ts';
export type { EventIndexFilter, TypedEvent } from './events.ts';
export { GasMeter } from './gas.ts';
export { GasMeteredState, unmeteredView } from './gasState.ts';
export { canonicalJson, isJsonObject, utf8Length } from './json.ts';
export type { JsonValue } from './json.ts';
export { defineModule } from './module.ts';
export type { BlockHook, BlockInfo, ModuleDefinition, ModuleDescriptor, ModuleGenesis } from './module.ts';
export { MsgRouter, msgHandler, signerMsgHandler } from './msgRouter.ts';
export { comparePathKeys, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, pageFrom, paginate, paginateList, paginateRange } from './pagination.ts';
export type { ListedItem, ListOptions, Page, PageOptions, PageRequest, PageResponse } from './pagination.ts';
export type { MsgCodec, MsgHandler, RoutedMsg } from './msgRouter.ts';
export { defaultAnyTypes, formatTimestamp, parseTimestamp, toProtoJson } from './protoJson.ts';
export type { AnyTypes, JsonCodec } from './protoJson.ts';
export { decodeQueryRequest, QueryRouter, queryRoutes } from './queryRouter.ts';
export type { QueryRegistrar, QueryRequestCodec } from './queryRouter.ts';
export { decodeRecord, encodeRecord, readRecord } from './records.ts';
export { abciQuery, pageRequestOf, param, search, searchBool, searchUint } from './rest.ts';
export type {
  CometCall,
  RestContext,
  RestHandler,
  RestMethod,
  RestQuery,
  RestQueryResponse,
  RestReply,
  RestRequest,
  RestRoute,
} from './rest.ts';
export { answerRefusedClient, type ClientRefusal, clientRefusalOf } from './httpRefusal.ts';
export type { ReadableState, StateValue, StateWrite, WritableState } from './state.ts';
export { exportSubtrees, importSubtrees } from './subtrees.ts';
export type { SubtreeLeaves } from './subtrees.ts';
export { checkIndexEntries, checkLeafKinds, type LeafKind, leafShapes, type RecordJson, type SameType } from './leafKinds.ts';
export {
  compareVersions,
  MAX_REQUIREMENTS,
  MAX_RUNTIME_PACKAGES,
  normalizePackageName,
  type PackageVersions,
  parseRequirement,
  parseRequirements,
  parseVersion,
  type Requirement,
  unmetRequirement,
} from './requirements.ts';
