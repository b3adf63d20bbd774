/**
 * A runtime an operator declares, end to end with real processes: a virtualenv with a package of its
 * own, declared in HOME/executor.toml of a real `aind executor`, which probes it in the sandbox and
 * registers its packages (`runtime_info`). The chain then takes a write whose function asks for that
 * runtime and package, the executor runs it there, and the chain refuses writes nobody registered could
 * serve (a version the venv lacks, a GPU).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { queryExecutors } from '../client/queryTriggers.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { addKey } from '../home/index.ts';
import { putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

const WRITE_FEE = { amount: [{ denom: 'uain', amount: '12500' }], gas: '500000' };
const PROGRAM = 'import json, sys, ain_fake_pkg\nd = json.load(sys.stdin)\nprint(json.dumps(d["n"] + ain_fake_pkg.VALUE))\n';

/** A venv of /usr/bin/python3 holding `ain-fake-pkg` 1.2.3 (importable as ain_fake_pkg, VALUE = 40). */
function makeVenv(dir: string): string {
  const venv = join(dir, 'venv');
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
  const site = execFileSync(join(venv, 'bin', 'python3'), ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], {
    encoding: 'utf8',
  }).trim();
  mkdirSync(join(site, 'ain_fake_pkg-1.2.3.dist-info'));
  writeFileSync(join(site, 'ain_fake_pkg-1.2.3.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: ain_fake_pkg\nVersion: 1.2.3\n');
  mkdirSync(join(site, 'ain_fake_pkg'));
  writeFileSync(join(site, 'ain_fake_pkg', '__init__.py'), 'VALUE = 40\n');
  return venv;
}

describe('a declared runtime end to end', () => {
  let node: TestNode;
  let storage: StorageServer;
  let dir: string;
  let client: AinClient;
  let executor: ExecutorProcess | undefined;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 2 });
    dir = mkdtempSync(join(tmpdir(), 'ain-runtimes-e2e-'));
    storage = await startStorageServer({ dir: join(dir, 'storage'), port: 0 });
    const wallet = await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, ADDRESS_PREFIX);
    client = await connectAin({ rpcUrl: node.rpcUrl, signer: wallet, broadcastPollIntervalMs: 100 });
  }, 120_000);

  afterAll(async () => {
    await executor?.stop();
    client?.disconnect();
    await storage?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('probes and registers the venv of HOME/executor.toml, runs a call needing its package, and the chain refuses what nobody can serve', async () => {
    const venv = makeVenv(dir);
    const home = join(dir, 'executor-home');
    await addKey(home, 'exec', node.accounts[1]!.mnemonic);
    writeFileSync(join(home, 'executor.toml'), `[runtimes.pyvenv]\ncommand = "${venv}/bin/python3"\n`);
    executor = await startExecutorProcess({
      account: node.accounts[1]!,
      rpcUrl: node.rpcUrl,
      storageUrl: storage.url,
      home,
      args: ['--runtimes', 'pyvenv,node'],
    });
    const running = executor;
    const registered = await until('the registration', async () =>
      (await queryExecutors(client.cometClient)).find((e) => e.address === running.address),
    );
    expect(registered.runtimes).toEqual(['pyvenv', 'node']);
    const info = registered.runtimeInfo.find((i) => i.name === 'pyvenv');
    expect(info).toMatchObject({ kind: 'python', cuda: false });
    expect(info?.packages).toContainEqual({ name: 'ain-fake-pkg', version: '1.2.3' });
    expect(running.stderr()).toMatch(/runtime pyvenv: python 3\.\d+\.\d+ at .*venv\/bin\/python3, \d+ packages, cuda no/);
    expect(running.stderr()).toMatch(/memory control: /);

    const owner = node.accounts[0]!.address;
    await client.createApp('venv', { admins: [owner], public: false });
    await client.ref('/apps/venv/in/$key').setRule({ write: `auth.addr == '${owner}'` });
    await client.ref('/apps/venv/out/$key').setRule({ write: `auth.fid == 'add40'` });
    const { hash } = await putBlob(storage.url, new TextEncoder().encode(PROGRAM), node.accounts[0]!);
    const fn = (requires: string[], gpus = 0) => ({
      function_type: 'OFFCHAIN' as const,
      function_id: 'add40',
      runtime: 'pyvenv',
      code_hash: hash,
      resources: { cpu: 1, memory_mb: 128, gpus, gpu_memory_mb: 0 },
      timeout_blocks: 100,
      price: '0',
      output_path: '/apps/venv/out/$key',
      executors: 'any' as const,
      requires,
    });
    await client.ref('/apps/venv/in/$key').setFunction(fn(['ain-fake-pkg>=1.2,<2']));
    await client.ref('/apps/venv/in/a').setValue({ n: 2 }, { fee: WRITE_FEE });
    const result = await until('the result from the venv', async () => {
      const snapshot = await client.ref('/apps/venv/out/a').get();
      return snapshot.value === null ? undefined : snapshot;
    });
    expect(result.value).toBe(42);

    await client.ref('/apps/venv/in/$key').setFunction(fn(['ain-fake-pkg>=2']));
    await expect(client.ref('/apps/venv/in/b').setValue({ n: 2 }, { fee: WRITE_FEE })).rejects.toThrow(
      /runtime pyvenv does not meet ain-fake-pkg>=2/,
    );
    await client.ref('/apps/venv/in/$key').setFunction(fn([], 1));
    await expect(client.ref('/apps/venv/in/c').setValue({ n: 2 }, { fee: WRITE_FEE })).rejects.toThrow(/0 GPUs, the function needs 1/);
  }, 180_000);
});
