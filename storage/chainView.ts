/**
 * What a storage node asks the chain: may this reader read this owner's copy of a blob now (the
 * storage module's `CanRead`, at the node's clock), and how many bytes an uploader has reserved with
 * this node and until when (`Reservations`). Answers about reservations are cached for a few
 * seconds, so a burst of uploads costs one query; read decisions are never cached, so a revoked
 * grant takes effect at the next block.
 */
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { AinError } from '../core/index.ts';
import { queryCanRead, queryReservations } from '../client/index.ts';
import { ErrStorageChainUnavailable } from './errors.ts';

export interface ReadVerdict {
  readonly allowed: boolean;
  readonly reason: string;
}

export interface Reserved {
  /** Bytes of the uploader's active reservations with this node. */
  readonly bytes: number;
  /** The latest end among them (Unix seconds; 0: none). */
  readonly end: number;
}

export interface ChainView {
  canRead(hash: string, owner: string, reader: string, timeSeconds: number): Promise<ReadVerdict>;
  /** `fresh`: skip the cache (an upload the cached answer does not cover asks again). */
  reserved(client: string, provider: string, fresh?: boolean): Promise<Reserved>;
}

const RESERVATIONS_CACHE_MS = 2000;

/**
 * The chain as seen through a node's RPC (`http://127.0.0.1:26657`).
 * @example const chain = chainView('http://127.0.0.1:26657'); await chain.canRead(hash, owner, reader, Date.now() / 1000);
 */
export function chainView(rpcUrl: string): ChainView {
  let comet: Promise<CometClient> | undefined;
  const cache = new Map<string, { at: number; value: Reserved }>();
  const client = async (): Promise<CometClient> => {
    comet ??= connectComet(rpcUrl).catch((error: unknown) => {
      comet = undefined;
      throw error;
    });
    return comet;
  };
  const unavailable = (what: string) => (cause: unknown) => {
    throw new AinError(ErrStorageChainUnavailable, `${what} at ${rpcUrl} failed (${(cause as Error).message})`, {}, cause);
  };
  return {
    async canRead(hash, owner, reader, timeSeconds) {
      const answer = await client()
        .then((c) => queryCanRead(c, hash, owner, reader, BigInt(Math.floor(timeSeconds))))
        .catch(unavailable('the access check'));
      return { allowed: answer.allowed, reason: answer.reason };
    },
    async reserved(address, provider, fresh = false) {
      const key = `${address}/${provider}`;
      const hit = cache.get(key);
      if (hit && !fresh && Date.now() - hit.at < RESERVATIONS_CACHE_MS) return hit.value;
      const answer = await client()
        .then((c) => queryReservations(c, address, provider))
        .catch(unavailable('the reservation check'));
      const value = {
        bytes: Number(answer.reservedBytes),
        end: answer.reservations.reduce((max, r) => Math.max(max, Number(r.end)), 0),
      };
      cache.set(key, { at: Date.now(), value });
      return value;
    },
  };
}
