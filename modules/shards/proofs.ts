/**
 * Proving the other chain's state on this one: a leaf (or its absence) of its state tree at a state
 * height H, checked with the state tree's Merkle proof (`tree/proof.ts`) against the app hash of the
 * reported header H + 1 (CometBFT puts the root of the state after block H in header H + 1). A proven
 * leaf is stored under the link's `values` subtree with its height, where queries and write rules
 * (`getChildValue`) read it; a later proof replaces it, an older one is refused.
 */
import { fromHex } from '@cosmjs/encoding';
import { type AinError, ainError, type BlockContext, type StateValue } from '../../core/index.ts';
import type { MsgProveValue } from '../../proto/gen/ain/shards/v1/tx.ts';
import { verifyProof } from '../../tree/index.ts';
import { ErrFrozen, ErrInvalidProof, ErrNoConsensusState, ErrStaleProof } from './errors.ts';
import { valueProvenEvent } from './events.ts';
import { headersRoot, valueHeightPath, valuePath } from './keys.ts';
import { checkOtherPath, parseLeafText } from './msgs.ts';
import { isFrozen, type Link, readClient, readHeldHeader, recoveredFrom, requireLink } from './records.ts';
import type { ReadableState } from '../../core/index.ts';

/** Gas per proof byte verified (hashing the path to the root). */
export const PROOF_GAS_PER_BYTE = 10;

/**
 * Checks that the other chain held `value` (undefined: nothing) at `path` after its block `height`.
 * @throws shards/6 a frozen link, /10 no header height + 1 held (not reported, pruned, skipped, or superseded by a
 *   recovery), /11 a proof that does not verify
 */
export function verifyOtherState(
  state: ReadableState,
  link: Link,
  height: bigint,
  path: string,
  value: StateValue | undefined,
  proof: Uint8Array,
): void {
  if (isFrozen(state, link)) throw ainError(ErrFrozen, `shard ${link.name} is frozen; its admin must unfreeze it`, { shard: link.name });
  const header = readHeldHeader(state, link.root, height + 1n);
  if (!header) throw missingHeader(state, link, height + 1n);
  if (!verifyProof(fromHex(header.appHash), path, value, proof)) {
    throw ainError(
      ErrInvalidProof,
      `the proof does not show ${value === undefined ? 'nothing' : JSON.stringify(value)} at ${path} under app hash ${header.appHash} (${link.chainId} header ${height + 1n})`,
      { path, height: height.toString() },
    );
  }
}

/**
 * shards/10 for a header `wanted` not held, saying why: not reported yet, superseded by a governance
 * recovery, below the oldest held (expired headers are pruned), or skipped over; and at which state
 * heights a proof can be checked instead.
 */
function missingHeader(state: ReadableState, link: Link, wanted: bigint): AinError {
  const about = `header ${wanted} of ${link.chainId} (its app hash commits to state height ${wanted - 1n})`;
  const fields = { height: wanted.toString() };
  const latest = readClient(state, link.root).height;
  if (wanted > latest) return ainError(ErrNoConsensusState, `no reported ${about}; report it first`, fields);
  const [oldestPath] = state.list(headersRoot(link.root), 1)[0]!;
  const recovered = recoveredFrom(state, link.root);
  const stored = BigInt(oldestPath.slice(oldestPath.lastIndexOf('/') + 1));
  const oldest = stored > recovered ? stored : recovered;
  const instead = `prove at a state height from ${oldest - 1n} to ${latest - 1n} whose next header is held, such as ${latest - 1n}`;
  if (wanted < recovered) {
    return ainError(
      ErrNoConsensusState,
      `${about} is superseded: governance recovered the link at header ${recovered}, and headers below it are no longer trusted; ${instead}`,
      fields,
    );
  }
  if (wanted < oldest) {
    return ainError(
      ErrNoConsensusState,
      `${about} is not held: it is below the oldest header held, ${oldest} (headers are pruned once past the trusting period of ${link.params.trustingPeriodSeconds} s); ${instead}`,
      fields,
    );
  }
  return ainError(ErrNoConsensusState, `${about} is not held: the link skipped over it; ${instead}`, fields);
}

/** MsgProveValue: verifies and stores a proven leaf of the other chain. */
export function proveValue(ctx: BlockContext, msg: MsgProveValue): void {
  const link = requireLink(ctx.state, msg.shard);
  const path = checkOtherPath(msg.path);
  const value = parseLeafText(msg.value);
  ctx.gas.consume(PROOF_GAS_PER_BYTE * msg.proof.length, 'state proof');
  verifyOtherState(ctx.state, link, msg.height, path, value ?? undefined, msg.proof);
  const heightPath = valueHeightPath(link.root, path);
  const known = ctx.state.get(heightPath);
  if (typeof known === 'string' && BigInt(known) > msg.height) {
    throw ainError(ErrStaleProof, `${path} is proven at height ${known} already; expected a proof at or after it`, { path });
  }
  // A leaf where a subtree was proven before (or the reverse) replaces it: the other chain's tree is one or the other.
  for (const [below] of ctx.state.list(valuePath(link.root, path), 1_001)) ctx.state.set(below, null);
  ctx.state.set(valuePath(link.root, path), value);
  ctx.state.set(heightPath, msg.height.toString());
  ctx.events.emit(valueProvenEvent({ shard: link.name, height: msg.height, path, value: msg.value }));
}
