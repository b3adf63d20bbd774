import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { parseValoper } from '../staking/index.ts';

export const MSG_UNJAIL_TYPE_URL = '/cosmos.slashing.v1beta1.MsgUnjail';

export function validateMsgUnjail(msg: MsgUnjail): void {
  parseValoper(msg.validatorAddr, 'validator_addr');
}

export { MsgUnjail };
