/**
 * The storage module: Big Storage on chain. Providers register with their price and capacity;
 * clients reserve paid space (escrowed, paid to the provider as block time passes); owners decide who
 * may read their blobs (public, grants with expiry, or the nodes accepted on a job request) and share
 * data keys wrapped for the readers the chain admits. The face of `modules/storage/`.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper, JobsKeeper } from './expected_keepers.ts';
import { type StorageGenesisJson, storageGenesis } from './genesis.ts';
import { STORAGE_MODULE, StorageKeeper } from './keeper.ts';
import { PARAMS_ROOT, STORAGE_ROOT } from './keys.ts';
import { storageJsonTypes, storageMsgHandlers } from './msg_server.ts';
import { readStorageParams, storageParamsToJson } from './params.ts';
import { registerStorageQueries } from './query.ts';
import { storageRestRoutes } from './rest.ts';

/** End-of-block order: after the jobs deadlines (200), before rewards (800). */
export const STORAGE_END_BLOCK_ORDER = 300;

const jsonType = (codec: JsonCodec<unknown> & { $type: string }): readonly [string, JsonCodec<unknown>] => [`/${codec.$type}`, codec];

export const storageModule: ModuleDefinition<StorageKeeper, StorageGenesisJson> = {
  name: STORAGE_MODULE,
  requires: ['bank', 'jobs'],
  create(registry) {
    const keeper = new StorageKeeper(registry.keeper<BankKeeper>('bank'), registry.keeper<JobsKeeper>('jobs'));
    return defineModule({
      name: STORAGE_MODULE,
      keeper,
      subtrees: [STORAGE_ROOT, PARAMS_ROOT],
      moduleAccounts: [STORAGE_MODULE],
      msgHandlers: storageMsgHandlers(keeper),
      queries: queryRoutes((router) => registerStorageQueries(router, keeper)),
      restRoutes: storageRestRoutes,
      jsonTypes: storageJsonTypes.map((codec) => jsonType(codec as JsonCodec<unknown> & { $type: string })),
      genesis: storageGenesis(keeper),
      params: (state) => ({ ...storageParamsToJson(readStorageParams(state)) }),
      endBlock: {
        order: STORAGE_END_BLOCK_ORDER,
        run(ctx) {
          keeper.endBlock(ctx);
          return undefined;
        },
      },
    });
  },
};
export { keyCommitment } from './access.ts';
export { BIGSTORAGE } from './errors.ts';
export type { StorageGenesisJson } from './genesis.ts';
export { BACKENDS, HASH_PATTERN, WRAPPED_KEY_BYTES } from './msgs.ts';
export { earned, GIB_SECONDS, reservationPrice } from './reservations.ts';
