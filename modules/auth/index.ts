/**
 * The auth module: accounts (numbers, sequences, public keys), the fee collector, and the params the
 * ante handler checks every tx against. Its one message is the gov authority's MsgUpdateParams (the
 * ante handler in `app/` uses the keeper). The face of `modules/auth/`.
 */
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { ContinuousVestingAccount, DelayedVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import { type AuthGenesisJson, authGenesis } from './genesis.ts';
import { AuthKeeper } from './keeper.ts';
import { AUTH_ROOT, FEE_COLLECTOR } from './keys.ts';
import { authMsgHandlers } from './msg_server.ts';
import { authParamsToJson, readAuthParams } from './params.ts';
import { registerAuthQueries } from './query.ts';
import { authRestRoutes } from './rest.ts';
import { CONTINUOUS_VESTING_ACCOUNT, DELAYED_VESTING_ACCOUNT } from './vesting.ts';

/** The account types the Account queries answer in an `Any`, with their codecs (to print them unpacked). */
export const ACCOUNT_JSON_TYPES: ReadonlyArray<readonly [string, JsonCodec<unknown>]> = [
  ['/cosmos.auth.v1beta1.BaseAccount', BaseAccount as JsonCodec<unknown>],
  ['/cosmos.auth.v1beta1.ModuleAccount', ModuleAccount as JsonCodec<unknown>],
  [CONTINUOUS_VESTING_ACCOUNT, ContinuousVestingAccount as JsonCodec<unknown>],
  [DELAYED_VESTING_ACCOUNT, DelayedVestingAccount as JsonCodec<unknown>],
];

export const authModule: ModuleDefinition<AuthKeeper, AuthGenesisJson> = {
  name: 'auth',
  requires: [],
  create(registry) {
    const keeper = new AuthKeeper();
    return defineModule({
      name: 'auth',
      keeper,
      subtrees: ['/accounts/<address>/{number,sequence,pub_key,vesting}', AUTH_ROOT, '/params/auth'],
      moduleAccounts: [FEE_COLLECTOR],
      msgHandlers: authMsgHandlers(),
      queries: queryRoutes((router) => registerAuthQueries(router, keeper, registry.moduleAccountNames)),
      restRoutes: authRestRoutes,
      jsonTypes: [...ACCOUNT_JSON_TYPES, ['/cosmos.auth.v1beta1.MsgUpdateParams', MsgUpdateParams]],
      genesis: authGenesis(keeper),
      params: (state) => ({ ...authParamsToJson(readAuthParams(state)) }),
    });
  },
};
export { baseOfGenesisAccount, genesisAccount, genesisVestingAccount } from './genesis.ts';
export type { AnyGenesisAccountJson, AuthGenesisJson, GenesisVestingAccountJson } from './genesis.ts';
export { AuthKeeper } from './keeper.ts';
export { FEE_COLLECTOR } from './keys.ts';
export { readAuthParams, requiredFee } from './params.ts';
export type { AuthParams } from './params.ts';
export { SECP256K1_PUBKEY_TYPE_URL } from './query.ts';
export { CONTINUOUS_VESTING_ACCOUNT, DELAYED_VESTING_ACCOUNT, lockedAmount, stillVestingAmount, type Vesting } from './vesting.ts';
