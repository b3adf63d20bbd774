import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCometbft } from '../../scripts/setup.mjs';
import { clientKeyringBackend, DEV_LOG_LEVEL, getKey, getTomlValue, readGenesis } from '../../home/index.ts';
import { moduleAddress } from '../../core/index.ts';
import { toValoper } from '../../modules/staking/index.ts';
import { DEV_EXECUTOR_FUNDS, DEV_EXECUTOR_KEY, insecureWarning, startDevServices } from './services.ts';
import { DEV_JOBS_WINDOWS, DEV_BALANCE, DEV_CHAIN_ID, DEV_SELF_DELEGATION, formatDevBanner, prepareDevHome } from './handler.ts';

beforeAll(() => {
  ensureCometbft({ quiet: true });
}, 300_000);

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-dev-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('prepareDevHome', () => {
  it('initialises ain-dev-1 with a funded dev key once, then leaves the home alone', async () => {
    const first = await prepareDevHome(home);
    expect(first.created).toBe(true);
    expect(first.mnemonic?.split(' ')).toHaveLength(24);
    const genesis = readGenesis(home);
    expect(genesis.chain_id).toBe(DEV_CHAIN_ID);
    // The dev key operates the one validator: its self-delegation moved into the bonded pool.
    const stake = BigInt(DEV_SELF_DELEGATION.replace('uain', ''));
    const executor = getKey(home, DEV_EXECUTOR_KEY);
    expect(genesis.app_state?.bank.balances).toEqual([
      { address: first.key.address, coins: [{ denom: 'uain', amount: String(BigInt(DEV_BALANCE.replace('uain', '')) - stake) }] },
      { address: moduleAddress('bonded_tokens_pool'), coins: [{ denom: 'uain', amount: String(stake) }] },
      { address: executor.address, coins: [{ denom: 'uain', amount: String(DEV_EXECUTOR_FUNDS) }] },
    ]);
    expect(genesis.validators).toEqual([]);
    expect(genesis.app_state?.staking?.validators.map((v) => [v.operator_address, v.tokens, v.description.moniker])).toEqual([
      [toValoper(first.key.address), String(stake), 'ain-dev'],
    ]);
    expect(genesis.app_state?.jobs?.params).toMatchObject(DEV_JOBS_WINDOWS);
    // 1 s blocks, 10% inflation of the 1,010,000 AIN genesis supply: 3,200 uain a block.
    expect(genesis.app_state?.distribution?.params).toMatchObject({ blocks_per_year: '31557600', block_reward: '3200' });
    expect(getTomlValue(readFileSync(join(home, 'config', 'config.toml'), 'utf8'), '', 'log_level')).toBe(DEV_LOG_LEVEL);
    const banner = formatDevBanner(first);
    expect(banner).toContain(first.key.address);
    expect(banner).toContain(first.mnemonic);

    // Its keys are in the test keyring, as client.toml says (written again for a home made before it existed).
    expect(clientKeyringBackend(home)).toBe('test');
    rmSync(join(home, 'config', 'client.toml'));

    const second = await prepareDevHome(home);
    expect(second).toEqual({ home, created: false, key: first.key });
    expect(formatDevBanner(second)).not.toContain(first.mnemonic);
    expect(clientKeyringBackend(home)).toBe('test');
  });
});

describe('the dev executor without bubblewrap', () => {
  it('says in one line that programs are not isolated, and how to fix it', () => {
    const line = insecureWarning('unshare -n at /usr/bin/unshare (bwrap not installed)');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(
      /^WARNING: the dev executor runs programs WITHOUT filesystem isolation \(.*bwrap not installed\)\); install the bubblewrap package/,
    );
  });
});

describe('the dev services before the first block', () => {
  it('stop waiting for the chain when the node shuts down', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    // Nothing listens on port 9 (discard): the services would wait up to 120 s for a first block.
    const starting = startDevServices({
      home,
      rpcUrl: 'http://127.0.0.1:9',
      storagePort: 0,
      log: (l) => lines.push(l),
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(new Error('the node is shutting down')), 300);
    await expect(starting).rejects.toThrow('the node is shutting down');
    expect(lines).toEqual([]);
  });
});
