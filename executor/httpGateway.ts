/**
 * `HttpGateway` (`aind executor --http PORT`): serves the functions whose config has an `http`
 * endpoint at `/apps/<app><http.path>`, paid per call by a voucher in the `ain-voucher` header. The
 * route table comes from the chain: every `EventFunctionSet` since genesis (then live, through the
 * client's `onEvent`) makes the gateway read that function config again. A call is answered only after
 * its voucher passes the checks the chain will make (`vouchers.ts`); the function then runs in the
 * sandbox like a state-triggered call, and its output is the response. The redeemer (`redeemer.ts`)
 * turns the accepted vouchers into one MsgRedeem per interval. A call of a service contract carries the
 * client's signed request in the `ain-contract` header instead (`contracts.ts`): it is prepaid, runs
 * before calls without a contract, and is answered with the executor's signed receipt
 * `{output, receipt: {contract_id, seq, answered_at, signature}}`; while every slot is busy and a
 * contract is active, calls without one are refused (429). A refused contract request is a 403.
 *
 * Responses are JSON: 200 `{output, paid: {channel_id, amount, nonce}}`; 402 a refused voucher, 404 no
 * such function, 400 a bad body, 413 a body over 1 MiB (the flood limits are in `httpServer.ts`), 500
 * the function failed, 503 the chain could not be asked, each with `{error: {codespace, code, message}}`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AinClient, EventListener } from '../client/index.ts';
import { CONTRACT_HEADER, onEvent, VOUCHER_HEADER } from '../client/index.ts';
import { AinError, ainError } from '../core/index.ts';
import type { HttpEndpoint, OffchainFunction } from '../modules/state/index.ts';
import type { Executor } from '../modules/triggers/index.ts';
import type { BlobCache } from './blobs.ts';
import { ContractDesk } from './contracts.ts';
import {
  describeError,
  ErrBadHttpBody,
  ErrCapacityReserved,
  ErrContractCallRefused,
  ErrNoHttpFunction,
  ErrVoucherMalformed,
  ErrVoucherUnderpaid,
} from './errors.ts';
import type { Isolation } from './isolation.ts';
import { createGatewayServer, isBodyTooLarge, readJsonBody } from './httpServer.ts';
import { Redeemer } from './redeemer.ts';
import { runSandboxed } from './sandbox.ts';
import { cannotRunFunction } from './serving.ts';
import type { Slots } from './slots.ts';
import { VoucherBook } from './vouchers.ts';

const FUNCTION_SET = 'ain.state.v1.EventFunctionSet';

export interface HttpGatewayOptions {
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string | undefined;
  readonly rpcUrl: string;
  readonly client: AinClient;
  readonly codes: BlobCache;
  readonly slots: Slots;
  readonly isolation: Isolation;
  /** The record this executor registered: the functions it can run (`serving.ts` `cannotRunFunction`). */
  readonly self: Executor;
  readonly timeoutMs: number;
  readonly defaultMemoryMb: number;
  readonly maxOutputBytes: number;
  /** How often accepted vouchers are redeemed (default 10 s). */
  readonly redeemIntervalMs?: number | undefined;
  /** Vouchers of channels expiring within this many seconds are refused (default 60). */
  readonly expiryMarginSeconds?: number | undefined;
  /** Keeps the accepted vouchers not redeemed yet across restarts (`VoucherBook`'s `file`). */
  readonly vouchersFile?: string | undefined;
  /** The executor's account key: with it the gateway serves service contracts and signs their receipts. */
  readonly receiptKey?: Uint8Array | undefined;
  readonly log: (line: string) => void;
}

interface Route {
  readonly pattern: string;
  readonly config: OffchainFunction & { readonly http: HttpEndpoint };
}

export class HttpGateway {
  readonly book: VoucherBook;
  readonly redeemer: Redeemer;
  /** Service contracts (with `receiptKey`). */
  readonly desk: ContractDesk | undefined;
  private contractTimer: NodeJS.Timeout | undefined;
  private readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  private listener: EventListener | undefined;
  private refreshes: Promise<void> = Promise.resolve();
  private url_ = '';

  constructor(private readonly options: HttpGatewayOptions) {
    this.book = new VoucherBook({
      client: options.client,
      expiryMarginSeconds: options.expiryMarginSeconds ?? 60,
      file: options.vouchersFile,
    });
    this.redeemer = new Redeemer(options.client, this.book, options.redeemIntervalMs ?? 10_000, options.log);
    this.desk = options.receiptKey
      ? new ContractDesk({ client: options.client, privkey: options.receiptKey, log: options.log })
      : undefined;
  }

  /** `http://host:port` the gateway listens on. */
  get url(): string {
    return this.url_;
  }

  /** Reads the route table (every function config set so far), starts the redeemer and listens. */
  async start(): Promise<void> {
    this.listener = onEvent(
      this.options.rpcUrl,
      `${FUNCTION_SET}.path EXISTS`,
      (event) => {
        for (const e of event.events)
          if (e.type === FUNCTION_SET)
            for (const a of e.attributes) if (a.key === 'path') this.refreshes = this.refreshes.then(() => this.refresh(a.value));
      },
      { afterHeight: 0, onError: (error) => this.options.log(`http gateway: ${describeError(error)}`) },
    );
    await this.listener.ready;
    await this.refreshes;
    const restored = await this.book.restore();
    if (restored > 0) this.options.log(`http gateway: ${restored} voucher(s) accepted before a restart wait to be redeemed`);
    this.redeemer.start();
    if (this.desk) {
      await this.contractRound();
      this.contractTimer = setInterval(() => void this.contractRound(), this.options.redeemIntervalMs ?? 10_000);
    }
    const server = createGatewayServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.url_ = `http://${address.address}:${address.port}`;
    this.options.log(`http gateway on ${this.url_}: ${this.routes.size} function(s): ${[...this.routes.keys()].join(', ') || 'none yet'}`);
  }

  /** Stops taking calls, then redeems what was accepted. */
  async stop(): Promise<void> {
    this.listener?.stop();
    clearInterval(this.contractTimer);
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.redeemer.stop();
  }

  /** Reads this executor's active contracts and disputes the claims it holds receipts for. */
  private async contractRound(): Promise<void> {
    try {
      await this.desk?.refreshActive();
      await this.desk?.disputeOpen();
    } catch (error) {
      this.options.log(`http gateway: contracts: ${describeError(error)}`);
    }
  }

  /** Routes now served, as `METHOD /apps/<app>/<path>`. */
  routeKeys(): string[] {
    return [...this.routes.keys()].sort();
  }

  /** Reads the function config at a pattern again and updates its route. */
  private async refresh(pattern: string): Promise<void> {
    let config: unknown;
    try {
      config = (await this.options.client.ref(pattern).getFunction()).value;
    } catch (error) {
      this.options.log(`http gateway: reading the function at ${pattern}: ${describeError(error)}`);
      return;
    }
    const removed: string[] = [];
    for (const [key, route] of this.routes)
      if (route.pattern === pattern) {
        this.routes.delete(key);
        removed.push(key);
      }
    const fn = config as Partial<OffchainFunction> | null;
    const key = fn?.function_type === 'OFFCHAIN' && fn.http ? `${fn.http.method} /apps/${pattern.split('/')[2]}${fn.http.path}` : undefined;
    if (key !== undefined) this.routes.set(key, { pattern, config: fn as Route['config'] });
    // Once listening, a route that comes or goes is logged (the start line lists those found before).
    if (this.server === undefined) return;
    for (const gone of removed) if (gone !== key) this.options.log(`http gateway: no longer serving ${gone}`);
    if (key !== undefined) this.options.log(`http gateway: serving ${key} (${fn!.http!.price} uain a call)`);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://gateway');
      const route = this.routes.get(`${request.method} ${url.pathname}`);
      if (!route) throw ainError(ErrNoHttpFunction, `no function answers ${request.method} ${url.pathname}`, { field: 'path' });
      const fn = route.config;
      // As for a trigger's call: its runtime, packages and GPUs, and no more memory than this machine has.
      const cannot = cannotRunFunction(this.options.self, fn);
      if (cannot !== undefined)
        throw ainError(ErrNoHttpFunction, `${url.pathname}: this executor cannot run it: ${cannot}`, { path: url.pathname });
      const input = request.method === 'POST' ? await readJsonBody(request) : Object.fromEntries(url.searchParams);
      // The code first: a call that cannot run (its blob expired, storage down) must not take a voucher.
      const code = await this.options.codes.get(fn.code_hash);
      const contractHeader = request.headers[CONTRACT_HEADER];
      let terms: Awaited<ReturnType<ContractDesk['admit']>> | undefined;
      let paid: Awaited<ReturnType<VoucherBook['accept']>> | undefined;
      if (contractHeader !== undefined) {
        if (!this.desk) throw ainError(ErrContractCallRefused, 'this gateway serves no contracts', { field: CONTRACT_HEADER });
        terms = await this.desk.admit(contractHeader, input);
      } else {
        if (this.desk?.hasActiveContracts && this.options.slots.busy)
          throw ainError(ErrCapacityReserved, 'every slot is busy and contracts reserve this capacity; retry later', {
            field: CONTRACT_HEADER,
          });
        const header = request.headers[VOUCHER_HEADER];
        let voucher: unknown;
        try {
          voucher = JSON.parse(typeof header === 'string' ? header : '');
        } catch {
          throw ainError(ErrVoucherMalformed, `the ${VOUCHER_HEADER} header must hold the voucher as JSON`, { field: VOUCHER_HEADER });
        }
        paid = await this.book.accept(voucher, BigInt(fn.http.price));
      }
      const memoryMb = fn.resources.memory_mb > 0 ? fn.resources.memory_mb : this.options.defaultMemoryMb;
      const result = await this.options.slots
        .run(
          (lease) =>
            runSandboxed({
              runtime: fn.runtime,
              ...(lease.runtimes ? { runtimes: lease.runtimes } : {}),
              code,
              input: input as never,
              timeoutMs: this.options.timeoutMs,
              memoryBytes: memoryMb * 1024 * 1024,
              gpus: fn.resources.gpus,
              gpuDevices: lease.gpus,
              network: fn.network ?? false,
              maxOutputBytes: this.options.maxOutputBytes,
              isolation: this.options.isolation,
            }),
          { gpus: fn.resources.gpus, priority: terms !== undefined },
        )
        .catch((error: unknown) => {
          // The program never ran (no slot, a sandbox that cannot start): its voucher is given back.
          if (paid) this.book.refund(paid);
          throw error;
        });
      const receipt = paid
        ? { paid: { channel_id: paid.channelId.toString(), amount: paid.amount.toString(), nonce: paid.nonce.toString() } }
        : { receipt: this.desk!.receipt(terms!) };
      if (result.ok) return send(response, 200, { output: result.output, ...receipt });
      const exit = result.exitCode === null ? '' : ` (exit ${result.exitCode})`;
      return send(response, 500, {
        error: { codespace: 'executor', code: 0, message: `${result.reason}${exit}: ${result.stderrTail}` },
        ...receipt,
      });
    } catch (error) {
      if (error instanceof AinError) {
        const status = httpStatusOf(error);
        return send(response, status, { error: { codespace: error.codespace, code: error.code, message: error.message } });
      }
      return send(response, 503, { error: { codespace: '', code: 0, message: describeError(error) } });
    }
  }
}

/** The HTTP status of a refusal: 402 for payment, 404 no function, 413 a body too large, 400 another bad body, 503 otherwise. */
function httpStatusOf(error: AinError): number {
  if (error.codespace === 'channels' || error.is(ErrVoucherMalformed) || error.is(ErrVoucherUnderpaid)) return 402;
  if (error.is(ErrNoHttpFunction)) return 404;
  if (error.is(ErrContractCallRefused)) return 403;
  if (error.is(ErrCapacityReserved)) return 429;
  if (error.is(ErrBadHttpBody)) return isBodyTooLarge(error) ? 413 : 400;
  return 503;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // A body left unread (refused as too large) cannot share its connection again.
  if (!response.req.complete) response.setHeader('connection', 'close');
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
