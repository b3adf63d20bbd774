/**
 * The committee module through the whole app, in process: governance sets a developer committee;
 * anyone funds its developer fund; a member proposes a spend, votes reach the threshold and the coins
 * move at once; a proposal left below the threshold does nothing and expires; a non-member and
 * messages the committee may not run are refused and change nothing; the committee proposes compute
 * params through governance, which passes them, and they take effect; a committee change closes open
 * proposals. Every block the harness checks that no token is created or lost.
 */
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { ProposalStatus as GovStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest as GovProposalRequest, QueryProposalResponse as GovProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgUpdateParams as StakingUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { govAuthority, type RestContext, type RestRequest } from '../../core/index.ts';
import { committeeRestRoutes } from '../../modules/committee/rest.ts';
import { committeeAddress, ProposalStatus } from '../../modules/committee/index.ts';
import { defaultComputeParams } from '../../modules/compute/index.ts';
import { computeParamsToProto } from '../../modules/compute/params.ts';
import { defaultGovParams } from '../../modules/gov/index.ts';
import {
  QueryCommitteeRequest,
  QueryCommitteeResponse,
  QueryFundRequest,
  QueryFundResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
} from '../../proto/gen/ain/committee/v1/query.ts';
import {
  MsgCommitteePropose,
  MsgCommitteeProposeResponse,
  MsgCommitteeVote,
  MsgFundCommittee,
  MsgUpdateCommittee,
} from '../../proto/gen/ain/committee/v1/tx.ts';
import {
  QueryParamsRequest as ComputeParamsRequest,
  QueryParamsResponse as ComputeParamsResponse,
} from '../../proto/gen/ain/compute/v1/query.ts';
import { MsgUpdateParams as ComputeUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import type { TestKey } from '../helpers/tx.ts';
import { anyOf, attribute, codeOf, DENOM, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const DEPOSIT = 10n * AIN;
const GOV_VOTING = defaultGovParams().votingPeriod;
const WEEK = 7n * 86_400n;
const GOV = govAuthority();
const FUND = committeeAddress();

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

/** A ts-proto message of ours as an Any. */
const ours = <T>(codec: { $type: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T }, message: object): Any => ({
  typeUrl: `/${codec.$type}`,
  value: codec.encode(codec.fromPartial(message)).finish(),
});
const coins = (amount: bigint) => [{ denom: DENOM, amount: amount.toString() }];
const spend = (to: string, amount: bigint, from = FUND) => anyOf(MsgSend, { fromAddress: from, toAddress: to, amount: coins(amount) });
const propose = (key: TestKey, messages: Any[], summary = 'spend') =>
  h.send(key, [ours(MsgCommitteePropose, { proposer: key.address, messages, summary })]);
const vote = (key: TestKey, id: bigint, yes: boolean) => h.send(key, [ours(MsgCommitteeVote, { voter: key.address, proposalId: id, yes })]);
const proposal = (id: bigint) =>
  h.query('/ain.committee.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!;
const fund = () => h.query('/ain.committee.v1.Query/Fund', QueryFundRequest.encode({}).finish(), QueryFundResponse);
/** The proposal id and status a MsgCommitteePropose answered (its tx's first message response). */
function proposed(result: ExecTxResult): { proposalId: bigint; status: ProposalStatus } {
  expect(result.log).toBe('');
  return MsgCommitteeProposeResponse.decode(TxMsgData.decode(result.data).msgResponses[0]!.value);
}
const proposalIdOf = (result: ExecTxResult): bigint => proposed(result).proposalId;
const ids = () => h.store.get('/committee/next_proposal_id');

/** Governance passes `messages` (all validators vote yes); returns the gov proposal's id. */
function govPasses(messages: Any[]): bigint {
  const proposer = h.delegators[0]!;
  const submitted = h.ok(proposer, [
    anyOf(MsgSubmitProposal, {
      proposer: proposer.address,
      messages,
      initialDeposit: coins(DEPOSIT),
      metadata: '',
      title: 'Committee',
      summary: 'Set the developer committee',
    }),
  ]);
  const id = BigInt(attribute(submitted.events, 'submit_proposal', 'proposal_id')!);
  for (const v of h.validators)
    h.ok(v.operator, [anyOf(MsgVote, { proposalId: id, voter: v.operator.address, option: VoteOption.VOTE_OPTION_YES })]);
  h.finalize([], { seconds: GOV_VOTING });
  return id;
}

/** Members: delegators 0 (weight 2), 1 and 2 (weight 1 each); threshold 3. */
function setCommittee(): void {
  const [d0, d1, d2] = h.delegators;
  govPasses([
    ours(MsgUpdateCommittee, {
      authority: GOV,
      members: [
        { address: d0!.address, weight: 2n },
        { address: d1!.address, weight: 1n },
        { address: d2!.address, weight: 1n },
      ],
      threshold: 3n,
    }),
  ]);
  const { committee } = h.query('/ain.committee.v1.Query/Committee', QueryCommitteeRequest.encode({}).finish(), QueryCommitteeResponse);
  expect(committee).toMatchObject({ threshold: 3n, totalWeight: 4n });
  expect(committee!.members).toHaveLength(3);
}

describe('committee app', () => {
  it('a member proposes a spend, votes reach the threshold, the coins move; below threshold expires; refusals change nothing', async () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN], delegators: 3 });
    const [d0, d1, d2] = h.delegators as [TestKey, TestKey, TestKey];
    const outsider = h.validators[0]!.operator;
    const recipient = h.validators[1]!.operator.address;
    h.finalize();
    // Before governance sets one, nobody is a member; MsgUpdateCommittee is the gov authority's alone.
    expect(codeOf(propose(d0, [spend(recipient, 1n)]))).toEqual(['committee', 3]);
    expect(
      codeOf(
        h.send(d0, [ours(MsgUpdateCommittee, { authority: d0.address, members: [{ address: d0.address, weight: 1n }], threshold: 1n })]),
      ),
    ).toEqual(['gov', 13]);
    setCommittee();

    h.ok(d2, [ours(MsgFundCommittee, { sender: d2.address, amount: `${50n * AIN}${DENOM}` })]);
    expect(fund()).toEqual({ address: FUND, balances: [{ denom: DENOM, amount: (50n * AIN).toString() }] });

    // d0 (weight 2) proposes: open; d1 (weight 1) votes yes: 3 reaches the threshold, the spend runs in that tx.
    const before = h.balance(recipient);
    const first = proposed(propose(d0, [spend(recipient, 20n * AIN)]));
    expect(first).toEqual({ proposalId: 1n, status: ProposalStatus.PROPOSAL_STATUS_OPEN });
    const id = first.proposalId;
    expect(proposal(id)).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_OPEN, yesWeight: 2n, noWeight: 0n });
    expect(h.balance(recipient)).toBe(before);
    expect(vote(d1, id, true).log).toBe('');
    expect(proposal(id)).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_EXECUTED, yesWeight: 3n });
    expect(h.balance(recipient)).toBe(before + 20n * AIN);
    expect(h.balance(FUND)).toBe(30n * AIN);
    expect(codeOf(vote(d2, id, true))).toEqual(['committee', 6]);

    // Below the threshold: d0 yes (2), d2 no (1); nothing moves and it expires after the voting period.
    const low = proposalIdOf(propose(d0, [spend(recipient, 5n * AIN)]));
    expect(vote(d2, low, false).log).toBe('');
    expect(proposal(low)).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_OPEN, yesWeight: 2n, noWeight: 1n });
    h.finalize([], { seconds: WEEK });
    expect(proposal(low).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXPIRED);
    expect(codeOf(vote(d1, low, true))).toEqual(['committee', 6]);
    expect(h.balance(FUND)).toBe(30n * AIN);
    expect(h.balance(recipient)).toBe(before + 20n * AIN);

    // Refusals change nothing: a non-member; a spend from someone else's account; a message the
    // committee may not run; a gov proposal of other params; an unknown proposal.
    const next = ids();
    const fundBefore = h.balance(FUND);
    expect(codeOf(propose(outsider, [spend(recipient, 1n)]))).toEqual(['committee', 3]);
    expect(codeOf(propose(d0, [spend(recipient, 1n, d0.address)]))).toEqual(['committee', 4]);
    const staking = anyOf(StakingUpdateParams, {
      authority: GOV,
      params: {
        unbondingTime: { seconds: 60n, nanos: 0 },
        maxValidators: 2,
        maxEntries: 7,
        historicalEntries: 0,
        bondDenom: DENOM,
        minCommissionRate: '0',
      },
    });
    expect(codeOf(propose(d0, [staking]))).toEqual(['committee', 4]);
    const govOfStaking = anyOf(MsgSubmitProposal, {
      proposer: FUND,
      messages: [staking],
      initialDeposit: coins(DEPOSIT),
      title: 't',
      summary: 's',
    });
    expect(codeOf(propose(d0, [govOfStaking]))).toEqual(['committee', 4]);
    expect(codeOf(vote(d0, 99n, true))).toEqual(['committee', 5]);
    expect(codeOf(vote(outsider, id, true))).toEqual(['committee', 3]);
    expect(ids()).toBe(next);
    expect(h.balance(FUND)).toBe(fundBefore);

    // A spend larger than the fund: the proposal fails as a whole, the fund keeps its coins.
    const big = proposalIdOf(propose(d0, [spend(recipient, 1n * AIN), spend(recipient, 100n * AIN)]));
    expect(vote(d1, big, true).log).toBe('');
    expect(proposal(big).status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(proposal(big).failedReason).toMatch(/^sdk\/5/);
    expect(h.balance(FUND)).toBe(fundBefore);

    // The REST routes answer through the app's query, messages printed as proto3 JSON.
    const context: RestContext = {
      query: (path, data) => h.app.query({ path, data, height: 0n, prove: false }),
      comet: () => Promise.reject(new Error('no CometBFT here')),
      anyTypes: h.app.modules.anyTypes,
      appVersion: 'test',
    };
    const rest = (path: string, params: string[] = [], search = '') => {
      const route = committeeRestRoutes.find((r) => r.path === path)!;
      const request: RestRequest = { params, searchParams: new URLSearchParams(search), body: undefined, height: undefined };
      return route.handler(context, request).then((reply) => reply.body as Record<string, unknown>);
    };
    expect(await rest('/ain/committee/v1/fund')).toEqual({ address: FUND, balances: [{ denom: DENOM, amount: (30n * AIN).toString() }] });
    expect(await rest('/ain/committee/v1/committee')).toMatchObject({ committee: { threshold: '3', total_weight: '4' } });
    expect(await rest('/ain/committee/v1/params')).toEqual({ params: { voting_period: '604800' } });
    const shown = (await rest('/ain/committee/v1/proposals/{proposal_id}', ['1'])).proposal as Record<string, unknown>;
    expect(shown).toMatchObject({ id: '1', status: 'PROPOSAL_STATUS_EXECUTED', yes_weight: '3' });
    expect((shown.messages as Array<Record<string, unknown>>)[0]).toMatchObject({
      '@type': '/cosmos.bank.v1beta1.MsgSend',
      to_address: recipient,
    });
    const listed = await rest('/ain/committee/v1/proposals', [], 'pagination.limit=1&pagination.reverse=true');
    expect((listed.proposals as Array<{ id: string }>).map((p) => p.id)).toEqual(['3']);
    expect(() => rest('/ain/committee/v1/proposals/{proposal_id}', ['x'])).toThrow(/proposal_id "x" must be a decimal id/);

    // Proposals list in id order, paged.
    const page = h.query(
      '/ain.committee.v1.Query/Proposals',
      QueryProposalsRequest.encode({
        pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse: false },
      }).finish(),
      QueryProposalsResponse,
    );
    expect(page.proposals.map((p) => p.id)).toEqual([1n, 2n]);
    expect(Buffer.from(page.pagination!.nextKey).toString()).toBe('3');
    expect(page.pagination!.total).toBe(3n);
  });

  it('the committee proposes compute params through governance, which enacts them; a committee change closes open proposals', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN], delegators: 3 });
    const [d0, d1, d2] = h.delegators as [TestKey, TestKey, TestKey];
    h.finalize();
    setCommittee();
    h.ok(d1, [ours(MsgFundCommittee, { sender: d1.address, amount: `${15n * AIN}${DENOM}` })]);
    const enabled = () => h.query('/ain.compute.v1.Query/Params', ComputeParamsRequest.encode({}).finish(), ComputeParamsResponse);
    expect(enabled().enabled).toBe(false);

    const params = computeParamsToProto({ ...defaultComputeParams(), epochBlocks: 50n });
    const submit = anyOf(MsgSubmitProposal, {
      proposer: FUND,
      messages: [ours(ComputeUpdateParams, { authority: GOV, params })],
      initialDeposit: coins(DEPOSIT),
      metadata: '',
      title: 'Compute measurement',
      summary: 'The committee accepts 50-block epochs',
    });
    const id = proposalIdOf(propose(d0, [submit], 'compute params'));
    expect(vote(d2, id, true).log).toBe('');
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    // The committee's gov proposal is in its voting period, its deposit paid from the fund.
    const govId = BigInt(attribute(h.lastResponse().txResults[0]!.events, 'submit_proposal', 'proposal_id')!);
    const govProposal = () =>
      h.query('/cosmos.gov.v1.Query/Proposal', GovProposalRequest.encode({ proposalId: govId }).finish(), GovProposalResponse).proposal!;
    expect(govProposal()).toMatchObject({ proposer: FUND, status: GovStatus.PROPOSAL_STATUS_VOTING_PERIOD });
    expect(h.balance(FUND)).toBe(5n * AIN);
    expect(enabled().enabled).toBe(false);
    for (const v of h.validators)
      h.ok(v.operator, [anyOf(MsgVote, { proposalId: govId, voter: v.operator.address, option: VoteOption.VOTE_OPTION_YES })]);
    h.finalize([], { seconds: GOV_VOTING });
    expect(govProposal().status).toBe(GovStatus.PROPOSAL_STATUS_PASSED);
    expect(enabled()).toMatchObject({ enabled: true, params: { epochBlocks: 50n } });
    // The deposit came back to the fund.
    expect(h.balance(FUND)).toBe(15n * AIN);

    // An open proposal is closed when governance changes the committee.
    const open = proposalIdOf(propose(d0, [spend(d1.address, 1n)]));
    expect(proposal(open).status).toBe(ProposalStatus.PROPOSAL_STATUS_OPEN);
    govPasses([ours(MsgUpdateCommittee, { authority: GOV, members: [{ address: d1.address, weight: 1n }], threshold: 1n })]);
    expect(proposal(open).status).toBe(ProposalStatus.PROPOSAL_STATUS_CLOSED);
    expect(codeOf(vote(d1, open, true))).toEqual(['committee', 6]);
    expect(codeOf(propose(d0, [spend(d1.address, 1n)]))).toEqual(['committee', 3]);
    // The new sole member's weight meets the threshold: its proposal runs at once.
    const before = h.balance(d2.address);
    const alone = proposed(propose(d1, [spend(d2.address, 1n * AIN)]));
    expect(alone.status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(proposal(alone.proposalId).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(h.balance(d2.address)).toBe(before + 1n * AIN);
  });
});
