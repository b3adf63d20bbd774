/**
 * What the shards module's exported leaves must be at InitChain. Its records are `ain.shards.v1`
 * messages in proto3 JSON, so each is decoded by its codec and encoded back and must give the same
 * text (as staking checks its records); what the codecs take as free text (amounts, addresses,
 * hashes) is checked besides; each validator set must lie under its hash. Then the links and the
 * money: every link has its record, its trusted state and the validator set that state names; the
 * counts of validator sets match the headers that name them (`checkValsetRefs`); a recovery's
 * height is at most the trusted one; packets (each sent by this chain, so under its id) lie below
 * their link's counter and carry a denom the link sends (this chain's own, or the other chain's
 * voucher); each link's escrow of each denom covers what is in flight of it, and the escrows of each
 * denom add up to the `shards` account's balance of it.
 * Before, a hand-edited leaf was imported and the link's next report, transfer or timeout threw a
 * TypeError, or released another child's escrow.
 */
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { z } from 'zod';
import {
  AinError,
  ainError,
  BASE_DENOM,
  canonicalJson,
  checkLeafKinds,
  ErrInvalidRequest,
  type JsonValue,
  type LeafKind,
  leafShapes,
  parseAddress,
  type SubtreeLeaves,
  validateDenom,
} from '../../core/index.ts';
import { ConsensusState, Packet, Parent, Shard, type TrustParams } from '../../proto/gen/ain/shards/v1/types.ts';
import { denomLabel, escrowPath, labelDenom, PARENT_ROOT, VOUCHER_PREFIX, voucherPrefix } from './keys.ts';
import { validatorSetHash } from './lightclient/index.ts';
import { checkChainId } from './lightclient/validate.ts';
import { checkTrust } from './msgs.ts';
import { hexOf } from './records.ts';
import { setsNamedBy } from './valsetRefs.ts';

const { uint, flag, address } = leafShapes;
const FIELD = 'genesis shards.leaves';
const HASH = /^[0-9A-F]*$/;
const CONSENSUS_FIELDS = ['height', 'timeSeconds', 'headerHash', 'appHash', 'validatorsHash', 'nextValidatorsHash'];
// Every field a registration holds but the accounts, which a branch may leave empty.
const SHARD_FIELDS = [
  'name',
  'path',
  'chainId',
  'genesisHash',
  'genesisTime',
  'validators',
  'trust',
  'consensus',
  'admin',
  'reportFee',
  'creator',
  'parentChainId',
  'branchHeight',
  'account',
  'parentValidators',
  'parentTrust',
];
const PACKET_FIELDS = ['sequence', 'sender', 'receiver', 'denom', 'amount', 'timeoutHeight', 'sourceChainId'];

const SHARDS_LEAVES: readonly LeafKind[] = [
  { path: '/shards/branched/*', schema: flag },
  ...['/shards/children/*', PARENT_ROOT].flatMap((root): LeafKind[] => [
    { path: `${root}/escrow`, schema: uint },
    { path: `${root}/escrows/*`, schema: uint },
    { path: `${root}/out/next`, schema: uint },
    { path: `${root}/in/receipts/*`, schema: flag },
    { path: `${root}/reports`, schema: uint },
    { path: `${root}/valset_refs/*`, schema: uint },
    { path: `${root}/valset_refs_from`, schema: uint },
    { path: `${root}/recovered_from`, schema: uint },
    {
      path: `${root}/frozen`,
      schema: z.strictObject({ height: uint, trusted: z.string().regex(HASH), conflicting: z.string().regex(HASH), reporter: address }),
      record: true,
    },
  ]),
];

const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);

/**
 * The record at `path` decoded by `codec` and encoded back (`extra` fields beside the message's): must
 * be the text, holding each of `required` (fields the keeper never leaves at their default, which the
 * encoding would drop).
 */
function decoded<T>(
  path: string,
  value: unknown,
  codec: { fromJSON(o: unknown): T; toJSON(m: T): unknown },
  required: readonly string[],
  extra: readonly string[] = [],
): T {
  let json: Record<string, unknown> | undefined;
  try {
    json = typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : undefined;
  } catch {}
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw refuse(path, 'must be a record: JSON text');
  for (const field of required) if (!(field in json)) throw refuse(path, `lacks field ${field}`);
  let again: string;
  try {
    const message = codec.fromJSON(json);
    const negative = negativeField(message);
    if (negative !== undefined) throw refuse(path, `has ${negative} negative; expected a non-negative integer`);
    const kept = Object.fromEntries(extra.filter((key) => key in json).map((key) => [key, json[key]]));
    again = canonicalJson({ ...(codec.toJSON(message) as Record<string, JsonValue>), ...(kept as Record<string, JsonValue>) });
    if (again === value) return message;
  } catch (error) {
    if (error instanceof AinError) throw error;
    again = '';
  }
  throw refuse(path, `is not the record the module writes: decoded and encoded again it reads ${again.slice(0, 200) || 'nothing'}`);
}

/** The first field (dotted path) holding a negative integer: the proto's 64-bit fields are unsigned. */
function negativeField(value: unknown, at = ''): string | undefined {
  if ((typeof value === 'bigint' || typeof value === 'number') && value < 0) return at;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = negativeField(item, at === '' ? key : `${at}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function checkAddress(path: string, field: string, text: string): void {
  try {
    parseAddress(text);
  } catch {
    throw refuse(path, `has ${field} ${JSON.stringify(text)}; expected an ain1... address`);
  }
}

function checkUint(path: string, field: string, text: unknown): bigint {
  const parsed = uint.safeParse(text);
  if (!parsed.success) throw refuse(path, `has ${field} ${JSON.stringify(text)}; expected a non-negative integer as a decimal string`);
  return BigInt(parsed.data);
}

/** A verified header (`root`: the client at height 0, only the trust root's time and validators). */
function checkConsensusState(path: string, value: unknown, root: boolean): ConsensusState {
  const state = decoded(path, value, ConsensusState, root ? ['timeSeconds', 'nextValidatorsHash'] : CONSENSUS_FIELDS);
  for (const field of ['headerHash', 'appHash', 'validatorsHash', 'nextValidatorsHash'] as const) {
    if (root && field !== 'nextValidatorsHash') continue;
    if (!/^[0-9A-F]{64}$/.test(state[field]))
      throw refuse(path, `has ${field} ${JSON.stringify(state[field])}; expected 64 upper-case hex digits`);
  }
  return state;
}

/** The fields of a link record the light client and transfers read: the other chain's id and the trust params. */
function checkLinkRecord(path: string, chainId: string, trust: TrustParams | undefined): void {
  checkChainId(chainId, `${FIELD}["${path}"].chainId`);
  checkTrust(trust, `${FIELD}["${path}"].trust`);
}

/** One link's leaves, gathered from the paths under its root. */
interface LinkLeaves {
  readonly root: string;
  readonly kind: 'child' | 'parent';
  record?: string;
  chainId?: string;
  client?: ConsensusState;
  clientText?: string;
  /** The highest header stored: the client is that header. */
  latest?: { height: bigint; path: string; text: string };
  readonly headers: ConsensusState[];
  readonly valsets: Set<string>;
  /** `valset_refs/<hash>`: the counts; `valset_refs_from`: the first height counted. */
  readonly refs: Map<string, bigint>;
  refsFrom?: bigint;
  /** `recovered_from`: the height governance recovered the link at. */
  recoveredFrom?: bigint;
  readonly packets: { path: string; packet: Packet }[];
  /** This chain's denoms escrowed for the link (`escrow`: uain; `escrows/<denom>`: the others). */
  readonly escrows: Map<string, bigint>;
}

/** The link root of a path, and the labels under it. */
function linkOf(path: string): { root: string; kind: 'child' | 'parent'; rest: string[] } | undefined {
  const labels = path.split('/');
  if (labels[2] === 'children' && labels.length > 4) return { root: labels.slice(0, 4).join('/'), kind: 'child', rest: labels.slice(4) };
  if (labels[2] === 'parent' && labels.length > 3) return { root: PARENT_ROOT, kind: 'parent', rest: labels.slice(3) };
  return undefined;
}

/**
 * Checks the shards leaves of a genesis (see the module comment); `escrowBalances` is what the
 * `shards` account holds, by denom; `chainId` this chain's id (InitChain's).
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkShardsLeaves(leaves: SubtreeLeaves, escrowBalances: ReadonlyMap<string, bigint>, chainId: string): void {
  checkLeafKinds(leaves, SHARDS_LEAVES, FIELD);
  const links = new Map<string, LinkLeaves>();
  const escrowSums = new Map<string, bigint>();
  for (const [path, value] of Object.entries(leaves)) {
    const at = linkOf(path);
    if (at === undefined) {
      if (!path.startsWith('/shards/branched/')) throw refuse(path, 'is not a leaf the shards module writes');
      continue;
    }
    const link = links.get(at.root) ?? {
      root: at.root,
      kind: at.kind,
      headers: [],
      valsets: new Set<string>(),
      refs: new Map<string, bigint>(),
      packets: [],
      escrows: new Map<string, bigint>(),
    };
    links.set(at.root, link);
    const [head, label, ...more] = at.rest;
    const leaf = more.length > 0 ? undefined : label;
    if (head === 'shard' && label === undefined && at.kind === 'child') {
      const shard = decoded(path, value, Shard, SHARD_FIELDS);
      checkLinkRecord(path, shard.chainId, shard.trust);
      if (shard.name !== at.root.split('/')[3]) throw refuse(path, `has name ${shard.name}; expected ${at.root.split('/')[3]}`);
      for (const field of ['admin', 'creator', 'account'] as const) checkAddress(path, field, shard[field]);
      checkUint(path, 'reportFee', shard.reportFee);
      link.record = path;
      link.chainId = shard.chainId;
    } else if (head === 'parent' && label === undefined && at.kind === 'parent') {
      const parent = decoded(path, value, Parent, ['chainId', 'name', 'trust', 'admin', 'reportFee'], ['admin', 'reportFee']);
      checkLinkRecord(path, parent.chainId, parent.trust);
      const json = JSON.parse(value as string) as { admin?: string; reportFee?: string; chainId: string };
      checkAddress(path, 'admin', json.admin ?? '');
      checkUint(path, 'reportFee', json.reportFee);
      link.record = path;
      link.chainId = json.chainId;
    } else if (head === 'client' && label === undefined) {
      link.client = checkConsensusState(path, value, true);
      if (link.client.height > 0n) checkConsensusState(path, value, false);
      link.clientText = value as string;
    } else if (head === 'headers' && leaf !== undefined) {
      const header = checkConsensusState(path, value, false);
      if (header.height.toString().padStart(20, '0') !== leaf) throw refuse(path, `has height ${header.height}; expected ${BigInt(leaf)}`);
      if (link.latest === undefined || link.latest.height < header.height)
        link.latest = { height: header.height, path, text: value as string };
      link.headers.push(header);
    } else if (head === 'valsets' && leaf !== undefined) {
      let set: ValidatorSet | undefined;
      try {
        set = ValidatorSet.decode(fromBase64(value as string));
      } catch {}
      if (set === undefined || toBase64(ValidatorSet.encode(set).finish()) !== value)
        throw refuse(path, 'must be a validator set: base64 of tendermint.types.ValidatorSet');
      // The keeper looks a set up by the hash a header names: under another label it would verify headers against the wrong set.
      const hash = hexOf(validatorSetHash(set.validators));
      if (hash !== leaf) throw refuse(path, `holds a validator set hashing to ${hash}; expected its label ${leaf}`);
      link.valsets.add(leaf);
    } else if (head === 'valset_refs' && leaf !== undefined) link.refs.set(leaf, BigInt(value as string));
    else if (head === 'valset_refs_from' && label === undefined) link.refsFrom = BigInt(value as string);
    else if (head === 'recovered_from' && label === undefined) link.recoveredFrom = BigInt(value as string);
    else if (head === 'out' && label === 'packets' && more.length === 1) {
      const packet = decoded(path, value, Packet, PACKET_FIELDS);
      checkChainId(packet.sourceChainId, `${FIELD}["${path}"].sourceChainId`);
      // Only this chain sends what lies under out/: the other side proves it under this chain's id, and refuses another.
      if (packet.sourceChainId !== chainId)
        throw refuse(path, `has sourceChainId ${packet.sourceChainId}; expected ${chainId}, the id of this chain, which sent it`);
      if (packet.sequence.toString().padStart(20, '0') !== more[0])
        throw refuse(path, `has sequence ${packet.sequence}; expected ${BigInt(more[0]!)}`);
      checkAddress(path, 'sender', packet.sender);
      checkAddress(path, 'receiver', packet.receiver);
      checkUint(path, 'amount', packet.amount);
      link.packets.push({ path, packet });
    } else if ((head === 'escrow' && label === undefined) || (head === 'escrows' && leaf !== undefined)) {
      const denom = head === 'escrow' ? BASE_DENOM : escrowDenom(path, leaf!);
      const amount = BigInt(value as string);
      link.escrows.set(denom, amount);
      escrowSums.set(denom, (escrowSums.get(denom) ?? 0n) + amount);
    } else if (head === 'value_heights') checkUint(path, 'its value', value);
    else if (!['values', 'frozen', 'reports', 'in', 'out'].includes(head!)) throw refuse(path, 'is not a leaf the shards module writes');
  }
  for (const link of links.values()) checkLink(leaves, link);
  const denoms = [...new Set([...escrowBalances.keys(), ...escrowSums.keys()])].sort();
  for (const denom of denoms) {
    const held = escrowBalances.get(denom) ?? 0n;
    const escrowed = escrowSums.get(denom) ?? 0n;
    if (held !== escrowed)
      throw ainError(
        ErrInvalidRequest,
        `${FIELD}: the shards account holds ${held}${denom}; the links' escrows of ${denom} add up to ${escrowed}${denom}`,
      );
  }
}

/** The denom of an `escrows/<label>` leaf: one of this chain's own other than uain (which keeps `escrow`), labelled as the keeper labels it. */
function escrowDenom(path: string, label: string): string {
  const denom = labelDenom(label);
  let valid = denomLabel(denom) === label;
  try {
    validateDenom(denom);
  } catch {
    valid = false;
  }
  if (!valid) throw refuse(path, `is labelled ${label}; expected a denom with each / written %2F`);
  if (denom === BASE_DENOM) throw refuse(path, `escrows ${BASE_DENOM}, which the keeper keeps under escrow`);
  if (denom.startsWith(VOUCHER_PREFIX)) throw refuse(path, `escrows the voucher ${denom}; only this chain's own denoms are escrowed`);
  return denom;
}

/** A link's record, trusted state, packets and escrow, as the keeper reads them together. */
function checkLink(leaves: SubtreeLeaves, link: LinkLeaves): void {
  const recordPath = `${link.root}/${link.kind === 'child' ? 'shard' : 'parent'}`;
  if (link.record === undefined) throw ainError(ErrInvalidRequest, `${FIELD} lacks "${recordPath}", the record of the link ${link.root}`);
  if (link.client === undefined) throw ainError(ErrInvalidRequest, `${FIELD} lacks "${link.root}/client", the trusted state of the link`);
  if (!link.valsets.has(link.client.nextValidatorsHash))
    throw ainError(
      ErrInvalidRequest,
      `${FIELD} lacks "${link.root}/valsets/${link.client.nextValidatorsHash}", the validator set "${link.root}/client" trusts`,
    );
  // The keeper writes each verified header twice: at its height and as the client.
  if (link.latest === undefined ? link.client.height !== 0n : link.clientText !== link.latest.text)
    throw refuse(
      `${link.root}/client`,
      link.latest === undefined ? 'is a verified header, but no header is stored' : `is not the latest header "${link.latest.path}"`,
    );
  // A recovery stores its header as the client: later reports only raise the client above it.
  if (link.recoveredFrom !== undefined && (link.recoveredFrom < 1n || link.recoveredFrom > link.client.height))
    throw refuse(
      `${link.root}/recovered_from`,
      `is ${link.recoveredFrom}; expected a height from 1 to the trusted height ${link.client.height}`,
    );
  checkValsetRefs(link);
  const nextPath = `${link.root}/out/next`;
  const next = BigInt((leaves[nextPath] as string | undefined) ?? '1') || 1n;
  // A link sends this chain's own denoms out of escrow and burns the other chain's vouchers.
  const home = voucherPrefix(link.chainId!);
  const inFlight = new Map<string, bigint>();
  for (const { path, packet } of link.packets) {
    if (packet.sequence >= next) throw refuse(nextPath, `is ${next}; expected above the sequence of ${path}, or it would be sent again`);
    if (packet.denom.startsWith(home)) continue;
    if (packet.denom.startsWith(VOUCHER_PREFIX))
      throw refuse(path, `has denom ${packet.denom}; this link sends this chain's own denoms and ${link.chainId}'s vouchers (${home}...)`);
    inFlight.set(packet.denom, (inFlight.get(packet.denom) ?? 0n) + BigInt(packet.amount));
  }
  for (const [denom, amount] of inFlight) {
    const escrow = link.escrows.get(denom) ?? 0n;
    if (escrow < amount)
      throw refuse(escrowPath(link.root, denom), `is ${escrow}; the packets in flight to ${link.chainId} hold ${amount}${denom}`);
  }
}

/**
 * The counts of a link's validator sets (`valsetRefs.ts`): from the first height counted (at most the
 * trusted height), each set a counted header names has a count equal to how many counted headers
 * name it, and every count is of such a set, held under its hash. A wrong count would let pruning
 * delete a set a header still names, or keep one forever.
 */
function checkValsetRefs(link: LinkLeaves): void {
  const fromPath = `${link.root}/valset_refs_from`;
  if (link.refsFrom === undefined) {
    const [hash] = link.refs.keys();
    if (hash !== undefined)
      throw refuse(`${link.root}/valset_refs/${hash}`, `is a count, but "${fromPath}" (the first height counted) is absent`);
    return;
  }
  if (link.refsFrom < 1n || link.refsFrom > link.client!.height)
    throw refuse(fromPath, `is ${link.refsFrom}; expected a height from 1 to the trusted height ${link.client!.height}`);
  const expected = new Map<string, bigint>();
  for (const header of link.headers) {
    if (header.height < link.refsFrom) continue;
    for (const hash of setsNamedBy(header)) expected.set(hash, (expected.get(hash) ?? 0n) + 1n);
  }
  for (const [hash, count] of link.refs) {
    const path = `${link.root}/valset_refs/${hash}`;
    if (!link.valsets.has(hash)) throw refuse(path, `counts the validator set "${link.root}/valsets/${hash}", which is absent`);
    const named = expected.get(hash) ?? 0n;
    if (named === 0n) throw refuse(path, `is ${count}; no header from height ${link.refsFrom} names the set (a count is deleted at zero)`);
    if (count !== named) throw refuse(path, `is ${count}; expected ${named}, the headers from height ${link.refsFrom} naming the set`);
  }
  for (const [hash, named] of expected) {
    if (!link.refs.has(hash))
      throw ainError(
        ErrInvalidRequest,
        `${FIELD} lacks "${link.root}/valset_refs/${hash}": ${named} header(s) from height ${link.refsFrom} name the set`,
      );
  }
}
