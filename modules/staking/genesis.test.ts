import { describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import { emptyBlockContext } from '../../test/helpers/blockContext.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { AuthKeeper } from '../auth/index.ts';
import { BankKeeper } from '../bank/index.ts';
import { defaultStakingGenesis, type GenesisValidatorInput, genesisValidatorEntry, stakingGenesis } from './genesis.ts';
import { BONDED_POOL_NAME, StakingKeeper } from './keeper.ts';

const operator = testKey('staking-genesis').address;
const input: GenesisValidatorInput = {
  operator,
  consensusPubkeyBase64: Buffer.alloc(32, 7).toString('base64'),
  selfDelegation: { denom: 'uain', amount: 5_000_000n },
  moniker: 'node0',
  commissionRate: '0.1',
};

function staking() {
  const bank = new BankKeeper(new AuthKeeper());
  const keeper = new StakingKeeper(bank);
  return { bank, keeper, genesis: stakingGenesis(keeper, bank) };
}

describe('staking genesis', () => {
  it('bonds a genesis validator from the bonded pool balance, returns the set, and restores it from exported leaves', () => {
    const { bank, keeper, genesis } = staking();
    const entry = genesisValidatorEntry(defaultStakingGenesis(), input);
    expect(entry.bondedPool).toBe(moduleAddress(BONDED_POOL_NAME));
    const ctx = emptyBlockContext();
    bank.mintGenesis(ctx.state, entry.bondedPool, [entry.stake]);
    const section = { ...defaultStakingGenesis(), validators: [entry.validator], delegations: [entry.delegation] };
    const updates = genesis.init(ctx, section);
    expect(updates?.map((u) => u.power)).toEqual([5n]);
    const exported = genesis.exportGenesis(ctx.state);
    expect(exported.validators).toEqual([]);
    expect(Object.keys(exported.leaves ?? {}).length).toBeGreaterThan(3);
    const again = staking();
    const restored = again.genesis.init(emptyBlockContext(), exported);
    expect(restored).toEqual(updates);
    expect(keeper.getValidator(ctx.state, entry.validator.operator_address)?.tokens).toBe(5_000_000n);
  });

  it('refuses an exported validator leaf edited by hand (lenient integer text, a field dropped), naming the leaf', () => {
    const { bank, genesis } = staking();
    const entry = genesisValidatorEntry(defaultStakingGenesis(), input);
    const ctx = emptyBlockContext();
    bank.mintGenesis(ctx.state, entry.bondedPool, [entry.stake]);
    genesis.init(ctx, { ...defaultStakingGenesis(), validators: [entry.validator], delegations: [entry.delegation] });
    const exported = genesis.exportGenesis(ctx.state);
    const path = `/staking/validators/${entry.validator.operator_address}`;
    const record = JSON.parse(exported.leaves![path] as string) as { commission: Record<string, string>; tokens: string };
    const edits = {
      hex: { ...record, tokens: '0x4c4b40' },
      spaced: { ...record, tokens: ' 5000000 ' },
      fraction: { ...record, unbonding_time: '1.5' },
      dropped: { ...record, commission: { ...record.commission, max_rate: undefined } },
    };
    for (const edited of Object.values(edits)) {
      const leaves = { ...exported.leaves, [path]: JSON.stringify(edited) };
      expect(() => staking().genesis.init(emptyBlockContext(), { ...exported, leaves })).toThrow(
        expect.objectContaining({ codespace: 'sdk', code: 18, message: expect.stringContaining(`genesis staking.leaves["${path}"]`) }),
      );
    }
    expect(staking().genesis.init(emptyBlockContext(), exported)?.length).toBe(1);
  });

  it('refuses a validator twice, a short key, and a pool balance that does not match the tokens', () => {
    const entry = genesisValidatorEntry(defaultStakingGenesis(), input);
    const withOne = { ...defaultStakingGenesis(), validators: [entry.validator], delegations: [entry.delegation] };
    expect(() => genesisValidatorEntry(withOne, input)).toThrow(/already exists in genesis/);
    expect(() => genesisValidatorEntry(defaultStakingGenesis(), { ...input, consensusPubkeyBase64: 'AAAA' })).toThrow(
      /consensus pubkey must be base64 of 32 bytes/,
    );
    const { genesis } = staking();
    expect(() => genesis.init(emptyBlockContext(), withOne)).toThrow(
      /genesis balance of bonded_tokens_pool .* is 0uain; the validators' tokens add up to 5000000uain/,
    );
  });
});
