/**
 * A load generator for a CometBFT node: pushes pre-built txs through `broadcast_tx_sync` as fast as
 * the node takes them and counts what is *committed* (not what is sent), block by block, with the
 * latency from broadcast to the block that holds each tx. Used for the app and for the kvstore
 * baseline alike, so both see the same load shape.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { StargateClient } from '@cosmjs/stargate';
import { sendMsg, signTx, type TestKey } from '../test/helpers/tx.ts';
import { KeepAlivePool } from './keepAlivePool.ts';
import { percentile } from './stats.ts';

export interface LoadResult {
  readonly sent: number;
  readonly committed: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly txPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly blocks: number;
  readonly maxBlockTxs: number;
}

/** The parts of CometBFT JSON-RPC answers (status, block, broadcast) the generator reads. */
interface RpcResponse {
  result?: {
    code?: number;
    sync_info?: { latest_block_height: string };
    block?: { data: { txs?: string[] | null } };
    response?: { last_block_height?: string };
  };
  error?: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function rpcPost(url: string, method: string, params: Record<string, unknown>): Promise<RpcResponse> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: '/',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const hashOf = (tx: Uint8Array): string => createHash('sha256').update(tx).digest('hex').toUpperCase();

/** At most this many broadcasts in flight (one connection each): 400 gave bigger blocks that took longer to execute, and fewer tx/s. */
const MAX_CONNECTIONS = 128;

/**
 * Sends `lanes` (each an ordered list of txs, e.g. one account's sequences) concurrently, each lane in
 * order, and waits until every accepted tx is committed or `timeoutMs` passes. With `ratePerSecond` the
 * lanes together send no faster than that (the k-th tx not before k / rate seconds from the start), for
 * latency at a steady rate rather than under a burst.
 */
export async function runLoad(
  rpcUrl: string,
  lanes: Uint8Array[][],
  method: 'broadcast_tx_async' | 'broadcast_tx_sync' = 'broadcast_tx_sync',
  timeoutMs = 120_000,
  maxInFlight = 8_000,
  ratePerSecond?: number,
): Promise<LoadResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let rejected = 0;
  let committed = 0;
  // Txs of blocks the app has committed: CometBFT keeps a block's txs in its mempool until then, so
  // sending against `committed` alone could fill the mempool, which drops a checked tx silently.
  let released = 0;
  const unreleased: { height: number; txs: number }[] = [];
  let blocks = 0;
  let maxBlockTxs = 0;
  let firstSend = 0;
  let lastCommit = 0;
  let sending = true;
  let issued = 0;

  const status = await rpcPost(rpcUrl, 'status', {});
  let nextHeight = Number(status.result!.sync_info!.latest_block_height) + 1;

  const watcher = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const latest = Number((await rpcPost(rpcUrl, 'status', {})).result!.sync_info!.latest_block_height);
      for (; nextHeight <= latest; nextHeight++) {
        const block = await rpcPost(rpcUrl, 'block', { height: String(nextHeight) });
        const now = Date.now();
        const txs: string[] = block.result!.block!.data.txs ?? [];
        blocks++;
        maxBlockTxs = Math.max(maxBlockTxs, txs.length);
        let ours = 0;
        for (const tx of txs) {
          const start = sentAt.get(hashOf(Buffer.from(tx, 'base64')));
          if (start === undefined) continue;
          latencies.push(now - start);
          ours++;
          lastCommit = now;
        }
        committed += ours;
        unreleased.push({ height: nextHeight, txs: ours });
      }
      if (unreleased.length > 0) {
        const info = await rpcPost(rpcUrl, 'abci_info', {});
        const appHeight = Number(info.result?.response?.last_block_height ?? 0);
        while (unreleased.length > 0 && unreleased[0]!.height <= appHeight) released += unreleased.shift()!.txs;
      }
      if (!sending && committed >= sentAt.size) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  // Each request is built before the clock starts: the generator's CPU is the node's to use.
  const pool = new KeepAlivePool(rpcUrl, Math.min(lanes.length, MAX_CONNECTIONS));
  const prepared = lanes.map((lane) =>
    lane.map((tx) => ({ hash: hashOf(tx), request: pool.request(method, { tx: Buffer.from(tx).toString('base64') }) })),
  );
  firstSend = Date.now();
  const sends = Promise.all(
    prepared.map(async (lane) => {
      for (const { hash, request } of lane) {
        // Stay under the mempool's capacity (10,000): CometBFT silently drops a tx whose CheckTx
        // answer arrives when the mempool has filled up meanwhile.
        while (sentAt.size - released >= maxInFlight) await new Promise((r) => setTimeout(r, 5));
        if (ratePerSecond !== undefined) {
          const wait = firstSend + (issued++ * 1000) / ratePerSecond - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        for (;;) {
          sentAt.set(hash, Date.now());
          // Sync waits for the app's CheckTx answer, so throughput needs many requests in flight.
          // Async returns at once, but CometBFT silently drops a tx whose CheckTx answer arrives
          // while a recheck is still running when the next block comes ("recheck full"), so its
          // counts can fall short.
          const response = (await pool.post(request)) as RpcResponse;
          if (response.result && response.result.code === 0) break;
          sentAt.delete(hash);
          const message = JSON.stringify(response.error ?? response.result);
          // A full mempool is back-pressure, not a failure: wait for a block and send again.
          if (/mempool is full|full/.test(message)) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          // The first refusal is printed: a benchmark that loses txs says why.
          if (rejected++ === 0) console.error(`first rejected tx: ${message}`);
          return; // later txs of this lane would fail on sequence
        }
      }
    }),
  );
  try {
    await sends;
  } finally {
    pool.close();
  }
  sending = false;
  await watcher;
  const seconds = (lastCommit - firstSend) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent: sentAt.size,
    committed,
    rejected,
    seconds,
    txPerSecond: committed / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    blocks,
    maxBlockTxs,
  };
}

/**
 * The benchmarks' load: one lane per key, `txsPerAccount` pre-signed bank sends of 1 uain each to the
 * next key (from each account's sequence on the node; fee 2500uain, gas limit 100,000), account numbers
 * read from the node.
 */
export async function signedSendLanes(
  rpcUrl: string,
  chainId: string,
  keys: readonly TestKey[],
  txsPerAccount: number,
): Promise<Uint8Array[][]> {
  // CometBFT stores a block (and /status shows it) before the app has executed it: read the
  // sequences once the app has committed every block there is, or a load that just ended is missed.
  const stored = Number((await rpcPost(rpcUrl, 'status', {})).result!.sync_info!.latest_block_height);
  while (Number((await rpcPost(rpcUrl, 'abci_info', {})).result?.response?.last_block_height ?? 0) < stored) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = await StargateClient.connect(rpcUrl);
  const accounts = await Promise.all(
    keys.map(async (k) => {
      const account = await client.getAccount(k.address);
      if (!account) throw new Error(`account ${k.address} is not on chain; fund it in genesis`);
      return { number: BigInt(account.accountNumber), sequence: BigInt(account.sequence) };
    }),
  );
  client.disconnect();
  return keys.map((key, i) =>
    Array.from({ length: txsPerAccount }, (_, seq) =>
      signTx({
        key,
        chainId,
        accountNumber: accounts[i]!.number,
        sequence: accounts[i]!.sequence + BigInt(seq),
        messages: [sendMsg(key.address, keys[(i + 1) % keys.length]!.address, '1')],
        fee: [{ denom: 'uain', amount: '2500' }],
        gasLimit: 100_000n,
      }),
    ),
  );
}

/** Peak resident memory of a process in MiB (VmHWM), or NaN once it is gone. */
/**
 * Resident memory of a process now, in MiB: in all, and split into anonymous memory (heap, buffers)
 * and file pages (lmdb's memory map of the store counts here: page cache the kernel may take back).
 */
export function rssMiB(pid: number | undefined): { total: number; anon: number; file: number } {
  const kB = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { total: kB(status, 'VmRSS'), anon: kB(status, 'RssAnon'), file: kB(status, 'RssFile') };
  } catch {
    return { total: Number.NaN, anon: Number.NaN, file: Number.NaN };
  }
}

export function peakRssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux clock ticks of 10 ms). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
