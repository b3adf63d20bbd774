/**
 * The records the shards module keeps and the one view of a link its files share. Records are the
 * `ain.shards.v1` messages in their proto3 JSON form (bytes base64, 64-bit integers as text) written
 * as canonical JSON, so the queries return what is stored and every node writes the same bytes.
 * A `Link` is what every message needs of a shard: where its subtree is, which chain it follows and
 * with which light client parameters, who may unfreeze it, and where the other chain keeps its side.
 */
import { fromBase64, fromHex, toBase64, toHex } from '@cosmjs/encoding';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError, canonicalJson, type JsonValue, moduleAddress, type ReadableState, type WritableState } from '../../core/index.ts';
import { ConsensusState, Packet, Parent, Shard, type TrustParams } from '../../proto/gen/ain/shards/v1/types.ts';
import { ErrInvalidShardsMsg, ErrShardNotFound } from './errors.ts';
import {
  CHILDREN_ROOT,
  childRoot,
  clientPath,
  frozenPath,
  headerPath,
  PARENT_LINK,
  PARENT_ROOT,
  parentRecordPath,
  recoveredFromPath,
  shardPath,
  valsetPath,
} from './keys.ts';
import type { LightClientParams, TrustedState } from './lightclient/index.ts';

/** The module's name: its module account (`shards`) escrows the parent's uain sent to children. */
export const SHARDS_MODULE = 'shards';

/** Writes a proto message as canonical JSON text of its proto3 JSON form. */
export function writeMessage<T>(state: WritableState, path: string, codec: { toJSON(m: T): unknown }, message: T): void {
  state.set(path, canonicalJson(codec.toJSON(message) as JsonValue));
}

/** Reads a proto message stored by {@link writeMessage}, or undefined. */
export function readMessage<T>(state: ReadableState, path: string, codec: { fromJSON(o: unknown): T }): T | undefined {
  const text = state.get(path);
  return typeof text === 'string' ? codec.fromJSON(JSON.parse(text)) : undefined;
}

/** A packet's commitment: the text the source stores and the destination proves. */
export const packetCommitment = (packet: Packet): string => canonicalJson(Packet.toJSON(packet) as JsonValue);

/** Upper-case hex, as CometBFT prints hashes. */
export const hexOf = (bytes: Uint8Array): string => toHex(bytes).toUpperCase();

export function lightClientParams(trust: TrustParams): LightClientParams {
  return {
    trustingPeriodSeconds: trust.trustingPeriodSeconds,
    trustLevel: { numerator: trust.trustNumerator, denominator: trust.trustDenominator },
    maxClockDriftSeconds: trust.maxClockDriftSeconds,
  };
}

/** The address of a link's fee account: anyone may fund it; it pays relayers per accepted report. */
export const feeAccountOf = (linkName: string): string => moduleAddress(`${SHARDS_MODULE}/${linkName}`);

/** One side of a link between two chains (see the module comment). */
export interface Link {
  /** The shard's name on a parent; `parent` on a child. */
  readonly name: string;
  readonly kind: 'child' | 'parent';
  /** The link's subtree on this chain. */
  readonly root: string;
  /** The other chain's id. */
  readonly chainId: string;
  readonly params: LightClientParams;
  /** Who may unfreeze the link. */
  readonly admin: string;
  /** uain paid per accepted report from {@link feeAccount}. */
  readonly reportFee: bigint;
  readonly feeAccount: string;
  /** Where the other chain keeps its side of this link (its packets and receipts). */
  readonly counterpartyRoot: string;
}

/** The link named `name` (a child's name, or `parent`). @throws shards/2 */
export function requireLink(state: ReadableState, name: string): Link {
  const link = findLink(state, name);
  if (!link) {
    throw ainError(ErrShardNotFound, name === PARENT_LINK ? 'this chain has no parent' : `no shard ${name}`, { shard: name });
  }
  return link;
}

export function findLink(state: ReadableState, name: string): Link | undefined {
  if (name === PARENT_LINK) {
    const parent = readParent(state);
    if (!parent) return undefined;
    return {
      name,
      kind: 'parent',
      root: PARENT_ROOT,
      chainId: parent.record.chainId,
      params: lightClientParams(parent.record.trust!),
      admin: parent.admin,
      reportFee: parent.reportFee,
      feeAccount: feeAccountOf(PARENT_LINK),
      // The parent keeps this child's side under its name.
      counterpartyRoot: childRoot(parent.record.name),
    };
  }
  const shard = readShard(state, name);
  if (!shard) return undefined;
  return {
    name,
    kind: 'child',
    root: childRoot(name),
    chainId: shard.chainId,
    params: lightClientParams(shard.trust!),
    admin: shard.admin,
    reportFee: BigInt(shard.reportFee || '0'),
    feeAccount: shard.account,
    counterpartyRoot: PARENT_ROOT,
  };
}

/**
 * The links of this chain, other than `except`, that follow the chain `chainId` (`parent`, child
 * names): the parent's record, then one seek per registered child (children are few). Several
 * shards may follow one chain (a branch checks only that the id is not this chain's own).
 */
export function otherLinksTo(state: ReadableState, chainId: string, except: string): string[] {
  const found: string[] = [];
  if (except !== PARENT_LINK && readParent(state)?.record.chainId === chainId) found.push(PARENT_LINK);
  let from: string | undefined;
  for (;;) {
    const [first] = state.list(CHILDREN_ROOT, 1, from);
    if (first === undefined) return found;
    const name = first[0].slice(CHILDREN_ROOT.length + 1).split('/')[0]!;
    if (name !== except && readShard(state, name)?.chainId === chainId) found.push(name);
    // Shard names are [a-z0-9_]: no name sorts between `name` (with every path under it) and `name0`.
    from = `${childRoot(name)}0`;
  }
}

export function readShard(state: ReadableState, name: string): Shard | undefined {
  if (!/^[a-z_][a-z0-9_]{0,63}$/.test(name))
    throw ainError(ErrInvalidShardsMsg, `shard ${JSON.stringify(name.slice(0, 80))} is not a shard name`);
  return readMessage(state, shardPath(childRoot(name)), Shard);
}

/** The parent link's record on a child: the `Parent` message plus who may unfreeze it and the report fee. */
export interface ParentRecord {
  readonly record: Parent;
  readonly admin: string;
  readonly reportFee: bigint;
}

export function readParent(state: ReadableState): ParentRecord | undefined {
  const text = state.get(parentRecordPath(PARENT_ROOT));
  if (typeof text !== 'string') return undefined;
  const json = JSON.parse(text) as { admin?: string; reportFee?: string };
  return { record: Parent.fromJSON(json), admin: json.admin ?? '', reportFee: BigInt(json.reportFee ?? '0') };
}

export function writeParent(state: WritableState, parent: ParentRecord): void {
  const json = {
    ...(Parent.toJSON(parent.record) as Record<string, JsonValue>),
    admin: parent.admin,
    reportFee: parent.reportFee.toString(),
  };
  state.set(parentRecordPath(PARENT_ROOT), canonicalJson(json));
}

// ---- trusted state, headers and validator sets ----

export function readValset(state: ReadableState, root: string, hashHex: string): ValidatorSet | undefined {
  const text = state.get(valsetPath(root, hashHex));
  return typeof text === 'string' ? ValidatorSet.decode(fromBase64(text)) : undefined;
}

export function writeValset(state: WritableState, root: string, hashHex: string, set: ValidatorSet): void {
  if (state.get(valsetPath(root, hashHex)) !== undefined) return;
  state.set(valsetPath(root, hashHex), toBase64(ValidatorSet.encode(set).finish()));
}

/** The latest verified header (height 0: none yet, only the trust root's time and validators). */
export function readClient(state: ReadableState, root: string): ConsensusState {
  const client = readMessage(state, clientPath(root), ConsensusState);
  if (!client) throw new Error(`link ${root} has no client state`);
  return client;
}

export function readHeader(state: ReadableState, root: string, height: bigint): ConsensusState | undefined {
  return readMessage(state, headerPath(root, height), ConsensusState);
}

/** The height governance last recovered the link at (MsgRecoverLink); 0 if never. Headers below it are superseded. */
export function recoveredFrom(state: ReadableState, root: string): bigint {
  const text = state.get(recoveredFromPath(root));
  return typeof text === 'string' ? BigInt(text) : 0n;
}

/**
 * A stored header the link may still use (for proofs and as misbehaviour's reference): not one a
 * governance recovery superseded, which stays stored only until reports prune it.
 */
export function readHeldHeader(state: ReadableState, root: string, height: bigint): ConsensusState | undefined {
  return height < recoveredFrom(state, root) ? undefined : readHeader(state, root, height);
}

/** The trusted state the light client updates from (height >= 1 only). */
export function trustedStateOf(state: ReadableState, link: Link, client: ConsensusState): TrustedState {
  const nextValidators = readValset(state, link.root, client.nextValidatorsHash);
  if (!nextValidators) throw new Error(`link ${link.root} lacks its trusted validator set ${client.nextValidatorsHash}`);
  return {
    chainId: link.chainId,
    height: client.height,
    time: { seconds: client.timeSeconds, nanos: client.timeNanos },
    headerHash: fromHex(client.headerHash),
    nextValidatorsHash: fromHex(client.nextValidatorsHash),
    nextValidators,
  };
}

export function isFrozen(state: ReadableState, link: Link): boolean {
  return state.get(frozenPath(link.root)) !== undefined;
}
