/**
 * Errors of the upgrade module (codespace `upgrade`), with the Cosmos SDK's x/upgrade codes where it
 * has one. Append-only: codes are never renumbered or reused. A malformed plan is the SDK's `sdk/18`.
 */
import { registerError } from '../../core/index.ts';

export const UPGRADE_CODESPACE = 'upgrade';

/** A plan whose height is not after the block that schedules it. */
export const ErrPlanInPast = registerError(UPGRADE_CODESPACE, 2, 'upgrade cannot be scheduled in the past');
/** A plan named like one already applied. */
export const ErrUpgradeCompleted = registerError(UPGRADE_CODESPACE, 3, 'upgrade with this name has been completed');
/**
 * The chain reached a plan's height and this binary has no handler for it (or the state records an
 * applied upgrade this binary does not know): the node stops; it is never a tx's result.
 */
export const ErrUpgradeNeeded = registerError(UPGRADE_CODESPACE, 100, 'upgrade needed');
