import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AinError,
  ErrConflict,
  type ErrorDefinition,
  ErrInvalidChainID,
  ErrInvalidRequest,
  moduleAddress,
  parseCoins,
} from '../core/index.ts';
import { ensureCometbft } from '../scripts/setup.mjs';
import { clientKeyringBackend, getKey, getTomlValue, homePaths, nodeId, privValidatorPubkey, readGenesis } from '../home/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { toValoper, BONDED_POOL_NAME } from '../modules/staking/index.ts';
import {
  basePortLayout,
  createLocalnet,
  DOCKER_PORTS,
  EXECUTOR_BALANCE,
  EXECUTOR_KEY,
  FAUCET_BALANCE,
  FAUCET_KEY,
  readManifest,
  removeLocalnet,
  VALIDATOR_BALANCE,
  VALIDATOR_KEY,
  VALIDATOR_STAKE,
} from './index.ts';
import { groupAlive, isOurProcess, readPidFile, signalGroup, spawnGroup, stopListedProcesses, writePidFile } from './processes.ts';

beforeAll(() => {
  ensureCometbft({ quiet: true });
}, 300_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aind-localnet-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function expectError(fn: () => unknown, definition: ErrorDefinition, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect((error as AinError).is(definition), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
}

async function expectRejects(promise: Promise<unknown>, definition: ErrorDefinition, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeDefined();
  expect((error as AinError).is(definition), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

describe('createLocalnet', () => {
  it('writes 3 homes with one genesis, equal-power validators from each priv_validator_key, funded keys, peers and the port layout', async () => {
    const extra = testKey('localnet-extra');
    const net = join(dir, 'net');
    const manifest = await createLocalnet({
      dir: net,
      validators: 3,
      chainId: 'ain-ln-7',
      basePort: 30000,
      timeoutCommit: '700ms',
      accounts: [{ address: extra.address, coins: '5uain' }],
    });
    expect(manifest.nodes.map((n) => n.name)).toEqual(['node0', 'node1', 'node2']);
    expect(readManifest(net)).toEqual(manifest);
    expect(manifest.storage).toEqual({ host: '127.0.0.1', port: 30000 });
    expect(manifest.nodes.map((n) => n.ports)).toEqual([0, 1, 2].map((i) => basePortLayout(30000, i)));
    expect(manifest.nodes[1]!.ports).toEqual({ p2p: 30016, rpc: 30017, abci: 30018, api: 30019 });

    // One genesis, byte for byte, in every home.
    const texts = manifest.nodes.map((n) => readFileSync(homePaths(join(net, n.name)).genesis, 'utf8'));
    expect(new Set(texts).size).toBe(1);
    const genesis = readGenesis(join(net, 'node0'));
    expect(genesis.chain_id).toBe('ain-ln-7');
    // The validator set is app_state.staking (add-validator's code): each node's own account and
    // consensus key, equal self-delegations; genesis.json's own list stays empty.
    expect(genesis.validators).toEqual([]);
    const stake = parseCoins(VALIDATOR_STAKE, 'stake')[0]!;
    expect(
      genesis.app_state!.staking!.validators.map((v) => ({
        operator: v.operator_address,
        key: v.consensus_pubkey.key,
        tokens: v.tokens,
        moniker: v.description.moniker,
      })),
    ).toEqual(
      manifest.nodes.map((n) => ({
        operator: toValoper(n.account),
        key: privValidatorPubkey(join(net, n.name)),
        tokens: stake.amount.toString(),
        moniker: n.name,
      })),
    );

    // Funded: each node's own key, the faucet, the executor and the extra account.
    const faucet = getKey(net, FAUCET_KEY).address;
    const executor = getKey(net, EXECUTOR_KEY).address;
    expect(manifest.faucet.address).toBe(faucet);
    expect(manifest.executor).toEqual({ address: executor, node: 'node0' });
    const balances = Object.fromEntries(
      genesis.app_state!.bank.balances.map((b) => [b.address, `${b.coins[0]!.amount}${b.coins[0]!.denom}`]),
    );
    const staked = `${parseCoins(VALIDATOR_BALANCE, 'balance')[0]!.amount - stake.amount}uain`;
    expect(balances).toEqual({
      ...Object.fromEntries(manifest.nodes.map((n) => [n.account, staked])),
      [moduleAddress(BONDED_POOL_NAME)]: `${3n * stake.amount}uain`,
      [faucet]: FAUCET_BALANCE,
      [executor]: EXECUTOR_BALANCE,
      [extra.address]: '5uain',
    });
    for (const n of manifest.nodes) expect(getKey(join(net, n.name), VALIDATOR_KEY).address).toBe(n.account);
    // Unattended: every home's keys are in the test keyring, as its client.toml says.
    for (const dir of [net, ...manifest.nodes.map((n) => join(net, n.name))]) expect(clientKeyringBackend(dir)).toBe('test');
    // 700 ms blocks, 10% inflation of the 4,010,000.000005 AIN genesis supply: 8,895 uain a block.
    expect(genesis.app_state!.distribution!.params).toMatchObject({ blocks_per_year: '45082285', block_reward: '8895' });

    for (const n of manifest.nodes) {
      const home = join(net, n.name);
      expect(n.nodeId).toBe(nodeId(home));
      const config = readFileSync(homePaths(home).configToml, 'utf8');
      const others = manifest.nodes.filter((o) => o !== n).map((o) => `${nodeId(join(net, o.name))}@127.0.0.1:${o.ports.p2p}`);
      expect(String(getTomlValue(config, 'p2p', 'persistent_peers')).split(',')).toEqual(others);
      expect(getTomlValue(config, 'p2p', 'laddr')).toBe(`tcp://127.0.0.1:${n.ports.p2p}`);
      expect(getTomlValue(config, 'p2p', 'addr_book_strict')).toBe(false);
      expect(getTomlValue(config, 'p2p', 'allow_duplicate_ip')).toBe(true);
      expect(getTomlValue(config, 'p2p', 'flush_throttle_timeout')).toBe('10ms');
      expect(getTomlValue(config, 'consensus', 'peer_gossip_sleep_duration')).toBe('10ms');
      expect(getTomlValue(config, 'rpc', 'laddr')).toBe(`tcp://127.0.0.1:${n.ports.rpc}`);
      expect(getTomlValue(config, 'rpc', 'pprof_laddr')).toBe('');
      expect(getTomlValue(config, '', 'proxy_app')).toBe(`tcp://127.0.0.1:${n.ports.abci}`);
      expect(getTomlValue(config, '', 'moniker')).toBe(n.name);
      expect(getTomlValue(config, 'consensus', 'timeout_commit')).toBe('700ms');
      const appToml = readFileSync(homePaths(home).appToml, 'utf8');
      expect(getTomlValue(appToml, 'api', 'address')).toBe(`tcp://127.0.0.1:${n.ports.api}`);
    }
  });

  it('picks distinct free ports when no base port is given, and container names with --docker', async () => {
    const loopback = await createLocalnet({ dir: join(dir, 'a'), validators: 2 });
    const ports = [loopback.storage.port, ...loopback.nodes.flatMap((n) => Object.values(n.ports))];
    expect(new Set(ports).size).toBe(9);
    expect(ports.every((p) => p >= 1024)).toBe(true);

    const docker = await createLocalnet({ dir: join(dir, 'd'), validators: 2, docker: true });
    expect(docker.docker).toBe(true);
    expect(docker.nodes.map((n) => [n.host, n.ports])).toEqual([
      ['node0', DOCKER_PORTS],
      ['node1', DOCKER_PORTS],
    ]);
    expect(docker.storage).toEqual({ host: 'storage', port: 7070 });
    const config = readFileSync(homePaths(join(dir, 'd', 'node0')).configToml, 'utf8');
    expect(getTomlValue(config, 'p2p', 'persistent_peers')).toBe(`${docker.nodes[1]!.nodeId}@node1:26656`);
    expect(getTomlValue(config, 'p2p', 'external_address')).toBe('node0:26656');
    expect(getTomlValue(config, 'rpc', 'laddr')).toBe('tcp://0.0.0.0:26657');
    expect(getTomlValue(config, '', 'proxy_app')).toBe('tcp://127.0.0.1:26658');
  });

  it('applies genesisPatch to the finished app_state (accounts and validators in) of every home', async () => {
    const net = join(dir, 'net');
    const manifest = await createLocalnet({
      dir: net,
      validators: 2,
      genesisPatch: (state) => {
        expect(state.staking!.validators).toHaveLength(2);
        return { ...state, slashing: { params: { ...state.slashing!.params, signed_blocks_window: '10' } } };
      },
    });
    for (const n of manifest.nodes) {
      const genesis = readGenesis(join(net, n.name));
      expect(genesis.app_state!.slashing!.params.signed_blocks_window).toBe('10');
      expect(genesis.app_state!.staking!.validators).toHaveLength(2);
    }
  });

  it('refuses bad options with sdk/18 naming the flag, and a used folder with sdk/36', async () => {
    await expectRejects(createLocalnet({ dir, validators: 0 }), ErrInvalidRequest, /--validators 0 must be an integer from 1 to 16/);
    await expectRejects(createLocalnet({ dir, validators: 17 }), ErrInvalidRequest, /--validators 17/);
    await expectRejects(createLocalnet({ dir, basePort: 80 }), ErrInvalidRequest, /--base-port 80 must be an integer from 1024 to 65216/);
    await expectRejects(createLocalnet({ dir, basePort: 65300 }), ErrInvalidRequest, /--base-port 65300/);
    await expectRejects(
      createLocalnet({ dir, timeoutCommit: '1h' }),
      ErrInvalidRequest,
      /--timeout-commit "1h" must be a duration like 500ms or 1s/,
    );
    await expectRejects(createLocalnet({ dir, chainId: 'a b' }), ErrInvalidChainID, /chain id "a b"/);
    // Nothing was written by the refused calls.
    expect(existsSync(join(dir, 'localnet.json'))).toBe(false);

    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    await expectRejects(createLocalnet({ dir }), ErrConflict, /is not empty/);
    expectError(() => removeLocalnet(dir), ErrConflict, /holds no localnet.json; not deleting it/);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');

    const net = join(dir, 'net');
    await createLocalnet({ dir: net, validators: 1 });
    await expectRejects(createLocalnet({ dir: net }), ErrConflict, /already holds a localnet/);
  });
});

describe('localnet processes', () => {
  it('stopListedProcesses stops each listed process group, children included, and removes the pid file', async () => {
    mkdirSync(join(dir, 'logs'));
    // A leader that starts a grandchild in its group; both name the localnet folder in their arguments.
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(dir)}], { stdio: 'ignore' }); console.log('child ' + c.pid); setInterval(() => {}, 1000);`;
    const proc = spawnGroup('worker', process.execPath, ['-e', script, dir], join(dir, 'logs', 'worker.log'));
    // One that ignores SIGTERM (it says "ready" once its handler is in place): it gets SIGKILL.
    const stubborn = spawnGroup(
      'stubborn',
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);", dir],
      join(dir, 'logs', 's.log'),
    );
    try {
      writePidFile({ dir, processes: [proc, stubborn].map((p) => ({ name: p.name, pid: p.pid, log: p.log })) });
      expect(readPidFile(dir)!.processes.map((p) => p.name)).toEqual(['worker', 'stubborn']);
      for (let i = 0; i < 200 && !/^ready$/m.test(readFileSync(stubborn.log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < 200 && !/^child \d+$/m.test(readFileSync(proc.log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
      const grandchild = Number(/^child (\d+)$/m.exec(readFileSync(proc.log, 'utf8'))![1]);
      expect(isOurProcess(proc.pid, dir)).toBe(true);
      expect(isOurProcess(grandchild, dir)).toBe(true);
      // A pid whose command line does not name the folder is not ours.
      expect(isOurProcess(proc.pid, join(dir, 'elsewhere'))).toBe(false);

      const stopped = await stopListedProcesses(dir, 1_000);
      expect(stopped).toEqual(['worker', 'stubborn']);
      expect(groupAlive(proc.pid)).toBe(false);
      expect(groupAlive(stubborn.pid)).toBe(false);
      expect(isOurProcess(grandchild, dir)).toBe(false);
      expect(await proc.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(await stubborn.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(readPidFile(dir)).toBeUndefined();
      expect(await stopListedProcesses(dir)).toEqual([]);
    } finally {
      // A failed expectation must not leave them running.
      for (const p of [proc, stubborn]) signalGroup(p.pid, 'SIGKILL');
    }
  });

  it('never signals a pid that is alive but is not a localnet process', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writePidFile({ dir, processes: [{ name: 'node0/app', pid: other.pid!, log: join(dir, 'x.log') }] });
      expect(await stopListedProcesses(dir, 500)).toEqual([]);
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
    } finally {
      other.kill('SIGKILL');
    }
  });
});
