/**
 * A proposal as the keeper stores it (canonical JSON at `/gov/proposals/<id>`) and as the two query
 * versions print it: `cosmos.gov.v1.Proposal` and `cosmos.gov.v1beta1.Proposal` (whose `content` is the
 * first message, as the SDK fills it for proposals made with v1 messages).
 */
import { ProposalStatus, type Proposal as ProposalV1, type Vote as VoteV1 } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Proposal as ProposalV1beta1, Vote as VoteV1beta1 } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type Coin, coinsToProto, DEC_SCALE, decToAtomics, decToFixed18 } from '../../core/index.ts';
import { EMPTY_TALLY, type Tally, tallyTokens, type WeightedOption } from './tally.ts';

export { ProposalStatus };

/** A proposal record; times are block-time seconds (0: not set). */
export interface ProposalRecord {
  readonly id: bigint;
  /** The messages, as Any with base64 values. */
  readonly messages: ReadonlyArray<{ readonly typeUrl: string; readonly value: string }>;
  readonly status: ProposalStatus;
  /** Set when the voting period ends (atomics). */
  readonly finalTally: Tally | undefined;
  readonly submitTime: bigint;
  readonly depositEndTime: bigint;
  readonly totalDeposit: readonly Coin[];
  readonly votingStartTime: bigint;
  readonly votingEndTime: bigint;
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
  readonly proposer: string;
  readonly failedReason: string;
  /** Set (stored) only on an expedited proposal, until it passes, fails or is converted to a regular one. */
  readonly expedited?: true;
}

/** Fields read back as bigints from the stored JSON. */
export const PROPOSAL_BIGINTS: ReadonlySet<string> = new Set([
  'id',
  'submitTime',
  'depositEndTime',
  'votingStartTime',
  'votingEndTime',
  'amount',
  'yes',
  'abstain',
  'no',
  'noWithVeto',
]);
/** Fields of a stored vote read back as bigints. */
export const VOTE_BIGINTS: ReadonlySet<string> = new Set(['weight']);

export const messagesOf = (record: ProposalRecord): Any[] =>
  record.messages.map((m) => ({ typeUrl: m.typeUrl, value: new Uint8Array(Buffer.from(m.value, 'base64')) }));

const timestamp = (seconds: bigint) => (seconds === 0n ? undefined : { seconds, nanos: 0 });

/** The tally shown for a proposal: the final one once voting ended, else zero (the SDK fills it only at the end). */
const shownTally = (record: ProposalRecord) => tallyTokens(record.finalTally ?? EMPTY_TALLY);

export function proposalToV1(record: ProposalRecord): ProposalV1 {
  const tally = shownTally(record);
  return {
    id: record.id,
    messages: messagesOf(record),
    status: record.status,
    finalTallyResult: { yesCount: tally.yes, abstainCount: tally.abstain, noCount: tally.no, noWithVetoCount: tally.noWithVeto },
    ...optional('submitTime', timestamp(record.submitTime)),
    ...optional('depositEndTime', timestamp(record.depositEndTime)),
    totalDeposit: coinsToProto(record.totalDeposit),
    ...optional('votingStartTime', timestamp(record.votingStartTime)),
    ...optional('votingEndTime', timestamp(record.votingEndTime)),
    metadata: record.metadata,
    title: record.title,
    summary: record.summary,
    proposer: record.proposer,
    expedited: record.expedited === true,
    failedReason: record.failedReason,
  };
}

export function proposalToV1beta1(record: ProposalRecord): ProposalV1beta1 {
  const tally = shownTally(record);
  const zero = { seconds: 0n, nanos: 0 };
  const [content] = messagesOf(record);
  return {
    proposalId: record.id,
    ...optional('content', content),
    status: record.status,
    finalTallyResult: tally,
    submitTime: timestamp(record.submitTime) ?? zero,
    depositEndTime: timestamp(record.depositEndTime) ?? zero,
    totalDeposit: coinsToProto(record.totalDeposit),
    votingStartTime: timestamp(record.votingStartTime) ?? zero,
    votingEndTime: timestamp(record.votingEndTime) ?? zero,
  };
}

/** v1 prints a weight as Dec text ("1.000000000000000000"). */
export function voteToV1(id: bigint, voter: string, options: readonly WeightedOption[], metadata: string): VoteV1 {
  return { proposalId: id, voter, options: options.map((o) => ({ option: o.option, weight: decToFixed18(o.weight) })), metadata };
}

/** v1beta1 carries a weight as LegacyDec atomics; `option` is the single option of an unweighted vote (else unspecified). */
export function voteToV1beta1(id: bigint, voter: string, options: readonly WeightedOption[]): VoteV1beta1 {
  const single = options.length === 1 && options[0]!.weight === DEC_SCALE ? options[0]!.option : 0;
  return { proposalId: id, voter, option: single, options: options.map((o) => ({ option: o.option, weight: decToAtomics(o.weight) })) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
