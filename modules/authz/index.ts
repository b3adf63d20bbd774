/**
 * The authz module: one account (the granter) lets another (the grantee) run messages for it, as the
 * Cosmos SDK v0.50's x/authz (`cosmos.authz.v1beta1` MsgGrant, MsgExec, MsgRevoke and queries; the
 * Generic, Send and Stake authorizations). The face of `modules/authz/`.
 */
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import * as tx from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { type AuthzGenesisJson, authzGenesis } from './genesis.ts';
import { AuthzKeeper } from './keeper.ts';
import { AUTHZ_ROOT } from './keys.ts';
import { AUTHZ_MODULE, authzMsgHandlers } from './msg_server.ts';
import { registerAuthzQueries } from './query.ts';
import { authzRestRoutes } from './rest.ts';

/** End-of-block order: first, as the SDK prunes expired grants in its BeginBlocker. */
export const AUTHZ_END_BLOCK_ORDER = 10;

export const authzModule: ModuleDefinition<AuthzKeeper, AuthzGenesisJson> = {
  name: AUTHZ_MODULE,
  requires: [],
  create(registry) {
    const keeper = new AuthzKeeper(() => registry.msgRouter);
    const codecs: Array<[string, JsonCodec<unknown>]> = [
      tx.MsgGrant,
      tx.MsgGrantResponse,
      tx.MsgExec,
      tx.MsgExecResponse,
      tx.MsgRevoke,
      tx.MsgRevokeResponse,
      GenericAuthorization,
      SendAuthorization,
      StakeAuthorization,
    ].map((codec) => [codec.typeUrl, codec as JsonCodec<unknown>]);
    return defineModule({
      name: AUTHZ_MODULE,
      keeper,
      subtrees: [AUTHZ_ROOT],
      msgHandlers: authzMsgHandlers(keeper, () => registry.msgRouter),
      queries: queryRoutes((router) => registerAuthzQueries(router, keeper)),
      restRoutes: authzRestRoutes,
      jsonTypes: codecs,
      genesis: authzGenesis(keeper),
      endBlock: {
        order: AUTHZ_END_BLOCK_ORDER,
        run: (ctx) => {
          keeper.pruneExpired(ctx);
          return undefined;
        },
      },
    });
  },
};
export type { AuthzGenesisJson } from './genesis.ts';
export type { AuthzKeeper, GrantEntry, GrantRecord } from './keeper.ts';
