/**
 * The chaos run's checks, computed from the chain alone (CometBFT RPC and ABCI queries of every node),
 * over the heights committed since the last check:
 *  - app hash: every node's block header at every height carries the same app_hash (and block hash);
 *  - txs: every tx the load acknowledged as committed is in every node's block at the same height and
 *    index, with the same result (code, data, log, gas, events);
 *  - balances: every load account's balance on every node at the checked height equals its genesis
 *    balance plus the effects of the load's committed txs (fees, sends, escrowed prices) and of the
 *    refunds of its failed or expired function calls, replayed from the blocks;
 *  - liveness: no gap between consecutive block times (BFT time, from the headers) longer than a bound,
 *    since every fault leaves at least 3 of the 4 validators up;
 *  - calls: every function call the load fired is settled at most once (one EventResultSubmitted or
 *    EventCallExpired in all blocks), settled once its deadline has passed, and its record on chain
 *    (status done, failed or expired) matches that one settlement.
 */
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryCallRequest, QueryCallResponse } from '../proto/gen/ain/triggers/v1/query.ts';
import { type Ack, attribute, type LoadTx, type RpcEvent, type RpcTxResult, resultDigest, rpc, txHash } from './chaosLoad.ts';

export interface CheckResult {
  readonly name: CheckName;
  readonly ok: boolean;
  /** What was checked, or the first failures. */
  readonly detail: string;
}

export const CHECK_NAMES = ['app hash', 'acked txs', 'balances', 'liveness', 'calls once'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckerOptions {
  readonly rpcUrls: readonly string[];
  /** Genesis balances (uain) of the load's accounts. */
  readonly genesis: ReadonlyMap<string, bigint>;
  readonly sent: ReadonlyMap<string, LoadTx>;
  readonly acked: ReadonlyMap<string, Ack>;
  /** The function's price, escrowed per call. */
  readonly price: bigint;
  /** Longest allowed time between consecutive blocks (s). */
  readonly maxBlockGapSeconds: number;
  /** Block gaps count from this height on (the start's first blocks come slowly). */
  readonly livenessFrom?: number;
}

interface CallRecord {
  readonly firedAt: number;
  readonly deadline: number;
  readonly caller: string;
  settlements: { kind: 'done' | 'failed' | 'expired'; height: number }[];
  /** The on-chain status last read. */
  status?: string;
}

interface HeightData {
  readonly appHash: string;
  readonly blockHash: string;
  readonly timeMs: number;
  readonly txs: readonly string[];
  readonly results: readonly RpcTxResult[];
  readonly endEvents: readonly RpcEvent[];
}

const POOL = 4;
const HASH = /^[0-9A-F]{64}$/;

/** Runs the checks incrementally: each call covers the heights since the one before. */
export class ChainChecker {
  /** The last height checked. */
  checked = 0;
  /** Expected balances at `checked`. */
  readonly expected: Map<string, bigint>;
  readonly calls = new Map<bigint, CallRecord>();
  private lastTimeMs: number | undefined;
  /** Longest block gap seen in the last check (s). */
  lastMaxGap = 0;
  totals = { heights: 0, ackedTxs: 0, balances: 0, calls: 0 };

  constructor(private readonly options: CheckerOptions) {
    this.expected = new Map(options.genesis);
  }

  /** Checks heights (checked, upTo] on every node, then balances and calls at `upTo`. */
  async check(upTo: number): Promise<CheckResult[]> {
    const o = this.options;
    const from = this.checked + 1;
    const heights = Array.from({ length: Math.max(0, upTo - from + 1) }, (_, k) => from + k);
    const perNode = await Promise.all(o.rpcUrls.map((url) => fetchHeights(url, heights)));

    // App hash (and block hash) agreement at every height.
    const hashFailures: string[] = [];
    for (const [k, h] of heights.entries()) {
      const mine = perNode.map((node) => node[k]!);
      if (!mine.every((d) => HASH.test(d.appHash) && HASH.test(d.blockHash)))
        hashFailures.push(`h${h}: a header without an app hash or block id`);
      else if (new Set(mine.map((d) => d.appHash)).size !== 1 || new Set(mine.map((d) => d.blockHash)).size !== 1)
        hashFailures.push(`h${h}: ${mine.map((d) => d.appHash.slice(0, 8)).join('/')}`);
    }

    // Acknowledged txs, found on every node at their height and index with the same result.
    const txFailures: string[] = [];
    let ackedHere = 0;
    for (const [hash, ack] of o.acked) {
      if (ack.height < from || ack.height > upTo) continue;
      ackedHere++;
      perNode.forEach((node, n) => {
        const d = node[ack.height - from]!;
        const tx = d.txs[ack.index];
        if (tx === undefined || txHash(Buffer.from(tx, 'base64')) !== hash)
          txFailures.push(`node${n} lacks ${hash.slice(0, 10)} at h${ack.height}`);
        else if (resultDigest(d.results[ack.index]!) !== ack.digest)
          txFailures.push(`node${n}: ${hash.slice(0, 10)} has another result (code ${d.results[ack.index]!.code ?? 0} vs ${ack.code})`);
      });
    }

    // Replay the load's committed txs and its calls' settlements from node 0's blocks.
    const gaps: number[] = [];
    for (const [k, h] of heights.entries()) {
      const d = perNode[0]![k]!;
      if (this.lastTimeMs !== undefined && h > (o.livenessFrom ?? 0)) gaps.push((d.timeMs - this.lastTimeMs) / 1000);
      this.lastTimeMs = d.timeMs;
      d.txs.forEach((tx, index) => this.replayTx(h, o.sent.get(txHash(Buffer.from(tx, 'base64'))), d.results[index]!));
      for (const r of d.results) this.replaySettlements(h, r.events ?? []);
      this.replaySettlements(h, d.endEvents);
    }
    this.lastMaxGap = Math.max(0, ...gaps);

    // Balances on every node at upTo.
    const balanceFailures: string[] = [];
    await pool(
      [...this.expected.entries()].flatMap(([address, want]) => o.rpcUrls.map((url, n) => ({ address, want, url, n }))),
      async (c) => {
        const got = await balanceAt(c.url, c.address, upTo);
        if (got !== c.want) balanceFailures.push(`node${c.n} ${c.address.slice(0, 12)}: ${got} != ${c.want}`);
      },
    );

    // Calls: settled at most once, settled after the deadline, records match.
    const callFailures: string[] = [];
    const toRead = [...this.calls.entries()].filter(([, c]) => c.status === undefined || c.status === 'pending');
    await pool(toRead, async ([id, c]) => {
      const status = await callStatus(o.rpcUrls[0]!, id, upTo);
      c.status = status;
      const settled = c.settlements.map((s) => s.kind);
      if (settled.length > 1) callFailures.push(`call ${id} settled ${settled.length} times (${settled.join(', ')})`);
      else if (settled.length === 0 && status !== 'pending') callFailures.push(`call ${id} is ${status} with no settlement event`);
      else if (settled.length === 1 && settled[0] !== status) callFailures.push(`call ${id} is ${status}, its event says ${settled[0]}`);
      else if (settled.length === 0 && c.deadline < upTo) callFailures.push(`call ${id} still pending past its deadline ${c.deadline}`);
    });
    for (const [id, c] of this.calls)
      if (c.settlements.length > 1 && !toRead.some(([i]) => i === id)) callFailures.push(`call ${id} settled twice`);

    this.checked = upTo;
    this.totals.heights += heights.length;
    this.totals.ackedTxs += ackedHere;
    this.totals.balances += this.expected.size * o.rpcUrls.length;
    this.totals.calls = this.calls.size;
    const result = (name: CheckName, failures: string[], detail: string): CheckResult => ({
      name,
      ok: failures.length === 0,
      detail: failures.length === 0 ? detail : failures.slice(0, 3).join('; '),
    });
    return [
      result('app hash', hashFailures, `${heights.length} heights x ${o.rpcUrls.length} nodes`),
      result('acked txs', txFailures, `${ackedHere} txs x ${o.rpcUrls.length} nodes`),
      result('balances', balanceFailures, `${this.expected.size} accounts x ${o.rpcUrls.length} nodes at h${upTo}`),
      result(
        'liveness',
        this.lastMaxGap > o.maxBlockGapSeconds
          ? [`a ${this.lastMaxGap.toFixed(1)} s gap between blocks (> ${o.maxBlockGapSeconds} s)`]
          : [],
        `longest block gap ${this.lastMaxGap.toFixed(1)} s`,
      ),
      result('calls once', callFailures, `${toRead.length} calls read, ${this.calls.size} in all`),
    ];
  }

  /** The load's calls by how they were settled (pending: not yet). */
  callOutcomes(): Record<'done' | 'failed' | 'expired' | 'pending', number> {
    const out = { done: 0, failed: 0, expired: 0, pending: 0 };
    for (const c of this.calls.values()) out[c.settlements[0]?.kind ?? 'pending']++;
    return out;
  }

  /** Calls still pending on chain (as last read). */
  pendingCalls(): number {
    return [...this.calls.values()].filter((c) => c.settlements.length === 0).length;
  }

  private replayTx(h: number, tx: LoadTx | undefined, r: RpcTxResult): void {
    if (tx === undefined) return;
    const code = r.code ?? 0;
    // The fee is paid when the ante ran (a message's failure keeps it; an ante failure leaves no events).
    const feePaid = code === 0 || (r.events ?? []).length > 0;
    const add = (address: string, delta: bigint) => this.expected.set(address, (this.expected.get(address) ?? 0n) + delta);
    if (feePaid) add(tx.from, -tx.fee);
    if (code !== 0) return;
    if (tx.kind === 'send') {
      add(tx.from, -tx.amount);
      add(tx.to!, tx.amount);
    }
    for (const e of r.events ?? []) {
      if (e.type !== 'ain.triggers.v1.EventFunctionCalled') continue;
      const id = BigInt(attribute(e, 'call_id')!);
      const caller = attribute(e, 'caller')!;
      add(caller, -BigInt(attribute(e, 'price')!));
      this.calls.set(id, { firedAt: h, deadline: Number(attribute(e, 'deadline_height')), caller, settlements: [] });
    }
  }

  private replaySettlements(h: number, events: readonly RpcEvent[]): void {
    for (const e of events) {
      const expired = e.type === 'ain.triggers.v1.EventCallExpired';
      if (!expired && e.type !== 'ain.triggers.v1.EventResultSubmitted') continue;
      const call = this.calls.get(BigInt(attribute(e, 'call_id')!));
      if (call === undefined) continue;
      const kind = expired ? 'expired' : attribute(e, 'failed') === 'true' ? 'failed' : 'done';
      call.settlements.push({ kind, height: h });
      if (kind !== 'done') this.expected.set(call.caller, (this.expected.get(call.caller) ?? 0n) + this.options.price);
    }
  }
}

/** Headers, txs and results of `heights` on one node (headers 20 at a time; block and results per height). */
async function fetchHeights(url: string, heights: readonly number[]): Promise<HeightData[]> {
  if (heights.length === 0) return [];
  const metas = new Map<number, { appHash: string; blockHash: string; timeMs: number; numTxs: number }>();
  for (let min = heights[0]!; min <= heights.at(-1)!; min += 20) {
    const max = Math.min(heights.at(-1)!, min + 19);
    const reply = await retry(() =>
      rpc<{ block_metas: { block_id: { hash: string }; header: { height: string; app_hash: string; time: string }; num_txs: string }[] }>(
        url,
        'blockchain',
        { minHeight: String(min), maxHeight: String(max) },
      ),
    );
    for (const m of reply.block_metas)
      metas.set(Number(m.header.height), {
        appHash: m.header.app_hash,
        blockHash: m.block_id.hash,
        timeMs: Date.parse(m.header.time),
        numTxs: Number(m.num_txs),
      });
  }
  const out: HeightData[] = new Array(heights.length);
  await pool([...heights.entries()], async ([k, h]) => {
    const meta = metas.get(h);
    if (!meta) throw new Error(`${url} has no header at height ${h}`);
    const results = await retry(() =>
      rpc<{ txs_results?: RpcTxResult[] | null; finalize_block_events?: RpcEvent[] | null }>(url, 'block_results', { height: String(h) }),
    );
    const txs =
      meta.numTxs === 0
        ? []
        : ((await retry(() => rpc<{ block: { data: { txs?: string[] | null } } }>(url, 'block', { height: String(h) }))).block.data.txs ??
          []);
    out[k] = { ...meta, txs, results: results.txs_results ?? [], endEvents: results.finalize_block_events ?? [] };
  });
  return out;
}

async function abciQuery(
  url: string,
  path: string,
  data: Uint8Array,
  height: number,
): Promise<{ code: number; value: Uint8Array; log: string }> {
  const reply = await retry(() =>
    rpc<{ response: { code?: number; value?: string | null; log?: string } }>(url, 'abci_query', {
      path,
      data: Buffer.from(data).toString('hex'),
      height: String(height),
      prove: false,
    }),
  );
  return { code: reply.response.code ?? 0, value: Buffer.from(reply.response.value ?? '', 'base64'), log: reply.response.log ?? '' };
}

async function balanceAt(url: string, address: string, height: number): Promise<bigint> {
  const r = await abciQuery(
    url,
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest.encode({ address, denom: 'uain' }).finish(),
    height,
  );
  if (r.code !== 0) throw new Error(`balance of ${address} at ${height} on ${url}: ${r.log}`);
  return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? '0');
}

async function callStatus(url: string, id: bigint, height: number): Promise<string> {
  const r = await abciQuery(url, '/ain.triggers.v1.Query/Call', QueryCallRequest.encode({ callId: id }).finish(), height);
  if (r.code !== 0) throw new Error(`call ${id} at ${height}: ${r.log}`);
  return QueryCallResponse.decode(r.value).call!.status;
}

async function retry<T>(f: () => Promise<T>, tries = 5): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await f();
    } catch (error) {
      if (k >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300 * k));
    }
  }
}

/** Runs `work` over `items`, {@link POOL} at a time. */
async function pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(POOL, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
