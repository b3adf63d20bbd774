/**
 * Software upgrade handlers: the migration a build runs when the chain reaches a plan governance
 * scheduled (`cosmos.upgrade.v1beta1.MsgSoftwareUpgrade`), by plan name. At the start of the plan's
 * block, before its txs, a node whose build has the plan's handler runs it once, records the plan
 * applied at that height and clears it; a node without one stops there (the block is neither
 * executed nor committed, so CometBFT re-delivers it when the node restarts with a build that has
 * the handler). A handler for a name no plan is due under is never run.
 *
 * A new release adds its handler to {@link UPGRADE_HANDLERS} and keeps the names of the upgrades
 * already applied (their handler may become a no-op): a build refuses to start on state recording
 * an applied upgrade it does not know, since it predates that upgrade. Tests register their own
 * handlers through `AinApplication`'s `upgradeHandlers` option (and `test/helpers/aindUpgraded.ts`
 * for a real node), never through the environment.
 */
import { ainError, type BlockContext, type ReadableState } from '../core/index.ts';
import { ErrUpgradeNeeded, upgradeApplied, type UpgradeKeeper } from '../modules/upgrade/index.ts';

/** What a migration may use besides the block's state: the modules' keepers. */
export interface UpgradeServices {
  keeper<T>(module: string): T;
}

/** A migration over the state, run once at its plan's height. Deterministic, as any block code. */
export type UpgradeHandler = (ctx: BlockContext, services: UpgradeServices) => void;

/** The upgrade handlers of this build, by plan name: none yet (version 0.1.0 is the first). */
export const UPGRADE_HANDLERS: ReadonlyMap<string, UpgradeHandler> = new Map();

/**
 * The message a node stops with when the chain reaches a plan it has no handler for.
 * @example upgradeNeededMessage('v2', 120n, 'https://...') // 'UPGRADE "v2" NEEDED at height 120: https://...'
 */
export function upgradeNeededMessage(name: string, height: bigint, info: string): string {
  return `UPGRADE "${name}" NEEDED at height ${height}: ${info || '(no info)'}; this aind has no handler for it: stop it and start the release that registers "${name}"`;
}

/**
 * Runs at the start of every block, before its txs: when a plan is due at `ctx.height`, runs its
 * handler and records it applied, or refuses the block when this build has no handler.
 * @throws AinError upgrade/100 with {@link upgradeNeededMessage} when the plan's handler is missing
 */
export function runDueUpgrade(
  ctx: BlockContext,
  keeper: UpgradeKeeper,
  handlers: ReadonlyMap<string, UpgradeHandler>,
  services: UpgradeServices,
): void {
  const plan = keeper.plan(ctx.state);
  if (plan === undefined || plan.height !== ctx.height) return;
  const handler = handlers.get(plan.name);
  if (handler === undefined)
    throw ainError(ErrUpgradeNeeded, upgradeNeededMessage(plan.name, plan.height, plan.info), {
      name: plan.name,
      height: plan.height.toString(),
    });
  handler(ctx, services);
  keeper.markApplied(ctx.state, plan.name, plan.height);
  ctx.events.emit(upgradeApplied(plan));
}

/**
 * Refuses committed state this build cannot run on: an applied upgrade it has no handler for (it
 * predates the upgrade), or a plan due at the next height without one (the same stop as the block's).
 * @throws AinError upgrade/100 naming the upgrade
 */
export function checkUpgradesKnown(
  state: ReadableState,
  height: bigint,
  keeper: UpgradeKeeper,
  handlers: ReadonlyMap<string, UpgradeHandler>,
): void {
  for (const applied of keeper.appliedPlans(state)) {
    if (!handlers.has(applied.name))
      throw ainError(
        ErrUpgradeNeeded,
        `UPGRADE "${applied.name}" was applied at height ${applied.height}; this aind predates it (no handler for "${applied.name}"): start the release that registers it`,
        { name: applied.name, height: applied.height.toString() },
      );
  }
  const plan = keeper.plan(state);
  if (plan !== undefined && plan.height <= height + 1n && !handlers.has(plan.name))
    throw ainError(ErrUpgradeNeeded, upgradeNeededMessage(plan.name, plan.height, plan.info), {
      name: plan.name,
      height: plan.height.toString(),
    });
}
