/**
 * `tsx bench/shards.ts`: the scale-out figure of sharding (issue 13). First one chain under the
 * whole load (3A accounts x T pre-signed bank sends); then a parent with two children branched off it
 * (each a chain of its own on this machine, each child with its relayer running `aind shard relay`),
 * each chain under a third of that load (A x T), all pushed at once by the same load generator.
 * Prints committed sends per second of each, the total beside the single chain and their ratio, and
 * what one report costs the parent: gas and bytes of the relayers' report txs during the load (from
 * the parent's blocks), and the time to verify and store one report (in process, FinalizeBlock of a
 * block with one report minus an empty block, for a child of 1 and of 4 validators).
 *
 * Usage: tsx bench/shards.ts [accountsPerChain=90] [txsPerAccount=60]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { connectAin, cometRpc, cometRpcClient, shardsMsg } from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { addKey, AIND_SCRIPT, initHome, privValidatorPubkey, REPO_ROOT, writeShardHome } from '../home/index.ts';
import { queryShard } from '../client/index.ts';
import { branchMessage, DEFAULT_TRUST } from '../relayer/index.ts';
import { startHomeNode, startTestNode, type TestAccount, type TestNode } from '../test/helpers/node.ts';
import { consensusKey } from '../test/app/shardsHarness.fixture.ts';
import { branchMsg, startPair } from '../test/app/shardsPair.fixture.ts';
import { type LoadResult, runLoad, signedSendLanes } from './load.ts';

const perChain = Number(process.argv[2] ?? 90);
const txsPerAccount = Number(process.argv[3] ?? 60);
const TIMEOUT_COMMIT = '1s';

function line(name: string, r: LoadResult): string {
  return `${name.padEnd(8)} committed ${r.committed}/${r.sent} (rejected ${r.rejected}) in ${r.seconds.toFixed(2)} s: ${r.txPerSecond.toFixed(0)} tx/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`;
}

async function singleChain(): Promise<LoadResult> {
  const node = await startTestNode({
    accounts: 3 * perChain,
    timeoutCommit: TIMEOUT_COMMIT,
    chainId: 'ain-bench-single',
    startTimeoutMs: 120_000,
  });
  try {
    const lanes = await signedSendLanes(node.rpcUrl, node.chainId, node.accounts, txsPerAccount);
    const result = await runLoad(node.rpcUrl, lanes);
    console.log(line('single', result));
    return result;
  } finally {
    await node.stop();
  }
}

interface Sharded {
  readonly results: LoadResult[];
  readonly reports: Array<{ gas: number; bytes: number }>;
}

async function parentAndChildren(): Promise<Sharded> {
  // Parent accounts: alice (branches), the two relayers, then the load's.
  const parent = await startTestNode({
    accounts: 3 + perChain,
    timeoutCommit: TIMEOUT_COMMIT,
    chainId: 'ain-bench-parent',
    startTimeoutMs: 120_000,
  });
  const children: TestNode[] = [];
  const relayers: ChildProcess[] = [];
  const relayerHome = mkdtempSync(join(tmpdir(), 'ain-bench-relayers-'));
  const [alice, ...rest] = parent.accounts as TestAccount[];
  const relayerAccounts = rest.slice(0, 2);
  const load = rest.slice(2);
  const client = await connectAin({
    rpcUrl: parent.rpcUrl,
    signer: await DirectSecp256k1Wallet.fromKey(alice!.privkey, ADDRESS_PREFIX),
    broadcastPollIntervalMs: 200,
  });
  try {
    for (const [i, name] of ['shard1', 'shard2'].entries()) {
      const home = mkdtempSync(join(tmpdir(), `ain-bench-${name}-`));
      const chainId = `ain-bench-${name}`;
      initHome({ home, chainId, moniker: name });
      await client.createApp(name, { admins: [client.address!] });
      const msg = await branchMessage(
        { chainId: parent.chainId, rpc: cometRpcClient(parent.rpcUrl) },
        {
          signer: client.address!,
          name,
          childChainId: chainId,
          validators: [{ pubKey: privValidatorPubkey(home), power: 100n, operator: alice!.address }],
          // The same load keys, funded on the child too (the child's own uain), and the relayer.
          accounts: [...load, relayerAccounts[i]!].map((a) => ({ address: a.address, amount: 1_000_000_000_000n })),
          genesisTime: BigInt(Math.floor(Date.now() / 1000)),
          trust: DEFAULT_TRUST,
          blockTimeMs: 1000n,
          maxBlockBytes: 22_020_096n,
          reportFee: 100n,
          deposit: 100_000_000n,
        },
      );
      await client.signAndBroadcast([shardsMsg.branch(client.address!, msg)]);
      writeShardHome(home, (await queryShard(client.cometClient, name)).shard, name);
      const child = await startHomeNode({ home, chainId, accounts: load, timeoutCommit: TIMEOUT_COMMIT, startTimeoutMs: 120_000 });
      children.push(child);
      await addKey(relayerHome, `relayer${i}`, relayerAccounts[i]!.mnemonic);
      const fd = openSync(join(relayerHome, `${name}.log`), 'a');
      relayers.push(
        spawn(
          process.execPath,
          [
            AIND_SCRIPT,
            'shard',
            'relay',
            '--parent',
            parent.rpcUrl,
            '--child',
            child.rpcUrl,
            '--key',
            `relayer${i}`,
            '--home',
            relayerHome,
            // addKey writes the unattended test keyring, as the localnet's relayers use.
            '--keyring-backend',
            'test',
          ],
          {
            cwd: REPO_ROOT,
            stdio: ['ignore', fd, fd],
          },
        ),
      );
      closeSync(fd);
    }
    const chains = [parent, ...children];
    const lanes = await Promise.all(chains.map((c) => signedSendLanes(c.rpcUrl, c.chainId, load, txsPerAccount)));
    const startHeight = Number(
      ((await cometRpc(parent.rpcUrl, 'status')) as { sync_info: { latest_block_height: string } }).sync_info.latest_block_height,
    );
    const results = await Promise.all(chains.map((c, i) => runLoad(c.rpcUrl, lanes[i]!)));
    results.forEach((r, i) => console.log(line(['parent', 'shard1', 'shard2'][i]!, r)));
    // The relayers' reports during the load, as the parent's blocks hold them.
    const reports: Array<{ gas: number; bytes: number }> = [];
    for (const name of ['shard1', 'shard2']) {
      const found = (await cometRpc(parent.rpcUrl, 'tx_search', {
        query: `ain.shards.v1.EventReported.shard='${name}' AND tx.height>${startHeight}`,
        per_page: '100',
      })) as { txs: Array<{ tx: string; tx_result: { gas_used: string } }> };
      for (const tx of found.txs) reports.push({ gas: Number(tx.tx_result.gas_used), bytes: Buffer.from(tx.tx, 'base64').length });
    }
    for (const name of ['shard1', 'shard2']) {
      const log = readFileSync(join(relayerHome, `${name}.log`), 'utf8');
      const failed = log.split('\n').filter((l) => l.includes('round failed'));
      const reported = [...log.matchAll(/-> ain-bench-parent: reported height/g)].length;
      console.log(
        `relayer ${name}: ${reported} reports on the parent, ${failed.length} failed rounds${failed[0] ? ` (${failed[0].slice(25, 200)})` : ''}`,
      );
      if (reported === 0) console.log(`  its log ends: ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    return { results, reports };
  } finally {
    client.disconnect();
    for (const relayer of relayers) {
      relayer.kill('SIGTERM');
      await new Promise((resolve) => (relayer.exitCode === null ? relayer.once('exit', resolve) : resolve(undefined)));
    }
    for (const child of children) await child.stop();
    await parent.stop();
    rmSync(relayerHome, { recursive: true, force: true });
  }
}

/** ms of FinalizeBlock + Commit for a block holding one report, minus an empty block's, in process. */
async function reportMs(validators: number): Promise<number> {
  const keys = Array.from({ length: validators }, (_, i) => consensusKey(`bench-child-${i}`));
  const pair = startPair(branchMsg({}, keys), keys);
  try {
    const rounds = 40;
    for (let i = 0; i < rounds + 1; i++) pair.child.block([]);
    const time = (run: () => void) => {
      const start = process.hrtime.bigint();
      run();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    let withReport = 0;
    let empty = 0;
    for (let h = 1n; h <= BigInt(rounds); h++) {
      withReport += time(() => pair.reportChild(h));
      empty += time(() => pair.parent.block([]));
    }
    return (withReport - empty) / rounds;
  } finally {
    await pair.close();
  }
}

console.log(
  `bench/shards: ${perChain} accounts x ${txsPerAccount} signed sends per chain, timeout_commit ${TIMEOUT_COMMIT}, all on this machine`,
);
const single = await singleChain();
const sharded = await parentAndChildren();
const committed = sharded.results.reduce((n, r) => n + r.committed, 0);
const seconds = Math.max(...sharded.results.map((r) => r.seconds));
const total = committed / seconds;
console.log(`sharded  committed ${committed} in ${seconds.toFixed(2)} s: ${total.toFixed(0)} tx/s across the three chains`);
console.log(`ratio parent+2 children / single chain: ${(total / single.txPerSecond).toFixed(2)}`);
const avg = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
console.log(
  `one report on the parent (1-validator child, during the load): ${sharded.reports.length} reports, gas ${avg(sharded.reports.map((r) => r.gas)).toFixed(0)}, tx ${avg(sharded.reports.map((r) => r.bytes)).toFixed(0)} bytes`,
);
for (const n of [1, 4])
  console.log(`one report verified and stored in process (${n}-validator child): ${(await reportMs(n)).toFixed(2)} ms`);
