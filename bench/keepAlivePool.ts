/**
 * The load generator's broadcast path: JSON-RPC POSTs over a pool of keep-alive HTTP/1.1 connections,
 * each request's bytes built before the load starts. On a 2-core machine the generator shares the
 * cores with the node it measures, so its own CPU moves the result: per broadcast, node:http's client
 * cost about 70 µs here, undici's Pool about 85 µs, and this pool about 35 µs (bench/README.md).
 * It reads what CometBFT's RPC answers a broadcast with: a small body with a Content-Length.
 */
import { connect, type Socket } from 'node:net';

interface Pending {
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
}

/** One connection: one request at a time, as CometBFT's RPC server answers them in order anyway. */
class Connection {
  private readonly socket: Socket;
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error(`${host}:${port} closed the connection before answering`)));
  }

  post(request: Buffer): Promise<unknown> {
    if (this.pending) throw new Error('a connection carries one request at a time');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const headEnd = this.received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.received.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.fail(new Error(`${this.host}:${this.port} answered without a Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + 4 + Number(length);
    if (this.received.length < end) return;
    const body = this.received.toString('utf8', headEnd + 4, end);
    this.received = this.received.subarray(end);
    const pending = this.pending;
    this.pending = undefined;
    try {
      pending?.resolve(JSON.parse(body));
    } catch {
      pending?.reject(new Error(`${this.host}:${this.port} answered with a body that is not JSON: ${body.slice(0, 200)}`));
    }
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!this.closed) this.close();
    pending?.reject(error);
  }
}

/** Up to `size` connections to one JSON-RPC endpoint, opened as requests need them. */
export class KeepAlivePool {
  private readonly host: string;
  private readonly port: number;
  private readonly head: string;
  private readonly idle: Connection[] = [];
  private readonly waiting: ((connection: Connection | undefined) => void)[] = [];
  private open = 0;

  constructor(
    url: string,
    private readonly size: number,
  ) {
    const target = new URL(url);
    this.host = target.hostname;
    this.port = Number(target.port || 80);
    this.head = `POST / HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: `;
  }

  /** The whole HTTP request for one JSON-RPC call, to build before a timed run. */
  request(method: string, params: Record<string, unknown>): Buffer {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
    return Buffer.from(`${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Sends a request from `request()` and resolves with the parsed JSON-RPC answer. */
  async post(request: Buffer): Promise<unknown> {
    const connection = await this.take();
    try {
      return await connection.post(request);
    } finally {
      this.give(connection);
    }
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
  }

  private async take(): Promise<Connection> {
    for (;;) {
      const connection = this.idle.pop();
      if (connection && !connection.closed) return connection;
      if (connection) {
        this.open--; // the server closed it while idle
        continue;
      }
      if (this.open < this.size) {
        this.open++;
        return new Connection(this.host, this.port);
      }
      const handed = await new Promise<Connection | undefined>((resolve) => this.waiting.push(resolve));
      if (handed) return handed;
    }
  }

  private give(connection: Connection): void {
    if (connection.closed) {
      // A slot frees up: a waiter opens a new connection instead.
      this.open--;
      this.waiting.shift()?.(undefined);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(connection);
    else this.idle.push(connection);
  }
}
