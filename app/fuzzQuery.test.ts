/**
 * Property tests of ABCI Query on the app in process: random paths, random request bytes for every
 * registered query route, requests built from each route's request codec with random field values,
 * `/store/state/key` and Simulate, at random heights with and without proofs. A refusal is a nonzero
 * code with its codespace and log at a nonnegative height; what the route's handler (or the raw store
 * query, or simulate) throws is always an AinError: anything else reaches the client as sdk/18 with a
 * bare decoder or runtime message, which is a defect of the handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain, type ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AinError } from '../core/index.ts';
import { toValoper } from '../modules/staking/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { openCommittedState, type CommittedState } from '../tree/lmdb/index.ts';
import { AinApplication, STORE_KEY_QUERY } from './application.ts';
import { addGenesisAccount, addGenesisValidator, defaultAppState } from './genesis.ts';

const SIMULATE = '/cosmos.tx.v1beta1.Service/Simulate';
const alice = testKey('fuzz-query-alice');
const valoper = toValoper(alice.address);

/** A request codec as both cosmjs-types and ts-proto generate them. */
interface RequestCodec {
  encode(message: unknown): { finish(): Uint8Array };
  fromPartial(object: unknown): Record<string, unknown>;
}

let dir: string;
let store: CommittedState;
let app: AinApplication;
let routes: string[];
/** Each route's request codec, where the module that defines it follows the SDK's naming. */
const codecs = new Map<string, RequestCodec>();
/** Spies on what answers a query below `app.query`'s catch-all: their throws must be AinErrors. */
let spies: MockInstance[];

/** `/cosmos.bank.v1beta1.Query/Balance` -> cosmjs-types' `QueryBalanceRequest`; `/ain.x.v1.Query/M` -> proto/gen's. */
async function requestCodec(path: string): Promise<RequestCodec | undefined> {
  const match = /^\/([a-z0-9.]+)\.(Query|Service)\/(\w+)$/.exec(path);
  if (!match) return undefined;
  const [, pkg, service, method] = match as unknown as [string, string, string, string];
  const folder = pkg.replaceAll('.', '/');
  const file = service === 'Query' ? 'query' : 'service';
  const source = pkg.startsWith('ain.') ? `../proto/gen/${folder}/${file}.ts` : `cosmjs-types/${folder}/${file}`;
  const module = (await import(/* @vite-ignore */ source).catch(() => ({}))) as Record<string, RequestCodec | undefined>;
  return module[`${service === 'Query' ? 'Query' : ''}${method}Request`];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-fuzz-query-'));
  store = openCommittedState(join(dir, 'app.lmdb'));
  app = new AinApplication(store);
  let genesis = addGenesisAccount(defaultAppState(), alice.address, [{ denom: 'uain', amount: 10_000_000_000n }]);
  genesis = addGenesisValidator(genesis, {
    operator: alice.address,
    consensusPubkeyBase64: Buffer.alloc(32, 7).toString('base64'),
    selfDelegation: { denom: 'uain', amount: 1_000_000_000n },
    moniker: 'fuzz',
    commissionRate: '0.10',
  });
  app.initChain(
    RequestInitChain.fromPartial({ chainId: 'ain-fuzz-1', initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(genesis)) }),
  );
  for (const height of [1n, 2n]) {
    app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height, time: { seconds: 1_700_000_000n + height, nanos: 0 } }));
    app.commit();
  }
  routes = [
    ...app.modules.modules.flatMap((module) => module.queries.map((query) => query.path)),
    '/cosmos.params.v1beta1.Query/Params',
    '/cosmos.params.v1beta1.Query/Subspaces',
    SIMULATE,
  ];
  for (const path of routes) {
    const codec = await requestCodec(path);
    if (codec) codecs.set(path, codec);
  }
  const internals = app as unknown as Record<'simulate' | 'queryStoreKey', () => unknown>;
  spies = [vi.spyOn(app.modules.queryRouter, 'handle'), vi.spyOn(internals, 'simulate'), vi.spyOn(internals, 'queryStoreKey')];
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asks, then checks the answer's shape and that nothing below the catch-all threw a plain Error. */
function ask(path: string, data: Uint8Array, height: bigint, prove: boolean): ResponseQuery {
  for (const spy of spies) spy.mockClear();
  const response = app.query({ path, data, height, prove });
  for (const spy of spies) {
    for (const result of spy.mock.results) {
      if (result.type !== 'throw') continue;
      const error = result.value as Error;
      expect(error, `${path} ${Buffer.from(data).toString('hex')} threw ${error.name}: ${error.message}`).toBeInstanceOf(AinError);
    }
  }
  expect(response.height).toBeGreaterThanOrEqual(0n);
  if (response.code !== 0) {
    expect(response.codespace).not.toBe('');
    expect(response.log).not.toBe('');
  } else {
    expect(response.height).toBeGreaterThan(0n);
  }
  return response;
}

const heights = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, 3n, -1n, 2n ** 63n - 1n) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
);
/** Strings a handler parses: addresses, denoms, numbers, paths, and anything. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(alice.address, valoper, 'uain', 'ibc/ABC', '1', '-1', '0.5', '18446744073709551616', '/apps/x', '/', 'ain1'),
);

/** A random value of the same kind as a codec's default field value; nested messages stay absent. */
function fieldValue(key: string, example: unknown): fc.Arbitrary<unknown> | undefined {
  if (typeof example === 'string') return text;
  if (typeof example === 'bigint') return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.constantFrom(0n, 1n, 100n));
  if (typeof example === 'number') return fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }));
  if (typeof example === 'boolean') return fc.boolean();
  if (example instanceof Uint8Array) return fc.uint8Array({ maxLength: 40 });
  if (key === 'pagination')
    return fc.option(
      fc.record({
        key: fc.uint8Array({ maxLength: 12 }),
        offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        limit: fc.oneof(fc.constantFrom(0n, 1n, 1001n), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n })),
        countTotal: fc.boolean(),
        reverse: fc.boolean(),
      }),
      { nil: undefined },
    );
  return undefined;
}

function requestOf(codec: RequestCodec): fc.Arbitrary<Uint8Array> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, example] of Object.entries(codec.fromPartial({}))) {
    const arbitrary = fieldValue(key, example);
    if (arbitrary) fields[key] = arbitrary;
  }
  return fc.record(fields).map((partial) => codec.encode(codec.fromPartial(partial)).finish());
}

describe('ABCI Query on random input', () => {
  it('knows the request codec of most routes', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(codecs.size).toBeGreaterThan(routes.length * 0.8);
  });

  it('refuses a random path as an unknown request, with its codespace and log', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 16 }), heights, fc.boolean(), (path, data, height, prove) => {
        fc.pre(!routes.includes(path) && path !== STORE_KEY_QUERY);
        const response = ask(path, data, height, prove);
        expect(response.code).not.toBe(0);
        if (height === 0n) {
          expect(`${response.codespace}/${response.code}`).toBe('sdk/6');
          expect(response.log).toBe(`unknown query path "${path}": unknown request`);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('answers random bytes on every route with a value or a classified refusal', () => {
    const route = fc.constantFrom(...routes, STORE_KEY_QUERY);
    fc.assert(
      fc.property(route, fc.uint8Array({ maxLength: 48 }), heights, fc.boolean(), (path, data, height, prove) => {
        ask(path, data, height, prove);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('answers requests built from each route’s codec with random fields with a value or a classified refusal', () => {
    const request = fc.constantFrom(...codecs.keys()).chain((path) => fc.tuple(fc.constant(path), requestOf(codecs.get(path)!)));
    fc.assert(
      fc.property(request, heights, fc.boolean(), ([path, data], height, prove) => {
        ask(path, data, height, prove);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('answers /store/state/key for any UTF-8 or invalid path bytes, and a proof only when asked', () => {
    const pathBytes = fc.oneof(
      fc.string({ unit: 'binary' }).map((s) => new Uint8Array(Buffer.from(s))),
      fc
        .constantFrom('/accounts', `/accounts/${alice.address}/balance/uain`, '', '//', '/apps/')
        .map((s) => new Uint8Array(Buffer.from(s))),
      fc.uint8Array({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(pathBytes, fc.constantFrom(0n, 1n, 2n), fc.boolean(), (data, height, prove) => {
        const response = ask(STORE_KEY_QUERY, data, height, prove);
        if (response.code === 0) expect(response.proofOps !== undefined).toBe(prove);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
