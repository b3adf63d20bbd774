/**
 * The upgrade module's keeper: the software upgrade plan governance scheduled (at most one; a new
 * one replaces it) and the heights named plans were applied at. The app (`app/upgrades.ts`) asks it
 * at the start of every block whether a plan is due, and records the plan applied.
 */
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import { ainError, type ReadableState, type WritableState } from '../../core/index.ts';
import { ErrPlanInPast, ErrUpgradeCompleted } from './errors.ts';
import { DONE_ROOT, donePath, PLAN_PATH } from './keys.ts';
import { UNSET_PLAN_TIME, type UpgradePlan } from './msgs.ts';

/** More applied upgrades than a chain will ever have: the bound of the startup listing. */
const MAX_APPLIED = 100_000;

export class UpgradeKeeper {
  /** The scheduled plan, or undefined. */
  plan(state: ReadableState): UpgradePlan | undefined {
    const text = state.get(PLAN_PATH);
    if (typeof text !== 'string') return undefined;
    const json = JSON.parse(text) as { name: string; height: string; info: string };
    return { name: json.name, height: BigInt(json.height), info: json.info };
  }

  /** The scheduled plan as the SDK's `Plan`, for CurrentPlan: its unset time as the SDK prints it (0001-01-01T00:00:00Z). */
  currentPlan(state: ReadableState): Plan | undefined {
    const plan = this.plan(state);
    return plan ? { name: plan.name, height: plan.height, info: plan.info, time: { ...UNSET_PLAN_TIME } } : undefined;
  }

  /** The height a plan of this name was applied at; 0 when it never was. */
  appliedPlanHeight(state: ReadableState, name: string): bigint {
    if (name.length === 0 || name.includes('/')) return 0n;
    const height = state.get(donePath(name));
    return typeof height === 'string' ? BigInt(height) : 0n;
  }

  /** Every applied plan, by name. */
  appliedPlans(state: ReadableState): Array<{ name: string; height: bigint }> {
    return state
      .list(DONE_ROOT, MAX_APPLIED)
      .map(([path, height]) => ({ name: path.slice(DONE_ROOT.length + 1), height: BigInt(String(height)) }));
  }

  /**
   * Schedules `plan` (replacing any plan scheduled before), as MsgSoftwareUpgrade does.
   * @throws AinError upgrade/2 when its height is not after `currentHeight`; upgrade/3 when its name was applied
   */
  schedule(state: WritableState, plan: UpgradePlan, currentHeight: bigint): void {
    if (plan.height <= currentHeight)
      throw ainError(ErrPlanInPast, `plan.height ${plan.height} is not after the current height ${currentHeight}`, {
        field: 'plan.height',
      });
    const applied = this.appliedPlanHeight(state, plan.name);
    if (applied > 0n)
      throw ainError(ErrUpgradeCompleted, `plan.name ${plan.name} was applied at height ${applied}`, { field: 'plan.name' });
    this.writePlan(state, plan);
  }

  /** Writes the plan as it is (genesis import); `schedule` is the checked way. */
  writePlan(state: WritableState, plan: UpgradePlan): void {
    state.set(PLAN_PATH, JSON.stringify({ height: plan.height.toString(), info: plan.info, name: plan.name }));
  }

  /** Removes the scheduled plan, if any (MsgCancelUpgrade). */
  clearPlan(state: WritableState): void {
    if (state.get(PLAN_PATH) !== undefined) state.set(PLAN_PATH, null);
  }

  /** Records the plan applied at `height` and clears it. */
  markApplied(state: WritableState, name: string, height: bigint): void {
    state.set(donePath(name), height.toString());
    this.clearPlan(state);
  }
}
