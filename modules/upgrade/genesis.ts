/**
 * `app_state.upgrade` (optional): `{}` on a new chain, as the Cosmos SDK's x/upgrade genesis. An
 * exported chain carries its state so a chain started from it has the same app hash: the scheduled
 * `plan` (`{name, height, info}`, height as decimal text) and the `applied` plans (`[{name, height}]`).
 */
import { AinError, ainError, ErrInvalidRequest, type ModuleGenesis } from '../../core/index.ts';
import { UpgradeKeeper } from './keeper.ts';
import { planFromProto, type UpgradePlan } from './msgs.ts';

export interface UpgradeGenesisJson {
  readonly plan?: { readonly name: string; readonly height: string; readonly info: string };
  readonly applied?: ReadonlyArray<{ readonly name: string; readonly height: string }>;
}

function decimal(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^[1-9]\d{0,18}$/.test(text))
    throw ainError(ErrInvalidRequest, `genesis ${field} must be a positive decimal string`, { field });
  return BigInt(text);
}

function parseUpgradeGenesis(genesis: UpgradeGenesisJson): { plan?: UpgradePlan; applied: Array<{ name: string; height: bigint }> } {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidRequest, 'genesis upgrade must be an object', { field: 'upgrade' });
  const extra = Object.keys(genesis).filter((key) => key !== 'plan' && key !== 'applied');
  if (extra.length > 0)
    throw ainError(ErrInvalidRequest, `genesis upgrade has unknown field ${extra[0]}`, { field: `upgrade.${extra[0]}` });
  const applied = (genesis.applied ?? []).map((entry, i) => {
    const { name } = checkedPlan({ name: entry.name, height: 1n, info: '' }, `upgrade.applied[${i}]`);
    return { name, height: decimal(entry.height, `upgrade.applied[${i}].height`) };
  });
  if (new Set(applied.map((a) => a.name)).size !== applied.length)
    throw ainError(ErrInvalidRequest, 'genesis upgrade.applied names a plan twice', { field: 'upgrade.applied' });
  if (genesis.plan === undefined) return { applied };
  const plan = checkedPlan(
    { name: genesis.plan.name, height: decimal(genesis.plan.height, 'upgrade.plan.height'), info: genesis.plan.info ?? '' },
    'upgrade.plan',
  );
  return { plan, applied };
}

/** `planFromProto`'s checks, strings required, its refusal naming the genesis field (`upgrade.plan.name ...`). */
function checkedPlan(plan: { name: unknown; height: bigint; info: unknown }, field: string): UpgradePlan {
  for (const key of ['name', 'info'] as const)
    if (typeof plan[key] !== 'string')
      throw ainError(ErrInvalidRequest, `genesis ${field}.${key} must be a string`, { field: `${field}.${key}` });
  try {
    return planFromProto(plan as UpgradePlan);
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    // The same definition would add its description a second time.
    const reason = error.message.replace(/^plan/, '').replace(`: ${ErrInvalidRequest.description}`, '');
    throw ainError(ErrInvalidRequest, `genesis ${field}${reason}`, { field });
  }
}

export function upgradeGenesis(keeper: UpgradeKeeper = new UpgradeKeeper()): ModuleGenesis<UpgradeGenesisJson> {
  return {
    defaultGenesis: () => ({}),
    validate: (genesis) => {
      parseUpgradeGenesis(genesis);
    },
    init: (ctx, genesis) => {
      if (genesis === undefined) return undefined;
      const { plan, applied } = parseUpgradeGenesis(genesis);
      // A plan below the first height is never applied, and a restarted node refuses to start on it.
      if (plan && plan.height < ctx.height)
        throw ainError(ErrInvalidRequest, `genesis upgrade.plan.height ${plan.height} is before the chain's first height ${ctx.height}`, {
          field: 'upgrade.plan.height',
        });
      for (const entry of applied) keeper.markApplied(ctx.state, entry.name, entry.height);
      if (plan) keeper.writePlan(ctx.state, plan);
      return undefined;
    },
    exportGenesis: (state) => {
      const plan = keeper.plan(state);
      const applied = keeper.appliedPlans(state);
      return {
        ...(plan ? { plan: { name: plan.name, height: plan.height.toString(), info: plan.info } } : {}),
        ...(applied.length > 0 ? { applied: applied.map((a) => ({ name: a.name, height: a.height.toString() })) } : {}),
      };
    },
  };
}
