import { MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import type { Context, MsgHandler } from '../../core/index.ts';
import { ainError, ErrUnauthorized, coinsFromProto } from '../../core/index.ts';
import type { BankKeeper } from './keeper.ts';
import { MSG_SEND_TYPE_URL, validateMsgSend } from './msgs.ts';

/** MsgSend: move coins from the signer to any account except a blocked module account. */
export function msgSendHandler(bank: BankKeeper, blockedAddresses: ReadonlySet<string>): MsgHandler<MsgSend> {
  return {
    typeUrl: MSG_SEND_TYPE_URL,
    module: 'bank',
    decode: (bytes) => MsgSend.decode(bytes),
    validateBasic: validateMsgSend,
    signers: (msg) => [msg.fromAddress],
    handle(ctx: Context, msg: MsgSend) {
      if (blockedAddresses.has(msg.toAddress)) {
        throw ainError(ErrUnauthorized, `to_address ${msg.toAddress} is a module account and is not allowed to receive funds`);
      }
      bank.sendCoins(ctx, msg.fromAddress, msg.toAddress, coinsFromProto(msg.amount));
      return { typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: MsgSendResponse.encode({}).finish() };
    },
  };
}
