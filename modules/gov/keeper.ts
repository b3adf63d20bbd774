/**
 * The only code touching `/gov` and `/params/gov`: proposals, deposits held in the `gov` module
 * account, votes, and the end of every block, where proposals past their deposit period are dropped
 * and those past their voting period are tallied, their deposits refunded or burned, and a passed
 * proposal's messages run as the gov authority. See README.md for the rules.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  AinError,
  ainError,
  type BlockContext,
  type Coin,
  type CoinContext,
  type Context,
  DEC_ONE,
  decodeRecord,
  decToText,
  encodeRecord,
  EventCollector,
  formatCoins,
  govAuthority,
  GOV_MODULE_NAME,
  ErrInvalidSigner,
  type ReadableState,
  readRecord,
} from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import type { BankKeeper, CommunityPool, MsgRouter, StakingKeeper } from './expected_keepers.ts';
import {
  ErrInactiveProposal,
  ErrInvalidProposal,
  ErrInvalidProposer,
  ErrVotingPeriodEnded,
  ErrInvalidDepositDenom,
  ErrInvalidProposalMsg,
  ErrMinDepositTooSmall,
  ErrUnknownProposal,
  ErrUnroutableProposalMsg,
} from './errors.ts';
import {
  activeProposalEvent,
  cancelProposalEvent,
  inactiveProposalEvent,
  proposalDepositEvent,
  proposalVoteEvent,
  submitProposalEvent,
  votingPeriodStartEvent,
} from './events.ts';
import {
  CONSTITUTION_PATH,
  DEPOSIT_QUEUE_ROOT,
  depositPath,
  depositQueuePath,
  lastLabel,
  NEXT_PROPOSAL_ID_PATH,
  PROPOSALS_ROOT,
  proposalDepositsPath,
  proposalPath,
  proposalVotesPath,
  queueEntry,
  VOTING_QUEUE_ROOT,
  votePath,
  votingQueuePath,
} from './keys.ts';
import { COMMUNITY_POOL_ADDRESS, type GovParams, govParamsToJson, readGovParams, writeGovParams } from './params.ts';
import { type ProposalRecord, PROPOSAL_BIGINTS, ProposalStatus, VOTE_BIGINTS } from './proposal.ts';
import { type Tally, type TallyOutcome, tallyVotes, type WeightedOption } from './tally.ts';

/** Most proposals, depositors or votes of one proposal a read lists (all of them at these sizes). */
export const MAX_LISTED = 100_000;
/** Most proposals one end of block settles per queue; the rest wait for the next block. */
export const MAX_SETTLED_PER_BLOCK = 50;

export interface StoredVote {
  readonly options: readonly WeightedOption[];
  readonly metadata: string;
}

export interface SubmitArgs {
  readonly proposer: string;
  readonly messages: readonly Any[];
  readonly initialDeposit: readonly Coin[];
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
  /** Votes for `expedited_voting_period` with `expedited_threshold`, once it has `expedited_min_deposit`. */
  readonly expedited: boolean;
}

const coinAmount = (coins: readonly Coin[], denom: string): bigint => coins.find((c) => c.denom === denom)?.amount ?? 0n;

function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const sums = new Map<string, bigint>();
  for (const coin of [...a, ...b]) sums.set(coin.denom, (sums.get(coin.denom) ?? 0n) + coin.amount);
  return [...sums].sort(([x], [y]) => (x < y ? -1 : 1)).map(([denom, amount]) => ({ denom, amount }));
}

/** Every coin of `needed` is covered by `have`. */
const covers = (have: readonly Coin[], needed: readonly Coin[]): boolean => needed.every((c) => coinAmount(have, c.denom) >= c.amount);

/**
 * What every deposit (a MsgDeposit's amount, or a proposal's initial deposit) must be, as the SDK
 * v0.50's `AddDeposit`: only denoms of `min_deposit`; and, where `min_deposit_ratio` is set, in at
 * least one denom of the proposal's minimum deposit (`expedited_min_deposit` for an expedited one) at
 * least that denom's amount x the ratio, truncated (so an empty deposit is refused then too).
 * @throws AinError gov/23 a denom not in min_deposit, gov/16 below the minimum per deposit
 */
function checkDepositCoins(params: GovParams, expedited: boolean, amount: readonly Coin[], field: string): void {
  for (const coin of amount)
    if (!params.minDeposit.some((c) => c.denom === coin.denom))
      throw ainError(
        ErrInvalidDepositDenom,
        `${field} denom ${coin.denom} is not one of min_deposit's (${params.minDeposit.map((c) => c.denom).join(', ')})`,
        { field },
      );
  if (params.minDepositRatio === 0n) return;
  const [name, minDeposit] = expedited
    ? (['expedited_min_deposit', params.expeditedMinDeposit] as const)
    : (['min_deposit', params.minDeposit] as const);
  const minimums = minDeposit.map((c) => ({ denom: c.denom, amount: (c.amount * params.minDepositRatio) / DEC_ONE }));
  if (minimums.some((minimum) => amount.some((c) => c.denom === minimum.denom && c.amount >= minimum.amount))) return;
  throw ainError(
    ErrMinDepositTooSmall,
    `${field} ${formatCoins(amount) || '(none)'} is below the minimum per deposit: at least ${minimums.map((c) => formatCoins([c])).join(' or ')} ` +
      `is required (${name} ${formatCoins(minDeposit)} x min_deposit_ratio ${decToText(params.minDepositRatio)})`,
    { field },
  );
}

export class GovKeeper {
  /** The gov module account: holds deposits and is the authority passed proposals' messages run as. */
  readonly moduleAddress = govAuthority();

  constructor(
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
    /** The app's message router, known once every module is created. */
    private readonly router: () => MsgRouter,
    /** Where cancellation charges go when `proposal_cancel_dest` is the distribution account. */
    private readonly communityPool: CommunityPool,
  ) {}

  params(state: ReadableState): GovParams {
    return readGovParams(state);
  }

  /** Stores every param (a MsgUpdateParams passed by governance). */
  setParams(ctx: Pick<BlockContext, 'state'>, params: GovParams): void {
    writeGovParams(ctx.state, govParamsToJson(params));
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  /** The constitution from genesis ('' when none). */
  constitution(state: ReadableState): string {
    const text = state.get(CONSTITUTION_PATH);
    return typeof text === 'string' ? text : '';
  }

  /** What the gov account holds: the deposits of live proposals (genesis checks them against it). */
  heldDeposits(state: ReadableState): Coin[] {
    return this.bank.getAllBalances(state, this.moduleAddress);
  }

  getProposal(state: ReadableState, id: bigint): ProposalRecord | undefined {
    const record = readRecord<ProposalRecord & { finalTally?: Tally }>(state, proposalPath(id), PROPOSAL_BIGINTS);
    return record ? { ...record, finalTally: record.finalTally } : undefined;
  }

  /** The proposal, or `gov/2` naming its id. */
  requireProposal(state: ReadableState, id: bigint): ProposalRecord {
    const proposal = this.getProposal(state, id);
    if (!proposal) throw ainError(ErrUnknownProposal, `proposal ${id} doesn't exist`, { proposal_id: id.toString() });
    return proposal;
  }

  /** Every proposal in id order. */
  proposals(state: ReadableState): ProposalRecord[] {
    return state.list(PROPOSALS_ROOT, MAX_LISTED).map(([, text]) => decodeRecord<ProposalRecord>(text as string, PROPOSAL_BIGINTS));
  }

  /** The deposits of a proposal in depositor order (removed once refunded or burned). */
  deposits(state: ReadableState, id: bigint): Array<{ depositor: string; amount: Coin[] }> {
    return state
      .list(proposalDepositsPath(id), MAX_LISTED)
      .map(([path, text]) => ({ depositor: lastLabel(path), amount: decodeRecord<Coin[]>(text as string, PROPOSAL_BIGINTS) }));
  }

  getDeposit(state: ReadableState, id: bigint, depositor: string): Coin[] | undefined {
    return readRecord<Coin[]>(state, depositPath(id, depositor), PROPOSAL_BIGINTS);
  }

  /** The votes of a proposal in voter order (removed once tallied). */
  votes(state: ReadableState, id: bigint): Array<{ voter: string; vote: StoredVote }> {
    return state
      .list(proposalVotesPath(id), MAX_LISTED)
      .map(([path, text]) => ({ voter: lastLabel(path), vote: decodeRecord<StoredVote>(text as string, VOTE_BIGINTS) }));
  }

  getVote(state: ReadableState, id: bigint, voter: string): StoredVote | undefined {
    return readRecord<StoredVote>(state, votePath(id, voter), VOTE_BIGINTS);
  }

  /** The tally of a proposal: the final one once its voting ended, else the votes so far against the bonded stake now. */
  tally(state: ReadableState, id: bigint): Tally {
    const proposal = this.requireProposal(state, id);
    if (proposal.finalTally) return proposal.finalTally;
    return this.count(state, id).tally;
  }

  /** The tally of the votes so far, against the expedited threshold while the proposal is expedited. */
  private count(state: ReadableState, id: bigint, expedited = false): TallyOutcome {
    const votes = this.votes(state, id).map(({ voter, vote }) => [voter, vote.options] as const);
    const params = this.params(state);
    return tallyVotes(state, this.staking, votes, expedited ? { ...params, threshold: params.expeditedThreshold } : params);
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /**
   * A new proposal: each message must route, pass its own checks and name the gov authority as its
   * only signer; the initial deposit must meet `min_initial_deposit_ratio` of the minimum deposit,
   * then be a valid deposit (`checkDepositCoins`), all before anything is written.
   * @throws AinError gov/10 unknown message type, gov/12 a message's own check, gov/13 another signer, gov/16 deposit too small,
   * gov/23 a denom not in min_deposit
   */
  submitProposal(ctx: Context, args: SubmitArgs): bigint {
    const params = this.params(ctx.state);
    const router = this.router();
    args.messages.forEach((any, i) => {
      let routed: ReturnType<MsgRouter['route']>;
      try {
        routed = router.route(any, i);
      } catch (error) {
        if (!(error instanceof AinError)) throw error;
        const definition =
          error.codespace === 'sdk' && error.code === 6
            ? ErrUnroutableProposalMsg
            : error.codespace === ErrInvalidSigner.codespace && error.code === ErrInvalidSigner.code
              ? ErrInvalidSigner
              : ErrInvalidProposalMsg;
        // The same definition would add its description a second time.
        const suffix = `: ${definition.description}`;
        const reason = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
        throw ainError(definition, `messages[${i}] (${any.typeUrl}): ${reason}`, { field: `messages[${i}]` });
      }
      const signers = routed.handler.signers(routed.msg);
      if (signers.length !== 1 || signers[0] !== this.moduleAddress)
        throw ainError(
          ErrInvalidSigner,
          `messages[${i}] (${any.typeUrl}) is signed by ${signers.join(', ')}; expected ${this.moduleAddress}`,
          {
            field: `messages[${i}]`,
          },
        );
    });
    for (const needed of args.expedited ? params.expeditedMinDeposit : params.minDeposit) {
      const minimum = (needed.amount * params.minInitialDepositRatio) / 10n ** 18n;
      if (coinAmount(args.initialDeposit, needed.denom) < minimum)
        throw ainError(
          ErrMinDepositTooSmall,
          `initial_deposit has ${coinAmount(args.initialDeposit, needed.denom)}${needed.denom}; at least ${minimum}${needed.denom} is required`,
          {
            field: 'initial_deposit',
          },
        );
    }
    checkDepositCoins(params, args.expedited, args.initialDeposit, 'initial_deposit');
    const id = BigInt((ctx.state.get(NEXT_PROPOSAL_ID_PATH) as string | undefined) ?? '1');
    ctx.state.set(NEXT_PROPOSAL_ID_PATH, (id + 1n).toString());
    const depositEnd = ctx.blockTimeSeconds + params.maxDepositPeriod;
    this.write(ctx, {
      id,
      messages: args.messages.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value).toString('base64') })),
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTally: undefined,
      submitTime: ctx.blockTimeSeconds,
      depositEndTime: depositEnd,
      totalDeposit: [],
      votingStartTime: 0n,
      votingEndTime: 0n,
      metadata: args.metadata,
      title: args.title,
      summary: args.summary,
      proposer: args.proposer,
      failedReason: '',
      // Written only when set, so the records of regular proposals keep the bytes they had before.
      ...(args.expedited ? { expedited: true as const } : {}),
    });
    ctx.state.set(depositQueuePath(depositEnd, id), true);
    ctx.events.emit(
      submitProposalEvent(
        id,
        args.messages.map((m) => m.typeUrl),
      ),
    );
    if (args.initialDeposit.length > 0) this.deposit(ctx, id, args.proposer, args.initialDeposit);
    return id;
  }

  /**
   * Adds to a proposal's deposit (held in the gov module account); reaching the minimum deposit
   * starts its voting period.
   * @throws AinError gov/2 unknown, gov/3 not in its deposit or voting period, gov/23 a denom not in min_deposit,
   * gov/16 below `min_deposit_ratio`'s minimum per deposit, sdk/5 funds
   */
  deposit(ctx: Context, id: bigint, depositor: string, amount: readonly Coin[]): void {
    const proposal = this.requireProposal(ctx.state, id);
    if (
      proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD &&
      proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD
    )
      throw ainError(ErrInactiveProposal, `proposal ${id} is not in its deposit or voting period`, { proposal_id: id.toString() });
    const params = this.params(ctx.state);
    checkDepositCoins(params, proposal.expedited === true, amount, 'amount');
    this.bank.sendCoins(ctx, depositor, this.moduleAddress, amount);
    const previous = this.getDeposit(ctx.state, id, depositor) ?? [];
    ctx.state.set(depositPath(id, depositor), encodeRecord(addCoins(previous, amount)));
    const totalDeposit = addCoins(proposal.totalDeposit, amount);
    let next: ProposalRecord = { ...proposal, totalDeposit };
    ctx.events.emit(proposalDepositEvent(id, depositor, amount));
    const minDeposit = proposal.expedited ? params.expeditedMinDeposit : params.minDeposit;
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && covers(totalDeposit, minDeposit)) {
      const votingEnd = ctx.blockTimeSeconds + (proposal.expedited ? params.expeditedVotingPeriod : params.votingPeriod);
      ctx.state.set(depositQueuePath(proposal.depositEndTime, id), null);
      ctx.state.set(votingQueuePath(votingEnd, id), true);
      next = {
        ...next,
        status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
        votingStartTime: ctx.blockTimeSeconds,
        votingEndTime: votingEnd,
      };
      ctx.events.emit(votingPeriodStartEvent(id));
    }
    this.write(ctx, next);
  }

  /**
   * Records (or replaces) a voter's weighted options on a proposal in its voting period.
   * @throws AinError gov/2 unknown, gov/3 not in its voting period
   */
  vote(ctx: Context, id: bigint, voter: string, options: readonly WeightedOption[], metadata: string): void {
    const proposal = this.requireProposal(ctx.state, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw ainError(ErrInactiveProposal, `proposal ${id} is not in its voting period`, { proposal_id: id.toString() });
    ctx.state.set(votePath(id, voter), encodeRecord({ options, metadata }));
    const printed = options.map(
      (o) => `option:${o.option} weight:${(o.weight / 10n ** 18n).toString()}.${(o.weight % 10n ** 18n).toString().padStart(18, '0')}`,
    );
    ctx.events.emit(proposalVoteEvent(id, voter, printed.join('\n')));
  }

  // ------------------------------------------------------------------------------------------
  // End of block

  /** Drops proposals whose deposit period ended, then settles those whose voting period ended. */
  endBlock(ctx: BlockContext, chainId: string): void {
    const now = ctx.blockTimeSeconds;
    const params = this.params(ctx.state);
    for (const [path] of ctx.state.list(DEPOSIT_QUEUE_ROOT, MAX_SETTLED_PER_BLOCK)) {
      const [end, id] = queueEntry(DEPOSIT_QUEUE_ROOT, path);
      if (end > now) break;
      ctx.state.set(path, null);
      this.settleDeposits(ctx, id, params.burnProposalDepositPrevote);
      ctx.state.set(proposalPath(id), null);
      ctx.events.emit(inactiveProposalEvent(id));
    }
    for (const [path] of ctx.state.list(VOTING_QUEUE_ROOT, MAX_SETTLED_PER_BLOCK)) {
      const [end, id] = queueEntry(VOTING_QUEUE_ROOT, path);
      if (end > now) break;
      ctx.state.set(path, null);
      this.finishVoting(ctx, id, chainId);
    }
  }

  private finishVoting(ctx: BlockContext, id: bigint, chainId: string): void {
    const proposal = this.requireProposal(ctx.state, id);
    const outcome = this.count(ctx.state, id, proposal.expedited === true);
    if (proposal.expedited && !outcome.passes) {
      this.convertToRegular(ctx, proposal);
      return;
    }
    this.settleDeposits(ctx, id, outcome.burnDeposits);
    for (const { voter } of this.votes(ctx.state, id)) ctx.state.set(votePath(id, voter), null);
    let status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
    let failedReason = '';
    let result = 'proposal_rejected';
    let log = outcome.reason;
    if (outcome.passes) {
      const failure = this.execute(ctx, proposal, chainId);
      status = failure === undefined ? ProposalStatus.PROPOSAL_STATUS_PASSED : ProposalStatus.PROPOSAL_STATUS_FAILED;
      result = failure === undefined ? 'proposal_passed' : 'proposal_failed';
      failedReason = failure ?? '';
      log = failure ?? 'passed';
    }
    this.write(ctx, { ...this.requireProposal(ctx.state, id), status, finalTally: outcome.tally, failedReason });
    ctx.events.emit(activeProposalEvent(id, result, log));
  }

  /**
   * An expedited proposal that did not pass becomes a regular one, as in the SDK: its voting period
   * ends `voting_period` after it started, when it is tallied again with the regular threshold. Its
   * deposits stay, and so do its votes (the SDK v0.50 deletes them in its first tally, a loss its
   * auditors report as a bug: a voter would have to vote a second time).
   */
  private convertToRegular(ctx: BlockContext, proposal: ProposalRecord): void {
    const votingEnd = proposal.votingStartTime + this.params(ctx.state).votingPeriod;
    const { expedited: _, ...regular } = proposal;
    ctx.state.set(votingQueuePath(votingEnd, proposal.id), true);
    this.write(ctx, { ...regular, votingEndTime: votingEnd });
    ctx.events.emit(activeProposalEvent(proposal.id, 'expedited_proposal_rejected', 'expedited proposal converted to regular'));
  }

  /**
   * Runs a passed proposal's messages in order as the gov authority, on a branch of the state: all
   * of them apply, or (one failing) none does. Returns why it failed, undefined on success.
   */
  private execute(ctx: BlockContext, proposal: ProposalRecord, chainId: string): string | undefined {
    const branch = new Overlay(ctx.state);
    const events = new EventCollector();
    const context: Context = { ...ctx, state: branch, events, chainId, mode: 'deliver' };
    const messages = proposal.messages.map((m) => ({ typeUrl: m.typeUrl, value: new Uint8Array(Buffer.from(m.value, 'base64')) }));
    let index = 0;
    try {
      for (; index < messages.length; index++) {
        const routed = this.router().route(messages[index]!, index);
        routed.handler.handle(context, routed.msg);
      }
    } catch (error) {
      if (error instanceof AinError) return error.message;
      // A handler's bug fails the proposal, as the Cosmos SDK's gov recovers a handler's panic, instead
      // of halting the chain in EndBlock. The reason goes into the state, so it names the message and
      // the error's class only: an engine's wording of the error is not consensus data.
      const name = error instanceof Error ? error.name : typeof error;
      return `messages[${index}] (${messages[index]?.typeUrl}) failed with an unexpected ${name}`;
    }
    for (const [path, write] of branch.writes()) ctx.state.set(path, write);
    ctx.events.append(events.events);
    return undefined;
  }

  /**
   * MsgCancelProposal: the proposer withdraws its proposal before its voting period ends. Of each
   * deposit, `proposal_cancel_ratio` (truncated) is burned, or sent to `proposal_cancel_dest` (the
   * distribution account: into the community pool); the rest goes back to its depositor. The proposal,
   * its deposits, votes and queue entry are deleted.
   * @throws AinError gov/2 unknown, gov/18 not its proposer, gov/21 not in its deposit or voting period, gov/20 voting ended
   */
  cancelProposal(ctx: Context, id: bigint, proposer: string): void {
    const proposal = this.requireProposal(ctx.state, id);
    if (proposal.proposer !== proposer)
      throw ainError(ErrInvalidProposer, `proposer ${proposer} is not the proposer of proposal ${id} (${proposal.proposer})`, {
        field: 'proposer',
      });
    const depositPeriod = proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD;
    if (!depositPeriod && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw ainError(ErrInvalidProposal, `proposal ${id} is not in its deposit or voting period; only those can be cancelled`, {
        proposal_id: id.toString(),
      });
    if (!depositPeriod && proposal.votingEndTime < ctx.blockTimeSeconds)
      throw ainError(ErrVotingPeriodEnded, `voting period of proposal ${id} ended at ${proposal.votingEndTime}`, {
        proposal_id: id.toString(),
      });
    const params = this.params(ctx.state);
    let charges: Coin[] = [];
    for (const { depositor, amount } of this.deposits(ctx.state, id)) {
      ctx.state.set(depositPath(id, depositor), null);
      const charged = amount.map((c) => ({ denom: c.denom, amount: (c.amount * params.proposalCancelRatio) / 10n ** 18n }));
      const refund = amount.map((c, i) => ({ denom: c.denom, amount: c.amount - charged[i]!.amount })).filter((c) => c.amount > 0n);
      if (refund.length > 0) this.bank.sendCoins(ctx, this.moduleAddress, depositor, refund);
      charges = addCoins(
        charges,
        charged.filter((c) => c.amount > 0n),
      );
    }
    if (charges.length > 0) {
      if (params.proposalCancelDest === '') this.bank.burnCoins(ctx, this.moduleAddress, charges);
      else if (params.proposalCancelDest === COMMUNITY_POOL_ADDRESS) this.communityPool.fundCommunityPool(ctx, this.moduleAddress, charges);
      else this.bank.sendCoins(ctx, this.moduleAddress, params.proposalCancelDest, charges);
    }
    for (const { voter } of this.votes(ctx.state, id)) ctx.state.set(votePath(id, voter), null);
    ctx.state.set(depositPeriod ? depositQueuePath(proposal.depositEndTime, id) : votingQueuePath(proposal.votingEndTime, id), null);
    ctx.state.set(proposalPath(id), null);
    ctx.events.emit(cancelProposalEvent(id, proposer));
  }

  /** Refunds every deposit of a proposal, or burns them all; the deposit records go either way. */
  private settleDeposits(ctx: CoinContext, id: bigint, burn: boolean): void {
    let burned: Coin[] = [];
    for (const { depositor, amount } of this.deposits(ctx.state, id)) {
      ctx.state.set(depositPath(id, depositor), null);
      if (burn) burned = addCoins(burned, amount);
      else this.bank.sendCoins(ctx, this.moduleAddress, depositor, amount);
    }
    if (burned.length > 0) this.bank.burnCoins(ctx, this.moduleAddress, burned);
  }

  private write(ctx: Pick<BlockContext, 'state'>, record: ProposalRecord): void {
    ctx.state.set(proposalPath(record.id), encodeRecord(record));
  }
}

export { GOV_MODULE_NAME };
