/** The upgrade module's events: a plan scheduled, cancelled or applied (at the start of its height's block). */
import type { TypedEvent } from '../../core/index.ts';
import type { UpgradePlan } from './msgs.ts';

const planAttributes = (plan: UpgradePlan): Array<[string, string]> => [
  ['name', plan.name],
  ['height', plan.height.toString()],
];

export const upgradeScheduled = (plan: UpgradePlan): TypedEvent => ({ type: 'upgrade_scheduled', attributes: planAttributes(plan) });
export const upgradeCancelled = (plan: UpgradePlan): TypedEvent => ({ type: 'upgrade_cancelled', attributes: planAttributes(plan) });
export const upgradeApplied = (plan: UpgradePlan): TypedEvent => ({ type: 'upgrade_applied', attributes: planAttributes(plan) });
