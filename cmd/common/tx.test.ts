/** The fee the tx flags give (`--gas`, `--gas-adjustment`, `--fees`, `--gas-prices`). */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { buildFee, sendOptionsOf, type TxFlags, withTxFlags } from './tx.ts';

const noSimulation = async (): Promise<number> => {
  throw new Error('should not simulate');
};

describe('buildFee', () => {
  it('defaults to 200000 gas at the genesis minimum price 0.025uain', async () => {
    expect(await buildFee({}, noSimulation)).toEqual({ amount: [{ denom: 'uain', amount: '5000' }], gas: '200000' });
  });

  it('uses --fees as given with --gas', async () => {
    expect(await buildFee({ fees: '7uain', gas: '90000' }, noSimulation)).toEqual({
      amount: [{ denom: 'uain', amount: '7' }],
      gas: '90000',
    });
  });

  it('simulates with --gas auto and multiplies by --gas-adjustment, pricing with --gas-prices', async () => {
    expect(await buildFee({ gas: 'auto', gasAdjustment: 1.5, gasPrices: '0.1uain' }, async () => 1001)).toEqual({
      amount: [{ denom: 'uain', amount: '151' }],
      gas: '1502',
    });
  });

  it('refuses bad flags', async () => {
    await expect(buildFee({ gas: '12.5' }, noSimulation)).rejects.toThrow(/--gas/);
    await expect(buildFee({ fees: '1uain', gasPrices: '0.1uain' }, noSimulation)).rejects.toThrow(/either/);
    await expect(buildFee({ gasPrices: 'cheap' }, noSimulation)).rejects.toThrow(/--gas-prices/);
  });
});

describe('withTxFlags', () => {
  it('takes --fee-granter, which the send options carry to the fee', () => {
    const command = withTxFlags(new Command('x')).exitOverride();
    command.parse(['--from', 'alice', '--fee-granter', 'ain1granter', '--home', '/tmp/none'], { from: 'user' });
    const options = sendOptionsOf(command.opts() as TxFlags);
    expect(options.feeGranter).toBe('ain1granter');
    const { feeGranter: _, ...withoutGranter } = command.opts() as TxFlags;
    expect(sendOptionsOf(withoutGranter).feeGranter).toBeUndefined();
  });
});
