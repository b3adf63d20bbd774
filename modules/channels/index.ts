/**
 * The channels module: prepaid payment channels for HTTP-triggered functions. A payer escrows a
 * deposit for one executor; each call is paid off chain with a cumulative voucher the payer signs;
 * the executor redeems the latest voucher of each channel in batches; the chain enforces budget,
 * expiry and double spend. Service contracts reserve an executor's capacity at a fixed price against
 * its deposit, slashed for misses claimed with signed requests (`contracts.ts`). The face of `modules/channels/`.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { ContractsKeeper } from './contracts.ts';
import { type ChannelsGenesisJson, channelsGenesis } from './genesis.ts';
import { CHANNELS_MODULE, ChannelsKeeper } from './keeper.ts';
import { CHANNELS_ROOT } from './keys.ts';
import { channelsJsonTypes, channelsMsgHandlers } from './msg_server.ts';
import { registerChannelsQueries } from './query.ts';
import { channelsRestRoutes } from './rest.ts';

const jsonType = (codec: JsonCodec<unknown> & { $type: string }): readonly [string, JsonCodec<unknown>] => [`/${codec.$type}`, codec];

export const channelsModule: ModuleDefinition<ChannelsKeeper, ChannelsGenesisJson> = {
  name: CHANNELS_MODULE,
  requires: ['bank'],
  create(registry) {
    const bank = registry.keeper<BankKeeper>('bank');
    const keeper = new ChannelsKeeper(bank);
    const contracts = new ContractsKeeper(bank);
    return defineModule({
      name: CHANNELS_MODULE,
      keeper,
      subtrees: [CHANNELS_ROOT],
      moduleAccounts: [CHANNELS_MODULE],
      msgHandlers: channelsMsgHandlers(keeper, contracts),
      queries: queryRoutes((router) => registerChannelsQueries(router, keeper, contracts)),
      restRoutes: channelsRestRoutes,
      jsonTypes: channelsJsonTypes.map((codec) => jsonType(codec as JsonCodec<unknown> & { $type: string })),
      genesis: channelsGenesis(keeper),
    });
  },
};
export {
  CHANNELS,
  ErrBadVoucherSignature,
  ErrChannelClosed,
  ErrChannelExpired,
  ErrChannelNotFound,
  ErrOverBudget,
  ErrStaleVoucher,
  ErrUnauthorized,
} from './errors.ts';
export {
  contractReceiptSignBytes,
  type ContractRequestTerms,
  contractRequestHash,
  contractRequestSignBytes,
  signContractReceipt,
  signContractRequest,
  verifySigned,
} from './contractSigning.ts';
export { MAX_CLAIMS_PER_MSG } from './contractMsgs.ts';
export { decodeContract, type StoredContract } from './contracts.ts';
export type { ChannelsGenesisJson } from './genesis.ts';
export { CHANNELS_MODULE, type StoredChannel } from './keeper.ts';
export { MAX_VOUCHERS_PER_REDEEM } from './msgs.ts';
export { signVoucher, type VoucherTerms, verifyVoucher, voucherSignBytes } from './voucher.ts';
