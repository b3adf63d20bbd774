/**
 * The bank module: balances, supply and `cosmos.bank.v1beta1.MsgSend`. The face of `modules/bank/`.
 */
import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { AccountKeeper } from './expected_keepers.ts';
import { type BankGenesisJson, bankGenesis } from './genesis.ts';
import { BankKeeper } from './keeper.ts';
import { DENOM_METADATA_ROOT, SUPPLY_ROOT } from './keys.ts';
import { msgSendHandler } from './msg_server.ts';
import { defaultBankParams } from './params.ts';
import { registerBankQueries } from './query.ts';
import { bankRestRoutes } from './rest.ts';

export const bankModule: ModuleDefinition<BankKeeper, BankGenesisJson> = {
  name: 'bank',
  requires: ['auth'],
  create(registry) {
    const accounts = registry.keeper<AccountKeeper>('auth');
    const keeper = new BankKeeper(accounts);
    return defineModule({
      name: 'bank',
      keeper,
      subtrees: ['/accounts/<address>/balance', SUPPLY_ROOT, DENOM_METADATA_ROOT],
      // Module accounts hold what their modules account for: MsgSend may not pay them.
      msgHandlers: [msgSendHandler(keeper, registry.moduleAccountAddresses)],
      queries: queryRoutes((router) => registerBankQueries(router, keeper)),
      restRoutes: bankRestRoutes,
      jsonTypes: [
        ['/cosmos.bank.v1beta1.MsgSend', MsgSend],
        ['/cosmos.bank.v1beta1.MsgSendResponse', MsgSendResponse],
        ['/cosmos.bank.v1beta1.MsgMultiSend', MsgMultiSend],
        ['/cosmos.bank.v1beta1.MsgMultiSendResponse', MsgMultiSendResponse],
      ],
      genesis: bankGenesis(keeper, accounts),
      params: () => ({ ...defaultBankParams() }),
    });
  },
};
export type { BankGenesisJson } from './genesis.ts';
export { BankKeeper } from './keeper.ts';
export { balancePath } from './keys.ts';
export { type DenomMetadataJson, defaultDenomMetadata, DISPLAY_DENOM, DISPLAY_EXPONENT } from './metadata.ts';
