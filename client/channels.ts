/**
 * Paying for HTTP-triggered functions: the channels module's query (`queryChannel`), a payer's
 * voucher counter (`VoucherWallet`) and one paid call over HTTP (`callHttpFunction`); the messages
 * are in `channelsMessages.ts`. A payer opens a channel with a deposit for one executor, then sends
 * with each call a voucher for the cumulative amount so far; the executor redeems the latest on chain.
 */
import { ainError, AinError, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import { signVoucher } from '../modules/channels/index.ts';
import { QueryChannelRequest, QueryChannelResponse } from '../proto/gen/ain/channels/v1/query.ts';
import type { Channel } from '../proto/gen/ain/channels/v1/types.ts';
import { abciQueryOrThrow, decodeAnswer, type StateQuerier } from './queryState.ts';

/**
 * A channel by id (throws `QueryError` channels/2 when there is none).
 * @example const { channel, height } = await queryChannel(client.cometClient, 1n);
 */
export async function queryChannel(comet: StateQuerier, channelId: bigint): Promise<{ channel: Channel; height: number }> {
  const response = await abciQueryOrThrow(comet, '/ain.channels.v1.Query/Channel', QueryChannelRequest.encode({ channelId }).finish());
  const { channel } = decodeAnswer(QueryChannelResponse.decode, response.value, '/ain.channels.v1.Query/Channel');
  if (!channel) throw ainError(ErrIO, `the node answered channel ${channelId} without a channel`);
  return { channel, height: response.height ?? 0 };
}

/** A voucher as it travels in the `ain-voucher` header (JSON; amounts and ids as decimal text). */
export interface VoucherJson {
  readonly channel_id: string;
  readonly amount: string;
  readonly nonce: string;
  /** base64 of the 64-byte signature. */
  readonly signature: string;
}

/** The header a paid HTTP call carries its voucher in. */
export const VOUCHER_HEADER = 'ain-voucher';

/**
 * The payer's side of one channel: each `next(price)` signs a voucher for the total so far plus
 * `price`, with the next nonce. Keep one per channel (the amounts are cumulative).
 * @example
 * const wallet = new VoucherWallet(privkey, chainId, 1n);
 * const v1 = wallet.next(10n); // amount 10, nonce 1
 * const v2 = wallet.next(10n); // amount 20, nonce 2
 */
export class VoucherWallet {
  private amount: bigint;
  private nonce: bigint;

  constructor(
    private readonly privkey: Uint8Array,
    readonly chainId: string,
    readonly channelId: bigint,
    /** What earlier vouchers of the channel reached (to continue a channel). */
    from: { readonly amount: bigint; readonly nonce: bigint } = { amount: 0n, nonce: 0n },
  ) {
    this.amount = from.amount;
    this.nonce = from.nonce;
  }

  /** The cumulative amount signed so far. */
  get spent(): bigint {
    return this.amount;
  }

  next(price: bigint): VoucherJson {
    if (price < 0n) throw ainError(ErrInvalidRequest, `price ${price} must not be negative`);
    this.amount += price;
    this.nonce += 1n;
    return this.sign(this.amount, this.nonce);
  }

  /** A voucher for any terms (e.g. to try a replay or a forgery in tests); the wallet's counters do not move. */
  sign(amount: bigint, nonce: bigint): VoucherJson {
    const signature = signVoucher(this.privkey, { chainId: this.chainId, channelId: this.channelId, amount, nonce });
    return {
      channel_id: this.channelId.toString(),
      amount: amount.toString(),
      nonce: nonce.toString(),
      signature: Buffer.from(signature).toString('base64'),
    };
  }
}

/** What a paid call answered. */
export interface HttpCallResult {
  /** HTTP status: 200 with the function's output; 402 a refused voucher; 4xx/5xx otherwise. */
  readonly status: number;
  /** The function's output (JSON) when status is 200. */
  readonly output?: unknown;
  /** For a refusal: the codespace/code and message the executor gave. */
  readonly error?: { readonly codespace: string; readonly code: number; readonly message: string };
}

/**
 * Calls an HTTP-triggered function on an executor's gateway with a voucher. A 503 means nothing ran and
 * the voucher was not kept: send the same voucher again (a `next` one would pay twice).
 * @example
 * const answer = await callHttpFunction('http://127.0.0.1:8080', 'POST', '/apps/chat/ask', { q: 'hi' }, wallet.next(10n));
 * answer.output; // what the function printed
 */
export async function callHttpFunction(
  gatewayUrl: string,
  method: 'GET' | 'POST',
  path: string,
  input: unknown,
  voucher: VoucherJson,
  timeoutMs = 30_000,
): Promise<HttpCallResult> {
  const url = `${gatewayUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { [VOUCHER_HEADER]: JSON.stringify(voucher), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: JSON.stringify(input ?? null) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new AinError(ErrIO, `HTTP function ${method} ${url} failed: ${(cause as Error).message}`, {}, cause);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw ainError(ErrIO, `HTTP function ${method} ${url} answered ${response.status} with something that is not JSON`);
  }
  if (response.status === 200) return { status: 200, output: body['output'] };
  const error = body['error'] as { codespace?: unknown; code?: unknown; message?: unknown } | undefined;
  return {
    status: response.status,
    error: { codespace: String(error?.codespace ?? ''), code: Number(error?.code ?? 0), message: String(error?.message ?? text) },
  };
}
