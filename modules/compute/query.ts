/** The compute module's ABCI queries, `ain.compute.v1.Query`: Params (and whether it is on) and Epoch. */
import { decToText, type QueryRegistrar } from '../../core/index.ts';
import { QueryEpochResponse, QueryParamsResponse } from '../../proto/gen/ain/compute/v1/query.ts';
import type { ComputeKeeper } from './keeper.ts';
import { computeParamsToProto, defaultComputeParams } from './params.ts';

export function registerComputeQueries(router: QueryRegistrar, keeper: ComputeKeeper): void {
  router.register('/ain.compute.v1.Query/Params', (state) => {
    const params = keeper.params(state);
    return QueryParamsResponse.encode({
      params: computeParamsToProto(params ?? defaultComputeParams()),
      enabled: params !== undefined,
    }).finish();
  });
  router.register('/ain.compute.v1.Query/Epoch', (state) => {
    const e = keeper.epoch(state);
    return QueryEpochResponse.encode({
      epoch: {
        number: e.number,
        units: e.units.toString(),
        lastUnits: e.lastUnits.toString(),
        average: decToText(e.average),
        minted: e.minted.toString(),
        burned: e.burned.toString(),
        lastMinted: e.lastMinted.toString(),
        lastBurned: e.lastBurned.toString(),
      },
    }).finish();
  });
}
