/**
 * Client-side checks of state proofs against app hashes taken from CometBFT block headers.
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { ainError, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import { verifyProof } from '../tree/index.ts';
import type { JsonValue } from './messages.ts';

export interface VerifyStateProofParams {
  /** The app hash of the block header at (query height + 1). */
  readonly appHash: Uint8Array;
  readonly path: string;
  /** The value the proof should show at `path`: a string, number or boolean leaf, or null for "nothing there". */
  readonly value: JsonValue;
  /** The proof bytes (`QueryGetResponse.proof`, or the `ain:state` ProofOp's data). */
  readonly proof: Uint8Array;
}

/**
 * True when `proof` shows that the state whose Merkle root is `appHash` holds `value` at `path`
 * (for `value` null: holds nothing there). A proof covers one leaf: an object value is a subtree,
 * proven leaf by leaf, so it gives false here. Pure and total: anything malformed gives false.
 * @example
 * const appHash = await fetchAppHash(comet, answer.height + 1);
 * verifyStateProof({ appHash, path, value: answer.value, proof: answer.proof }); // true
 */
export function verifyStateProof(params: VerifyStateProofParams): boolean {
  const { appHash, path, value, proof } = params;
  if (value === null) return verifyProof(appHash, path, undefined, proof);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return verifyProof(appHash, path, value, proof);
  return false;
}

/** How long {@link fetchAppHash} waits for a block that is not committed yet. */
export const APP_HASH_WAIT_MS = 30_000;
const POLL_MS = 250;

/**
 * The app hash in the header of block `height`: the state after block `height - 1`, so a query
 * answered at height H is checked against `fetchAppHash(comet, H + 1)`. Waits up to `timeoutMs`
 * (default 30 s) for the block to be committed; throws `sdk/39` after that.
 *
 * This trusts the node for the header. A client that does not trust the node checks the header
 * with a light client (validator signatures) and passes its app hash to {@link verifyStateProof}.
 * @example const appHash = await fetchAppHash(comet, 12);
 */
export async function fetchAppHash(
  comet: Pick<CometClient, 'commit' | 'status'>,
  height: number,
  timeoutMs = APP_HASH_WAIT_MS,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(height) || height < 1) throw ainError(ErrInvalidRequest, `height ${height} must be a positive integer`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latest = (await comet.status()).syncInfo.latestBlockHeight;
    if (latest >= height) return (await comet.commit(height)).header.appHash;
    if (Date.now() > deadline) {
      throw ainError(ErrIO, `block ${height} was not committed within ${timeoutMs / 1000} s (latest ${latest})`, { height, latest });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
