/**
 * The upgrade module's handlers, one per message, signed by the gov authority (a passed proposal):
 * MsgSoftwareUpgrade schedules a plan, MsgCancelUpgrade removes it.
 */
import {
  MsgCancelUpgrade,
  MsgCancelUpgradeResponse,
  MsgSoftwareUpgrade,
  MsgSoftwareUpgradeResponse,
} from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { type MsgHandler, msgHandler } from '../../core/index.ts';
import { upgradeScheduled, upgradeCancelled } from './events.ts';
import type { UpgradeKeeper } from './keeper.ts';
import { planFromProto, validateCancelUpgrade, validateSoftwareUpgrade } from './msgs.ts';

export function upgradeMsgHandlers(keeper: UpgradeKeeper): MsgHandler<unknown>[] {
  return [
    msgHandler({
      module: 'upgrade',
      msg: MsgSoftwareUpgrade,
      response: MsgSoftwareUpgradeResponse,
      validateBasic: validateSoftwareUpgrade,
      signers: (m) => [m.authority],
      handle: (ctx, m) => {
        const plan = planFromProto(m.plan);
        keeper.schedule(ctx.state, plan, ctx.height);
        ctx.events.emit(upgradeScheduled(plan));
      },
    }),
    msgHandler({
      module: 'upgrade',
      msg: MsgCancelUpgrade,
      response: MsgCancelUpgradeResponse,
      validateBasic: validateCancelUpgrade,
      signers: (m) => [m.authority],
      handle: (ctx) => {
        const plan = keeper.plan(ctx.state);
        keeper.clearPlan(ctx.state);
        if (plan) ctx.events.emit(upgradeCancelled(plan));
      },
    }),
  ] as MsgHandler<unknown>[];
}
