/** `initHome` against the real pinned CometBFT: the files it writes, overwriting, chain ids. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AinError, ErrConflict, ErrInvalidChainID } from '../core/index.ts';
import { defaultAppState } from '../app/index.ts';
import { ensureCometbft } from '../scripts/setup.mjs';
import { COMETBFT_BIN, getTomlValue, homePaths, readGenesis } from './index.ts';
import { initHome } from './init.ts';

// Runs the real pinned CometBFT binary (built by the set-up step when missing).
beforeAll(() => {
  ensureCometbft({ quiet: true });
}, 300_000);

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-init-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('initHome', () => {
  it('writes CometBFT config, keys and a genesis with the default app_state and the chain id', () => {
    const result = initHome({ home, chainId: 'ain-test-7', moniker: 'node0' });
    const paths = homePaths(home);
    for (const file of [paths.configToml, paths.appToml, paths.genesis, paths.nodeKey, paths.privValidatorKey]) {
      expect(existsSync(file)).toBe(true);
    }

    const genesis = readGenesis(home);
    expect(genesis.chain_id).toBe('ain-test-7');
    expect(genesis.app_state).toEqual(defaultAppState());
    expect(genesis.validators).toHaveLength(1);
    expect(genesis.genesis_time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(genesis.consensus_params).toMatchObject({ block: { max_bytes: expect.any(String) } });
    expect(Object.keys(genesis)).toEqual([
      'genesis_time',
      'chain_id',
      'initial_height',
      'consensus_params',
      'validators',
      'app_hash',
      'app_state',
    ]);

    const shown = spawnSync(COMETBFT_BIN, ['show-node-id', '--home', home], { encoding: 'utf8' });
    expect(result).toEqual({ moniker: 'node0', chain_id: 'ain-test-7', node_id: shown.stdout.trim(), home });

    const config = readFileSync(paths.configToml, 'utf8');
    expect(getTomlValue(config, '', 'proxy_app')).toBe('tcp://127.0.0.1:26658');
    expect(getTomlValue(config, '', 'moniker')).toBe('node0');
    expect(getTomlValue(config, 'consensus', 'timeout_commit')).toBe('1s');
    expect(getTomlValue(config, 'tx_index', 'indexer')).toBe('kv');
    expect(getTomlValue(config, 'mempool', 'size')).toBe(10_000);
    expect(getTomlValue(config, 'mempool', 'cache_size')).toBe(20_000);
    expect(getTomlValue(config, 'rpc', 'cors_allowed_origins')).toBe('["*"]');
    expect(getTomlValue(config, 'rpc', 'laddr')).toBe('tcp://127.0.0.1:26657');

    const app = readFileSync(paths.appToml, 'utf8');
    expect(getTomlValue(app, 'api', 'enable')).toBe(true);
    expect(getTomlValue(app, 'api', 'address')).toBe('tcp://127.0.0.1:1317');
    expect(getTomlValue(app, 'state', 'keep_recent')).toBe(100);
  });

  it('CometBFT accepts the config and genesis it wrote (validate-genesis style check via show-validator)', () => {
    initHome({ home, chainId: 'ain-test-1' });
    // `cometbft show-validator` loads config.toml: a broken edit would make it fail.
    const shown = spawnSync(COMETBFT_BIN, ['show-validator', '--home', home], { encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
  });

  it('refuses to replace a genesis without --overwrite, and keeps the validator key with it', () => {
    initHome({ home, chainId: 'ain-a' });
    const validators = readGenesis(home).validators;
    try {
      initHome({ home, chainId: 'ain-b' });
      throw new Error('expected a conflict');
    } catch (error) {
      expect((error as AinError).is(ErrConflict)).toBe(true);
    }
    writeFileSync(homePaths(home).appToml, '# edited\n');
    initHome({ home, chainId: 'ain-b', overwrite: true });
    const genesis = readGenesis(home);
    expect(genesis.chain_id).toBe('ain-b');
    expect(genesis.validators).toEqual(validators);
    expect(readFileSync(homePaths(home).appToml, 'utf8')).toContain('[api]');
  });

  it('keeps the chain id CometBFT chose when none is given, and rejects bad chain ids', () => {
    expect(initHome({ home }).chain_id).toMatch(/^test-chain-/);
    expect(() => initHome({ home, chainId: 'has space', overwrite: true })).toThrow(AinError);
    try {
      initHome({ home, chainId: 'x'.repeat(51), overwrite: true });
    } catch (error) {
      expect((error as AinError).is(ErrInvalidChainID)).toBe(true);
    }
  });

  it('starts from a given genesis document (aind init --genesis), whose chain id must match --chain-id', () => {
    const other = mkdtempSync(join(tmpdir(), 'aind-init-src-'));
    try {
      initHome({ home: other, chainId: 'ain-exported-3' });
      const doc = { ...readGenesis(other), initial_height: '42' };
      expect(() => initHome({ home, chainId: 'ain-other-1', genesis: doc })).toThrow(
        /differs from the genesis file's chain id ain-exported-3/,
      );
      const result = initHome({ home, genesis: doc });
      expect(result.chain_id).toBe('ain-exported-3');
      expect(readGenesis(home)).toEqual(doc);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  // InitChain would refuse these documents and halt the node: `aind init --genesis` checks them as
  // `aind genesis validate` does, at the document's own initial height and time, before any write.
  it('refuses a genesis document whose app_state InitChain would refuse, writing nothing into the home', () => {
    const other = mkdtempSync(join(tmpdir(), 'aind-init-src-'));
    try {
      initHome({ home: other, chainId: 'ain-exported-4' });
      const exported = { ...readGenesis(other), initial_height: '1000', genesis_time: '2030-01-01T00:00:00Z' };
      const withPlan = (height: string) => ({
        ...exported,
        app_state: { ...exported.app_state!, upgrade: { plan: { name: 'v2', height, info: '' } } },
      });
      const refusal = /^genesis upgrade\.plan\.height 500 is before the chain's first height 1000/;
      expect(() => initHome({ home, genesis: withPlan('500') })).toThrow(refusal);
      expect(readdirSync(home)).toEqual([]);
      const { app_state: _, ...noAppState } = exported;
      expect(() => initHome({ home, genesis: noAppState })).toThrow(/^the genesis document has no app_state/);
      expect(readdirSync(home)).toEqual([]);

      // An existing home keeps its genesis.json (and keys) even with --overwrite.
      initHome({ home, chainId: 'ain-kept-1' });
      const before = readFileSync(homePaths(home).genesis, 'utf8');
      const files = readdirSync(join(home, 'config')).sort();
      expect(() => initHome({ home, overwrite: true, genesis: withPlan('500') })).toThrow(refusal);
      expect(readFileSync(homePaths(home).genesis, 'utf8')).toBe(before);
      expect(readdirSync(join(home, 'config')).sort()).toEqual(files);

      // The plan at the first height is valid there: the document is written as it is.
      initHome({ home, overwrite: true, genesis: withPlan('1000') });
      expect(readGenesis(home)).toEqual(withPlan('1000'));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
