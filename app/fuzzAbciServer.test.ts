/**
 * Property test of the ABCI socket server with the real app behind it: a connection that sends
 * garbage gets the answers to the echo and flush requests before the bad part, then one exception
 * naming the failure's reason, then its end; the app's state is unchanged, and both a connection
 * opened before and one opened after still get Echo and Info answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Request, RequestFinalizeBlock, RequestInitChain, Response } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey } from '../test/helpers/tx.ts';
import { openCommittedState, type CommittedState } from '../tree/lmdb/index.ts';
import {
  type AbciError,
  type AbciErrorCode,
  type AbciServer,
  encodeFrames,
  encodeUvarint,
  FrameDecoder,
  startAbciServer,
} from './abci/index.ts';
import { AinApplication } from './application.ts';
import { addGenesisAccount, defaultAppState } from './genesis.ts';

const MAX_FRAME_BYTES = 256;

/** The CometBFT side of one connection: sends bytes, collects decoded responses, sees the close. */
class Peer {
  readonly responses: Response[] = [];
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const body of this.#decoder.push(chunk)) this.responses.push(Response.decode(body));
      this.#wake?.();
    });
  }

  static open(port: number): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Peer(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Echo then Info; resolves with Info's answer. */
  async echoAndInfo(message: string): Promise<Response['info']> {
    const before = this.responses.length;
    this.send(
      encodeFrames([{ echo: { message } }, { info: {} }, { flush: {} }].map((r) => Request.encode(Request.fromPartial(r)).finish())),
    );
    while (this.responses.length < before + 3) await new Promise<void>((resolve) => (this.#wake = resolve));
    const [echo, info] = this.responses.slice(before);
    expect(echo?.echo?.message).toBe(message);
    return info?.info;
  }

  end(): void {
    this.#socket.destroy();
  }
}

/** What the server must answer to `bytes`: the echo/flush answers before the failure, and its reason. */
type Expected = { answers: Array<'echo' | 'flush'>; reason: AbciErrorCode } | undefined;

/** Undefined when `bytes` holds a request the app would act on, or no failure (the server then waits). */
function expectedReaction(bytes: Uint8Array): Expected {
  const answers: Array<'echo' | 'flush'> = [];
  const decoder = new FrameDecoder({ maxFrameBytes: MAX_FRAME_BYTES });
  try {
    for (const body of decoder.push(bytes)) {
      let request: Request;
      try {
        request = Request.decode(body);
      } catch {
        return { answers, reason: 'MALFORMED_REQUEST' };
      }
      const set = Object.entries(request).filter(([, value]) => value !== undefined);
      if (set.length === 0) return { answers, reason: 'UNKNOWN_REQUEST' };
      const kind = set[0]![0];
      if (kind !== 'echo' && kind !== 'flush') return undefined;
      answers.push(kind);
    }
  } catch (error) {
    return { answers, reason: (error as AbciError).reason };
  }
  return undefined;
}

const echoFrame = fc
  .string({ maxLength: 10 })
  .map((message) => encodeFrames([Request.encode(Request.fromPartial({ echo: { message } })).finish()]));
const garbage = fc
  .array(
    fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
      echoFrame,
      // A valid prefix with a random body, or a prefix above the limit.
      fc.uint8Array({ maxLength: 30 }).map((body) => encodeFrames([body])),
      fc.integer({ min: MAX_FRAME_BYTES + 1, max: 2 ** 40 }).map(encodeUvarint),
      fc.constant(new Uint8Array(11).fill(0xff)),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((pieces) => Uint8Array.from(pieces.flatMap((piece) => [...piece])))
  .map((bytes) => ({ bytes, expected: expectedReaction(bytes) }))
  .filter(({ expected }) => expected !== undefined);

let dir: string;
let store: CommittedState;
let server: AbciServer;
let bystander: Peer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-fuzz-abci-'));
  store = openCommittedState(join(dir, 'app.lmdb'));
  const app = new AinApplication(store);
  const genesis = addGenesisAccount(defaultAppState(), testKey('fuzz-abci').address, [{ denom: 'uain', amount: 1_000_000n }]);
  app.initChain(
    RequestInitChain.fromPartial({ chainId: 'ain-fuzz-abci', initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(genesis)) }),
  );
  app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n, time: { seconds: 1_700_000_000n, nanos: 0 } }));
  app.commit();
  server = await startAbciServer({ port: 0, app, maxFrameBytes: MAX_FRAME_BYTES });
  bystander = await Peer.open(server.address.port);
});

afterAll(async () => {
  bystander.end();
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ABCI server on garbage, with the real app', () => {
  it('answers what came before, sends one exception naming the reason, closes, and changes nothing', async () => {
    const before = await bystander.echoAndInfo('before');
    expect(before?.lastBlockHeight).toBe(1n);
    await fc.assert(
      fc.asyncProperty(garbage, async ({ bytes, expected }) => {
        const peer = await Peer.open(server.address.port);
        peer.send(bytes);
        await peer.closed;
        const kinds = peer.responses.map((response) => Object.entries(response).find(([, value]) => value !== undefined)![0]);
        expect(kinds).toEqual([...expected!.answers, 'exception']);
        expect(peer.responses.at(-1)!.exception!.error).toMatch(new RegExp(`^${expected!.reason}: `));

        const after = await Peer.open(server.address.port);
        expect(await after.echoAndInfo('after')).toEqual(before);
        after.end();
        expect(await bystander.echoAndInfo('still')).toEqual(before);
      }),
      { seed: 42, numRuns: 150 },
    );
    expect(store.height).toBe(1n);
  });
});
