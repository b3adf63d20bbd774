/**
 * The upgrade module's keeper: the software upgrade plans governance schedules and the ones applied.
 * This chain has no governance yet, so no plan is ever scheduled: the keeper answers that there is
 * none, and keeps no state. The governance issue adds plans (a subtree, the end-of-block halt at a
 * plan's height and the applied record) here.
 */
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { ReadableState } from '../../core/index.ts';

export class UpgradeKeeper {
  /** The plan scheduled now: none, until governance can schedule one. */
  currentPlan(_state: ReadableState): Plan | undefined {
    return undefined;
  }

  /** The height a plan of this name was applied at; 0 when it never was (none can be yet). */
  appliedPlanHeight(_state: ReadableState, _name: string): bigint {
    return 0n;
  }
}
