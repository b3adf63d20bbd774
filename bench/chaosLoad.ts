/**
 * The chaos run's load: a steady signed load of bank sends, state writes and function calls (writes
 * that fire an OFFCHAIN function), each account a lane that signs its next sequence as it goes out and
 * offers it to one of the nodes that are up. A lane that meets a wrong sequence (its tx was lost with a
 * killed node's mempool) takes the sequence the node expects. A tracker follows the chain block by block
 * on any node that answers and acknowledges each of the load's txs it finds committed, with its height,
 * index and result. Used by bench/chaosRun.ts.
 */
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { MsgSetValue } from '../proto/gen/ain/state/v1/tx.ts';
import { sendMsg, signTx, type TestKey } from '../test/helpers/tx.ts';

/** What one tx of the load does to its signer's balance (the function price is escrowed only when it fires). */
export interface LoadTx {
  readonly kind: 'send' | 'write' | 'call';
  readonly from: string;
  readonly to?: string;
  readonly amount: bigint;
  readonly fee: bigint;
}

/** A tx of the load that the tracker saw committed, with the result it saw. */
export interface Ack {
  readonly height: number;
  readonly index: number;
  readonly code: number;
  /** sha256 of the result's code, codespace, data, log, gas and events (see {@link resultDigest}). */
  readonly digest: string;
}

export interface LoadCounts {
  offered: number;
  accepted: number;
  refused: number;
  lost: number;
  resyncs: number;
}

export interface ChaosLoadOptions {
  readonly chainId: string;
  readonly rpcUrls: readonly string[];
  /** Indexes of the nodes the load may use now (the run leaves out the node under a fault). */
  readonly targets: () => readonly number[];
  readonly senders: readonly TestKey[];
  readonly writers: readonly TestKey[];
  readonly caller: TestKey;
  readonly accountNumbers: ReadonlyMap<string, bigint>;
  /** Sends and writes per second, together (writes are a fifth). */
  readonly rate: number;
  /** Function calls per second. */
  readonly callRate: number;
  /** Where writes go: `${writePrefix}/<lane>/<n>`; calls: `${callPrefix}/<lane>-<n>`. */
  readonly writePrefix: string;
  readonly callPrefix: string;
}

export const SEND_FEE = 2500n;
export const WRITE_FEE = 12_500n;
const RPC_TIMEOUT_MS = 5000;

/** A CometBFT JSON-RPC call with a timeout (a SIGSTOPped node takes the connection and never answers). */
export async function rpc<T = unknown>(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  timeoutMs = RPC_TIMEOUT_MS,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const reply = (await response.json()) as { result?: T; error?: { message?: string; data?: string } };
  if (reply.error) throw new Error(`${method}: ${reply.error.data ?? reply.error.message}`);
  return reply.result as T;
}

export const txHash = (tx: Uint8Array): string => createHash('sha256').update(tx).digest('hex').toUpperCase();

/** One ExecTxResult as CometBFT's RPC gives it. */
export interface RpcTxResult {
  readonly code?: number;
  readonly codespace?: string;
  readonly data?: string | null;
  readonly log?: string;
  readonly gas_wanted?: string;
  readonly gas_used?: string;
  readonly events?: readonly RpcEvent[] | null;
}
export interface RpcEvent {
  readonly type: string;
  readonly attributes?: readonly { key: string; value: string | null; index?: boolean }[] | null;
}

/** A tx result's fingerprint: code, codespace, data, log, gas wanted and used, events in order. */
export function resultDigest(r: RpcTxResult): string {
  const events = (r.events ?? []).map((e) => [e.type, (e.attributes ?? []).map((a) => [a.key, a.value ?? '', a.index === true])]);
  const canonical = JSON.stringify([
    r.code ?? 0,
    r.codespace ?? '',
    r.data ?? '',
    r.log ?? '',
    r.gas_wanted ?? '0',
    r.gas_used ?? '0',
    events,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** An attribute of a typed event as a plain string (typed events may quote strings). */
export function attribute(e: RpcEvent, key: string): string | undefined {
  const value = e.attributes?.find((a) => a.key === key)?.value;
  return value == null ? undefined : value.replace(/^"|"$/g, '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The load: start() runs lanes and the tracker until stop(). */
export class ChaosLoad {
  /** Every tx the load signed and offered, by hash. */
  readonly sent = new Map<string, LoadTx>();
  /** Every tx of the load the tracker found committed, by hash. */
  readonly acked = new Map<string, Ack>();
  readonly counts: LoadCounts = { offered: 0, accepted: 0, refused: 0, lost: 0, resyncs: 0 };
  /** The last height the tracker has read. */
  trackedHeight = 0;
  private running = false;
  private tasks: Promise<void>[] = [];
  /** When each kind's next tx is due (ms): sends at 4/5 of the rate, writes at 1/5, calls at callRate. */
  private readonly due = { send: 0, write: 0, call: 0 };
  private counter = 0;

  constructor(private readonly options: ChaosLoadOptions) {}

  async start(fromHeight: number): Promise<void> {
    this.running = true;
    this.trackedHeight = fromHeight;
    const o = this.options;
    this.due.send = this.due.write = this.due.call = Date.now();
    const lanes: Promise<void>[] = [];
    o.senders.forEach((key, i) => {
      const to = o.senders[(i + 1) % o.senders.length]!.address;
      lanes.push(
        this.lane(key, i, (n) => ({ kind: 'send', msg: sendMsg(key.address, to, String(1 + (n % 7))), to, amount: BigInt(1 + (n % 7)) })),
      );
    });
    o.writers.forEach((key, i) => {
      lanes.push(
        this.lane(key, o.senders.length + i, (n) => ({
          kind: 'write',
          msg: setValue(key.address, `${o.writePrefix}/${i}/${n % 64}`, { n }),
          amount: 0n,
        })),
      );
    });
    lanes.push(
      this.lane(o.caller, o.senders.length + o.writers.length, (n) => ({
        kind: 'call',
        msg: setValue(o.caller.address, `${o.callPrefix}/c${n}-${this.counter}`, { a: n, b: 1 }),
        amount: 0n,
      })),
    );
    this.tasks = [...lanes, this.track()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.tasks);
  }

  /** Resolves once the tracker has read height `h` (or `timeoutMs` passed: false). */
  async trackedTo(h: number, timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.trackedHeight < h) {
      if (Date.now() > deadline) return false;
      await sleep(100);
    }
    return true;
  }

  /** Ms to wait for the next slot of `kind`, claiming it. */
  private slot(kind: LoadTx['kind']): number {
    const perSecond = kind === 'send' ? (this.options.rate * 4) / 5 : kind === 'write' ? this.options.rate / 5 : this.options.callRate;
    const now = Date.now();
    const at = Math.max(now, this.due[kind]);
    this.due[kind] = at + 1000 / perSecond;
    return at - now;
  }

  private async lane(
    key: TestKey,
    laneIndex: number,
    make: (n: number) => { kind: LoadTx['kind']; msg: Any; to?: string; amount: bigint },
  ): Promise<void> {
    const o = this.options;
    const accountNumber = o.accountNumbers.get(key.address)!;
    let sequence = 0n;
    let n = 0;
    const kind = make(0).kind;
    while (this.running) {
      await sleep(this.slot(kind));
      if (!this.running) break;
      const targets = o.targets();
      if (targets.length === 0) continue;
      const { msg, to, amount } = make(n);
      const fee = kind === 'send' ? SEND_FEE : WRITE_FEE;
      this.counter++;
      const tx = signTx({
        key,
        chainId: o.chainId,
        accountNumber,
        sequence,
        messages: [msg],
        fee: [{ denom: 'uain', amount: fee.toString() }],
        gasLimit: kind === 'send' ? 100_000n : 500_000n,
        memo: `chaos ${this.counter}`,
      });
      const hash = txHash(tx);
      this.sent.set(hash, { kind, from: key.address, ...(to === undefined ? {} : { to }), amount, fee });
      this.counts.offered++;
      // A lane keeps to one node while it is up (its sequences reach that node's mempool in order).
      const url =
        o.rpcUrls[targets.includes(laneIndex % o.rpcUrls.length) ? laneIndex % o.rpcUrls.length : targets[laneIndex % targets.length]!]!;
      n++;
      try {
        const reply = await rpc<{ code: number; log: string }>(url, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
        if (reply.code === 0) {
          this.counts.accepted++;
          sequence++;
        } else {
          this.counts.refused++;
          const expected = /sequence mismatch, expected (\d+)/.exec(reply.log);
          if (expected) {
            sequence = BigInt(expected[1]!);
            this.counts.resyncs++;
          }
        }
      } catch {
        // No answer: the tx may or may not be in a mempool. Sign the same sequence again; if the first
        // got in, the node answers with the sequence it expects.
        this.counts.lost++;
        await sleep(200);
      }
    }
  }

  /** Follows the chain on any node that answers, acknowledging the load's committed txs. */
  private async track(): Promise<void> {
    const o = this.options;
    let k = 0;
    while (this.running || this.tail > 0) {
      const targets = o.targets();
      const url = o.rpcUrls[targets[k++ % Math.max(1, targets.length)] ?? 0]!;
      try {
        const status = await rpc<{ sync_info: { latest_block_height: string } }>(url, 'status');
        const latest = Number(status.sync_info.latest_block_height);
        while (this.trackedHeight < latest) {
          const h = this.trackedHeight + 1;
          await this.ackBlock(url, h);
          this.trackedHeight = h;
        }
      } catch {
        // Try the next node.
      }
      if (!this.running) this.tail--;
      await sleep(200);
    }
  }

  /** After stop(), the tracker keeps reading a few more rounds. */
  private tail = 10;

  private async ackBlock(url: string, h: number): Promise<void> {
    const block = await rpc<{ block: { data: { txs?: string[] | null } } }>(url, 'block', { height: String(h) });
    const txs = block.block.data.txs ?? [];
    if (txs.length === 0) return;
    const results = await rpc<{ txs_results?: RpcTxResult[] | null }>(url, 'block_results', { height: String(h) });
    txs.forEach((tx, index) => {
      const hash = txHash(Buffer.from(tx, 'base64'));
      if (!this.sent.has(hash)) return;
      const r = results.txs_results![index]!;
      this.acked.set(hash, { height: h, index, code: r.code ?? 0, digest: resultDigest(r) });
    });
  }
}

function setValue(signer: string, path: string, value: unknown): Any {
  return {
    typeUrl: `/${MsgSetValue.$type}`,
    value: MsgSetValue.encode(MsgSetValue.fromPartial({ signer, path, value: JSON.stringify(value) })).finish(),
  };
}
