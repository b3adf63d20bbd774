/**
 * The client's listeners on a real node whose connection drops: `client.onEvent(query, cb)` and
 * `ref(path).on('value', cb)` listen through a local TCP proxy in front of CometBFT's RPC, which the
 * test kills (every open connection reset, the port refusing) while writes go on directly to the node,
 * then starts again. Every write must reach both listeners exactly once and in order.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, type ChainEvent, connectAin, type StateSnapshot } from '../client/index.ts';
import { freePorts, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

/** A TCP proxy to `target` on `port` that can be killed (connections reset) and started again. */
class KillableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  kills = 0;

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new (client.constructor as typeof Socket)();
      upstream.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async kill(): Promise<void> {
    this.kills++;
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('listeners across a dropped connection', () => {
  let node: TestNode;
  let writer: AinClient;
  let listener: AinClient;
  let proxy: KillableProxy;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 1, timeoutCommit: '150ms' });
    const [port] = await freePorts(1);
    proxy = new KillableProxy(port!, node.ports.rpc);
    await proxy.start();
    writer = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, 'ain'),
      broadcastPollIntervalMs: 100,
    });
    listener = await connectAin({ rpcUrl: `http://127.0.0.1:${port}` });
    await writer.createApp('feed', { admins: [writer.address!] });
  });

  afterAll(async () => {
    listener?.disconnect();
    writer?.disconnect();
    await proxy?.kill();
    await node?.stop();
  });

  it('delivers every write exactly once, in order, through two drops', async () => {
    const events: ChainEvent[] = [];
    const values: StateSnapshot[] = [];
    const statuses: string[] = [];
    const settings = { reconnectMinMs: 100, reconnectMaxMs: 800, pingMs: 2_000 };
    const onEvents = listener.onEvent("ain.state.v1.EventValueWritten.path CONTAINS '/apps/feed/n'", (e) => events.push(e), {
      ...settings,
      onStatus: (s) => statuses.push(s),
    });
    const onValue = listener.ref('/apps/feed/n').on('value', (s) => values.push(s), settings);
    await Promise.all([onEvents.ready, onValue.ready]);

    const written: number[] = [];
    const write = async (n: number) => {
      await writer.ref('/apps/feed/n').setValue(n);
      written.push(n);
    };
    const started = Date.now();
    for (let n = 1; n <= 4; n++) await write(n);
    await proxy.kill(); // the listeners lose their sockets; writes 5-8 happen while they cannot connect
    for (let n = 5; n <= 8; n++) await write(n);
    await proxy.start();
    await until('the listener back', async () => (statuses.length === 3 ? true : undefined), 10_000);
    for (let n = 9; n <= 10; n++) await write(n);
    await proxy.kill(); // again, right after writes: catch-up and buffered live events overlap
    await write(11);
    await proxy.start();
    for (let n = 12; n <= 14; n++) await write(n);
    const lastHeight = await node.height();

    await until('all writes delivered', async () => (events.length >= 14 && values.at(-1)?.value === 14 ? true : undefined), 30_000);
    // Nothing more comes after the last write: no duplicates delivered late.
    await node.waitForHeight(lastHeight + 3);
    onEvents.stop();
    onValue.stop();

    const seen = events.map((e) => {
      const op = e.events.find((x) => x.type === 'ain.state.v1.EventValueWritten');
      return op?.attributes.find((a) => a.key === 'path')?.value;
    });
    expect(seen).toEqual(written.map(() => '/apps/feed/n'));
    expect(events.map((e) => e.hash)).toEqual([...new Set(events.map((e) => e.hash))]);
    const heights = events.map((e) => e.height);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
    // Each write is its own block: the value listener sees the start value, then each write once, in order.
    expect(values.map((s) => s.value)).toEqual([null, ...written]);
    expect(values.slice(1).map((s) => s.height)).toEqual(heights);
    expect(proxy.kills).toBe(2);
    expect(statuses).toEqual(['connected', 'disconnected', 'connected', 'disconnected', 'connected']);
    console.log(`listeners: 14 writes, 2 drops, delivered exactly once in ${Date.now() - started} ms; statuses ${statuses.join(',')}`);
  });
});
