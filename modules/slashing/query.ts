import type { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import {
  QueryParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { decodeQueryRequest, ainError, decToAtomics, paginate } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import { consAddressBech32, parseValcons } from '../staking/index.ts';
import { ErrNoSigningInfoFound } from './errors.ts';
import type { SigningInfo, SlashingKeeper } from './keeper.ts';

export function signingInfoToProto(info: SigningInfo): ValidatorSigningInfo {
  return {
    address: consAddressBech32(info.consAddress),
    startHeight: info.startHeight,
    indexOffset: info.indexOffset,
    jailedUntil: { seconds: info.jailedUntil, nanos: 0 },
    tombstoned: info.tombstoned,
    missedBlocksCounter: info.missedBlocksCounter,
  };
}

/** LegacyDec in a `bytes` field (slashing's params): the atomics as ASCII, as the SDK marshals it. */
const decBytes = (atomics: bigint): Uint8Array => new TextEncoder().encode(decToAtomics(atomics));

/**
 * The standard `cosmos.slashing.v1beta1.Query` paths: SigningInfo (by `ainvalcons1...`), SigningInfos
 * (paged in consensus-address order over at most 1,000), Params.
 */
export function registerSlashingQueries(router: QueryRegistrar, keeper: SlashingKeeper): void {
  router.register('/cosmos.slashing.v1beta1.Query/SigningInfo', (state, data) => {
    const { consAddress } = decodeQueryRequest(QuerySigningInfoRequest, data);
    const info = keeper.signingInfo(state, parseValcons(consAddress, 'cons_address'));
    if (!info) throw ainError(ErrNoSigningInfoFound, `rpc error: code = NotFound desc = no signing info for ${consAddress}`);
    return QuerySigningInfoResponse.encode({ valSigningInfo: signingInfoToProto(info) }).finish();
  });
  router.register('/cosmos.slashing.v1beta1.Query/SigningInfos', (state, data) => {
    const { pagination } = decodeQueryRequest(QuerySigningInfosRequest, data);
    const page = paginate(keeper.signingInfos(state), (info) => info.consAddress, pagination);
    return QuerySigningInfosResponse.encode({ info: page.items.map(signingInfoToProto), pagination: page.pagination }).finish();
  });
  router.register('/cosmos.slashing.v1beta1.Query/Params', (state) => {
    const params = keeper.params(state);
    return QueryParamsResponse.encode({
      params: {
        signedBlocksWindow: params.signedBlocksWindow,
        minSignedPerWindow: decBytes(params.minSignedPerWindow),
        downtimeJailDuration: { seconds: params.downtimeJailDuration, nanos: 0 },
        slashFractionDoubleSign: decBytes(params.slashFractionDoubleSign),
        slashFractionDowntime: decBytes(params.slashFractionDowntime),
      },
    }).finish();
  });
}
