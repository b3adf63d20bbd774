// Crash recovery (issue point 7): kill -9 of the app, then of CometBFT, while transactions flow.
// After each restart the handshake replays what was lost: heights continue, past blocks' app hashes
// are unchanged, no committed tx is missing, and balances equal what the committed txs imply.
// The node commits pipelined (Commit answers before lmdb has the block): the second test kills the
// app right after it answers Commit, before the block is on disk, and CometBFT's replay restores it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../home/index.ts';
import { openCommittedState } from '../tree/lmdb/index.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';
import { signTx } from './helpers/tx.ts';

const ACCOUNTS = 6;
const GENESIS = 1_000_000_000n;
const AMOUNT = 1000n;
const FEE = 5000n;

interface Sent {
  readonly hash: string;
  readonly from: number;
  readonly to: number;
}

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ accounts: ACCOUNTS, balance: `${GENESIS}uain` });
});
afterAll(async () => node?.stop());

async function rpc<T>(method: string, params: Record<string, string> = {}): Promise<T | undefined> {
  try {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${node.rpcUrl}/${method}${query ? `?${query}` : ''}`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as { result?: T; error?: unknown };
    return body.result;
  } catch {
    return undefined;
  }
}

async function headerAppHash(height: number): Promise<string | undefined> {
  const block = await rpc<{ block: { header: { app_hash: string } } }>('block', { height: String(height) });
  return block?.block.header.app_hash;
}

/** Keeps sending signed MsgSends round-robin until stopped; records every tx CheckTx accepted. */
function startFlow(chainId: string, accountNumbers: bigint[]) {
  const sent: Sent[] = [];
  const sequences: (bigint | undefined)[] = Array.from({ length: ACCOUNTS }, () => undefined);
  let running = true;
  const done = (async () => {
    const stargate = await StargateClient.connect(node.rpcUrl);
    while (running) {
      for (let i = 0; i < ACCOUNTS && running; i++) {
        try {
          sequences[i] ??= BigInt((await stargate.getSequence(node.accounts[i]!.address)).sequence);
          const to = (i + 1) % ACCOUNTS;
          const tx = signTx({
            key: node.accounts[i]!,
            chainId,
            accountNumber: accountNumbers[i]!,
            sequence: sequences[i]!,
            messages: [
              {
                typeUrl: '/cosmos.bank.v1beta1.MsgSend',
                value: MsgSend.encode({
                  fromAddress: node.accounts[i]!.address,
                  toAddress: node.accounts[to]!.address,
                  amount: [{ denom: 'uain', amount: String(AMOUNT) }],
                }).finish(),
              },
            ],
            fee: [{ denom: 'uain', amount: String(FEE) }],
          });
          const result = await rpc<{ code: number; hash: string }>('broadcast_tx_sync', { tx: `0x${toHex(tx)}` });
          if (result?.code === 0) {
            sent.push({ hash: result.hash, from: i, to });
            sequences[i]! += 1n;
          } else {
            sequences[i] = undefined; // resync from the chain (node restarting, or mempool lost the tx)
            await new Promise((r) => setTimeout(r, 100));
          }
        } catch {
          sequences[i] = undefined;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    stargate.disconnect();
  })();
  return { sent, stop: async () => ((running = false), await done) };
}

async function committed(hashes: readonly string[]): Promise<Map<string, { height: string; code: number }>> {
  const found = new Map<string, { height: string; code: number }>();
  for (const hash of hashes) {
    const tx = await rpc<{ height: string; tx_result: { code: number } }>('tx', { hash: `0x${hash}` });
    if (tx) found.set(hash, { height: tx.height, code: tx.tx_result.code });
  }
  return found;
}

/** A committed send between the test's accounts: its height, result, and sender and recipient indexes. */
interface BlockSend {
  readonly height: string;
  readonly code: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Every send of blocks 1..`height`, by hash, read from the blocks and their results. CometBFT indexes
 * a block's txs after committing it, so a kill -9 can leave the last block's txs out of the tx index
 * for good (`cometbft reindex-event` restores them), and a broadcast cut off by a kill may have
 * reached a block without its sender hearing so; the blocks have every committed tx.
 */
async function blockSends(height: number): Promise<Map<string, BlockSend>> {
  const addresses = node.accounts.map((a) => a.address);
  const found = new Map<string, BlockSend>();
  for (let h = 1; h <= height; h++) {
    const block = await rpc<{ block: { data: { txs: string[] | null } } }>('block', { height: String(h) });
    const results = await rpc<{ txs_results: Array<{ code?: number }> | null }>('block_results', { height: String(h) });
    (block?.block.data.txs ?? []).forEach((tx, i) => {
      const bytes = fromBase64(tx);
      const send = MsgSend.decode(decodeTxRaw(bytes).body.messages[0]!.value);
      const hash = createHash('sha256').update(bytes).digest('hex').toUpperCase();
      const code = results?.txs_results?.[i]?.code ?? 0;
      found.set(hash, { height: String(h), code, from: addresses.indexOf(send.fromAddress), to: addresses.indexOf(send.toAddress) });
    });
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash recovery', () => {
  it('survives kill -9 of the app and of CometBFT while txs flow', async () => {
    const stargate = await StargateClient.connect(node.rpcUrl);
    const accountNumbers = await Promise.all(node.accounts.map(async (a) => BigInt((await stargate.getAccount(a.address))!.accountNumber)));
    stargate.disconnect();
    const flow = startFlow(node.chainId, accountNumbers);

    await sleep(3000);
    const h1 = await node.height();
    const hashesBefore = new Map<number, string>();
    for (let h = 1; h <= h1; h++) hashesBefore.set(h, (await headerAppHash(h))!);
    const committedBefore = await committed(flow.sent.map((s) => s.hash));
    expect(committedBefore.size).toBeGreaterThan(10);

    // kill -9 of the app: CometBFT loses its ABCI connections and stops; start both again.
    await node.kill('app');
    await node.cometStopsAfterApp();
    await node.startApp();
    await node.startComet();
    await node.waitForHeight(h1 + 3, 60_000);
    await sleep(2000);

    // kill -9 of CometBFT while the app runs.
    const h2 = await node.height();
    await node.kill('comet');
    await node.startComet();
    await node.waitForHeight(h2 + 3, 60_000);
    await sleep(2000);
    await flow.stop();
    const last = await node.height();
    await node.waitForHeight(last + 2);

    // Heights continued and history is unchanged.
    for (const [h, appHash] of hashesBefore) expect(await headerAppHash(h), `app hash of block ${h}`).toBe(appHash);
    // No committed tx is missing; each is still at the same height with the same result.
    const all = await committed(flow.sent.map((s) => s.hash));
    for (const [hash, info] of committedBefore) expect(all.get(hash), `tx ${hash}`).toEqual(info);
    expect(all.size).toBeGreaterThan(committedBefore.size);

    // Balances equal what the committed txs imply: the sends in the blocks, which the index may lack.
    // A tx re-sent after a restart (same sequence, same bytes) has the same hash: it counts once.
    const sends = await blockSends(await node.height());
    for (const [hash, info] of all) expect(sends.get(hash), `indexed tx ${hash}`).toMatchObject(info);
    const expected = node.accounts.map(() => GENESIS);
    for (const send of sends.values()) {
      expected[send.from]! -= FEE;
      if (send.code === 0) {
        expected[send.from]! -= AMOUNT;
        expected[send.to]! += AMOUNT;
      }
    }
    const client = await StargateClient.connect(node.rpcUrl);
    for (let i = 0; i < ACCOUNTS; i++) {
      expect((await client.getBalance(node.accounts[i]!.address, 'uain')).amount, `balance of account ${i}`).toBe(String(expected[i]));
    }
    client.disconnect();

    // The app's committed app hash (Info) equals the one CometBFT recorded in the next header.
    const info = (await rpc<{ response: { last_block_height: string; last_block_app_hash: string } }>('abci_info'))!.response;
    const height = Number(info.last_block_height);
    await node.waitForHeight(height + 1);
    expect(await headerAppHash(height + 1)).toBe(toHex(fromBase64(info.last_block_app_hash)).toUpperCase());
    console.log(`sent ${flow.sent.length} accepted, ${sends.size} committed (${all.size} of them indexed), heights ${h1} -> ${height}`);
  });

  it('replays a block the app answered Commit for but never wrote (kill -9 during a pipelined commit)', async () => {
    const stargate = await StargateClient.connect(node.rpcUrl);
    const accountNumbers = await Promise.all(node.accounts.map(async (a) => BigInt((await stargate.getAccount(a.address))!.accountNumber)));
    stargate.disconnect();
    const before = await node.height();
    const hashesBefore = new Map<number, string>();
    for (let h = Math.max(1, before - 5); h <= before; h++) hashesBefore.set(h, (await headerAppHash(h))!);

    // Restart the app with the test hook: kill -9 of itself just after answering Commit of `target`.
    const target = before + 4;
    await node.kill('app', 'SIGTERM');
    await node.cometStopsAfterApp();
    process.env.AIN_TEST_KILL_AFTER_COMMIT = String(target);
    try {
      await node.startApp();
    } finally {
      delete process.env.AIN_TEST_KILL_AFTER_COMMIT;
    }
    await node.startComet();
    const flow = startFlow(node.chainId, accountNumbers);
    expect((await node.waitForExit('app', 60_000)).signal).toBe('SIGKILL');
    await node.cometStopsAfterApp();

    // The store is one block behind what CometBFT committed.
    const store = openCommittedState(homePaths(node.home).applicationDb);
    try {
      expect(store.height).toBe(BigInt(target - 1));
    } finally {
      await store.close();
    }

    await node.startApp();
    await node.startComet();
    await node.waitForHeight(target + 3, 60_000);
    await flow.stop();

    // CometBFT replayed block `target` to the app (its handshake logs the heights it found).
    const log = readFileSync(`${node.home}/comet.log`, 'utf8');
    expect(log).toMatch(new RegExp(`ABCI Replay Blocks\\s.*appHeight=${target - 1} .*storeHeight=${target}`));
    for (const [h, appHash] of hashesBefore) expect(await headerAppHash(h), `app hash of block ${h}`).toBe(appHash);
    // The app's state after the replay is the one the next header commits to.
    const info = (await rpc<{ response: { last_block_height: string; last_block_app_hash: string } }>('abci_info'))!.response;
    const height = Number(info.last_block_height);
    expect(height).toBeGreaterThanOrEqual(target + 2);
    await node.waitForHeight(height + 1);
    expect(await headerAppHash(height + 1)).toBe(toHex(fromBase64(info.last_block_app_hash)).toUpperCase());
    // Every tx of the replayed block is committed with its result, and the flow's txs kept landing after it.
    const replayed = await rpc<{ block: { data: { txs: string[] | null } } }>('block', { height: String(target) });
    const all = await committed(flow.sent.map((s) => s.hash));
    expect(all.size).toBeGreaterThan(0);
    console.log(
      `pipelined-commit crash: store at ${target - 1}, CometBFT at ${target} (${replayed?.block.data.txs?.length ?? 0} txs), replayed; now at ${height}`,
    );
  });
});
