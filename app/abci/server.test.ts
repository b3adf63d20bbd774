import { connect, type Socket } from 'node:net';
import {
  Request,
  Response,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseProcessProposal_ProposalStatus,
  ResponseQuery,
  CheckTxType,
} from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import type { AbciApplication } from './application.ts';
import { encodeFrame, encodeFrames, encodeUvarint, FrameDecoder } from './framing.ts';
import { startAbciServer, type AbciServer, type AbciServerOptions } from './server.ts';

/** A test client speaking the CometBFT side of the protocol. */
class Client {
  readonly responses: Response[] = [];
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  #waiter: { count: number; resolve: () => void } | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const body of this.#decoder.push(chunk)) this.responses.push(Response.decode(body));
      if (this.#waiter && this.responses.length >= this.#waiter.count) this.#waiter.resolve();
    });
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Client(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends all requests in one write, as a pipelining client would. */
  send(...requests: Request[]): void {
    this.#socket.write(encodeFrames(requests.map((r) => Request.encode(r).finish())));
  }

  sendRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Resolves with the first `count` responses received so far (waiting for them if needed). */
  async receive(count: number): Promise<Response[]> {
    if (this.responses.length < count) {
      await Promise.race([
        new Promise<void>((resolve) => (this.#waiter = { count, resolve })),
        this.closed.then(() => {
          if (this.responses.length < count) throw new Error(`closed after ${this.responses.length} of ${count} responses`);
        }),
      ]);
    }
    return this.responses.slice(0, count);
  }

  end(): void {
    this.#socket.destroy();
  }
}

/** A promise released by hand, to hold an async handler open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function txOf(i: number): Uint8Array {
  return new Uint8Array([i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff]);
}

/** Which response field is set: the response's kind. */
function kind(response: Response): string {
  const set = Object.entries(response).filter(([, value]) => value !== undefined);
  expect(set).toHaveLength(1);
  return set[0]![0];
}

interface FakeApp extends AbciApplication {
  readonly calls: string[];
  finalizeGate: Promise<void> | undefined;
}

function fakeApp(): FakeApp {
  const app: FakeApp = {
    calls: [],
    finalizeGate: undefined,
    info: () => ResponseInfo.fromPartial({ data: 'fake', lastBlockHeight: 7n }),
    initChain: () => ResponseInitChain.fromPartial({}),
    query: (req) => {
      if (req.path === 'boom') throw new Error('boom');
      if (req.path === 'async-boom') return Promise.reject(new Error('async boom'));
      if (req.path === 'incomplete') return {} as ResponseQuery;
      return ResponseQuery.fromPartial({ value: req.data, height: 1n });
    },
    checkTx: (req) => {
      app.calls.push('checkTx');
      return ResponseCheckTx.fromPartial({ code: 0, data: req.tx });
    },
    // Async: resolves when the test opens the gate, or on a later turn of the event loop.
    finalizeBlock: async (req) => {
      app.calls.push('finalizeBlock:start');
      await (app.finalizeGate ?? new Promise((resolve) => setImmediate(resolve)));
      app.calls.push('finalizeBlock:end');
      return ResponseFinalizeBlock.fromPartial({ txResults: req.txs.map(() => ({ code: 0 })), appHash: new Uint8Array(32) });
    },
    commit: () => ResponseCommit.fromPartial({}),
  };
  return app;
}

const checkTx = (i: number) => Request.fromPartial({ checkTx: { tx: txOf(i) } });
const flush = Request.fromPartial({ flush: {} });

let server: AbciServer | undefined;
const clients: Client[] = [];

async function start(app: AbciApplication, options: Partial<AbciServerOptions> = {}): Promise<AbciServer> {
  server = await startAbciServer({ host: '127.0.0.1', port: 0, app, ...options });
  return server;
}

async function client(): Promise<Client> {
  const c = await Client.open(server!.address.port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.end();
  await server?.close();
  server = undefined;
});

describe('startAbciServer', () => {
  it('binds a free port when asked for port 0', async () => {
    const s = await start(fakeApp());
    expect(s.address.port).toBeGreaterThan(0);
    expect(s.url).toBe(`tcp://127.0.0.1:${s.address.port}`);
  });

  it('answers echo and flush itself', async () => {
    await start(fakeApp());
    const c = await client();
    c.send(Request.fromPartial({ echo: { message: 'hello' } }), flush);
    const [echo, flushed] = await c.receive(2);
    expect(echo).toEqual(Response.fromPartial({ echo: { message: 'hello' } }));
    expect(kind(flushed!)).toBe('flush');
  });

  it('dispatches info to the app', async () => {
    await start(fakeApp());
    const c = await client();
    c.send(Request.fromPartial({ info: { version: '0.38.26' } }), flush);
    const [info] = await c.receive(2);
    expect(info!.info?.lastBlockHeight).toBe(7n);
    expect(info!.info?.data).toBe('fake');
  });

  it('falls back to default responses for methods the app leaves out', async () => {
    await start(fakeApp());
    const c = await client();
    c.send(Request.fromPartial({ processProposal: {} }), Request.fromPartial({ listSnapshots: {} }));
    const [processed, listed] = await c.receive(2);
    expect(processed!.processProposal?.status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(listed!.listSnapshots?.snapshots).toEqual([]);
  });

  it('answers a pipelined burst of 1,000 checkTx in order', async () => {
    await start(fakeApp());
    const c = await client();
    const n = 1000;
    c.send(...Array.from({ length: n }, (_, i) => checkTx(i)), flush);
    const responses = await c.receive(n + 1);
    for (let i = 0; i < n; i++) {
      expect(responses[i]!.checkTx?.code).toBe(0);
      expect(responses[i]!.checkTx?.data).toEqual(txOf(i));
    }
    expect(kind(responses[n]!)).toBe('flush');
  });

  it('lets another connection be answered during a long burst of slow checkTx, keeping the burst in order', async () => {
    const app = fakeApp();
    // Each checkTx holds the event loop for 2 ms, as a signature check of a real tx does for a fraction of that.
    app.checkTx = (req) => {
      const until = performance.now() + 2;
      while (performance.now() < until) {}
      app.calls.push('checkTx');
      return ResponseCheckTx.fromPartial({ code: 0, data: req.tx });
    };
    await start(app);
    const [mempool, queries] = [await client(), await client()];
    const n = 200;
    mempool.send(...Array.from({ length: n }, (_, i) => checkTx(i)), flush);
    // Wait until the burst is being served, then ask the other connection.
    while (app.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    queries.send(Request.fromPartial({ query: { path: 'p', data: new Uint8Array([1]) } }), flush);
    await queries.receive(2);
    const servedBefore = app.calls.length;
    expect(servedBefore).toBeLessThan(n);
    const responses = await mempool.receive(n + 1);
    expect(responses.slice(0, n).map((r) => r.checkTx?.data)).toEqual(Array.from({ length: n }, (_, i) => txOf(i)));
    expect(kind(responses[n]!)).toBe('flush');
  });

  it('keeps request order when an async handler is followed by sync ones', async () => {
    const app = fakeApp();
    await start(app);
    const c = await client();
    c.send(Request.fromPartial({ finalizeBlock: { txs: [txOf(1), txOf(2)] } }), checkTx(10), checkTx(11), flush);
    const responses = await c.receive(4);
    expect(responses.map(kind)).toEqual(['finalizeBlock', 'checkTx', 'checkTx', 'flush']);
    expect(responses[0]!.finalizeBlock?.txResults).toHaveLength(2);
    expect(responses[1]!.checkTx?.data).toEqual(txOf(10));
    expect(responses[2]!.checkTx?.data).toEqual(txOf(11));
    // Later requests are not even handled until the async one has finished.
    expect(app.calls).toEqual(['finalizeBlock:start', 'finalizeBlock:end', 'checkTx', 'checkTx']);
  });

  it('keeps order when requests arrive in separate writes while a handler is pending', async () => {
    const app = fakeApp();
    const held = gate();
    app.finalizeGate = held.promise;
    await start(app);
    const c = await client();
    c.send(Request.fromPartial({ finalizeBlock: {} }));
    c.send(checkTx(1));
    c.send(Request.fromPartial({ echo: { message: 'x' } }), flush);
    // A round trip on another connection shows the server has read everything sent so far.
    const other = await client();
    other.send(flush);
    await other.receive(1);
    expect(c.responses).toEqual([]);
    held.open();
    expect((await c.receive(4)).map(kind)).toEqual(['finalizeBlock', 'checkTx', 'echo', 'flush']);
  });

  it('holds the new CheckTx of a read until beforeCheckTx settles, giving it only new txs, and keeps order', async () => {
    const app = fakeApp();
    const held = gate();
    const seen: Uint8Array[][] = [];
    await start(app, {
      beforeCheckTx: (txs) => {
        seen.push(txs);
        app.calls.push('beforeCheckTx');
        return held.promise;
      },
    });
    const c = await client();
    const recheck = Request.fromPartial({ checkTx: { tx: txOf(9), type: CheckTxType.RECHECK } });
    c.send(checkTx(1), recheck, checkTx(2), flush);
    const other = await client();
    other.send(flush);
    await other.receive(1);
    expect(c.responses).toEqual([]);
    expect(seen).toEqual([[txOf(1), txOf(2)]]);
    held.open();
    const responses = await c.receive(4);
    expect(responses.map(kind)).toEqual(['checkTx', 'checkTx', 'checkTx', 'flush']);
    expect(responses.slice(0, 3).map((r) => r.checkTx?.data)).toEqual([txOf(1), txOf(9), txOf(2)]);
    expect(app.calls).toEqual(['beforeCheckTx', 'checkTx', 'checkTx', 'checkTx']);
  });

  it('serves at once when beforeCheckTx has nothing to wait for, and after it fails', async () => {
    const app = fakeApp();
    let calls = 0;
    await start(app, {
      beforeCheckTx: () => (++calls === 1 ? undefined : Promise.reject(new Error('worker gone'))),
    });
    const c = await client();
    c.send(checkTx(1), flush);
    await c.receive(2);
    c.send(checkTx(2), Request.fromPartial({ echo: { message: 'x' } }), flush);
    const responses = await c.receive(5);
    expect(responses.map(kind)).toEqual(['checkTx', 'flush', 'checkTx', 'echo', 'flush']);
    expect(calls).toBe(2);
  });

  it('hands beforeBlock the txs of each proposal and block as they are read, not of an empty one', async () => {
    const app = fakeApp();
    const seen: Array<[string, Uint8Array[]]> = [];
    await start(app, {
      beforeBlock: (txs, request) => {
        seen.push([request, txs]);
        app.calls.push(`beforeBlock:${request}`);
      },
    });
    const c = await client();
    c.send(
      Request.fromPartial({ processProposal: { txs: [txOf(1)] } }),
      checkTx(3),
      Request.fromPartial({ finalizeBlock: { txs: [txOf(1), txOf(2)] } }),
      Request.fromPartial({ finalizeBlock: {} }),
      flush,
    );
    const responses = await c.receive(5);
    expect(responses.map(kind)).toEqual(['processProposal', 'checkTx', 'finalizeBlock', 'finalizeBlock', 'flush']);
    expect(seen).toEqual([
      ['processProposal', [txOf(1)]],
      ['finalizeBlock', [txOf(1), txOf(2)]],
    ]);
    // Each is offered when its socket read arrives, before what it holds is served.
    expect(app.calls.slice(0, 3)).toEqual(['beforeBlock:processProposal', 'beforeBlock:finalizeBlock', 'checkTx']);
  });

  it('serves two connections concurrently', async () => {
    const app = fakeApp();
    const held = gate();
    app.finalizeGate = held.promise;
    await start(app);
    const consensus = await client();
    const mempool = await client();
    consensus.send(Request.fromPartial({ finalizeBlock: {} }), flush);
    mempool.send(checkTx(5), flush);
    // The mempool connection is answered while the consensus one is still waiting.
    const [checked] = await mempool.receive(2);
    expect(checked!.checkTx?.data).toEqual(txOf(5));
    expect(consensus.responses).toEqual([]);
    held.open();
    expect((await consensus.receive(2)).map(kind)).toEqual(['finalizeBlock', 'flush']);
  });

  it('replies ResponseException and closes when a handler throws, and keeps serving others', async () => {
    await start(fakeApp());
    const bad = await client();
    const good = await client();
    bad.send(checkTx(1), Request.fromPartial({ query: { path: 'boom' } }), checkTx(2), flush);
    await bad.closed;
    expect(bad.responses.map(kind)).toEqual(['checkTx', 'exception']);
    expect(bad.responses[1]!.exception?.error).toMatch(/^HANDLER_FAILED: query: boom/);

    good.send(Request.fromPartial({ info: {} }), flush);
    expect((await good.receive(2)).map(kind)).toEqual(['info', 'flush']);
    const fresh = await client();
    fresh.send(Request.fromPartial({ echo: { message: 'still up' } }));
    expect((await fresh.receive(1))[0]!.echo?.message).toBe('still up');
  });

  it('replies ResponseException when an async handler rejects', async () => {
    await start(fakeApp());
    const c = await client();
    c.send(Request.fromPartial({ query: { path: 'async-boom' } }), checkTx(1));
    await c.closed;
    expect(c.responses.map(kind)).toEqual(['exception']);
    expect(c.responses[0]!.exception?.error).toMatch(/^HANDLER_FAILED: query: async boom/);
  });

  it('replies ResponseException when a handler returns an incomplete response', async () => {
    await start(fakeApp());
    const c = await client();
    c.send(Request.fromPartial({ query: { path: 'incomplete' } }));
    await c.closed;
    expect(c.responses[0]!.exception?.error).toMatch(/^HANDLER_FAILED: query/);
  });

  it('answers the requests before a malformed frame, then an exception, then closes', async () => {
    await start(fakeApp());
    const c = await client();
    c.sendRaw(new Uint8Array([...encodeFrame(Request.encode(checkTx(1)).finish()), ...new Uint8Array(11).fill(0xff)]));
    await c.closed;
    expect(c.responses.map(kind)).toEqual(['checkTx', 'exception']);
    expect(c.responses[1]!.exception?.error).toMatch(/^MALFORMED_VARINT/);
    const fresh = await client();
    fresh.send(flush);
    expect((await fresh.receive(1)).map(kind)).toEqual(['flush']);
  });

  it('sends the exception for a malformed frame only after a pending async response', async () => {
    const app = fakeApp();
    const held = gate();
    app.finalizeGate = held.promise;
    await start(app);
    const c = await client();
    c.send(Request.fromPartial({ finalizeBlock: {} }), checkTx(1));
    c.sendRaw(new Uint8Array(11).fill(0xff));
    const other = await client();
    other.send(flush);
    await other.receive(1);
    held.open();
    await c.closed;
    expect(c.responses.map(kind)).toEqual(['finalizeBlock', 'checkTx', 'exception']);
  });

  it('rejects a frame above maxFrameBytes', async () => {
    await start(fakeApp(), { maxFrameBytes: 1024 });
    const c = await client();
    c.sendRaw(encodeUvarint(2048));
    await c.closed;
    expect(c.responses.map(kind)).toEqual(['exception']);
    expect(c.responses[0]!.exception?.error).toMatch(/^FRAME_TOO_LARGE/);
  });

  it('rejects a body that is not a Request', async () => {
    await start(fakeApp());
    const c = await client();
    // Field 1 (echo), length-delimited, announcing 100 bytes that are not there.
    c.sendRaw(encodeFrame(new Uint8Array([0x0a, 100, 1])));
    await c.closed;
    expect(c.responses[0]!.exception?.error).toMatch(/^MALFORMED_REQUEST/);
  });

  it('rejects a request with no type set', async () => {
    await start(fakeApp());
    const c = await client();
    c.sendRaw(encodeFrame(new Uint8Array(0)));
    await c.closed;
    expect(c.responses[0]!.exception?.error).toMatch(/^UNKNOWN_REQUEST/);
  });

  it('close() ends open connections, even with a handler pending', async () => {
    const app = fakeApp();
    app.finalizeGate = gate().promise; // never opened
    const s = await start(app);
    const c = await client();
    c.send(Request.fromPartial({ finalizeBlock: {} }));
    const other = await client();
    other.send(flush);
    await other.receive(1);
    await s.close();
    await c.closed;
    await other.closed;
    expect(c.responses).toEqual([]);
  });
});
