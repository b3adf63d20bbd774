/**
 * One account, one sequence: an executor's roles (function results, job messages) sign with the same
 * key, and two txs signed at once would take the same account sequence and one would be refused
 * (`sdk/32`). `serializeBroadcasts` wraps a client so its broadcasts go out one after the other, each
 * after the previous one is in a block (or has failed).
 */
import type { AinClient } from '../client/index.ts';

/**
 * The same client, with `signAndBroadcast` queued.
 * @example const client = serializeBroadcasts(await connectAin({ rpcUrl, signer }));
 */
export function serializeBroadcasts(client: AinClient): AinClient {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    get address() {
      return client.address;
    },
    chainId: client.chainId,
    rpcUrl: client.rpcUrl,
    cometClient: client.cometClient,
    registry: client.registry,
    ref: (path) => client.ref(path),
    onEvent: (query, callback, options) => client.onEvent(query, callback, options),
    batch: (ops, options) => client.batch(ops, options),
    createApp: (name, config, options) => client.createApp(name, config, options),
    signAndBroadcast: (messages, options) => {
      const sent = tail.then(() => client.signAndBroadcast(messages, options));
      tail = sent.catch(() => undefined);
      return sent;
    },
    simulate: (messages, memo) => client.simulate(messages, memo),
    disconnect: () => client.disconnect(),
  };
}
