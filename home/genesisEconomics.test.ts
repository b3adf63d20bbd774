import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AIN_RESERVE_SUPPLY, defaultAppState } from '../app/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { applyEconomicsToHome, validateHomeGenesis } from './genesisEconomics.ts';
import { homePaths, readGenesis, writeGenesis } from './index.ts';
import { refusalOf } from '../test/helpers/errorCode.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-economics-'));
  mkdirSync(homePaths(home).configDir, { recursive: true });
  writeGenesis(home, {
    genesis_time: '2025-01-01T00:00:00Z',
    chain_id: 'ain-test-1',
    initial_height: '1',
    consensus_params: {},
    validators: [],
    app_hash: '',
    app_state: defaultAppState(),
  });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const plan = (publicAmount: string) => ({
  public: [{ address: testKey('econ-public').address, amount: publicAmount }],
  developers: { vesting_years: 4, accounts: [{ address: testKey('econ-dev').address, amount: (AIN_RESERVE_SUPPLY / 4n).toString() }] },
  early_participants: {
    cliff_days: 180,
    accounts: [{ address: testKey('econ-early').address, amount: ((AIN_RESERVE_SUPPLY * 3n) / 4n).toString() }],
  },
});

describe('aind genesis economics | validate', () => {
  it("writes the 60/40 split with vesting from the genesis time, and validate checks the home's totals", () => {
    const file = join(home, 'plan.json');
    writeFileSync(file, JSON.stringify(plan('420000000000000')));
    expect(applyEconomicsToHome(home, file)).toEqual({
      supply: 700_000_000_000_000n,
      vesting: 280_000_000_000_000n,
      free: 420_000_000_000_000n,
    });
    const accounts = readGenesis(home).app_state!.auth.accounts;
    // 2025-01-01T00:00:00Z is 1735689600; 4 years of 365.25 days; 180 days.
    expect(accounts[1]).toMatchObject({
      start_time: '1735689600',
      base_vesting_account: { end_time: String(1735689600 + 4 * 31_557_600) },
    });
    expect(accounts[2]).toMatchObject({ base_vesting_account: { end_time: String(1735689600 + 180 * 86_400) } });
    expect(validateHomeGenesis(home, true)?.supply).toBe(700_000_000_000_000n);
    expect(validateHomeGenesis(home, false)).toBeUndefined();
  });

  it('refuses a plan off the split and leaves genesis.json as it was', () => {
    const before = readFileSync(homePaths(home).genesis, 'utf8');
    const file = join(home, 'plan.json');
    writeFileSync(file, JSON.stringify(plan('420000000000001')));
    expect(refusalOf(() => applyEconomicsToHome(home, file))).toMatch(/^sdk\/10 plan.public adds up to 420000000000001uain/);
    expect(readFileSync(homePaths(home).genesis, 'utf8')).toBe(before);
    // A default genesis is valid, but not AIN's economics.
    expect(refusalOf(() => validateHomeGenesis(home, true))).toMatch(
      /^sdk\/10 genesis supply is 0uain; AIN's is exactly 700000000000000uain/,
    );
  });
});
