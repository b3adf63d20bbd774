/**
 * The ainft module: AI components as on-chain tokens. Collections and tokens with the NFT operations
 * wallets expect (and the Cosmos x/nft read side), the AINFT schema as typed metadata, composition
 * with share weights, tokens minted from a job's accepted result, re-runs through the job market,
 * and payments split down the composition. The face of `modules/ainft/`.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { ClassInfo, Metadata } from '../../proto/gen/ain/ainft/v1/types.ts';
import type { BankKeeper, JobsKeeper, StateKeeper } from './expected_keepers.ts';
import { type AinftGenesisJson, ainftGenesis } from './genesis.ts';
import { AINFT_MODULE, AinftKeeper } from './keeper.ts';
import { AINFT_ROOT, PARAMS_ROOT } from './keys.ts';
import { ainftJsonTypes, ainftMsgHandlers } from './msg_server.ts';
import { registerNftQueries } from './nftQuery.ts';
import { ainftParamsToJson, readAinftParams } from './params.ts';
import { registerAinftQueries } from './query.ts';
import { ainftRestRoutes } from './rest.ts';

const jsonType = (codec: JsonCodec<unknown> & { $type: string }): readonly [string, JsonCodec<unknown>] => [`/${codec.$type}`, codec];

export const ainftModule: ModuleDefinition<AinftKeeper, AinftGenesisJson> = {
  name: AINFT_MODULE,
  requires: ['bank', 'state', 'jobs'],
  create(registry) {
    const jobs = registry.keeper<JobsKeeper>('jobs');
    const keeper = new AinftKeeper(
      registry.keeper<BankKeeper>('bank'),
      jobs,
      registry.keeper<StateKeeper>('state'),
      registry.moduleAccountAddresses,
    );
    // Re-runs settle when their job requests close.
    jobs.addHooks(keeper);
    return defineModule({
      name: AINFT_MODULE,
      keeper,
      subtrees: [AINFT_ROOT, PARAMS_ROOT],
      msgHandlers: ainftMsgHandlers(keeper),
      queries: queryRoutes((router) => {
        registerAinftQueries(router, keeper);
        registerNftQueries(router, keeper);
      }),
      restRoutes: ainftRestRoutes,
      jsonTypes: [
        ...ainftJsonTypes.map((codec) => jsonType(codec as JsonCodec<unknown> & { $type: string })),
        jsonType(Metadata),
        jsonType(ClassInfo),
      ],
      genesis: ainftGenesis,
      params: (state) => ({ ...ainftParamsToJson(readAinftParams(state)) }),
    });
  },
};
export { AINFT } from './errors.ts';
export type { AinftGenesisJson } from './genesis.ts';
export { HASH_PATTERN, ID_PATTERN, KIND_PATTERN, validateComposition, validateMetadata } from './msgs.ts';
export { parseScore, scoreOf } from './reruns.ts';
export { resultHashOf, sha256Hex } from './provenance.ts';
