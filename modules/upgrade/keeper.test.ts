import { describe, expect, it } from 'vitest';
import { AinError, EventCollector, GasMeter, govAuthority } from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import { upgradeGenesis } from './genesis.ts';
import { UpgradeKeeper } from './keeper.ts';
import { PLAN_PATH } from './keys.ts';
import { planFromProto, validateCancelUpgrade, validateSoftwareUpgrade } from './msgs.ts';

const empty = () => new Overlay({ get: () => undefined, list: () => [] });
const plan = (name: string, height: bigint, info = '') => ({ name, height, info });

function refusal(run: () => unknown): [string, number, unknown] {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return [error.codespace, error.code, error.meta?.field];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('upgrade msgs', () => {
  it('checks every plan field and the authority', () => {
    expect(planFromProto({ ...plan('v2', 10n, 'notes'), time: { seconds: 0n, nanos: 0 } })).toEqual(plan('v2', 10n, 'notes'));
    // A Go client's unset (zero) time.Time: 0001-01-01T00:00:00Z.
    expect(planFromProto({ ...plan('v2', 10n, 'notes'), time: { seconds: -62_135_596_800n, nanos: 0 } })).toEqual(plan('v2', 10n, 'notes'));
    expect(refusal(() => planFromProto(undefined))).toEqual(['sdk', 18, 'plan']);
    expect(refusal(() => planFromProto(plan('', 10n)))).toEqual(['sdk', 18, 'plan.name']);
    expect(refusal(() => planFromProto(plan('a/b', 10n)))).toEqual(['sdk', 18, 'plan.name']);
    expect(refusal(() => planFromProto(plan(' v2', 10n)))).toEqual(['sdk', 18, 'plan.name']);
    expect(refusal(() => planFromProto(plan('x'.repeat(141), 10n)))).toEqual(['sdk', 18, 'plan.name']);
    expect(refusal(() => planFromProto(plan('v2', 0n)))).toEqual(['sdk', 18, 'plan.height']);
    expect(refusal(() => planFromProto(plan('v2', 1n, 'i'.repeat(10_001))))).toEqual(['sdk', 18, 'plan.info']);
    expect(refusal(() => planFromProto({ ...plan('v2', 1n), time: { seconds: 5n, nanos: 0 } }))).toEqual(['sdk', 18, 'plan.time']);
    expect(refusal(() => planFromProto({ ...plan('v2', 1n), upgradedClientState: { typeUrl: 'x', value: new Uint8Array() } }))).toEqual([
      'sdk',
      18,
      'plan.upgraded_client_state',
    ]);
    expect(
      refusal(() => validateSoftwareUpgrade({ authority: 'ain1someone', plan: { ...plan('v2', 5n), time: undefined as never } })),
    ).toEqual(['gov', 13, 'authority']);
    expect(refusal(() => validateCancelUpgrade({ authority: 'ain1someone' }))).toEqual(['gov', 13, 'authority']);
    expect(() => validateCancelUpgrade({ authority: govAuthority() })).not.toThrow();
  });
});

describe('upgrade keeper', () => {
  it('schedules after the current height, replaces, clears, records applied names', () => {
    const keeper = new UpgradeKeeper();
    const state = empty();
    expect(keeper.currentPlan(state)).toBeUndefined();
    expect(refusal(() => keeper.schedule(state, plan('v2', 7n), 7n))).toEqual(['upgrade', 2, 'plan.height']);
    keeper.schedule(state, plan('v2', 8n, 'notes'), 7n);
    expect(keeper.currentPlan(state)).toEqual({ name: 'v2', height: 8n, info: 'notes', time: { seconds: -62_135_596_800n, nanos: 0 } });
    expect(state.get(PLAN_PATH)).toBe('{"height":"8","info":"notes","name":"v2"}');
    keeper.schedule(state, plan('v3', 9n), 7n);
    expect(keeper.plan(state)).toEqual(plan('v3', 9n));
    keeper.markApplied(state, 'v3', 9n);
    expect(keeper.plan(state)).toBeUndefined();
    expect(keeper.appliedPlanHeight(state, 'v3')).toBe(9n);
    expect(keeper.appliedPlanHeight(state, 'v2')).toBe(0n);
    expect(keeper.appliedPlanHeight(state, 'a/b')).toBe(0n);
    expect(refusal(() => keeper.schedule(state, plan('v3', 20n), 10n))).toEqual(['upgrade', 3, 'plan.name']);
    keeper.schedule(state, plan('v4', 20n), 10n);
    keeper.clearPlan(state);
    keeper.clearPlan(state);
    expect(keeper.currentPlan(state)).toBeUndefined();
    expect(keeper.appliedPlans(state)).toEqual([{ name: 'v3', height: 9n }]);
  });

  it('genesis: {} by default, and an export with a plan and applied names imports to the same leaves', () => {
    const keeper = new UpgradeKeeper();
    const genesis = upgradeGenesis(keeper);
    const ctx = (state: Overlay) => ({
      state,
      gas: new GasMeter(0),
      events: new EventCollector(),
      height: 1n,
      blockTimeSeconds: 0n,
      chainId: 'ain-test-1',
    });
    const source = empty();
    genesis.init(ctx(source), genesis.defaultGenesis());
    expect(genesis.exportGenesis(source)).toEqual({});
    keeper.markApplied(source, 'v1', 5n);
    keeper.schedule(source, plan('v2', 50n, 'notes'), 10n);
    const exported = genesis.exportGenesis(source);
    expect(exported).toEqual({ plan: { name: 'v2', height: '50', info: 'notes' }, applied: [{ name: 'v1', height: '5' }] });
    const target = empty();
    genesis.init(ctx(target), JSON.parse(JSON.stringify(exported)));
    expect([...target.writes()].sort()).toEqual([...source.writes()].sort());
    expect(refusal(() => genesis.validate({ plan: { name: 'v2', height: '0', info: '' } }))).toEqual(['sdk', 18, 'upgrade.plan.height']);
    expect(refusal(() => genesis.validate({ other: 1 } as never))).toEqual(['sdk', 18, 'upgrade.other']);
    expect(
      refusal(() =>
        genesis.validate({
          applied: [
            { name: 'v1', height: '1' },
            { name: 'v1', height: '2' },
          ],
        }),
      ),
    ).toEqual(['sdk', 18, 'upgrade.applied']);
  });
});
