/**
 * Property tests of the REST (LCD) server on a real app (lmdb, genesis, one block): every route asked
 * with random path parameters, query strings, methods and bodies answers within a few seconds with
 * JSON, a 2xx or the gateway's error shape `{code, message, details: []}` with a 4xx (or 503 from
 * the fake CometBFT, which refuses every call), never 500, and the server keeps answering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { RequestFinalizeBlock, RequestInitChain, RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey } from '../../test/helpers/tx.ts';
import { type CommittedState, openCommittedState } from '../../tree/lmdb/index.ts';
import { AinApplication } from '../application.ts';
import { addGenesisAccount, defaultAppState } from '../genesis.ts';
import { restRoutes } from './routes.ts';
import { type RestServer, startRestServer } from './startRestServer.ts';

const alice = testKey('alice');

let dir: string;
let store: CommittedState;
let app: AinApplication;
let comet: Server;
let rest: RestServer;
let routes: { method: string; path: string }[];

/** A CometBFT that answers every call with a JSON-RPC error, as it does for a height it lacks. */
function startRefusingComet(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: -1, error: { code: -32603, message: 'Internal error', data: 'not available' } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rest-fuzz-'));
  store = openCommittedState(join(dir, 'app.lmdb'));
  app = new AinApplication(store);
  const genesis = addGenesisAccount(defaultAppState(), alice.address, [{ denom: 'uain', amount: 1_000_000n }]);
  app.initChain(
    RequestInitChain.fromPartial({ chainId: 'ain-fuzz-1', initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(genesis)) }),
  );
  app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n, txs: [], time: { seconds: 1_700_000_000n, nanos: 0 } }));
  app.commit();
  comet = await startRefusingComet();
  rest = await startRestServer({
    host: '127.0.0.1',
    port: 0,
    query: (path, data) => app.query(RequestQuery.fromPartial({ path, data })),
    cometRpcUrl: `http://127.0.0.1:${(comet.address() as AddressInfo).port}`,
    routes: app.modules.restRoutes,
    anyTypes: app.modules.anyTypes,
    maxBodyBytes: 16 * 1024,
  });
  routes = restRoutes(app.modules.restRoutes).map(({ method, path }) => ({ method, path }));
});

afterAll(async () => {
  await rest?.close();
  await new Promise<void>((resolve) => (comet ? comet.close(() => resolve()) : resolve()));
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** One raw request (the path sent byte for byte as given); rejects after 5 s, which counts as a hang. */
function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(rest.url);
    const req = request({ host: url.hostname, port: url.port, method, path, headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in 5 s: ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Percent-encodes what an HTTP request line cannot carry raw, leaving '%' as given (valid or not). */
function onTheWire(segment: string): string {
  return segment.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@%]/gu, (char) => encodeURIComponent(char));
}

const bech32Garbage = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 40 }).map((bytes) => toBech32('ain', bytes)),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => toBech32('cosmos', bytes)),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => toBech32('ainvaloper', bytes)),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => toBech32('ainvalcons', bytes)),
  fc.string({ maxLength: 45 }).map((tail) => `ain1${tail}`),
  fc.constant(alice.address),
);

const numberish = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-0', '1e5', '0x10', ' 1', '1.5', 'NaN', 'Infinity', '18446744073709551615', '9223372036854775808', '00001'),
);

/** A path parameter: any text, percent-encoded or not, invalid percent-encoding, long, numbers, addresses. */
const pathParam = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map(onTheWire),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4', '%00', '%2F', '%2e%2e', '..', '.', '%C0%AF', '%ED%A0%80', '%FF%FE'),
  // Three of these fit Node's 16 KiB of headers (past it: httpLimits.test.ts).
  fc.integer({ min: 1_000, max: 4_000 }).map((length) => 'a'.repeat(length)),
  numberish,
  bech32Garbage,
  fc.constantFrom('uain', 'ibc/ABC', 'v1', 'committee', 'gov', 'distribution'),
);

const queryKey = fc.constantFrom(
  'pagination.key',
  'pagination.offset',
  'pagination.limit',
  'pagination.count_total',
  'pagination.reverse',
  'denom',
  'height',
  'events',
  'query',
  'order_by',
  'page',
  'limit',
  'status',
  'proposal_status',
  'voter',
  'depositor',
  'path',
  'unknown',
  '',
);
const queryValue = fc.oneof(
  numberish,
  fc.constantFrom('true', 'false', 'TRUE', 'yes', 't', '', '%', '%zz', 'AAAA', '____', '=='),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
  fc.base64String({ maxLength: 40 }).map(encodeURIComponent),
  bech32Garbage,
);
const queryString = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${onTheWire(value)}`).join('&')}`));

const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.record({ tx_bytes: fc.string(), mode: fc.string(), tx: fc.anything() }).map((value) => JSON.stringify(value)),
  fc.base64String({ maxLength: 200 }).map((tx) => JSON.stringify({ tx_bytes: tx, mode: 'BROADCAST_MODE_SYNC' })),
);

const method = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH');

/** Fills a route's `{param}` segments. */
function fill(path: string, params: readonly string[]): string {
  let i = 0;
  return path.replace(/\{\w+\}/g, () => onTheWire(params[i++ % params.length] ?? ''));
}

/** Holds for every answer: JSON; 2xx, or a 4xx/503 in the gateway's error shape; never 5xx otherwise. */
function expectWellFormed(reply: Reply, what: string): void {
  expect(reply.contentType, what).toBe('application/json');
  const json = JSON.parse(reply.text) as unknown;
  if (reply.status >= 200 && reply.status < 300) return;
  expect([400, 404, 405, 413, 501, 503], `${what} -> ${reply.status} ${reply.text}`).toContain(reply.status);
  expect(json, what).toEqual({ code: expect.any(Number), message: expect.any(String), details: [] });
  const { message } = json as { message: string };
  expect(message.length, what).toBeGreaterThan(0);
}

describe('REST server under random input', () => {
  it('every route: random params, queries, methods and bodies get JSON, 2xx or a 4xx gateway error, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(pathParam, { minLength: 1, maxLength: 3 }),
        queryString,
        method,
        body,
        async (routeIndex, params, query, verb, payload) => {
          const route = routes[routeIndex % routes.length]!;
          const path = `${fill(route.path, params)}${query}`;
          const sent = verb === 'GET' ? undefined : payload;
          const headers: Record<string, string> = sent === undefined ? {} : { 'content-type': 'application/json' };
          const reply = await send(verb, path, sent, headers);
          expectWellFormed(reply, `${verb} ${path} ${sent ?? ''}`);
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
    // Still serving after the garbage.
    const after = await send('GET', `/cosmos/bank/v1beta1/balances/${alice.address}`);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).balances).toEqual([{ denom: 'uain', amount: '1000000' }]);
  });

  it('pagination.offset/limit/count_total/reverse on list routes: a bad value is 400 naming the key, a good one 200', async () => {
    const listRoutes = [
      '/cosmos/auth/v1beta1/accounts',
      '/cosmos/bank/v1beta1/supply',
      '/cosmos/bank/v1beta1/denoms_metadata',
      '/cosmos/staking/v1beta1/validators',
      '/cosmos/gov/v1/proposals',
      '/cosmos/nft/v1beta1/classes',
      '/cosmos/slashing/v1beta1/signing_infos',
      `/ain/channels/v1/channels?payer=${alice.address}`,
      `/cosmos/bank/v1beta1/balances/${alice.address}`,
    ];
    const numeric = ['pagination.offset', 'pagination.limit'];
    const key = fc.constantFrom(...numeric, 'pagination.count_total', 'pagination.reverse');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...listRoutes), key, queryValue, async (path, name, value) => {
        const reply = await send('GET', `${path}${path.includes('?') ? '&' : '?'}${name}=${onTheWire(value)}`);
        expectWellFormed(reply, `${path}?${name}=${value}`);
        let decoded: string;
        try {
          decoded = decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          return; // URLSearchParams keeps bad percent-encoding as it is; checked for shape above
        }
        const good = numeric.includes(name)
          ? decoded === '' || (/^[0-9]+$/.test(decoded) && BigInt(decoded) < 2n ** 64n)
          : ['', 'true', 'True', 'TRUE', 't', 'T', '1', 'false', 'False', 'FALSE', 'f', 'F', '0'].includes(decoded); // Go's strconv.ParseBool
        if (good) expect(reply.status, `${path}?${name}=${value}: ${reply.text}`).toBe(200);
        else {
          expect(reply.status, `${path}?${name}=${value}: ${reply.text}`).toBe(400);
          expect(JSON.parse(reply.text).message).toContain(name);
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('the x-cosmos-block-height header: any value is served or refused as 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          numberish,
          fc.string({ maxLength: 20 }).filter((text) => /^[\x21-\x7e ]*$/.test(text)),
        ),
        async (height) => {
          const reply = await send('GET', `/cosmos/bank/v1beta1/balances/${alice.address}`, undefined, { 'x-cosmos-block-height': height });
          expectWellFormed(reply, `height ${height}`);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
