/**
 * The parts of a flood: a sender that offers txs to CometBFT's `broadcast_tx_sync` at a set rate (with a
 * cap on requests in flight, so the generator itself stays bounded) and counts what was accepted,
 * refused and lost; a prober that queries a balance through REST and RPC every 100 ms and keeps the
 * latencies and failures; an RSS sampler over /proc; and a wait for the mempool to drain. Used by
 * `bench/flood.ts` and `test/flood.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { sendMsg, signTx, type TestKey } from '../test/helpers/tx.ts';
import { percentile } from './stats.ts';

export interface FloodResult {
  /** Txs offered (requests sent). */
  readonly sent: number;
  /** CheckTx accepted them into the mempool (`broadcast_tx_async`: the RPC took them; CheckTx runs later, unseen). */
  readonly accepted: number;
  /** CheckTx, the mempool (full) or its cache refused them, with a code or an RPC error. */
  readonly refused: number;
  /** Requests that got no answer (connection refused or reset, timeout). */
  readonly lost: number;
  readonly seconds: number;
  /** Refusals by their reason's first words, most frequent first. */
  readonly reasons: ReadonlyArray<readonly [string, number]>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** `broadcast_tx_sync` waits for CheckTx's answer; `broadcast_tx_async` returns once the RPC has the tx. */
export type BroadcastMethod = 'broadcast_tx_sync' | 'broadcast_tx_async';

function broadcast(rpcUrl: string, tx: Uint8Array, method: BroadcastMethod): Promise<{ code?: number; log?: string; error?: string }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { tx: Buffer.from(tx).toString('base64') } });
  const target = new URL(rpcUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: '/',
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              result?: { code?: number; log?: string };
              error?: { data?: string; message?: string };
            };
            if (reply.error) resolve({ error: String(reply.error.data ?? reply.error.message) });
            else resolve({ code: reply.result?.code ?? 0, log: reply.result?.log ?? '' });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('broadcast timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Offers `next()`'s txs at `rate` per second for `seconds`, at most `maxInFlight` requests at a time
 * (when the node answers slower than that, the rate offered falls; the result says what was sent).
 * With `laneOf`, txs of one lane (an account's sequences) go out one after the other, each once the one
 * before it is answered, so concurrent requests cannot reorder them.
 */
export async function flood(
  rpcUrl: string,
  next: (index: number) => Uint8Array,
  rate: number,
  seconds: number,
  method: BroadcastMethod = 'broadcast_tx_sync',
  laneOf?: (index: number) => number,
  maxInFlight = 1024,
): Promise<FloodResult> {
  const laneTails = new Map<number, Promise<unknown>>();
  let sent = 0;
  let accepted = 0;
  let refused = 0;
  let lost = 0;
  let inFlight = 0;
  const reasons = new Map<string, number>();
  const refuse = (reason: string) => {
    refused++;
    const key = reason.replace(/[0-9a-f]{16,}|\d+/gi, 'N').slice(0, 60);
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  };
  const started = Date.now();
  const end = started + seconds * 1000;
  const pending = new Set<Promise<void>>();
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < due && inFlight < maxInFlight) {
      const tx = next(sent);
      sent++;
      inFlight++;
      const lane = laneOf?.(sent - 1);
      const before = lane === undefined ? undefined : laneTails.get(lane);
      const sending = before === undefined ? broadcast(rpcUrl, tx, method) : before.then(() => broadcast(rpcUrl, tx, method));
      if (lane !== undefined)
        laneTails.set(
          lane,
          sending.catch(() => undefined),
        );
      const call = sending
        .then(
          (reply) => {
            if (reply.error !== undefined) refuse(reply.error);
            else if (reply.code === 0) accepted++;
            else refuse(`code ${reply.code}: ${reply.log}`);
          },
          () => {
            lost++;
          },
        )
        .finally(() => {
          inFlight--;
          pending.delete(call);
        });
      pending.add(call);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  return {
    sent,
    accepted,
    refused,
    lost,
    seconds: (Date.now() - started) / 1000,
    reasons: [...reasons.entries()].sort((a, b) => b[1] - a[1]),
  };
}

/** The three kinds of invalid tx, made from one template each per key, each copy with fresh random signature bytes. */
export type InvalidKind = 'bad-signature' | 'wrong-sequence' | 'low-fee';

/**
 * Invalid txs for a flood, cheap to make at any rate: a valid send with a random signature (refused by
 * the signature check), a send at sequence 10^9 (refused by the sequence check), and a send paying 1uain
 * (refused by the fee check); every copy has new random signature bytes, so no two are the same tx and
 * CometBFT's cache does not absorb them.
 */
export function invalidTxs(chainId: string, keys: readonly TestKey[], accountNumbers: readonly bigint[]): (index: number) => Uint8Array {
  const template = (key: TestKey, i: number, sequence: bigint, fee: string) =>
    TxRaw.decode(
      signTx({
        key,
        chainId,
        accountNumber: accountNumbers[i]!,
        sequence,
        messages: [sendMsg(key.address, keys[(i + 1) % keys.length]!.address, '1')],
        fee: [{ denom: 'uain', amount: fee }],
        gasLimit: 100_000n,
      }),
    );
  const kinds = keys.map((key, i) => [template(key, i, 0n, '2500'), template(key, i, 1_000_000_000n, '2500'), template(key, i, 0n, '1')]);
  return (index) => {
    const forKey = kinds[index % kinds.length]!;
    const raw = forKey[Math.floor(index / kinds.length) % 3]!;
    return TxRaw.encode({ ...raw, signatures: [randomBytes(64)] }).finish();
  };
}

export interface ProbeResult {
  readonly rest: { readonly count: number; readonly failed: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly rpc: { readonly count: number; readonly failed: number; readonly p50Ms: number; readonly p99Ms: number };
}

/**
 * Queries `address`'s uain balance every 100 ms through REST (`/cosmos/bank/v1beta1/balances/...`) and
 * CometBFT RPC (`abci_query` of the bank's Balance) until `stop` resolves; a query that fails or takes
 * longer than `timeoutMs` counts as failed.
 */
export async function probeBalance(
  apiUrl: string,
  rpcUrl: string,
  address: string,
  stop: Promise<unknown>,
  timeoutMs = 10_000,
): Promise<ProbeResult> {
  const data = Buffer.from(QueryBalanceRequest.encode({ address, denom: 'uain' }).finish()).toString('hex');
  const targets = {
    rest: `${apiUrl}/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=uain`,
    rpc: `${rpcUrl}/abci_query?path=%22/cosmos.bank.v1beta1.Query/Balance%22&data=0x${data}`,
  };
  const times = { rest: [] as number[], rpc: [] as number[] };
  const failed = { rest: 0, rpc: 0 };
  const calls: Promise<void>[] = [];
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const one = async (which: 'rest' | 'rpc') => {
    const started = performance.now();
    try {
      const response = await fetch(targets[which], { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await response.json()) as { balance?: unknown; result?: { response?: { code?: number } } };
      const ok = response.status === 200 && (which === 'rest' ? body.balance !== undefined : (body.result?.response?.code ?? 0) === 0);
      if (ok) times[which].push(performance.now() - started);
      else failed[which]++;
    } catch {
      failed[which]++;
    }
  };
  while (!stopped) {
    calls.push(one('rest'), one('rpc'));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(calls);
  const summary = (which: 'rest' | 'rpc') => ({
    count: times[which].length + failed[which],
    failed: failed[which],
    p50Ms: Math.round(percentile(times[which], 50) * 10) / 10,
    p99Ms: Math.round(percentile(times[which], 99) * 10) / 10,
  });
  return { rest: summary('rest'), rpc: summary('rpc') };
}

/** Resident memory of a process in MiB (VmRSS), or NaN once it is gone. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples the RSS of the given processes every 500 ms until `stop` resolves; returns each one's highest. */
export async function sampleRss(pids: () => readonly (number | undefined)[], stop: Promise<unknown>): Promise<number[]> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const highest = pids().map(() => 0);
  while (!stopped) {
    pids().forEach((pid, i) => {
      highest[i] = Math.max(highest[i]!, rssMiB(pid) || 0);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return highest;
}

/** Waits until CometBFT's mempool is empty (`num_unconfirmed_txs` 0); returns the seconds it took, or undefined past `timeoutMs`. */
export async function waitMempoolEmpty(rpcUrl: string, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const reply = (await (await fetch(`${rpcUrl}/num_unconfirmed_txs?limit=1`)).json()) as { result?: { n_txs?: string } };
      if (reply.result?.n_txs === '0') return (Date.now() - started) / 1000;
    } catch {
      /* the RPC is busy or restarting: ask again */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
