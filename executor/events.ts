/**
 * The executor's subscriptions to CometBFT's websocket, subscribed again after every loss with
 * exponential backoff (250 ms to 30 s), and a callback after each reconnect so the caller can catch up
 * on what it missed meanwhile. CometBFT allows a client (one websocket connection) 5 subscriptions by
 * default (`[rpc] max_subscriptions_per_client`), and an executor may need more (a worker and
 * evaluator's job roles: 6; one per runtime), so they are spread over as many connections as it takes.
 * Shared by the function runner (`calls.ts`) and the job roles (`jobs/roles.ts`).
 */
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import type { Subscription } from 'xstream';
import { describeError } from './errors.ts';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;
/** A connection whose subscriptions all held this long resets the backoff (one refused at once does not). */
const STABLE_MS = 5_000;
/** CometBFT's default `[rpc] max_subscriptions_per_client`: the most one connection carries. */
export const SUBSCRIPTIONS_PER_CONNECTION = 5;

/** A fresh connection handed to each of {@link EventStreamOptions.subscribe}'s subscribers. */
export interface EventConnection {
  /** CosmJS's typed client over the socket (`subscribeTx`, ...). */
  readonly comet: Comet38Client;
  /** The socket itself, for raw subscriptions (`listen`), e.g. to `tm.event='NewBlockEvents'`. */
  readonly ws: WebsocketClient;
}

/** Makes one subscription on `connection`; its `error` or `complete` should call `lost`, which reconnects. */
export type Subscriber = (connection: EventConnection, lost: (reason: string) => void) => Subscription;

export interface EventStreamOptions {
  /** CometBFT RPC, `http://host:port`; the socket is `ws://host:port/websocket`. */
  readonly rpcUrl: string;
  /** The subscriptions to make, asked again at each (re)connect. */
  readonly subscribe: () => Subscriber[];
  /** Called after each reconnect (not after the first connect): catch up on what was missed. */
  readonly onReconnect: () => void;
  /** Ends the line logged once connected: `subscribed to ws://.../websocket <label>`. */
  readonly label: string;
  readonly log: (line: string) => void;
}

interface Line {
  readonly ws: WebsocketClient;
  readonly subscriptions: Subscription[];
  status?: { unsubscribe(): void } | undefined;
}

/**
 * A reconnecting websocket subscription set.
 * @example
 * const stream = new EventStream({ rpcUrl, label: 'for jobs', log, onReconnect: () => void catchUp(),
 *   subscribe: () => [({ comet }, lost) => comet.subscribeTx("tm.event='Tx'").subscribe({ next, error: () => lost('error'), complete: () => lost('ended') })] });
 * stream.start();
 * // ...
 * stream.stop();
 */
export class EventStream {
  private lines: Line[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private backoffMs = RECONNECT_MIN_MS;
  private stopped = false;

  constructor(private readonly options: EventStreamOptions) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.disconnect();
  }

  /** How many websocket connections carry the subscriptions now. */
  get connections(): number {
    return this.lines.length;
  }

  private connect(): void {
    if (this.stopped) return;
    const wsUrl = this.options.rpcUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
    const subscribers = this.options.subscribe();
    const lost = (reason: string) => this.onLost(reason);
    let connected = 0;
    const lines = Math.ceil(subscribers.length / SUBSCRIPTIONS_PER_CONNECTION);
    for (let i = 0; i < lines; i++) {
      const ws = new WebsocketClient(wsUrl, (error: unknown) => lost(`websocket error: ${describeError(error)}`));
      const connection = { comet: Comet38Client.create(ws), ws };
      const group = subscribers.slice(i * SUBSCRIPTIONS_PER_CONNECTION, (i + 1) * SUBSCRIPTIONS_PER_CONNECTION);
      const line: Line = { ws, subscriptions: group.map((subscriber) => subscriber(connection, lost)) };
      this.lines.push(line);
      // The socket underneath reconnects on its own but does not subscribe again: watch its status.
      const socket = (
        ws as unknown as {
          socket?: { connectionStatus?: { updates: { subscribe(l: { next(s: number): void }): { unsubscribe(): void } } } };
        }
      ).socket;
      let wasConnected = false;
      line.status = socket?.connectionStatus?.updates.subscribe({
        next: (status) => {
          if (status === 2) {
            if (wasConnected) return;
            wasConnected = true;
            if (++connected < lines) return;
            this.options.log(`subscribed to ${wsUrl}/websocket ${this.options.label}`);
            this.stableTimer = setTimeout(() => {
              this.backoffMs = RECONNECT_MIN_MS;
            }, STABLE_MS);
          } else if (status === 3 && wasConnected) {
            lost('websocket disconnected');
          }
        },
      });
    }
  }

  private disconnect(): void {
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.stableTimer = undefined;
    for (const line of this.lines) {
      line.status?.unsubscribe();
      for (const s of line.subscriptions) {
        try {
          s.unsubscribe();
        } catch {
          // the socket may already be gone
        }
      }
      try {
        line.ws.disconnect();
      } catch {
        // already closed
      }
      // CosmJS's ReconnectingSocket schedules a reconnect when its own disconnect() reports
      // "Disconnected" (it does not check that the disconnect was asked for), which would leave a socket
      // open forever: cancel that timer.
      const socket = (line.ws as unknown as { socket?: { reconnectTimeout?: NodeJS.Timeout | null } }).socket;
      if (socket?.reconnectTimeout) {
        clearTimeout(socket.reconnectTimeout);
        socket.reconnectTimeout = null;
      }
    }
    this.lines = [];
  }

  private onLost(reason: string): void {
    if (this.stopped || this.reconnectTimer || this.lines.length === 0) return;
    this.disconnect();
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
