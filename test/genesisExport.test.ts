/**
 * `aind genesis export` on a real node: a chain with traffic is stopped, its state exported with the
 * CLI, and the same validator starts a new chain from that document alone (no blocks, no lmdb). The
 * new chain's first block carries the old chain's last app hash, and balances and sequences carry over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StargateClient } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULES } from '../app/modules.ts';
import { runAind } from './helpers/cli.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

describe('genesis export', () => {
  let node: TestNode | undefined;
  afterAll(async () => node?.stop());

  it('restarts a chain from its exported state with the same app hash, balances and sequences', async () => {
    node = await startTestNode({ accounts: 2, createEmptyBlocks: false });
    const { client, address, account } = await fundedClient(node, 0);
    const receiver = node.accounts[1]!.address;
    await client.sendTokens(address, receiver, [{ denom: 'uain', amount: '12345' }], 'auto');
    await client.sendTokens(address, receiver, [{ denom: 'uain', amount: '1' }], 'auto');
    const before = {
      sender: await client.getBalance(address, 'uain'),
      receiver: await client.getBalance(receiver, 'uain'),
      sequence: (await client.getSequence(address)).sequence,
    };
    client.disconnect();
    const comet = await Comet38Client.connect(node.rpcUrl);
    const info = await comet.abciInfo();
    comet.disconnect();
    const height = info.lastBlockHeight!;
    await node.kill('comet', 'SIGTERM');
    await node.kill('app', 'SIGTERM');

    const file = join(node.home, 'exported.json');
    const exported = await runAind('genesis', 'export', '--home', node.home, '--output-document', file);
    expect(exported.code, exported.stderr).toBe(0);
    const genesis = JSON.parse(readFileSync(file, 'utf8')) as { initial_height: string; app_state: Record<string, unknown> };
    expect(genesis.initial_height).toBe(String(height + 1));
    // One section per module of the app.
    expect(Object.keys(genesis.app_state).sort()).toEqual(MODULES.map((module) => module.name).sort());

    // A new chain from the document alone: no blocks, no app state, the validator's signing state reset.
    writeFileSync(join(node.home, 'config', 'genesis.json'), readFileSync(file));
    rmSync(join(node.home, 'data'), { recursive: true, force: true });
    mkdirSync(join(node.home, 'data'));
    writeFileSync(join(node.home, 'data', 'priv_validator_state.json'), JSON.stringify({ height: '0', round: 0, step: 0 }));
    await node.startApp();
    await node.startComet();
    await node.waitForHeight(height + 1);
    const restarted = await Comet38Client.connect(node.rpcUrl);
    const first = await restarted.block(height + 1);
    restarted.disconnect();
    expect(Buffer.from(first.block.header.appHash).toString('hex')).toBe(Buffer.from(info.lastBlockAppHash!).toString('hex'));

    const reader = await StargateClient.connect(node.rpcUrl);
    // CometBFT reports a height once the block is stored, a moment before the app has committed it;
    // the new chain's app answers queries only from its first commit on.
    await until('the restarted app to answer queries', () => reader.getBalance(address, 'uain'), 30_000, { retryErrors: true });
    expect(await reader.getBalance(address, 'uain')).toEqual(before.sender);
    expect(await reader.getBalance(receiver, 'uain')).toEqual(before.receiver);
    expect((await reader.getSequence(account.address)).sequence).toBe(before.sequence);
    reader.disconnect();
  });
});
