/**
 * The executor's subscriptions to CometBFT's websocket: one connection, subscribed again after every
 * loss with exponential backoff (250 ms to 30 s), and a callback after each reconnect so the caller can
 * catch up on what it missed meanwhile. Shared by the function runner (`calls.ts`) and the job roles
 * (`jobs/roles.ts`).
 */
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import type { Subscription } from 'xstream';
import { describeError } from './errors.ts';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;

/** A fresh connection handed to {@link EventStreamOptions.subscribe}. */
export interface EventConnection {
  /** CosmJS's typed client over the socket (`subscribeTx`, ...). */
  readonly comet: Comet38Client;
  /** The socket itself, for raw subscriptions (`listen`), e.g. to `tm.event='NewBlockEvents'`. */
  readonly ws: WebsocketClient;
}

export interface EventStreamOptions {
  /** CometBFT RPC, `http://host:port`; the socket is `ws://host:port/websocket`. */
  readonly rpcUrl: string;
  /**
   * Subscribes on a fresh connection and returns the subscriptions; a subscription's `error` or
   * `complete` should call `lost`, which reconnects.
   */
  readonly subscribe: (connection: EventConnection, lost: (reason: string) => void) => Subscription[];
  /** Called after each reconnect (not after the first connect): catch up on what was missed. */
  readonly onReconnect: () => void;
  /** Ends the line logged once connected: `subscribed to ws://.../websocket <label>`. */
  readonly label: string;
  readonly log: (line: string) => void;
}

/**
 * A reconnecting websocket subscription set.
 * @example
 * const stream = new EventStream({ rpcUrl, label: 'for jobs', log, onReconnect: () => void catchUp(),
 *   subscribe: ({ comet }, lost) => [comet.subscribeTx("tm.event='Tx'").subscribe({ next, error: () => lost('error'), complete: () => lost('ended') })] });
 * stream.start();
 * // ...
 * stream.stop();
 */
export class EventStream {
  private ws: WebsocketClient | undefined;
  private subscriptions: Subscription[] = [];
  private statusSubscription: { unsubscribe(): void } | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = RECONNECT_MIN_MS;
  private stopped = false;

  constructor(private readonly options: EventStreamOptions) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.disconnectSocket();
  }

  private connect(): void {
    if (this.stopped) return;
    const wsUrl = this.options.rpcUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
    const ws = new WebsocketClient(wsUrl, (error: unknown) => this.onSocketLost(`websocket error: ${describeError(error)}`));
    this.ws = ws;
    this.subscriptions = this.options.subscribe({ comet: Comet38Client.create(ws), ws }, (reason) => this.onSocketLost(reason));
    // The socket underneath reconnects on its own but does not subscribe again: watch its status.
    const socket = (
      ws as unknown as { socket?: { connectionStatus?: { updates: { subscribe(l: { next(s: number): void }): { unsubscribe(): void } } } } }
    ).socket;
    let wasConnected = false;
    this.statusSubscription = socket?.connectionStatus?.updates.subscribe({
      next: (status) => {
        if (status === 2) {
          if (wasConnected) return;
          wasConnected = true;
          this.backoffMs = RECONNECT_MIN_MS;
          this.options.log(`subscribed to ${wsUrl}/websocket ${this.options.label}`);
        } else if (status === 3 && wasConnected) {
          this.onSocketLost('websocket disconnected');
        }
      },
    });
  }

  private disconnectSocket(): void {
    this.statusSubscription?.unsubscribe();
    this.statusSubscription = undefined;
    for (const s of this.subscriptions) {
      try {
        s.unsubscribe();
      } catch {
        // the socket may already be gone
      }
    }
    this.subscriptions = [];
    try {
      this.ws?.disconnect();
    } catch {
      // already closed
    }
    // CosmJS's ReconnectingSocket schedules a reconnect when its own disconnect() reports
    // "Disconnected" (it does not check that the disconnect was asked for), which would leave a socket
    // open forever: cancel that timer.
    const socket = (this.ws as unknown as { socket?: { reconnectTimeout?: NodeJS.Timeout | null } } | undefined)?.socket;
    if (socket?.reconnectTimeout) {
      clearTimeout(socket.reconnectTimeout);
      socket.reconnectTimeout = null;
    }
    this.ws = undefined;
  }

  private onSocketLost(reason: string): void {
    if (this.stopped || this.reconnectTimer || !this.ws) return;
    this.disconnectSocket();
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
    // Said when the reconnect starts: a node shutting down (Ctrl-C also reaches its CometBFT, which
    // may exit first) stops the stream before then, and prints no error for an exit it asked for.
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.options.log(`${reason}; reconnecting after ${delay} ms`);
      this.connect();
      this.options.onReconnect();
    }, delay);
  }
}
