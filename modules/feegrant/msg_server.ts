/** One thin handler per feegrant message: grant, revoke, prune. */
import { MsgGrantAllowanceResponse, MsgPruneAllowancesResponse, MsgRevokeAllowanceResponse } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { type MsgHandler, msgHandler } from '../../core/index.ts';
import type { FeegrantKeeper } from './keeper.ts';
import {
  MsgGrantAllowance,
  MsgPruneAllowances,
  MsgRevokeAllowance,
  validateMsgGrantAllowance,
  validateMsgPruneAllowances,
  validateMsgRevokeAllowance,
} from './msgs.ts';

const module = 'feegrant';

/** The handlers; `blocked` are the module accounts a grant may not create an account for. */
export function feegrantMsgHandlers(keeper: FeegrantKeeper, blocked: ReadonlySet<string>): MsgHandler<unknown>[] {
  const handlers = [
    msgHandler({
      module,
      msg: MsgGrantAllowance,
      response: MsgGrantAllowanceResponse,
      validateBasic: validateMsgGrantAllowance,
      signers: (m) => [m.granter],
      handle: (ctx, m) => keeper.grantAllowance(ctx, m.granter, m.grantee, validateMsgGrantAllowance(m), blocked),
    }),
    msgHandler({
      module,
      msg: MsgRevokeAllowance,
      response: MsgRevokeAllowanceResponse,
      validateBasic: validateMsgRevokeAllowance,
      signers: (m) => [m.granter],
      handle: (ctx, m) => keeper.revokeAllowance(ctx, m.granter, m.grantee),
    }),
    msgHandler({
      module,
      msg: MsgPruneAllowances,
      response: MsgPruneAllowancesResponse,
      validateBasic: validateMsgPruneAllowances,
      signers: (m) => [m.pruner],
      handle: (ctx, m) => keeper.pruneAllowances(ctx, m.pruner),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}
