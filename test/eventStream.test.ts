/**
 * The executor's event stream on a real node: CometBFT allows a websocket client 5 subscriptions by
 * default (`[rpc] max_subscriptions_per_client`), and an executor may need more (a worker and evaluator
 * subscribe 6 queries). The stream spreads them over connections, so all of them hear their events and
 * none is refused into a reconnect loop.
 */
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { EventStream, SUBSCRIPTIONS_PER_CONNECTION, type Subscriber } from '../executor/events.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

let node: TestNode;
let client: AinClient;

beforeAll(async () => {
  node = await startTestNode({ accounts: 2 });
  client = await connectAin({
    rpcUrl: node.rpcUrl,
    signer: await DirectSecp256k1Wallet.fromKey(node.accounts[0]!.privkey, ADDRESS_PREFIX),
    broadcastPollIntervalMs: 200,
  });
}, 120_000);

afterAll(async () => {
  client?.disconnect();
  await node?.stop();
});

describe('EventStream', () => {
  it('hears a send on 7 subscriptions over 2 connections, none refused', async () => {
    const [from, to] = [node.accounts[0]!.address, node.accounts[1]!.address];
    const queries = [
      `message.sender='${from}'`,
      `transfer.sender='${from}'`,
      `transfer.recipient='${to}'`,
      `coin_spent.spender='${from}'`,
      `coin_received.receiver='${to}'`,
      `message.action='/cosmos.bank.v1beta1.MsgSend'`,
      `tx.fee_payer='${from}'`,
    ].map((condition) => `tm.event='Tx' AND ${condition}`);
    const heard = new Set<number>();
    const log: string[] = [];
    const subscribers = queries.map(
      (query, i): Subscriber =>
        ({ comet }, lost) =>
          comet.subscribeTx(query).subscribe({
            next: () => heard.add(i),
            error: (error: unknown) => lost(`subscription error: ${String(error)}`),
            complete: () => lost('subscription ended'),
          }),
    );
    const stream = new EventStream({
      rpcUrl: node.rpcUrl,
      label: 'for the test',
      log: (line) => log.push(line),
      onReconnect: () => {},
      subscribe: () => subscribers,
    });
    stream.start();
    try {
      expect(stream.connections).toBe(Math.ceil(queries.length / SUBSCRIPTIONS_PER_CONNECTION));
      await until('subscribed', async () => (log.some((line) => line.startsWith('subscribed to')) ? true : undefined), 30_000);
      await client.signAndBroadcast([
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: from, toAddress: to, amount: [{ denom: 'uain', amount: '1000' }] },
        },
      ]);
      await until(
        `all ${queries.length} subscriptions heard the send`,
        async () => (heard.size === queries.length ? true : undefined),
        30_000,
      );
      expect(log.filter((line) => line.includes('reconnecting'))).toEqual([]);
    } finally {
      stream.stop();
    }
  });
});
