import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { ainError, ErrInvalidRequest, parseAddress, coinsFromProto } from '../../core/index.ts';

export const MSG_SEND_TYPE_URL = '/cosmos.bank.v1beta1.MsgSend';

/** Stateless checks of MsgSend: both addresses valid, coins positive, sorted and unique. */
export function validateMsgSend(msg: MsgSend): void {
  parseAddress(msg.fromAddress, 'from_address');
  parseAddress(msg.toAddress, 'to_address');
  if (msg.amount.length === 0) throw ainError(ErrInvalidRequest, 'amount is empty; expected at least one coin');
  coinsFromProto(msg.amount, 'amount');
}

export { MsgSend };
