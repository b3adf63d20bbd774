import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { cometRpc } from '../client/index.ts';

/** Linux's default ephemeral range, used when /proc does not say. */
const DEFAULT_EPHEMERAL: readonly [number, number] = [32_768, 60_999];
const LOWEST_PORT = 10_000;
/**
 * Ports this process has handed out. Callers draw in several calls (a localnet draws the storage's
 * port, then four per node) and bind much later, so a port released between calls could otherwise be
 * handed out twice: CI saw node1's CometBFT fail "address already in use" on a port node0 held.
 */
const handedOut = new Set<number>();

/** The range the kernel draws outgoing connections' local ports from. */
function ephemeralRange(): readonly [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high)) return [low, high];
  } catch {
    // not Linux: the default range is a fair guess
  }
  return DEFAULT_EPHEMERAL;
}

function tryListen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Distinct free TCP ports on 127.0.0.1 for processes started later. They are drawn at random from
 * below the kernel's ephemeral range (above it when that leaves too few): a port from port 0 lies inside
 * that range, where any outgoing connection on the machine may take it before the child binds it (CI saw
 * CometBFT fail with "address already in use" so). Each is bound until all are found, so they differ,
 * and none is one this process handed out before (until half the range has been, when that memory
 * starts again).
 * @example const [rpc, p2p] = await freePorts(2)
 */
export async function freePorts(count: number, max = 65_535): Promise<number[]> {
  const [low, high] = ephemeralRange();
  const [from, to] = low - LOWEST_PORT >= 4_096 ? [LOWEST_PORT, low - 1] : [high + 1, max];
  const top = Math.min(to, max);
  if (handedOut.size + count > (top - from + 1) / 2) handedOut.clear();
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let tries = 0; ports.length < count; tries++) {
      if (tries > 1_000 + count * 10) throw new Error(`no ${count} free TCP ports in ${from}-${top} on 127.0.0.1`);
      const port = from + Math.floor(Math.random() * (top - from + 1));
      if (ports.includes(port) || handedOut.has(port)) continue;
      const server = await tryListen(port);
      if (server === undefined) continue;
      held.push(server);
      ports.push(port);
    }
    for (const port of ports) handedOut.add(port);
    return ports;
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/**
 * True when something accepts TCP connections on `host:port`.
 * @example await portOpen(26658) // the app is listening
 */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A node's latest height from CometBFT's /status (its block store: the app may not have committed
 * that block yet, see `appHeight`), undefined when its RPC does not answer within `timeoutMs` (a
 * paused node accepts the connection and never answers).
 */
export async function nodeHeight(rpcUrl: string, timeoutMs = 5_000): Promise<number | undefined> {
  try {
    const status = (await cometRpc(rpcUrl, 'status', {}, timeoutMs)) as { sync_info?: { latest_block_height?: string } };
    const height = Number(status.sync_info?.latest_block_height);
    return Number.isSafeInteger(height) ? height : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `port` can be bound on `host` now (nothing listens there).
 * @example await portFree(26657)
 */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
