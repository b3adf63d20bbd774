/** `addGenesisValidatorToHome` (what `aind genesis add-validator` runs) on a real `initHome` home. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toValoper } from '../modules/staking/index.ts';
import { ensureCometbft } from '../scripts/setup.mjs';
import { addKey, readGenesis } from './index.ts';
import { addGenesisAccountToHome, addGenesisValidatorToHome, privValidatorPubkey } from './genesis.ts';
import { initHome } from './init.ts';

beforeAll(() => {
  ensureCometbft({ quiet: true });
}, 300_000);

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-genesis-validator-'));
  initHome({ home, chainId: 'ain-test-1', moniker: 'node0' });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('aind genesis add-validator', () => {
  it("adds the node's own key as a validator of a keyring key, and empties genesis.json's validators", async () => {
    const { key } = await addKey(home, 'alice');
    addGenesisAccountToHome(home, 'alice', '5000000uain');
    expect(readGenesis(home).validators).toHaveLength(1);
    const result = addGenesisValidatorToHome(home, { key: 'alice', amount: '2000000uain' });
    expect(result).toEqual({
      operator: key.address,
      validator: toValoper(key.address),
      consensus_pubkey: privValidatorPubkey(home),
      amount: '2000000uain',
      moniker: 'node0',
    });
    const genesis = readGenesis(home);
    expect(genesis.validators).toEqual([]);
    expect(genesis.app_state!.staking!.validators.map((v) => [v.consensus_pubkey.key, v.commission.rate])).toEqual([
      [privValidatorPubkey(home), '0.1'],
    ]);
  });

  it('takes an address and an explicit key, and refuses a bad choice of operator', async () => {
    const { key } = await addKey(home, 'bob');
    addGenesisAccountToHome(home, key.address, '5000000uain');
    const pubkey = Buffer.alloc(32, 7).toString('base64');
    addGenesisValidatorToHome(home, { address: key.address, amount: '1000000uain', pubkey, moniker: 'b', commissionRate: '0.05' });
    expect(readGenesis(home).app_state!.staking!.validators[0]!.consensus_pubkey.key).toBe(pubkey);
    expect(() => addGenesisValidatorToHome(home, { amount: '1000000uain' })).toThrow(/exactly one of --key NAME and --address ADDR/);
    expect(() => addGenesisValidatorToHome(home, { key: 'bob', address: key.address, amount: '1000000uain' })).toThrow(/exactly one/);
    expect(() => addGenesisValidatorToHome(home, { key: 'bob', amount: '1000000uain,1foo' })).toThrow(/must be one coin/);
  });
});
