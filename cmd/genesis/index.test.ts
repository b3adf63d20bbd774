import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultAppState } from '../../app/index.ts';
import { homePaths, writeGenesis } from '../../home/index.ts';
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

describe('aind genesis economics | validate', () => {
  it('writes the 700,000,000 AIN split from a plan and validate --economics checks the totals', async () => {
    const plan = join(home, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        public: [{ address: testKey('cli-public').address, amount: '420000000000000' }],
        developers: { vesting_years: 3, accounts: [{ address: testKey('cli-dev').address, amount: '200000000000000' }] },
        early_participants: { cliff_days: 90, accounts: [{ address: testKey('cli-early').address, amount: '80000000000000' }] },
      }),
    );
    await expect(run('validate', '--economics', '--home', home)).rejects.toThrow(
      /^genesis supply is 0uain; AIN's is exactly 700000000000000uain/,
    );
    await run('economics', '--plan', plan, '--home', home, '--output', 'json');
    expect(JSON.parse(output.join(''))).toEqual({ supply: '700000000000000', public: '420000000000000', vesting: '280000000000000' });
    output.length = 0;
    await run('validate', '--economics', '--home', home);
    expect(output.join('')).toBe('genesis is valid: 700000000000000uain, 420000000000000uain public, 280000000000000uain vesting\n');
  });
});
