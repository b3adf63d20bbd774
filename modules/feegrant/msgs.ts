/**
 * The feegrant messages and their stateless checks, as the Cosmos SDK's x/feegrant:
 * MsgGrantAllowance (granter and grantee valid and different, the allowance one of the three kinds and
 * valid), MsgRevokeAllowance (both valid and different), MsgPruneAllowances (a valid pruner).
 */
import { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { ainError, ErrInvalidAddress, parseAddress } from '../../core/index.ts';
import { type FeeAllowance, validateAllowance } from './allowance.ts';
import { allowanceFromAny } from './codec.ts';

export const MSG_GRANT_ALLOWANCE_TYPE_URL = '/cosmos.feegrant.v1beta1.MsgGrantAllowance';
export const MSG_REVOKE_ALLOWANCE_TYPE_URL = '/cosmos.feegrant.v1beta1.MsgRevokeAllowance';
export const MSG_PRUNE_ALLOWANCES_TYPE_URL = '/cosmos.feegrant.v1beta1.MsgPruneAllowances';

/**
 * The allowance a grant carries, checked (the SDK's `ValidateBasic` of the message and the allowance).
 * @throws AinError sdk/7 (invalid address, or a self-grant), sdk/10, sdk/18, feegrant/4, feegrant/6
 */
export function validateMsgGrantAllowance(msg: MsgGrantAllowance): FeeAllowance {
  parseAddress(msg.granter, 'granter');
  parseAddress(msg.grantee, 'grantee');
  if (msg.granter === msg.grantee)
    throw ainError(ErrInvalidAddress, `granter and grantee are both ${msg.granter}; cannot self-grant fee authorization`);
  const allowance = allowanceFromAny(msg.allowance);
  validateAllowance(allowance);
  return allowance;
}

/** @throws AinError sdk/7 for an invalid address or granter = grantee */
export function validateMsgRevokeAllowance(msg: MsgRevokeAllowance): void {
  parseAddress(msg.granter, 'granter');
  parseAddress(msg.grantee, 'grantee');
  if (msg.granter === msg.grantee)
    throw ainError(ErrInvalidAddress, `granter and grantee are both ${msg.granter}; addresses must be different`);
}

/** @throws AinError sdk/7 for an invalid pruner */
export function validateMsgPruneAllowances(msg: MsgPruneAllowances): void {
  parseAddress(msg.pruner, 'pruner');
}

export { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance };
