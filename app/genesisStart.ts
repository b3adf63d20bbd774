/**
 * Where a chain starts: the chain id, first height and genesis time that InitChain hands every
 * module's genesis, read from the RequestInitChain CometBFT sends or from the genesis document it
 * sends it for. InitChain and every `aind genesis` check build their GenesisContext here, so a check
 * that reads the height or the time (an upgrade plan below the first height) judges a genesis file
 * as the chain will.
 */
import type { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import {
  ainError,
  ErrInvalidChainID,
  ErrInvalidRequest,
  EventCollector,
  GasMeter,
  type GenesisContext,
  type WritableState,
} from '../core/index.ts';

/** The header fields of a chain's genesis, as the modules' genesis sees them. */
export interface GenesisStart {
  readonly chainId: string;
  /** The first block's height (`initial_height`; 1 when unset). */
  readonly height: bigint;
  /** `genesis_time` in whole seconds since epoch (the protobuf Timestamp's seconds). */
  readonly blockTimeSeconds: bigint;
}

const MAX_INT64 = 2n ** 63n - 1n;
// RFC 3339 as CometBFT writes genesis_time (Go's RFC3339Nano): fractions up to nanoseconds, Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** What InitChain's request says. */
export function genesisStartOfRequest(request: Pick<RequestInitChain, 'chainId' | 'initialHeight' | 'time'>): GenesisStart {
  return { chainId: request.chainId, height: request.initialHeight, blockTimeSeconds: request.time?.seconds ?? 0n };
}

/**
 * What InitChain will get for a genesis document: CometBFT sends its `chain_id`, its `initial_height`
 * (0 or absent: 1) and its `genesis_time`. Refuses (`sdk/18`, `sdk/28`) a document CometBFT would not
 * start, naming the field: no chain id, a height that is not a whole number from 0 to 2^63-1, a time
 * that is not RFC 3339, or Go's zero time (CometBFT would put the time it reads the file there).
 * @example genesisStartOfDoc({ chain_id: 'ain-1', initial_height: '1000', genesis_time: '2030-01-01T00:00:00Z' })
 *   // { chainId: 'ain-1', height: 1000n, blockTimeSeconds: 1893456000n }
 */
export function genesisStartOfDoc(doc: { chain_id?: unknown; initial_height?: unknown; genesis_time?: unknown }): GenesisStart {
  if (typeof doc.chain_id !== 'string' || doc.chain_id === '')
    throw ainError(ErrInvalidChainID, 'genesis chain_id must be a non-empty string', { field: 'chain_id' });
  return { chainId: doc.chain_id, height: initialHeight(doc.initial_height), blockTimeSeconds: genesisTimeSeconds(doc.genesis_time) };
}

function initialHeight(value: unknown): bigint {
  if (value === undefined) return 1n;
  const height = typeof value === 'string' && /^[0-9]{1,19}$/.test(value) ? BigInt(value) : -1n;
  if (height < 0n || height > MAX_INT64)
    throw ainError(
      ErrInvalidRequest,
      `genesis initial_height ${JSON.stringify(value)} must be a whole number from 0 to ${MAX_INT64} as decimal text`,
      { field: 'initial_height' },
    );
  return height === 0n ? 1n : height;
}

function genesisTimeSeconds(value: unknown): bigint {
  const millis = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(millis))
    throw ainError(ErrInvalidRequest, `genesis genesis_time ${JSON.stringify(value)} must be an RFC 3339 time`, { field: 'genesis_time' });
  const seconds = BigInt(Math.floor(millis / 1000));
  if (seconds === GO_ZERO_TIME_SECONDS)
    throw ainError(
      ErrInvalidRequest,
      `genesis genesis_time ${value} is unset (Go's zero time); CometBFT would start the chain at the time it reads the file`,
      { field: 'genesis_time' },
    );
  return seconds;
}

/** 0001-01-01T00:00:00Z in seconds since epoch. */
const GO_ZERO_TIME_SECONDS = -62_135_596_800n;

/** The context a module's genesis runs in: `state`, unmetered, at the chain's start. */
export function genesisContext(state: WritableState, start: GenesisStart): GenesisContext {
  return {
    state,
    gas: new GasMeter(0),
    events: new EventCollector(),
    height: start.height,
    blockTimeSeconds: start.blockTimeSeconds,
    chainId: start.chainId,
  };
}
