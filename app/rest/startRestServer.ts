/**
 * The REST (LCD) server `aind start` serves on port 1317: the Cosmos SDK gateway routes that Keplr-style
 * wallets, explorers and scripts call, answered from the app's in-process ABCI query and CometBFT's RPC,
 * in the gateway's proto3 JSON. Plain `node:http`; every response carries CORS headers, since browser
 * wallets call it from their own origin. It also serves the web explorer under `/ui` (serveUi.ts).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ainError, ErrInvalidHeight, ErrInvalidRequest, ErrJSONUnmarshal, defaultAnyTypes, type AnyTypes } from '../../core/index.ts';
import { cometRpcClient } from '../../client/index.ts';
import { methodNotAllowed, notImplemented, payloadTooLarge, toGatewayError, type GatewayErrorResponse } from './gatewayError.ts';
import { createLimitedServer, DEFAULT_REST_LIMITS, type HttpLimits } from './httpLimits.ts';
import { type CompiledRoute, matchRoute, restRoutes } from './routes.ts';
import { isUiPath, type UiServer, uiServer } from './serveUi.ts';
import type { RestContext, RestQuery, RestRoute } from '../../core/index.ts';

/** Largest request body accepted by default: 1 MiB (a tx is far smaller). */
export const DEFAULT_MAX_BODY_BYTES = DEFAULT_REST_LIMITS.maxBodyBytes;
/** How long a CometBFT RPC call may take by default. */
export const DEFAULT_COMET_TIMEOUT_MS = 10_000;
/** Response header carrying the height a query was answered at, as the SDK's gateway sends it. */
export const BLOCK_HEIGHT_HEADER = 'Grpc-Metadata-X-Cosmos-Block-Height';

/** Where the server reports requests and failures. Fields are structured, never interpolated. */
export interface RestLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RestServerOptions {
  /** Interface to listen on, e.g. `127.0.0.1`, or `0.0.0.0` to serve other machines. */
  readonly host: string;
  /** TCP port (1317 by convention); 0 picks a free one (read it back from `url`). */
  readonly port: number;
  /** The app's in-process ABCI query. */
  readonly query: RestQuery;
  /** CometBFT's RPC, e.g. `http://127.0.0.1:26657`, for node info, blocks, tx lookup and broadcast. */
  readonly cometRpcUrl: string;
  readonly logger?: RestLogger;
  /** The modules' routes (`ModuleManager.restRoutes`), served between the node's and the tx service's. */
  readonly routes: readonly RestRoute[];
  /** The `Any` types to print unpacked (`ModuleManager.anyTypes`); default: public keys and txs only. */
  readonly anyTypes?: AnyTypes;
  /** `application_version.version` of node_info. Default: `version` of the repo's package.json. */
  readonly appVersion?: string;
  /** Largest request body accepted, in bytes (overrides `limits.maxBodyBytes`). Default `DEFAULT_MAX_BODY_BYTES`. */
  readonly maxBodyBytes?: number;
  /** Body size, header and request time, keep-alive, header count and connection cap (app.toml `[api]`). Default `DEFAULT_REST_LIMITS`. */
  readonly limits?: Partial<HttpLimits>;
  /** Timeout of each CometBFT RPC call. Default `DEFAULT_COMET_TIMEOUT_MS`. */
  readonly cometTimeoutMs?: number;
}

export interface RestServer {
  /** Where the server listens, e.g. `http://127.0.0.1:1317` (the real port when 0 was asked for). */
  readonly url: string;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

const silentLogger: RestLogger = { debug() {}, info() {}, error() {} };

/**
 * Starts the REST server and resolves once it listens.
 *
 * @example
 * const rest = await startRestServer({
 *   host: '127.0.0.1',
 *   port: 1317,
 *   query: (path, data) => app.query(RequestQuery.fromPartial({ path, data })),
 *   cometRpcUrl: 'http://127.0.0.1:26657',
 * });
 * // GET http://127.0.0.1:1317/cosmos/bank/v1beta1/balances/ain1...
 * await rest.close();
 */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const logger = options.logger ?? silentLogger;
  const context: RestContext = {
    query: options.query,
    comet: cometRpcClient(options.cometRpcUrl, options.cometTimeoutMs ?? DEFAULT_COMET_TIMEOUT_MS),
    anyTypes: options.anyTypes ?? defaultAnyTypes,
    appVersion: options.appVersion ?? packageVersion(),
  };

  const routes = restRoutes(options.routes);
  const ui = uiServer(options.cometRpcUrl);
  const limited = createLimitedServer(
    { ...options.limits, ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }) },
    (req, res) => {
      const started = Date.now();
      handle(context, routes, ui, maxBodyBytes, req, res)
        .catch((error: unknown) => {
          const reply = toGatewayError(error);
          if (reply.status >= 500) logger.error('rest request failed', { method: req.method, url: req.url, error: String(error) });
          send(res, reply.status, reply.body);
        })
        .catch((error: unknown) => logger.error('rest response failed', { error: String(error) }))
        .finally(() =>
          logger.debug('rest request', { method: req.method, url: req.url, status: res.statusCode, ms: Date.now() - started }),
        );
    },
  );
  const server = limited.server;
  const maxBodyBytes = limited.limits.maxBodyBytes;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('rest listener error', { error: String(error) }));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.debug('rest server listening', { url });

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        logger.debug('rest server closed', { url });
      });
      return closing;
    },
  };
}

async function handle(
  context: RestContext,
  routes: readonly CompiledRoute[],
  ui: UiServer,
  maxBodyBytes: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  setCorsHeaders(req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://rest.invalid');
  // The web explorer (ui/), built into dist/ui/.
  if (isUiPath(url.pathname) && (req.method === 'GET' || req.method === 'HEAD')) return ui.serve(url.pathname, res);
  const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const match = matchRoute(req.method === 'HEAD' ? 'GET' : (req.method ?? ''), pathname, routes);
  if (match.kind === 'none') return sendError(res, notImplemented);
  if (match.kind === 'wrong-method') {
    res.setHeader('Allow', [...match.allow, 'OPTIONS'].join(', '));
    return sendError(res, methodNotAllowed);
  }
  const params = match.params.map((param) => {
    try {
      return decodeURIComponent(param);
    } catch {
      throw ainError(ErrInvalidRequest, `path segment "${param}" is not valid percent-encoding`);
    }
  });
  let body: Record<string, unknown> | undefined;
  if (match.route.method === 'POST') {
    const bytes = await readBody(req, maxBodyBytes);
    if (bytes === undefined) return sendError(res, payloadTooLarge(maxBodyBytes));
    body = parseJsonObject(bytes);
  }
  const reply = await match.route.handler(context, { params, searchParams: url.searchParams, body, height: requestedHeight(req) });
  if (reply.height !== undefined) res.setHeader(BLOCK_HEIGHT_HEADER, reply.height.toString());
  send(res, 200, reply.body);
}

function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  const asked = req.headers['access-control-request-headers'];
  res.setHeader(
    'Access-Control-Allow-Headers',
    typeof asked === 'string' && /^[A-Za-z0-9\-_, ]{1,1000}$/.test(asked) ? asked : 'Content-Type, Accept, X-Cosmos-Block-Height',
  );
  res.setHeader('Access-Control-Expose-Headers', BLOCK_HEIGHT_HEADER);
  res.setHeader('Access-Control-Max-Age', '600');
}

/** The `x-cosmos-block-height` a client asked for (0 or absent: the latest). */
function requestedHeight(req: IncomingMessage): bigint | undefined {
  const value = req.headers['x-cosmos-block-height'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9]{1,19}$/.test(value))
    throw ainError(ErrInvalidHeight, `x-cosmos-block-height "${String(value)}" is not a height`);
  return BigInt(value);
}

/**
 * Reads a request body of at most `limit` bytes; undefined when it is larger: a Content-Length over the
 * limit is refused before a byte is read, and a body that passes the limit stops being kept at once.
 * A declared one is answered at once and what the client still sends is dropped unread for at most
 * `DRAIN_MS`; one of unknown length is read and dropped to its end (at most `DRAIN_MS`) before the
 * answer, because closing a connection with bytes still arriving resets it and the client would lose
 * the 413. Either way the answer closes the connection (see `send`).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let overLimit: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(overLimit);
      req.off('data', onData);
      if (overLimit) resolve(undefined);
      else if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      if (overLimit) return;
      // Past the limit: keep nothing, read on to the end (or DRAIN_MS), then answer 413.
      chunks.length = 0;
      overLimit = setTimeout(() => finish(undefined), DRAIN_MS);
      overLimit.unref();
    };
    req.on('data', onData);
    req.on('end', () => finish(undefined));
    req.on('error', (error) => finish(error));
    req.on('close', () => finish(ainError(ErrInvalidRequest, 'request body ended early')));
  });
}

/** How long a refused body's remaining bytes are read and dropped before the connection is cut. */
const DRAIN_MS = 2_000;

/** Drops what is left of a request body, unread, and cuts the connection after `DRAIN_MS`. */
function drain(req: IncomingMessage): void {
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/** The body as a JSON object; an empty body counts as `{}` so the handler names the missing field. */
function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  const text = bytes.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ainError(ErrJSONUnmarshal, `request body is not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw ainError(ErrJSONUnmarshal, 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

function sendError(res: ServerResponse, reply: GatewayErrorResponse): void {
  send(res, reply.status, reply.body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // A request whose body was left unread (refused as too large) cannot share its connection again.
  if (!res.req.complete) res.setHeader('connection', 'close');
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The `version` of this repo's package.json ('0.0.0' when it cannot be read). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
