/** `HttpGateway`: a call that cannot run answers before its voucher is taken. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, describe, expect, it } from 'vitest';
import { VOUCHER_HEADER, VoucherWallet } from '../client/index.ts';
import { ainError, pubkeyToAddress } from '../core/index.ts';
import { QueryChannelResponse } from '../proto/gen/ain/channels/v1/query.ts';
import { ChannelStatus } from '../proto/gen/ain/channels/v1/types.ts';
import { ErrStorageNotFound } from '../storage/index.ts';
import { HttpGateway } from './httpGateway.ts';
import { selfRecord } from './serving.ts';

const payerKey = secp256k1.utils.randomSecretKey();
const payerPubkey = secp256k1.getPublicKey(payerKey, true);
const executor = pubkeyToAddress(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
const CHAIN = 'ain-test-1';
const HASH = 'ab'.repeat(32);

/** The one runtime this executor runs. */
const NODE = { name: 'node', kind: 'node', version: '20.20.2', packages: [], cuda: false };

const cometClient = {
  abciQuery: async () => {
    const channel = {
      id: 1n,
      payer: pubkeyToAddress(payerPubkey),
      payerPubkey,
      executor,
      deposit: '1000',
      redeemed: '0',
      nonce: 0n,
      expiresAt: BigInt(Math.floor(Date.now() / 1000)) + 86_400n,
      status: ChannelStatus.CHANNEL_STATUS_OPEN,
    };
    return { code: 0, value: QueryChannelResponse.encode({ channel }).finish(), height: 5 };
  },
};

/** A gateway serving POST /apps/calc/sum at 10 uain a call, with its code and slots as given, on a machine of 1024 MiB. */
function gatewayWith(codes: { get(hash: string): Promise<Uint8Array> }, run: () => Promise<unknown>, memoryMb = 64): HttpGateway {
  const gateway = new HttpGateway({
    port: 0,
    rpcUrl: 'http://127.0.0.1:1',
    client: { cometClient, chainId: CHAIN, address: executor } as never,
    codes: codes as never,
    slots: { busy: false, run } as never,
    isolation: {} as never,
    self: selfRecord({ address: executor, runtimeInfo: [NODE], cpus: 1, memoryMb: 1024, gpus: [], price: '0' }),
    timeoutMs: 1000,
    defaultMemoryMb: 64,
    maxOutputBytes: 1024,
    log: () => {},
  });
  gateway['routes'].set('POST /apps/calc/sum', {
    pattern: '/apps/calc/sum',
    config: {
      function_type: 'OFFCHAIN',
      function_id: 'sum_http',
      runtime: 'node',
      code_hash: HASH,
      resources: { cpu: 1, memory_mb: memoryMb, gpus: 0, gpu_memory_mb: 0 },
      http: { method: 'POST', path: '/sum', price: '10' },
    } as never,
  });
  return gateway;
}

// The function's code is gone from Big Storage (its TTL ran out).
const codeless = gatewayWith(
  {
    get: async (hash: string) => {
      throw ainError(ErrStorageNotFound, `no blob ${hash}`);
    },
  },
  async () => ({ ok: true, output: 3 }),
);
// The code is there, but the first run cannot start (the sandbox fails before the program runs).
let starts = 0;
const unstartable = gatewayWith({ get: async () => new TextEncoder().encode('') }, async () => {
  starts++;
  if (starts === 1) throw new Error('cannot create the run cgroup');
  return { ok: true, output: 3 };
});
// The function asks for more memory than the machine has.
let runs = 0;
const tooBig = gatewayWith(
  { get: async () => new TextEncoder().encode('') },
  async () => {
    runs++;
    return { ok: true, output: 3 };
  },
  4096,
);
let gateway = codeless;
const server = createServer((request, response) => void gateway['handle'](request, response));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = async (voucher: unknown) => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}/apps/calc/sum`, {
    method: 'POST',
    body: '{"a":1,"b":2}',
    headers: { [VOUCHER_HEADER]: JSON.stringify(voucher) },
  });
};

describe('HttpGateway', () => {
  it('answers 503 without taking the voucher when the function code cannot be fetched', async () => {
    gateway = codeless;
    const response = await call(new VoucherWallet(payerKey, CHAIN, 1n).next(10n));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { codespace: string; code: number } }).error).toMatchObject({
      codespace: 'storage',
      code: 7,
    });
    // Nothing ran, so nothing is owed: the voucher stays the caller's to spend on the next call.
    expect(codeless.book.unredeemed()).toEqual([]);
  });

  it('refuses a function asking for more memory than the machine has, before its voucher is taken or a sandbox starts', async () => {
    gateway = tooBig;
    const response = await call(new VoucherWallet(payerKey, CHAIN, 1n).next(10n));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: unknown }).error).toEqual({
      codespace: 'executor',
      code: 9,
      message: '/apps/calc/sum: this executor cannot run it: 1024 MiB of memory, the function needs 4096: no HTTP function here',
    });
    expect(runs).toBe(0);
    expect(tooBig.book.unredeemed()).toEqual([]);
  });

  it('gives the voucher back when the run cannot start, so the same voucher pays the retry', async () => {
    gateway = unstartable;
    const voucher = new VoucherWallet(payerKey, CHAIN, 1n).next(10n);
    const refused = await call(voucher);
    expect(refused.status).toBe(503);
    expect(unstartable.book.unredeemed()).toEqual([]);
    const retried = await call(voucher);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ output: 3, paid: { channel_id: '1', amount: '10', nonce: '1' } });
    expect(unstartable.book.unredeemed().map((v) => [v.channelId, v.amount, v.nonce])).toEqual([[1n, '10', 1n]]);
  });
});
