/**
 * `onEvent`: a dApp's listener on CometBFT's websocket (`/websocket`, `subscribe`) for the transactions
 * whose events match a query, delivered exactly once and in chain order (height, then index in the
 * block) across lost connections: after each (re)connect it subscribes first, then catches up from the
 * last delivered transaction with `tx_search`, then delivers what the subscription buffered meanwhile,
 * skipping whatever it has already delivered.
 *
 * `tx_search` reads CometBFT's kv indexer, which indexes a block's txs just after the block's events
 * are published; so the catch-up first waits (up to 3 s) until the indexer is past the latest block
 * at subscription time, lest a tx published just before the subscription took hold be missed.
 */
import { SocketWrapper } from '@cosmjs/socket';
import { sha256 } from '@cosmjs/crypto';
import { toHex } from '@cosmjs/encoding';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { base64Bytes, cometRpcClient, field, int32, list, str } from './cometRpc.ts';

/** One ABCI event of a transaction, as CometBFT reports it. */
export interface ChainEventItem {
  readonly type: string;
  readonly attributes: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

/** A transaction whose events matched the query. */
export interface ChainEvent {
  readonly height: number;
  /** Index of the transaction in its block. */
  readonly index: number;
  /** Upper-case hex sha256 of the tx bytes. */
  readonly hash: string;
  /** 0 when the tx succeeded. */
  readonly code: number;
  readonly events: readonly ChainEventItem[];
}

export interface OnEventOptions {
  /**
   * Deliver the transactions of blocks after this height (those in it and before are taken as seen).
   * Default: the node's latest height when the listener starts, so only new transactions arrive.
   */
  readonly afterHeight?: number | undefined;
  /** Called when the connection drops, a catch-up fails or a callback throws; the listener carries on. */
  readonly onError?: ((error: Error) => void) | undefined;
  /** Called with 'connected' after each (re)subscription and catch-up, 'disconnected' when that connection is lost. */
  readonly onStatus?: ((status: 'connected' | 'disconnected') => void) | undefined;
  /** First reconnect delay, doubled up to `reconnectMaxMs` (defaults 250 ms and 10 s). */
  readonly reconnectMinMs?: number | undefined;
  readonly reconnectMaxMs?: number | undefined;
  /** How often the socket is pinged with `health`; no answer by the next ping counts as lost (default 10 s). */
  readonly pingMs?: number | undefined;
}

/** A running listener. */
export interface EventListener {
  /** Resolves once the first subscription and catch-up are done. */
  readonly ready: Promise<void>;
  /** Height of the last transaction delivered (or the start height when none was). */
  lastHeight(): number;
  /** Stops listening and closes the socket; no callback runs after it returns. */
  stop(): void;
}

/** Rows per `tx_search` page (CometBFT's maximum). */
const PAGE = 100;
/** The longest a catch-up waits for the indexer to pass the subscription's height. */
const INDEXER_WAIT_MS = 3_000;
/** A cursor at the end of a block: every tx of it counts as delivered. */
const END_OF_BLOCK = Number.MAX_SAFE_INTEGER;

/**
 * Listens for transactions whose events match `query`, CometBFT's query language over tx events
 * (conditions joined by AND, e.g. `ain.state.v1.EventValueWritten.path CONTAINS '/apps/chat'`),
 * calling `callback` once per transaction in chain order. Reconnects with backoff after a loss and
 * delivers every matching transaction committed meanwhile, none twice.
 *
 * @example
 * const listener = onEvent('http://127.0.0.1:26657', "message.sender = 'ain1...'", (e) => console.log(e.height, e.hash));
 * await listener.ready;
 * // ...
 * listener.stop();
 */
export function onEvent(rpcUrl: string, query: string, callback: (event: ChainEvent) => void, options: OnEventOptions = {}): EventListener {
  if (/\btm\.event\b/.test(query))
    throw ainError(ErrInvalidRequest, `query must not name tm.event (the listener adds tm.event='Tx'): ${query}`);
  if (options.afterHeight !== undefined && !(Number.isSafeInteger(options.afterHeight) && options.afterHeight >= 0))
    throw ainError(ErrInvalidRequest, `afterHeight ${options.afterHeight} must be a non-negative integer`);
  return new Listener(rpcUrl.replace(/\/+$/, ''), query.trim(), callback, options);
}

class Listener implements EventListener {
  readonly ready: Promise<void>;
  private cursor: { height: number; index: number } | undefined;
  private socket: SocketWrapper | undefined;
  private buffer: ChainEvent[] = [];
  private live = false;
  private stopped = false;
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private connected = false;
  private nextId = 1;
  private resolveReady!: () => void;
  private readonly rpc;
  /** Replies awaited, by request id. */
  private readonly pending = new Map<string, (reply: unknown) => void>();

  constructor(
    private readonly rpcUrl: string,
    private readonly query: string,
    private readonly callback: (event: ChainEvent) => void,
    private readonly options: OnEventOptions,
  ) {
    this.rpc = cometRpcClient(rpcUrl, 30_000);
    this.backoffMs = options.reconnectMinMs ?? 250;
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    if (options.afterHeight !== undefined) this.cursor = { height: options.afterHeight, index: END_OF_BLOCK };
    void this.connect();
  }

  lastHeight(): number {
    return this.cursor?.height ?? 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.closeSocket();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.cursor)
        this.cursor = { height: int32(field(await this.rpc('status', {}), 'sync_info'), 'latest_block_height'), index: END_OF_BLOCK };
      const socket = this.openSocket();
      await this.subscribe(socket);
      await this.catchUp(socket);
      if (socket !== this.socket) return;
      this.live = true;
      this.drain();
      this.backoffMs = this.options.reconnectMinMs ?? 250;
      this.startPings(socket);
      this.connected = true;
      this.options.onStatus?.('connected');
      this.resolveReady();
    } catch (error) {
      this.lost(error as Error);
    }
  }

  private openSocket(): SocketWrapper {
    this.live = false;
    this.buffer = [];
    const url = `${this.rpcUrl.replace(/^http/, 'ws')}/websocket`;
    const socket: SocketWrapper = new SocketWrapper(
      url,
      (message) => this.onMessage(socket, message.data),
      (error) => socket === this.socket && this.lost(new Error(`websocket ${url}: ${error.message ?? 'error'}`)),
      undefined,
      (close) => socket === this.socket && this.lost(new Error(`websocket ${url} closed (code ${close.code})`)),
      10_000,
    );
    this.socket = socket;
    socket.connect();
    return socket;
  }

  /** Sends `subscribe` and resolves on its acknowledgement (the subscription is live from then on). */
  private async subscribe(socket: SocketWrapper): Promise<void> {
    await socket.connected;
    const id = `subscribe-${this.nextId++}`;
    const acked = new Promise<void>((resolve, reject) => {
      this.pending.set(id, (reply) => {
        const error = field(reply, 'error');
        if (error) reject(new Error(`subscribe refused: ${str(error, 'data') || str(error, 'message')}`));
        else resolve();
      });
    });
    const subscription = this.query === '' ? "tm.event='Tx'" : `tm.event='Tx' AND ${this.query}`;
    await socket.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'subscribe', params: { query: subscription } }));
    await acked;
  }

  private onMessage(socket: SocketWrapper, text: string): void {
    if (socket !== this.socket) return;
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      return;
    }
    const id = str(reply, 'id');
    const data = field(field(reply, 'result'), 'data');
    if (str(data, 'type') === 'tendermint/event/Tx') {
      const txResult = field(field(data, 'value'), 'TxResult');
      this.buffer.push(eventOf(int32(txResult, 'height'), int32(txResult, 'index'), txResult, field(txResult, 'result')));
      if (this.live) this.drain();
      return;
    }
    if (id.startsWith('ping-')) this.awaitingPong = false;
    const waiter = this.pending.get(id);
    if (waiter) {
      this.pending.delete(id);
      waiter(reply);
    }
  }

  /** Pages through `tx_search` from the cursor's height, delivering what follows the cursor. */
  private async catchUp(socket: SocketWrapper): Promise<void> {
    await this.waitForIndexer(socket);
    const from = this.cursor!.index === END_OF_BLOCK ? this.cursor!.height + 1 : this.cursor!.height;
    const search = `${this.query === '' ? '' : `${this.query} AND `}tx.height >= ${from}`;
    for (let page = 1; ; page++) {
      const result = await this.rpc('tx_search', {
        query: search,
        page: String(page),
        per_page: String(PAGE),
        order_by: 'asc',
        prove: false,
      });
      if (socket !== this.socket) return;
      const txs = list(result, 'txs');
      for (const tx of txs) this.deliver(eventOf(int32(tx, 'height'), int32(tx, 'index'), tx, field(tx, 'tx_result')));
      if (txs.length < PAGE || page * PAGE >= int32(result, 'total_count')) return;
    }
  }

  /**
   * Waits until the kv indexer has indexed every tx published before the subscription took hold: those
   * are at heights up to the latest committed one, T, and the indexer handles heights one after the
   * other (a block's events, then its txs), so block T + 1 in `block_search` means T's txs are in
   * `tx_search`. Gives up after `INDEXER_WAIT_MS` (a chain that makes no empty blocks may not reach T + 1
   * soon); the search then runs as it is.
   */
  private async waitForIndexer(socket: SocketWrapper): Promise<void> {
    const latest = int32(field(await this.rpc('status', {}), 'sync_info'), 'latest_block_height');
    const deadline = Date.now() + INDEXER_WAIT_MS;
    while (socket === this.socket && Date.now() < deadline) {
      const found = await this.rpc('block_search', { query: `block.height = ${latest + 1}`, page: '1', per_page: '1', order_by: 'asc' });
      if (int32(found, 'total_count') > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private drain(): void {
    const buffered = this.buffer;
    this.buffer = [];
    for (const event of buffered) this.deliver(event);
  }

  /** Delivers an event that follows the cursor, and moves the cursor to it. */
  private deliver(event: ChainEvent): void {
    if (this.stopped) return;
    const c = this.cursor!;
    if (event.height < c.height || (event.height === c.height && event.index <= c.index)) return;
    this.cursor = { height: event.height, index: event.index };
    try {
      this.callback(event);
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }

  private startPings(socket: SocketWrapper): void {
    const every = this.options.pingMs ?? 10_000;
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => {
      if (socket !== this.socket) return;
      if (this.awaitingPong) {
        this.lost(new Error(`no answer to a ping within ${every} ms`));
        return;
      }
      this.awaitingPong = true;
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: `ping-${this.nextId++}`, method: 'health', params: {} })).catch(() => undefined);
    }, every);
    this.pingTimer.unref?.();
  }

  private closeSocket(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.live = false;
    this.pending.clear();
    try {
      socket?.disconnect();
    } catch {
      // already closed
    }
  }

  private lost(error: Error): void {
    if (this.stopped || this.reconnectTimer) return;
    this.closeSocket();
    if (this.connected) this.options.onStatus?.('disconnected');
    this.connected = false;
    this.options.onError?.(error);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.reconnectMaxMs ?? 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}

/** A {@link ChainEvent} from a tx (its `tx` bytes, base64) and its result, as both RPC paths report them. */
function eventOf(height: number, index: number, tx: unknown, result: unknown): ChainEvent {
  const events = list(result, 'events').map((e) => ({
    type: str(e, 'type'),
    attributes: list(e, 'attributes').map((a) => ({ key: str(a, 'key'), value: str(a, 'value') })),
  }));
  return { height, index, hash: toHex(sha256(base64Bytes(tx, 'tx'))).toUpperCase(), code: int32(result, 'code'), events };
}
