/**
 * The ABCI 2.0 socket server CometBFT v0.38 connects to (`--proxy_app tcp://host:port`). It serves the
 * four connections CometBFT opens concurrently and answers each connection's requests strictly in
 * order. Echo and Flush are answered here; everything else goes to the application.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { CheckTxType, Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { withDefaultResponses, type AbciApplication, type MaybePromise } from './application.ts';
import { AbciError } from './errors.ts';
import { encodeFrames, FrameDecoder } from './framing.ts';
import { encodeResponse } from './responseEncoding.ts';

/** Where the server reports connections and failures. Fields are structured, never interpolated. */
export interface AbciLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default logger: says nothing. The CLI injects a real one. */
export const silentAbciLogger: AbciLogger = { debug() {}, info() {}, error() {} };

export interface AbciServerOptions {
  /** Interface to listen on. Default 127.0.0.1: CometBFT runs beside the app. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (read it back from `address`). */
  readonly port: number;
  readonly app: AbciApplication;
  /** Largest request frame accepted, in bytes. Default `DEFAULT_MAX_FRAME_BYTES` (64 MiB). */
  readonly maxFrameBytes?: number;
  readonly logger?: AbciLogger;
  /**
   * Called when CometBFT opens a connection. New connections only come when CometBFT (re)starts, so
   * the app uses this to drop what the old CometBFT had in flight (mempool state, an uncommitted block).
   */
  readonly onConnection?: () => void;
  /**
   * Called with the txs of the new (not recheck) CheckTx requests one socket read brought, before any
   * of them is served; when it returns a promise, they wait until it settles (its rejection is
   * ignored). The node verifies their signatures on a worker thread here.
   */
  readonly beforeCheckTx?: (txs: Uint8Array[]) => Promise<void> | undefined;
  /**
   * Called with the txs of each ProcessProposal and FinalizeBlock request as it is read, before it
   * is served. The node starts verifying the signatures no CheckTx verified here.
   */
  readonly beforeBlock?: (txs: Uint8Array[], request: 'processProposal' | 'finalizeBlock') => void;
}

export interface AbciServer {
  /** The address actually bound (the real port when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
  /** The same as a CometBFT `proxy_app` URL, e.g. `tcp://127.0.0.1:26658`. */
  readonly url: string;
  /** Stops listening and closes every open connection; pending async handlers are abandoned. */
  close(): Promise<void>;
}

/** The request kinds dispatched to the application; checkTx first, as it is by far the most frequent. */
const APP_METHODS = [
  'checkTx',
  'finalizeBlock',
  'commit',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'query',
  'info',
  'initChain',
  'listSnapshots',
  'offerSnapshot',
  'loadSnapshotChunk',
  'applySnapshotChunk',
] as const satisfies ReadonlyArray<keyof AbciApplication & keyof Request & keyof Response>;

/**
 * Starts listening and resolves once bound.
 *
 * @example
 * const server = await startAbciServer({ port: 26658, app });
 * // cometbft node --proxy_app tcp://127.0.0.1:26658
 * await server.close();
 */
export async function startAbciServer(options: AbciServerOptions): Promise<AbciServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentAbciLogger;
  const app = withDefaultResponses(options.app);
  const decoderOptions = options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes };
  const connections = new Set<AbciConnection>();
  let nextId = 1;

  const server: Server = createServer((socket) => {
    options.onConnection?.();
    const connection = new AbciConnection(nextId++, socket, app, new FrameDecoder(decoderOptions), logger, options);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after listening (e.g. EMFILE on accept) must not crash the process.
  server.on('error', (error) => logger.error('abci listener error', { error: String(error) }));

  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('abci server is not bound to a TCP port');
  const address = { host, port: bound.port };
  logger.debug('abci server listening', address);

  let closing: Promise<void> | undefined;
  return {
    address,
    url: `tcp://${host.includes(':') ? `[${host}]` : host}:${bound.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
        logger.debug('abci server closed', address);
      });
      return closing;
    },
  };
}

type AppMethod = (typeof APP_METHODS)[number];
type FullApplication = Required<AbciApplication>;

/** How long one connection's requests are served before other sockets get a turn. */
const SLICE_MS = 20;

/** Where a connection's queue waits for `beforeCheckTx` to settle. */
class Barrier {
  settled = false;
  readonly done: Promise<void>;
  constructor(work: Promise<void>) {
    this.done = work.then(
      () => {
        this.settled = true;
      },
      () => {
        this.settled = true;
      },
    );
  }
}

/**
 * One CometBFT connection. Requests are served in arrival order; while an async handler is pending,
 * later requests wait in `#queue`. Responses produced synchronously while handling one chunk of input
 * are written together with one socket write.
 */
class AbciConnection {
  readonly #id: number;
  readonly #socket: Socket;
  readonly #app: FullApplication;
  readonly #decoder: FrameDecoder;
  readonly #logger: AbciLogger;

  readonly #beforeCheckTx: AbciServerOptions['beforeCheckTx'];
  readonly #beforeBlock: AbciServerOptions['beforeBlock'];

  /** Requests waiting behind a pending async handler or barrier; `#queueHead` is the next one to serve. */
  #queue: Array<Request | Barrier> = [];
  #queueHead = 0;
  /** True while an async handler's promise is pending. */
  #waiting = false;
  /** True while serving has stopped for a turn of the event loop (see `SLICE_MS`). */
  #yielding = false;
  /** Encoded response bodies not yet written. */
  #out: Uint8Array[] = [];
  /**
   * The exception to send once the responses before it are out. Once set, no further request is
   * served and the connection closes after sending it.
   */
  #failure: AbciError | undefined;
  #closed = false;

  constructor(
    id: number,
    socket: Socket,
    app: FullApplication,
    decoder: FrameDecoder,
    logger: AbciLogger,
    hooks: Pick<AbciServerOptions, 'beforeCheckTx' | 'beforeBlock'> = {},
  ) {
    this.#id = id;
    this.#beforeCheckTx = hooks.beforeCheckTx;
    this.#beforeBlock = hooks.beforeBlock;
    this.#socket = socket;
    this.#app = app;
    this.#decoder = decoder;
    this.#logger = logger;

    // CometBFT sends a request plus Flush and waits for the answer: Nagle's algorithm would stall it.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    // Backpressure: stop reading while the peer is not reading our responses.
    socket.on('drain', () => {
      if (!this.#closed) socket.resume();
    });
    socket.on('error', (error) => this.#logger.debug('abci connection error', { connection: id, error: String(error) }));
    socket.on('close', () => {
      this.#closed = true;
      this.#logger.debug('abci connection closed', { connection: id });
    });
    this.#logger.debug('abci connection opened', { connection: id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
  }

  /** Closes at once, dropping anything unsent (server shutdown). */
  destroy(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#failure !== undefined || this.#closed) return;
    const requests: Request[] = [];
    try {
      for (const body of this.#decoder.push(chunk)) {
        let request: Request;
        try {
          request = Request.decode(body);
        } catch (cause) {
          this.#failAfter(new AbciError('MALFORMED_REQUEST', `request does not decode: ${errorMessage(cause)}`, {}, cause));
          break;
        }
        requests.push(request);
      }
    } catch (cause) {
      // Only the decoder throws here: handlers' errors are caught in #serve.
      this.#failAfter(cause instanceof AbciError ? cause : new AbciError('MALFORMED_REQUEST', errorMessage(cause), {}, cause));
    }
    if (this.#beforeCheckTx !== undefined) {
      const txs: Uint8Array[] = [];
      for (const request of requests)
        if (request.checkTx !== undefined && request.checkTx.type === CheckTxType.NEW) txs.push(request.checkTx.tx);
      const work = txs.length > 0 ? this.#beforeCheckTx(txs) : undefined;
      if (work !== undefined) this.#queue.push(new Barrier(work));
    }
    const beforeBlock = this.#beforeBlock;
    for (const request of requests) {
      const block = request.finalizeBlock ?? request.processProposal;
      if (beforeBlock !== undefined && block !== undefined && block.txs.length > 0) {
        beforeBlock(block.txs, request.finalizeBlock !== undefined ? 'finalizeBlock' : 'processProposal');
      }
      this.#queue.push(request);
    }
    this.#drain();
    this.#flush();
  }

  /** Handles one request; must only be called when no async handler is pending. */
  #serve(request: Request): void {
    let method: AppMethod | undefined;
    let result: MaybePromise<unknown>;
    try {
      if (request.echo !== undefined) {
        this.#push({ echo: { message: request.echo.message } });
        return;
      }
      if (request.flush !== undefined) {
        this.#push({ flush: {} });
        return;
      }
      method = requestMethod(request);
      if (method === undefined) {
        this.#failAt(new AbciError('UNKNOWN_REQUEST', 'request has no known type'));
        return;
      }
      // One cast for all fourteen methods: request[method] is the argument type of app[method].
      result = (this.#app[method] as (arg: unknown) => MaybePromise<unknown>)(request[method]);
    } catch (cause) {
      this.#failHandler(method, cause);
      return;
    }
    if (!isPromiseLike(result)) {
      this.#pushResult(method, result);
      return;
    }
    const pending = method;
    this.#waiting = true;
    // Promise.resolve also turns a thenable whose `then` throws into a rejection.
    Promise.resolve(result)
      .then(
        (value) => {
          this.#waiting = false;
          if (this.#closed) return;
          this.#pushResult(pending, value);
          this.#drain();
        },
        (cause: unknown) => {
          this.#waiting = false;
          if (this.#closed) return;
          this.#failHandler(pending, cause);
        },
      )
      .then(() => this.#flush())
      .catch((bug: unknown) => {
        // Not reachable by design; never let it become an unhandled rejection that kills the process.
        this.#logger.error('abci connection internal error', { connection: this.#id, error: errorMessage(bug) });
        this.destroy();
      });
  }

  /**
   * Serves queued requests until one goes async again or the queue is empty. After `SLICE_MS` of
   * serving it stops reading and serves the rest on the next turn of the event loop, so a flood of
   * CheckTx on the mempool connection (Node may hand over megabytes in one turn) cannot hold the
   * queries of the other connections and of the REST server for seconds.
   */
  #drain(): void {
    const started = performance.now();
    // A framing failure recorded meanwhile still lets the requests queued before it be served.
    while (!this.#waiting && !this.#yielding && this.#queueHead < this.#queue.length) {
      if (performance.now() - started > SLICE_MS) {
        this.#yielding = true;
        this.#socket.pause();
        setImmediate(() => {
          this.#yielding = false;
          if (this.#closed) return;
          this.#drain();
          this.#flush();
          if (!this.#yielding && !this.#socket.writableNeedDrain) this.#socket.resume();
        });
        return;
      }
      const entry = this.#queue[this.#queueHead]!;
      this.#queueHead++;
      if (entry instanceof Barrier) {
        if (!entry.settled) this.#await(entry);
        continue;
      }
      this.#serve(entry);
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
  }

  /** Serves nothing more until `barrier` settles, then goes on. */
  #await(barrier: Barrier): void {
    this.#waiting = true;
    void barrier.done.then(() => {
      this.#waiting = false;
      if (this.#closed) return;
      this.#drain();
      this.#flush();
    });
  }

  #pushResult(method: AppMethod, result: unknown): void {
    try {
      this.#push({ [method]: result } as Response);
    } catch (cause) {
      // The app returned something that is not a complete response object.
      this.#failHandler(method, cause);
    }
  }

  #push(response: Response): void {
    this.#out.push(encodeResponse(response));
  }

  #failHandler(method: string | undefined, cause: unknown): void {
    this.#failAt(new AbciError('HANDLER_FAILED', `${method ?? 'request'}: ${errorMessage(cause)}`, { method }, cause));
  }

  /**
   * Fails at the request being served: requests behind it are dropped, and its error replaces any
   * failure recorded for later input (a bad frame read while this request was pending).
   */
  #failAt(error: AbciError): void {
    this.#queue = [];
    this.#queueHead = 0;
    this.#failure = error;
    this.#logFailure(error);
  }

  /** Fails after everything already received: queued requests are still answered first. */
  #failAfter(error: AbciError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#logFailure(error);
  }

  #logFailure(error: AbciError): void {
    this.#logger.error('abci connection failed', { connection: this.#id, reason: error.reason, error: error.message });
  }

  /** Writes every pending response in one write; then, if failing and nothing is pending, the exception and the end. */
  #flush(): void {
    // Not writable: the peer hung up; what it did not wait for is dropped.
    if (this.#closed || !this.#socket.writable) return;
    const finishing = this.#failure !== undefined && !this.#waiting && !this.#yielding;
    if (finishing) {
      // The code leads the text so CometBFT's log says what kind of failure stopped it.
      const error = `${this.#failure!.reason}: ${this.#failure!.message}`;
      this.#out.push(Response.encode({ exception: { error } }).finish());
    }
    if (this.#out.length > 0) {
      const frames = encodeFrames(this.#out);
      this.#out = [];
      if (!this.#socket.write(frames) && !finishing) this.#socket.pause();
    }
    if (finishing) {
      // CometBFT treats an exception as fatal; close our side once the bytes are out.
      this.#closed = true;
      this.#socket.end();
      // If the peer never closes its side, do not keep the socket forever.
      setTimeout(() => this.#socket.destroy(), 5_000).unref();
    }
  }
}

/** The application method a request is for, or undefined when its oneof is empty or unknown. */
function requestMethod(request: Request): AppMethod | undefined {
  for (const name of APP_METHODS) if (request[name] !== undefined) return name;
  return undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
