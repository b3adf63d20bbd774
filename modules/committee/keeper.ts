/**
 * The only code touching `/committee` and `/params/committee`: the developer committee governance
 * sets (members with weights, a threshold), the developer fund (the module account `committee`), and
 * the committee's proposals. A proposal runs its messages as the committee account the moment its yes
 * weight reaches the threshold (in the vote's tx, or the propose's when the proposer's weight is
 * enough), all or none; one left below the threshold expires at the end of the block its voting period
 * ends in. Governance changing the committee closes every open proposal. See README.md.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  AinError,
  ainError,
  type BlockContext,
  type Coin,
  type Context,
  encodeRecord,
  EventCollector,
  formatCoins,
  type Page,
  type PageRequest,
  paginateRange,
  type ReadableState,
  readRecord,
  type WritableState,
} from '../../core/index.ts';
import { ProposalStatus, type Proposal as ProposalProto } from '../../proto/gen/ain/committee/v1/types.ts';
import { Overlay } from '../../tree/index.ts';
import { ErrInvalidCommitteeMsg, ErrNotMember, ErrProposalNotFound, ErrProposalNotOpen } from './errors.ts';
import { committeeUpdatedEvent, fundedEvent, proposalEndedEvent, proposalSubmittedEvent, proposalVoteEvent } from './events.ts';
import type { BankKeeper, MsgRouter } from './expected_keepers.ts';
import { MAX_MEMBERS, MEMBERS_ROOT, memberPath, NEXT_PROPOSAL_ID_PATH, OPEN_ROOT, openPath, proposalPath, THRESHOLD_PATH } from './keys.ts';
import { type CommitteeSet, committeeAddress } from './msgs.ts';
import { type CommitteeParams, readCommitteeParams, writeCommitteeParams } from './params.ts';

export { ProposalStatus };

/** Most open proposals one end of block expires; the rest wait for the next block. */
export const MAX_EXPIRED_PER_BLOCK = 50;
/** Most open proposals a committee change closes (far above what a committee keeps open). */
const MAX_OPEN = 100_000;

/** A committee proposal as stored (canonical JSON at `/committee/proposals/<id>`); times are block-time seconds. */
export interface ProposalRecord {
  readonly id: bigint;
  readonly proposer: string;
  /** The messages, as Any with base64 values. */
  readonly messages: ReadonlyArray<{ readonly typeUrl: string; readonly value: string }>;
  readonly summary: string;
  readonly status: ProposalStatus;
  readonly submitTime: bigint;
  readonly votingEndTime: bigint;
  /** Votes in voter order. */
  readonly votes: ReadonlyArray<{ readonly voter: string; readonly yes: boolean }>;
  readonly yesWeight: bigint;
  readonly noWeight: bigint;
  readonly failedReason: string;
}

const BIGINTS: ReadonlySet<string> = new Set(['id', 'submitTime', 'votingEndTime', 'yesWeight', 'noWeight']);
const STATUS_NAMES: Readonly<Record<number, string>> = {
  [ProposalStatus.PROPOSAL_STATUS_EXECUTED]: 'executed',
  [ProposalStatus.PROPOSAL_STATUS_FAILED]: 'failed',
  [ProposalStatus.PROPOSAL_STATUS_EXPIRED]: 'expired',
  [ProposalStatus.PROPOSAL_STATUS_CLOSED]: 'closed',
};

export class CommitteeKeeper {
  /** The module account: the developer fund, and the signer proposals' messages run as. */
  readonly moduleAddress = committeeAddress();

  constructor(
    private readonly bank: BankKeeper,
    /** The app's message router, known once every module is created. */
    private readonly router: () => MsgRouter,
  ) {}

  // ------------------------------------------------------------------------------------------
  // Committee, params, fund

  /** The committee (members by address), or undefined while governance has set none. */
  committee(state: ReadableState): CommitteeSet | undefined {
    const threshold = state.get(THRESHOLD_PATH);
    if (typeof threshold !== 'string') return undefined;
    const members = state
      .list(MEMBERS_ROOT, MAX_MEMBERS + 1)
      .map(([path, weight]) => ({ address: path.slice(MEMBERS_ROOT.length + 1), weight: BigInt(String(weight)) }));
    return { members, threshold: BigInt(threshold) };
  }

  /** A member's weight; 0 for anyone else. */
  weightOf(state: ReadableState, address: string): bigint {
    if (address.length === 0 || address.includes('/')) return 0n;
    const weight = state.get(memberPath(address));
    return typeof weight === 'string' ? BigInt(weight) : 0n;
  }

  /**
   * Replaces the committee (a MsgUpdateCommittee passed by governance, or genesis) and closes every
   * open proposal: votes weighed under the old members and threshold count for nothing under the new.
   * Returns the ids it closed.
   */
  setCommittee(ctx: Pick<BlockContext, 'state' | 'events'>, committee: CommitteeSet): bigint[] {
    for (const [path] of ctx.state.list(MEMBERS_ROOT, MAX_MEMBERS + 1)) ctx.state.set(path, null);
    for (const m of committee.members) ctx.state.set(memberPath(m.address), m.weight.toString());
    ctx.state.set(THRESHOLD_PATH, committee.threshold.toString());
    const closed: bigint[] = [];
    for (const [path] of ctx.state.list(OPEN_ROOT, MAX_OPEN)) {
      const id = BigInt(path.slice(path.lastIndexOf('/') + 1));
      ctx.state.set(path, null);
      this.end(ctx, this.requireProposal(ctx.state, id), ProposalStatus.PROPOSAL_STATUS_CLOSED, 'the committee was changed by governance');
      closed.push(id);
    }
    ctx.events.emit(committeeUpdatedEvent({ members: committee.members.map((m) => m.address), threshold: committee.threshold, closed }));
    return closed;
  }

  params(state: ReadableState): CommitteeParams {
    return readCommitteeParams(state);
  }

  setParams(state: WritableState, params: CommitteeParams): void {
    writeCommitteeParams(state, params);
  }

  /** Moves coins from `sender` into the developer fund. @throws AinError sdk/5 insufficient funds */
  fund(ctx: Context, sender: string, coins: readonly Coin[]): void {
    this.bank.sendCoins(ctx, sender, this.moduleAddress, coins);
    ctx.events.emit(fundedEvent({ sender, amount: formatCoins(coins) }));
  }

  /** The developer fund's balances. */
  fundBalances(state: ReadableState): Coin[] {
    return this.bank.getAllBalances(state, this.moduleAddress);
  }

  // ------------------------------------------------------------------------------------------
  // Proposals

  getProposal(state: ReadableState, id: bigint): ProposalRecord | undefined {
    return readRecord<ProposalRecord>(state, proposalPath(id), BIGINTS);
  }

  /** @throws AinError committee/5 naming the id */
  requireProposal(state: ReadableState, id: bigint): ProposalRecord {
    const proposal = this.getProposal(state, id);
    if (!proposal) throw ainError(ErrProposalNotFound, `proposal_id ${id} doesn't exist`, { field: 'proposal_id' });
    return proposal;
  }

  /** One page of the proposals in id order (all are kept after they end). */
  proposalsPage(state: ReadableState, page: PageRequest | undefined): Page<ProposalRecord> {
    const ids = paginateRange(1n, this.nextId(state), page);
    return { items: ids.items.map((id) => this.requireProposal(state, id)), pagination: ids.pagination };
  }

  private nextId(state: ReadableState): bigint {
    const text = state.get(NEXT_PROPOSAL_ID_PATH);
    return typeof text === 'string' ? BigInt(text) : 1n;
  }

  private requireMember(state: ReadableState, address: string, field: string): bigint {
    const weight = this.weightOf(state, address);
    if (weight === 0n) throw ainError(ErrNotMember, `${field} ${address} is not a member of the committee`, { field });
    return weight;
  }

  /**
   * A member's proposal, with the proposer's yes vote. Each message must be one the committee may
   * run (checked statelessly), route and pass its own checks, and be signed by the committee account
   * alone. Executes at once when the proposer's weight reaches the threshold.
   * @throws AinError committee/3 not a member, committee/2 a message failing its own checks or signed by another
   */
  propose(ctx: Context, proposer: string, messages: readonly Any[], summary: string): { id: bigint; status: ProposalStatus } {
    this.requireMember(ctx.state, proposer, 'proposer');
    messages.forEach((any, i) => {
      let signers: string[];
      try {
        const routed = this.router().route(any, i);
        signers = routed.handler.signers(routed.msg);
      } catch (error) {
        if (!(error instanceof AinError)) throw error;
        throw ainError(ErrInvalidCommitteeMsg, `messages[${i}] (${any.typeUrl}): ${error.message}`, { field: `messages[${i}]` });
      }
      if (signers.length !== 1 || signers[0] !== this.moduleAddress)
        throw ainError(ErrInvalidCommitteeMsg, `messages[${i}] is signed by ${signers.join(', ')}; expected ${this.moduleAddress}`, {
          field: `messages[${i}]`,
        });
    });
    const id = this.nextId(ctx.state);
    ctx.state.set(NEXT_PROPOSAL_ID_PATH, (id + 1n).toString());
    const votingEndTime = ctx.blockTimeSeconds + this.params(ctx.state).votingPeriod;
    const record: ProposalRecord = {
      id,
      proposer,
      messages: messages.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value).toString('base64') })),
      summary,
      status: ProposalStatus.PROPOSAL_STATUS_OPEN,
      submitTime: ctx.blockTimeSeconds,
      votingEndTime,
      votes: [],
      yesWeight: 0n,
      noWeight: 0n,
      failedReason: '',
    };
    ctx.state.set(openPath(votingEndTime, id), true);
    ctx.events.emit(proposalSubmittedEvent({ proposalId: id, proposer, messageTypes: messages.map((m) => m.typeUrl) }));
    return { id, status: this.castVote(ctx, record, proposer, true) };
  }

  /**
   * A member's yes or no on an open proposal (replacing an earlier vote); the proposal executes when
   * its yes weight reaches the threshold.
   * @throws AinError committee/3 not a member, committee/5 unknown, committee/6 not open or past its voting end
   */
  vote(ctx: Context, voter: string, id: bigint, yes: boolean): ProposalStatus {
    this.requireMember(ctx.state, voter, 'voter');
    const proposal = this.requireProposal(ctx.state, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_OPEN || ctx.blockTimeSeconds >= proposal.votingEndTime)
      throw ainError(ErrProposalNotOpen, `proposal_id ${id} is not open for votes (status ${proposal.status})`, { field: 'proposal_id' });
    return this.castVote(ctx, proposal, voter, yes);
  }

  private castVote(ctx: Context, proposal: ProposalRecord, voter: string, yes: boolean): ProposalStatus {
    const votes = [...proposal.votes.filter((v) => v.voter !== voter), { voter, yes }].sort((a, b) => (a.voter < b.voter ? -1 : 1));
    let yesWeight = 0n;
    let noWeight = 0n;
    for (const v of votes) {
      const weight = this.weightOf(ctx.state, v.voter);
      if (v.yes) yesWeight += weight;
      else noWeight += weight;
    }
    const next: ProposalRecord = { ...proposal, votes, yesWeight, noWeight };
    ctx.events.emit(proposalVoteEvent({ proposalId: proposal.id, voter, yes }));
    const threshold = this.committee(ctx.state)?.threshold ?? 0n;
    if (threshold === 0n || yesWeight < threshold) {
      this.write(ctx.state, next);
      return next.status;
    }
    ctx.state.set(openPath(proposal.votingEndTime, proposal.id), null);
    const failure = this.execute(ctx, next);
    const status = failure === undefined ? ProposalStatus.PROPOSAL_STATUS_EXECUTED : ProposalStatus.PROPOSAL_STATUS_FAILED;
    this.end(ctx, next, status, failure ?? '');
    return status;
  }

  /**
   * Runs a proposal's messages in order as the committee account on a branch of the state: all of
   * them apply, or (one failing) none does. Returns why it failed, undefined on success.
   */
  private execute(ctx: Context, proposal: ProposalRecord): string | undefined {
    const branch = new Overlay(ctx.state);
    const events = new EventCollector();
    const context: Context = { ...ctx, state: branch, events };
    try {
      proposal.messages.forEach((m, i) => {
        const routed = this.router().route({ typeUrl: m.typeUrl, value: new Uint8Array(Buffer.from(m.value, 'base64')) }, i);
        routed.handler.handle(context, routed.msg);
      });
    } catch (error) {
      if (!(error instanceof AinError)) throw error;
      return `${error.codespace}/${error.code}: ${error.message}`;
    }
    for (const [path, write] of branch.writes()) ctx.state.set(path, write);
    ctx.events.append(events.events);
    return undefined;
  }

  private end(ctx: Pick<BlockContext, 'state' | 'events'>, proposal: ProposalRecord, status: ProposalStatus, reason: string): void {
    this.write(ctx.state, { ...proposal, status, failedReason: status === ProposalStatus.PROPOSAL_STATUS_FAILED ? reason : '' });
    ctx.events.emit(proposalEndedEvent({ proposalId: proposal.id, status: STATUS_NAMES[status] ?? String(status), reason }));
  }

  /** Expires open proposals whose voting period ended (in voting-end order, at most 50 a block). */
  endBlock(ctx: BlockContext): void {
    for (const [path] of ctx.state.list(OPEN_ROOT, MAX_EXPIRED_PER_BLOCK)) {
      const [end, id] = path.slice(OPEN_ROOT.length + 1).split('/');
      if (BigInt(end!) > ctx.blockTimeSeconds) break;
      ctx.state.set(path, null);
      this.end(
        ctx,
        this.requireProposal(ctx.state, BigInt(id!)),
        ProposalStatus.PROPOSAL_STATUS_EXPIRED,
        'voting period ended below the threshold',
      );
    }
  }

  private write(state: WritableState, record: ProposalRecord): void {
    state.set(proposalPath(record.id), encodeRecord(record));
  }

  /** A record as `ain.committee.v1.Proposal`. */
  toProto(record: ProposalRecord): ProposalProto {
    return {
      id: record.id,
      proposer: record.proposer,
      messages: record.messages.map((m) => ({ typeUrl: m.typeUrl, value: new Uint8Array(Buffer.from(m.value, 'base64')) })),
      summary: record.summary,
      status: record.status,
      submitTime: record.submitTime,
      votingEndTime: record.votingEndTime,
      votes: record.votes.map((v) => ({ voter: v.voter, yes: v.yes })),
      yesWeight: record.yesWeight,
      noWeight: record.noWeight,
      failedReason: record.failedReason,
    };
  }
}
