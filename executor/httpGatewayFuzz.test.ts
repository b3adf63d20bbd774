/**
 * Property tests of the executor's HTTP gateway: random function paths, methods, bodies and
 * `ain-voucher` headers (malformed JSON, missing fields, out-of-range numbers, other channels, chains
 * and signers). A refused call answers its documented status with `{error: {codespace, code, message}}`,
 * takes no voucher (the VoucherBook is unchanged) and runs nothing; an accepted one runs once and
 * records a voucher the chain can redeem (ids and nonces within uint64).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOUCHER_HEADER } from '../client/index.ts';
import { pubkeyToAddress } from '../core/index.ts';
import { signVoucher } from '../modules/channels/index.ts';
import { QueryChannelRequest, QueryChannelResponse } from '../proto/gen/ain/channels/v1/query.ts';
import { ChannelStatus } from '../proto/gen/ain/channels/v1/types.ts';
import { HttpGateway } from './httpGateway.ts';
import { selfRecord } from './serving.ts';

const payerKey = new Uint8Array(32).fill(7);
const payerPubkey = secp256k1.getPublicKey(payerKey, true);
const strangerKey = new Uint8Array(32).fill(8);
const executor = pubkeyToAddress(secp256k1.getPublicKey(new Uint8Array(32).fill(9), true));
const CHAIN = 'ain-fuzz-1';
const PRICE = 10n;
const DEPOSIT = 1_000_000n;
const UINT64_MAX = 2n ** 64n - 1n;
const now = () => BigInt(Math.floor(Date.now() / 1000));

/** Channels 1..4: open and ours, closed, another executor's, expiring in a moment; others are not found. */
/** The one runtime this executor runs. */
const NODE = { name: 'node', kind: 'node', version: '20.20.2', packages: [], cuda: false };

const cometClient = {
  abciQuery: async ({ data }: { data: Uint8Array }) => {
    const { channelId } = QueryChannelRequest.decode(data);
    if (channelId < 1n || channelId > 4n)
      return { code: 2, codespace: 'channels', log: `no channel ${channelId}`, value: new Uint8Array(), height: 5 };
    const channel = {
      id: channelId,
      payer: pubkeyToAddress(payerPubkey),
      payerPubkey,
      executor: channelId === 3n ? pubkeyToAddress(payerPubkey) : executor,
      deposit: DEPOSIT.toString(),
      redeemed: '0',
      nonce: 0n,
      expiresAt: channelId === 4n ? now() + 5n : now() + 86_400n,
      status: channelId === 2n ? ChannelStatus.CHANNEL_STATUS_CLOSED : ChannelStatus.CHANNEL_STATUS_OPEN,
    };
    return { code: 0, value: QueryChannelResponse.encode({ channel }).finish(), height: 5 };
  },
};

let runs = 0;
const gateway = new HttpGateway({
  port: 0,
  rpcUrl: 'http://127.0.0.1:1',
  client: { cometClient, chainId: CHAIN, address: executor } as never,
  codes: { get: async () => new TextEncoder().encode('') } as never,
  slots: {
    busy: false,
    run: async () => {
      runs++;
      return { ok: true, output: 3 };
    },
  } as never,
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
    code_hash: 'ab'.repeat(32),
    resources: { cpu: 1, memory_mb: 64, gpus: 0, gpu_memory_mb: 0 },
    http: { method: 'POST', path: '/sum', price: PRICE.toString() },
  } as never,
});
const server = createServer((request, response) => void gateway['handle'](request, response));
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The book as the redeemer would see it. */
const bookState = () => gateway.book.unredeemed().map((v) => `${v.channelId}:${v.amount}:${v.nonce}`);

const NEXT_VOUCHER = 'next voucher';

/** The payer's next good voucher on channel 1: the price above the latest accepted, the nonce after it. */
function nextVoucher(): string {
  const latest = gateway.book.unredeemed()[0];
  const amount = (latest ? BigInt(latest.amount) : 0n) + PRICE;
  const nonce = (latest?.nonce ?? 0n) + 1n;
  const signature = Buffer.from(signVoucher(payerKey, { chainId: CHAIN, channelId: 1n, amount, nonce })).toString('base64');
  return JSON.stringify({ channel_id: '1', amount: amount.toString(), nonce: nonce.toString(), signature });
}

/** Text that is a decimal, near a bound, or not a number at all. */
const numberText = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 100n }).map(String),
  fc.constantFrom('0', '1', '2', '3', '4', '5', '-1', '01', '1.0', '1e3', ' 1', '', 'abc', (2n ** 64n).toString(), UINT64_MAX.toString()),
  fc.constantFrom((2n ** 64n + 1n).toString(), '9'.repeat(30), '9'.repeat(31)),
);

/** A voucher signed by `key` over `chain`, or with its numbers and signature as given. */
const voucherHeader = fc.oneof(
  // The next voucher a wallet would send (filled in by the property from the book).
  fc.constant(NEXT_VOUCHER),
  // Signed, with random numbers: most are refused (stale, over budget, unknown channel), some accepted.
  fc
    .record({
      channel: numberText,
      amount: numberText,
      nonce: numberText,
      key: fc.constantFrom(payerKey, payerKey, strangerKey),
      chain: fc.constantFrom(CHAIN, CHAIN, 'ain-other-1'),
    })
    .map(({ channel, amount, nonce, key, chain }) => {
      let signature = '';
      try {
        signature = Buffer.from(
          signVoucher(key, { chainId: chain, channelId: BigInt(channel), amount: BigInt(amount), nonce: BigInt(nonce) }),
        ).toString('base64');
      } catch {
        signature = Buffer.alloc(64, 1).toString('base64'); // numbers BigInt refuses: any signature
      }
      return JSON.stringify({ channel_id: channel, amount, nonce, signature });
    }),
  fc.json({ maxDepth: 2 }),
  fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '?')),
  fc
    .record(
      { channel_id: fc.anything(), amount: fc.anything(), nonce: fc.anything(), signature: fc.oneof(fc.string(), fc.base64String()) },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value) ?? ''),
);

const path = fc.oneof(
  fc.constant('/apps/calc/sum'),
  fc.constantFrom('/apps/calc/sum/', '/apps/calc/SUM', '/apps/calc', '/apps//sum', '/', '/apps/calc/sum%00', '/apps/%2e%2e/calc/sum'),
  fc.string({ maxLength: 40 }).map((text) => `/apps/${encodeURIComponent(text)}`),
);

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer of either shape
  readonly json: any;
}

async function call(method: string, url: string, voucher: string | undefined, body: string | undefined): Promise<Answer> {
  const headers: Record<string, string> = voucher === undefined ? {} : { [VOUCHER_HEADER]: voucher };
  const response = await fetch(`${base}${url}`, { method, headers, ...(body === undefined ? {} : { body }) });
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, json: JSON.parse(await response.text()) };
}

describe('HTTP gateway under random input', () => {
  it('a refused call has its documented status and error, takes no voucher and runs nothing', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
        path,
        fc.option(voucherHeader, { nil: undefined, freq: 8 }),
        fc.oneof(fc.constant('{"a":1,"b":2}'), fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 })),
        async (method, url, voucher, body) => {
          const before = bookState();
          const runsBefore = runs;
          const header = voucher === NEXT_VOUCHER ? nextVoucher() : voucher;
          const answer = await call(method, url, header, method === 'GET' ? undefined : body);
          const what = `${method} ${url} ${header} ${body}: ${answer.status} ${JSON.stringify(answer.json)}`;
          if (answer.status === 200) {
            // Accepted: it ran once, and the voucher it took is one the chain can redeem.
            expect(runs, what).toBe(runsBefore + 1);
            const { channel_id, amount, nonce } = answer.json.paid as { channel_id: string; amount: string; nonce: string };
            expect(BigInt(channel_id), what).toBe(1n);
            expect(BigInt(nonce) <= UINT64_MAX, what).toBe(true);
            expect(BigInt(amount) <= DEPOSIT, what).toBe(true);
            expect(bookState(), what).toEqual([`1:${amount}:${nonce}`]);
            accepted++;
            return;
          }
          expect([400, 402, 404], what).toContain(answer.status);
          expect(answer.json, what).toEqual({
            error: { codespace: expect.any(String), code: expect.any(Number), message: expect.any(String) },
          });
          if (answer.status === 402) expect(['executor', 'channels'], what).toContain(answer.json.error.codespace);
          expect(bookState(), what).toEqual(before);
          expect(runs, what).toBe(runsBefore);
        },
      ),
      { seed: 42, numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(0); // the valid path was exercised too
  });
});
