import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultAppState } from '../../app/index.ts';
import { homePaths, readGenesis, writeGenesis } from '../../home/index.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { genesisCommand } from './index.ts';

/** Runs `aind genesis ...args` (a fresh command each time, as the CLI builds one per run). */
const run = (...args: string[]) => genesisCommand().parseAsync(args, { from: 'user' });

let home: string;
let output: string[];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-genesis-cli-'));
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
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(home, { recursive: true, force: true });
});

/** A plan file splitting the 700,000,000 AIN among three test keys. */
function writePlan(): string {
  const plan = join(home, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      public: [{ address: testKey('cli-public').address, amount: '420000000000000' }],
      developers: { vesting_years: 3, accounts: [{ address: testKey('cli-dev').address, amount: '200000000000000' }] },
      early_participants: { cliff_days: 90, accounts: [{ address: testKey('cli-early').address, amount: '80000000000000' }] },
    }),
  );
  return plan;
}

describe('aind genesis economics | validate', () => {
  it('writes the 700,000,000 AIN split from a plan and validate --economics checks the totals', async () => {
    const plan = writePlan();
    await expect(run('validate', '--economics', '--home', home)).rejects.toThrow(
      /^genesis supply is 0uain; AIN's is exactly 700000000000000uain/,
    );
    await run('economics', '--plan', plan, '--home', home, '--output', 'json');
    expect(JSON.parse(output.join(''))).toEqual({ supply: '700000000000000', public: '420000000000000', vesting: '280000000000000' });
    output.length = 0;
    await run('validate', '--economics', '--home', home);
    expect(output.join('')).toBe('genesis is valid: 700000000000000uain, 420000000000000uain public, 280000000000000uain vesting\n');
  });

  // A chain starting at height 1000 in 2030: InitChain refuses an upgrade plan below its first
  // height, so the CLI must judge the file at that height and time, not at height 1 and time 0.
  it('checks the genesis at its initial_height and genesis_time, as InitChain will', async () => {
    const genesis = readGenesis(home);
    const at = (plan: string) => ({ ...genesis.app_state!, upgrade: { plan: { name: 'v2', height: plan, info: '' } } });
    writeGenesis(home, { ...genesis, initial_height: '1000', genesis_time: '2030-01-01T00:00:00Z', app_state: at('500') });
    const before = readFileSync(homePaths(home).genesis, 'utf8');
    const refusal = /^genesis upgrade\.plan\.height 500 is before the chain's first height 1000/;
    await expect(run('economics', '--plan', writePlan(), '--home', home)).rejects.toThrow(refusal);
    expect(readFileSync(homePaths(home).genesis, 'utf8')).toBe(before);
    await expect(run('validate', '--home', home)).rejects.toThrow(refusal);

    writeGenesis(home, { ...readGenesis(home), app_state: at('1000') });
    await run('economics', '--plan', writePlan(), '--home', home, '--output', 'json');
    // The reserve vests from the genesis time: 2030-01-01T00:00:00Z is 1893456000.
    expect(readGenesis(home).app_state!.auth.accounts[1]).toMatchObject({ start_time: '1893456000' });
    output.length = 0;
    await run('validate', '--economics', '--home', home, '--output', 'json');
    expect(JSON.parse(output.join(''))).toMatchObject({ valid: true, supply: '700000000000000' });
  });

  it('refuses a genesis file CometBFT would not start, naming the field', async () => {
    const genesis = readGenesis(home);
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ initial_height: '-5' }, /^genesis initial_height "-5" must be a whole number from 0 to 9223372036854775807/],
      [{ initial_height: 'ten' }, /^genesis initial_height "ten" must be a whole number/],
      [{ genesis_time: 'January 1st' }, /^genesis genesis_time "January 1st" must be an RFC 3339 time/],
      [{ genesis_time: '0001-01-01T00:00:00Z' }, /^genesis genesis_time 0001-01-01T00:00:00Z is unset \(Go's zero time\)/],
      [{ chain_id: '' }, /^genesis chain_id must be a non-empty string/],
    ];
    for (const [fields, refusal] of refusals) {
      writeGenesis(home, { ...genesis, ...fields });
      await expect(run('validate', '--home', home)).rejects.toThrow(refusal);
      await expect(run('economics', '--plan', writePlan(), '--home', home)).rejects.toThrow(refusal);
    }
    // CometBFT starts a chain whose initial_height is 0 at height 1.
    writeGenesis(home, { ...genesis, initial_height: '0' });
    await run('validate', '--home', home);
    expect(output.join('')).toBe('genesis is valid\n');
  });
});
