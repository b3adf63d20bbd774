/**
 * Proofs of a value, or of its absence, at a path of the state tree, and the pure verifier clients run
 * against an app hash taken from a CometBFT block header (the state after block H is committed to by
 * the `app_hash` of the header of block H + 1; see {@link verifyProof}).
 *
 * A proof lists the branch nodes on the way from the root to the path's slot (`steps`, root first):
 * each step gives the branch's 16-bit child bitmap and the hashes of its children other than the one
 * on the path. The walk ends at the path's slot, which holds
 *  - the path's own leaf (membership: `leaf.keyHash` is the path's key hash),
 *  - another leaf whose key hash shares the slot's prefix (absence), or
 *  - nothing: the last step's bitmap lacks the path's nibble (absence; with no steps, the empty tree).
 * Hashes are defined in `hash.ts`; the key hash of a path is sha256(encodePathKey(path)).
 *
 * JSON form: the `StateProof` object itself (hashes as lower-case hex). Bytes form (`encodeProof`):
 *   0x01 (version) || flags (bit 0: has leaf) || step count
 *   || per step: bitmap (u16 BE) || sibling count (u8) || siblings (32 bytes each)
 *   || if has leaf: keyHash (32) || valueHash (32)
 */
import { ainError } from '../core/index.ts';
import { ErrInvalidProof } from './errors.ts';
import { EMPTY_ROOT, HASH_BYTES, branchHash, bytesEqual, fromHex, leafHash, nibbleAt, popcount16, sha256, toHex } from './hash.ts';
import { encodePathKey, normalizePath } from './path.ts';
import type { StateValue } from '../core/index.ts';
import { valueHash } from './valueCodec.ts';

/** One branch on the way from the root to the path's slot. */
export interface ProofStep {
  /** Which of the 16 children are present (bit n = nibble n). */
  readonly bitmap: number;
  /** Hex hashes of the present children other than the one on the path, in nibble order. */
  readonly siblings: readonly string[];
}

/** The leaf found in the path's slot. */
export interface ProofLeaf {
  readonly keyHash: string;
  readonly valueHash: string;
}

/** A proof of the value, or the absence of a value, at one path. Plain JSON data. */
export interface StateProof {
  readonly steps: readonly ProofStep[];
  readonly leaf?: ProofLeaf;
}

/** Type of the CometBFT ProofOp an ABCI Query carries a state proof in (data = {@link encodeProof}). */
export const PROOF_OP_TYPE = 'ain:state';

const PROOF_VERSION = 1;
const MAX_STEPS = 2 * HASH_BYTES;

/**
 * The key hash of a path: sha256 of its canonical key encoding.
 * @throws AinError store/1-5 for an invalid path
 */
export function pathKeyHash(path: string): Uint8Array {
  return sha256(encodePathKey(normalizePath(path)));
}

/**
 * Checks `proof` that the state with root `appHash` holds `value` at `path` (or, for `value`
 * undefined, holds nothing there). Pure and total: a malformed proof, path or value gives false.
 *
 * Which app hash: a query answered at height H (`ResponseQuery.height`) reads the state after block H
 * was committed, and CometBFT records that state's root in the header of the NEXT block: use the
 * `app_hash` of the header at height H + 1 (`/block?height=H+1` or `/commit?height=H+1`, whose signed
 * header a light client verifies). The header of block H carries the root after block H - 1. So a
 * proof of the latest height verifies only once block H + 1 exists; prove at an older retained height
 * (`height` in the query) to check against a header already signed.
 * @example
 * const { value, proof, height } = await client.getWithProof('/apps/chat/posts/1');
 * const header = (await comet.commit(height + 1)).signedHeader.header;
 * verifyProof(header.appHash, '/apps/chat/posts/1', value, proof); // true
 */
export function verifyProof(appHash: Uint8Array, path: string, value: StateValue | undefined, proof: StateProof | Uint8Array): boolean {
  try {
    const p = proof instanceof Uint8Array ? decodeProof(proof) : proof;
    return verify(appHash, pathKeyHash(path), value === undefined ? undefined : valueHash(value), p);
  } catch {
    return false;
  }
}

function verify(appHash: Uint8Array, key: Uint8Array, vHash: Uint8Array | undefined, proof: StateProof): boolean {
  if (appHash.length !== HASH_BYTES || typeof proof !== 'object' || proof === null || !Array.isArray(proof.steps)) return false;
  const steps = proof.steps;
  const depth = steps.length;
  if (depth > MAX_STEPS) return false;
  let current: Uint8Array | null = null;
  if (proof.leaf !== undefined) {
    const leafKey = hash32(proof.leaf.keyHash);
    const leafValue = hash32(proof.leaf.valueHash);
    if (leafKey === undefined || leafValue === undefined) return false;
    if (vHash !== undefined) {
      if (!bytesEqual(leafKey, key) || !bytesEqual(leafValue, vHash)) return false;
    } else {
      if (bytesEqual(leafKey, key)) return false;
      for (let d = 0; d < depth; d++) if (nibbleAt(leafKey, d) !== nibbleAt(key, d)) return false;
    }
    current = leafHash(leafKey, leafValue);
  } else if (vHash !== undefined) {
    return false;
  }
  for (let d = depth - 1; d >= 0; d--) {
    const step = steps[d];
    if (typeof step !== 'object' || step === null || !Array.isArray(step.siblings)) return false;
    const bitmap = step.bitmap;
    if (!Number.isInteger(bitmap) || bitmap <= 0 || bitmap > 0xffff) return false;
    const nibble = nibbleAt(key, d);
    const onPath = (bitmap >>> nibble) & 1;
    if ((onPath === 1) !== (current !== null)) return false;
    if (step.siblings.length !== popcount16(bitmap) - onPath) return false;
    const children: Uint8Array[] = [];
    let s = 0;
    for (let n = 0; n < 16; n++) {
      if (((bitmap >>> n) & 1) === 0) continue;
      if (n === nibble) {
        children.push(current!);
      } else {
        const sibling = hash32(step.siblings[s++]);
        if (sibling === undefined) return false;
        children.push(sibling);
      }
    }
    current = branchHash(bitmap, children);
  }
  return bytesEqual(current ?? EMPTY_ROOT, appHash);
}

function hash32(hex: unknown): Uint8Array | undefined {
  if (typeof hex !== 'string' || hex.length !== 2 * HASH_BYTES) return undefined;
  return fromHex(hex);
}

/**
 * The bytes form of a proof (see the module comment).
 * @example encodeProof({ steps: [] }) // Uint8Array [1, 0, 0]
 */
export function encodeProof(proof: StateProof): Uint8Array {
  let size = 3 + (proof.leaf ? 2 * HASH_BYTES : 0);
  for (const step of proof.steps) size += 3 + HASH_BYTES * step.siblings.length;
  const out = new Uint8Array(size);
  out[0] = PROOF_VERSION;
  out[1] = proof.leaf ? 1 : 0;
  out[2] = proof.steps.length;
  let o = 3;
  const put = (hex: string) => {
    const bytes = hash32(hex);
    if (bytes === undefined) throw ainError(ErrInvalidProof, 'hash is not 32 bytes of hex');
    out.set(bytes, o);
    o += HASH_BYTES;
  };
  for (const step of proof.steps) {
    out[o++] = step.bitmap >>> 8;
    out[o++] = step.bitmap & 0xff;
    out[o++] = step.siblings.length;
    for (const sibling of step.siblings) put(sibling);
  }
  if (proof.leaf) {
    put(proof.leaf.keyHash);
    put(proof.leaf.valueHash);
  }
  return out;
}

/**
 * A proof from its bytes form.
 * @throws AinError ErrInvalidProof (store/12) when the bytes are not a proof
 */
export function decodeProof(bytes: Uint8Array): StateProof {
  const fail = (why: string) => ainError(ErrInvalidProof, why, { length: bytes.length });
  if (bytes.length < 3 || bytes[0] !== PROOF_VERSION) throw fail('unknown proof version');
  const flags = bytes[1]!;
  const count = bytes[2]!;
  if (flags > 1 || count > MAX_STEPS) throw fail('bad proof header');
  let o = 3;
  const take = () => {
    if (o + HASH_BYTES > bytes.length) throw fail('proof truncated');
    const hex = toHex(bytes.subarray(o, o + HASH_BYTES));
    o += HASH_BYTES;
    return hex;
  };
  const steps: ProofStep[] = [];
  for (let i = 0; i < count; i++) {
    if (o + 3 > bytes.length) throw fail('proof truncated');
    const bitmap = (bytes[o]! << 8) | bytes[o + 1]!;
    const n = bytes[o + 2]!;
    o += 3;
    if (n > 16) throw fail('too many siblings');
    const siblings: string[] = [];
    for (let j = 0; j < n; j++) siblings.push(take());
    steps.push({ bitmap, siblings });
  }
  const proof: StateProof = flags === 1 ? { steps, leaf: { keyHash: take(), valueHash: take() } } : { steps };
  if (o !== bytes.length) throw fail('trailing bytes after proof');
  return proof;
}
