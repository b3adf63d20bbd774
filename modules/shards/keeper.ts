/**
 * `ShardsKeeper`: the only code touching `/shards`. Each message is handed to the file doing its
 * work (branch.ts, reports.ts, proofs.ts, transfers.ts, over records.ts); the reads the queries and
 * relayers need are here. See README.md for the rules.
 */
import { AinError, BASE_DENOM, type Context, moduleAddress, type ReadableState, type StateValue } from '../../core/index.ts';
import type {
  MsgAcknowledge,
  MsgBranch,
  MsgProveValue,
  MsgRecoverLink,
  MsgRecvPacket,
  MsgReport,
  MsgTimeout,
  MsgTransfer,
  MsgUnfreeze,
} from '../../proto/gen/ain/shards/v1/tx.ts';
import { type ConsensusState, type Link as LinkProto, Packet, type Parent, type Shard } from '../../proto/gen/ain/shards/v1/types.ts';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { branch, branchGuard, unfreeze } from './branch.ts';
import { escrowOf, escrowsOf } from './denoms.ts';
import type { BankKeeper, StateKeeper } from './expected_keepers.ts';
import {
  CHILDREN_ROOT,
  escrowPath,
  frozenPath,
  nextSequencePath,
  packetsRoot,
  receiptPath,
  reportsPath,
  valueHeightPath,
  valuePath,
} from './keys.ts';
import { proveValue, verifyOtherState } from './proofs.ts';
import {
  findLink,
  type Link,
  readClient,
  readHeldHeader,
  readParent,
  readShard,
  readValset,
  requireLink,
  SHARDS_MODULE,
} from './records.ts';
import { recoverLink } from './recover.ts';
import { type ReportOutcome, report } from './reports.ts';
import { acknowledge, recvPacket, timeout, transfer } from './transfers.ts';
import { checkOtherPath, parseLeafText } from './msgs.ts';

/** Most shards one query lists; most packets one query lists. */
export const MAX_LISTED = 100;

export class ShardsKeeper {
  /** The module account escrowing this chain's own denoms sent over its links. */
  readonly moduleAddress = moduleAddress(SHARDS_MODULE);

  constructor(
    private readonly bank: BankKeeper,
    private readonly stateKeeper: StateKeeper,
    /** The app's module accounts (filled once every module is created): no transfer pays into one. */
    private readonly moduleAccounts: ReadonlySet<string>,
  ) {
    // Writes under a branched `/apps/<name>` are refused from the block of the branch on.
    stateKeeper.setBranchGuard(branchGuard);
  }

  // ---- messages ----

  branch(ctx: Context, msg: MsgBranch): string {
    return branch(ctx, this.bank, this.stateKeeper, msg);
  }

  report(ctx: Context, msg: MsgReport): ReportOutcome {
    return report(ctx, this.bank, msg.signer, msg);
  }

  proveValue(ctx: Context, msg: MsgProveValue): void {
    proveValue(ctx, msg);
  }

  transfer(ctx: Context, msg: MsgTransfer): bigint {
    return transfer(ctx, this.bank, this.moduleAccounts, msg);
  }

  recvPacket(ctx: Context, msg: MsgRecvPacket): void {
    recvPacket(ctx, this.bank, this.moduleAccounts, msg);
  }

  acknowledge(ctx: Context, msg: MsgAcknowledge): void {
    acknowledge(ctx, msg);
  }

  timeout(ctx: Context, msg: MsgTimeout): void {
    timeout(ctx, this.bank, msg);
  }

  unfreeze(ctx: Context, msg: MsgUnfreeze): void {
    unfreeze(ctx, msg);
  }

  recoverLink(ctx: Context, msg: MsgRecoverLink): bigint {
    return recoverLink(ctx, msg);
  }

  // ---- queries ----

  shard(state: ReadableState, name: string): Shard | undefined {
    return readShard(state, name);
  }

  parent(state: ReadableState): Parent | undefined {
    return readParent(state)?.record;
  }

  /** Child names in name order, at most {@link MAX_LISTED}. */
  shardNames(state: ReadableState): string[] {
    const names = new Set<string>();
    for (const [path] of state.list(CHILDREN_ROOT, 1_000_000)) {
      names.add(path.slice(CHILDREN_ROOT.length + 1).split('/')[0]!);
      if (names.size > MAX_LISTED) break;
    }
    return [...names].slice(0, MAX_LISTED);
  }

  link(state: ReadableState, name: string): Link {
    return requireLink(state, name);
  }

  hasLink(state: ReadableState, name: string): boolean {
    return findLink(state, name) !== undefined;
  }

  /** Where a link stands (the `Link` query record). */
  linkStatus(state: ReadableState, name: string): LinkProto {
    const link = requireLink(state, name);
    const client = readClient(state, link.root);
    const frozen = state.get(frozenPath(link.root));
    const text = (path: string) => {
      const value = state.get(path);
      return typeof value === 'string' ? value : '0';
    };
    return {
      name: link.name,
      chainId: link.chainId,
      latest: client,
      frozen: frozen !== undefined,
      frozenReason: typeof frozen === 'string' ? frozen : '',
      escrow: text(escrowPath(link.root)),
      nextSequence: BigInt(text(nextSequencePath(link.root))) || 1n,
      reports: BigInt(text(reportsPath(link.root))),
      escrows: escrowsOf(state, link.root),
    };
  }

  /** The trusted state a relayer verifies against: the latest header and the next validator set. */
  clientState(state: ReadableState, name: string): { link: Link; latest: ConsensusState; nextValidators: Uint8Array; frozen: boolean } {
    const link = requireLink(state, name);
    const latest = readClient(state, link.root);
    const set = readValset(state, link.root, latest.nextValidatorsHash)!;
    return { link, latest, nextValidators: ValidatorSet.encode(set).finish(), frozen: state.get(frozenPath(link.root)) !== undefined };
  }

  consensusState(state: ReadableState, name: string, height: bigint): ConsensusState | undefined {
    const link = requireLink(state, name);
    return height === 0n ? readClient(state, link.root) : readHeldHeader(state, link.root, height);
  }

  /** A proven value of the other chain: its JSON text ("null": proven absent) and height; undefined if never proven. */
  provenValue(state: ReadableState, name: string, path: string): { value: string; height: bigint } | undefined {
    const link = requireLink(state, name);
    const canonical = checkOtherPath(path);
    const height = state.get(valueHeightPath(link.root, canonical));
    if (typeof height !== 'string') return undefined;
    const value = state.get(valuePath(link.root, canonical));
    return { value: value === undefined ? 'null' : JSON.stringify(value), height: BigInt(height) };
  }

  /** The check of MsgProveValue without storing: `valid`, or the refusal's reason. */
  verifyValue(state: ReadableState, name: string, height: bigint, path: string, valueText: string, proof: Uint8Array) {
    try {
      const link = requireLink(state, name);
      const value = parseLeafText(valueText);
      verifyOtherState(state, link, height, checkOtherPath(path), (value ?? undefined) as StateValue | undefined, proof);
      return { valid: true, reason: '' };
    } catch (error) {
      if (error instanceof AinError) return { valid: false, reason: `${error.codespace}/${error.code}: ${error.message}` };
      throw error;
    }
  }

  /** Packets sent on a link and not settled yet, by sequence (at most {@link MAX_LISTED}). */
  packets(state: ReadableState, name: string): Packet[] {
    const link = requireLink(state, name);
    return state.list(packetsRoot(link.root), MAX_LISTED).map(([, text]) => Packet.fromJSON(JSON.parse(text as string)));
  }

  received(state: ReadableState, name: string, sequence: bigint): boolean {
    return state.get(receiptPath(requireLink(state, name).root, sequence)) !== undefined;
  }

  /** What the module account holds, by denom: at genesis, checked against the links' escrows. */
  escrowBalances(state: ReadableState): Map<string, bigint> {
    return new Map(this.bank.getAllBalances(state, this.moduleAddress).map((coin) => [coin.denom, coin.amount]));
  }

  /** This chain's `denom` (default uain) the module account escrows for a link. */
  escrow(state: ReadableState, name: string, denom = BASE_DENOM): bigint {
    return escrowOf(state, requireLink(state, name).root, denom);
  }
}
