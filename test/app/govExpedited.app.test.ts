/**
 * The SDK v0.50 parts of gov through the whole app, in process: expedited proposals (a shorter vote
 * with a higher threshold and a larger minimum deposit; one that misses its threshold becomes a
 * regular proposal and is tallied again at the end of the regular period), MsgCancelProposal (the
 * proposer's withdrawal: part of the deposits burned or sent on, the rest refunded), the new params
 * (their checks, and governance changing them) and the genesis constitution. Every block also checks
 * that no token is created or lost.
 */
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryConstitutionRequest,
  QueryConstitutionResponse,
  QueryParamsRequest as GovParamsRequest,
  QueryParamsResponse as GovParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import {
  MsgCancelProposal,
  MsgDeposit,
  MsgSubmitProposal,
  MsgUpdateParams as GovMsgUpdateParams,
  MsgVote,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import { QueryParamsRequest, QueryParamsResponse } from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { type AppState, validateAppState } from '../../app/index.ts';
import { govAuthority, moduleAddress, type RestContext, type RestRequest } from '../../core/index.ts';
import { defaultGovParams, govParamsToProto } from '../../modules/gov/index.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { testKey } from '../helpers/tx.ts';
import { anyOf, attribute, CHAIN_ID, codeOf, DENOM, FEE, GENESIS_TIME, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const DEPOSIT = 10n * AIN;
const EXPEDITED_DEPOSIT = 50n * AIN;
const VOTING = defaultGovParams().votingPeriod;
const EXPEDITED_VOTING = 86_400n;
const GOV = govAuthority();

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const updateStaking = (maxValidators: number) =>
  anyOf(MsgUpdateParams, {
    authority: GOV,
    params: {
      unbondingTime: { seconds: 1_814_400n, nanos: 0 },
      maxValidators,
      maxEntries: 7,
      historicalEntries: 0,
      bondDenom: DENOM,
      minCommissionRate: '0',
    },
  });
const submit = (proposer: string, deposit: bigint, expedited: boolean, messages = [updateStaking(2)]) =>
  anyOf(MsgSubmitProposal, {
    proposer,
    messages,
    initialDeposit: [{ denom: DENOM, amount: deposit.toString() }],
    metadata: '',
    title: 'Two validators',
    summary: 'Shrink the active set',
    expedited,
  });
const vote = (voter: string, id: bigint, option: VoteOption) => anyOf(MsgVote, { proposalId: id, voter, option, metadata: '' });
const cancel = (proposer: string, id: bigint) => anyOf(MsgCancelProposal, { proposalId: id, proposer });
const proposal = (id: bigint) =>
  h.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!;
const maxValidators = () =>
  h.query('/cosmos.staking.v1beta1.Query/Params', QueryParamsRequest.encode({}).finish(), QueryParamsResponse).params!.maxValidators;
const govParams = () =>
  h.query('/cosmos.gov.v1.Query/Params', GovParamsRequest.encode({ paramsType: '' }).finish(), GovParamsResponse).params!;
const votingSeconds = (id: bigint) => {
  const p = proposal(id);
  return p.votingEndTime!.seconds - p.votingStartTime!.seconds;
};

/** Submits from delegator 0; returns the new proposal's id. */
function propose(deposit: bigint, expedited: boolean): bigint {
  const result = h.ok(h.delegators[0]!, [submit(h.delegators[0]!.address, deposit, expedited)]);
  return BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
}

describe('gov app: expedited proposals', () => {
  it('an expedited proposal votes for a day and passes early with more than 2/3 of yes', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 40n * AIN] });
    h.finalize();
    const before = h.balance(h.delegators[0]!.address);
    const id = propose(EXPEDITED_DEPOSIT, true);
    expect(proposal(id)).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, expedited: true });
    expect(votingSeconds(id)).toBe(EXPEDITED_VOTING);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.ok(h.validators[1]!.operator, [vote(h.validators[1]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.ok(h.validators[2]!.operator, [vote(h.validators[2]!.operator.address, id, VoteOption.VOTE_OPTION_NO)]);
    h.finalize([], { seconds: EXPEDITED_VOTING });
    // 200 of 240 yes (0.83) clears 0.667, a day after voting started instead of two.
    expect(proposal(id)).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_PASSED, expedited: true });
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_result')).toBe('proposal_passed');
    expect(maxValidators()).toBe(2);
    expect(h.balance(GOV)).toBe(0n);
    expect(h.balance(h.delegators[0]!.address)).toBe(before - FEE);
  });

  it('an expedited proposal with 60% of yes becomes a regular one, keeps its votes and deposits, and passes at the end of the regular period', () => {
    h = PosHarness.open({ stakes: [60n * AIN, 40n * AIN] });
    h.finalize();
    const id = propose(EXPEDITED_DEPOSIT, true);
    const start = proposal(id).votingStartTime!.seconds;
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.ok(h.validators[1]!.operator, [vote(h.validators[1]!.operator.address, id, VoteOption.VOTE_OPTION_NO)]);
    h.finalize([], { seconds: EXPEDITED_VOTING });
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_result')).toBe('expedited_proposal_rejected');
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_log')).toBe('expedited proposal converted to regular');
    const converted = proposal(id);
    expect(converted).toMatchObject({ status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, expedited: false });
    // The SDK's rule: the regular period counts from the start of the expedited vote.
    expect(converted.votingEndTime!.seconds).toBe(start + VOTING);
    expect(h.balance(GOV)).toBe(EXPEDITED_DEPOSIT);
    const votes = h.query('/cosmos.gov.v1.Query/Votes', QueryVotesRequest.encode({ proposalId: id }).finish(), QueryVotesResponse);
    expect(votes.votes).toHaveLength(2);
    expect(maxValidators()).toBe(100);
    h.finalize([], { seconds: VOTING - EXPEDITED_VOTING });
    // 0.6 clears the regular 0.5.
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(maxValidators()).toBe(2);
    expect(h.balance(GOV)).toBe(0n);
  });

  it('an expedited proposal waits in its deposit period until it has expedited_min_deposit', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    h.finalize();
    // The regular minimum is not enough for an expedited proposal.
    const id = propose(DEPOSIT, true);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const depositor = h.delegators[1]!;
    h.ok(depositor, [
      anyOf(MsgDeposit, {
        proposalId: id,
        depositor: depositor.address,
        amount: [{ denom: DENOM, amount: (EXPEDITED_DEPOSIT - DEPOSIT - 1n).toString() }],
      }),
    ]);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    h.ok(depositor, [anyOf(MsgDeposit, { proposalId: id, depositor: depositor.address, amount: [{ denom: DENOM, amount: '1' }] })]);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(votingSeconds(id)).toBe(EXPEDITED_VOTING);
  });
});

describe('gov app: cancelling a proposal', () => {
  it('the proposer cancels in the voting period: half of each deposit is burned, the rest refunded; the proposal, deposits and votes go', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    h.finalize();
    const [proposer, other] = [h.delegators[0]!, h.delegators[1]!];
    const id = propose(DEPOSIT, false);
    const odd = 3n * AIN + 1n;
    h.ok(other, [anyOf(MsgDeposit, { proposalId: id, depositor: other.address, amount: [{ denom: DENOM, amount: odd.toString() }] })]);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    // Only the proposer may cancel; a refusal changes nothing.
    expect(codeOf(h.send(other, [cancel(other.address, id)]))).toEqual(['gov', 18]);
    expect(h.balance(GOV)).toBe(DEPOSIT + odd);
    const [proposerBefore, otherBefore, burnedBefore] = [h.balance(proposer.address), h.balance(other.address), h.burned];
    const result = h.ok(proposer, [cancel(proposer.address, id)]);
    expect(attribute(result.events, 'cancel_proposal', 'proposal_id')).toBe(id.toString());
    expect(attribute(result.events, 'cancel_proposal', 'sender')).toBe(proposer.address);
    // 0.5 of 3000001 is 1500000 (truncated): the depositor gets 1500001 back.
    expect(h.burned - burnedBefore).toBe(DEPOSIT / 2n + 1_500_000n);
    expect(h.balance(proposer.address)).toBe(proposerBefore - FEE + DEPOSIT / 2n);
    expect(h.balance(other.address)).toBe(otherBefore + 1_500_001n);
    expect(h.balance(GOV)).toBe(0n);
    expect(h.queryError('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish())).toEqual(['gov', 2]);
    const votes = h.query('/cosmos.gov.v1.Query/Votes', QueryVotesRequest.encode({ proposalId: id }).finish(), QueryVotesResponse);
    expect(votes.votes).toEqual([]);
    expect(codeOf(h.send(proposer, [cancel(proposer.address, id)]))).toEqual(['gov', 2]);
    // Its queue entry went too: the end of its voting period settles nothing.
    h.finalize([], { seconds: VOTING });
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_id')).toBeUndefined();
    expect(maxValidators()).toBe(100);
  });

  it('a proposal whose voting ended cannot be cancelled', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    h.finalize();
    const proposer = h.delegators[0]!;
    const id = propose(DEPOSIT, false);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    const refused = h.send(proposer, [cancel(proposer.address, id)]);
    expect(codeOf(refused)).toEqual(['gov', 21]);
    expect(refused.log).toMatch(/^proposal 1 is not in its deposit or voting period/);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it('sends the charge to proposal_cancel_dest: an account, or the community pool', async () => {
    const dest = testKey('cancel-dest').address;
    h = PosHarness.open({
      stakes: [100n * AIN],
      patchGenesis: (state) => ({ ...state, gov: { params: { proposal_cancel_ratio: '0.25', proposal_cancel_dest: dest } } }),
    });
    h.finalize();
    const proposer = h.delegators[0]!;
    // Cancelled in its deposit period (half the minimum deposited).
    const id = propose(DEPOSIT / 2n, false);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const [before, burnedBefore] = [h.balance(proposer.address), h.burned];
    h.ok(proposer, [cancel(proposer.address, id)]);
    expect(h.balance(dest)).toBe(DEPOSIT / 8n);
    expect(h.balance(proposer.address)).toBe(before - FEE + (DEPOSIT / 8n) * 3n);
    expect(h.burned).toBe(burnedBefore);
    // Its deposit-queue entry went: the end of its deposit period drops nothing.
    h.finalize([], { seconds: defaultGovParams().maxDepositPeriod });
    expect(attribute(h.lastResponse().events, 'inactive_proposal', 'proposal_id')).toBeUndefined();
    await h.close();

    // The distribution account as destination funds the community pool (the harness checks every
    // block that the account holds exactly the pool and outstanding rewards).
    h = PosHarness.open({
      stakes: [100n * AIN],
      patchGenesis: (state) => ({ ...state, gov: { params: { proposal_cancel_dest: moduleAddress('distribution') } } }),
    });
    h.finalize();
    const second = propose(DEPOSIT, false);
    const burned = h.burned;
    h.ok(h.delegators[0]!, [cancel(h.delegators[0]!.address, second)]);
    expect(h.burned).toBe(burned);
    expect(h.balance(GOV)).toBe(0n);
  });
});

describe('gov app: the new params and the constitution', () => {
  it('governance sets the expedited and cancellation params; bad ones are refused naming the field', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    h.finalize();
    const defaults = govParams();
    expect(defaults).toMatchObject({
      expeditedVotingPeriod: { seconds: 86_400n, nanos: 0 },
      expeditedThreshold: '0.667000000000000000',
      expeditedMinDeposit: [{ denom: DENOM, amount: '50000000' }],
      proposalCancelRatio: '0.500000000000000000',
      proposalCancelDest: '',
    });
    const proposer = h.delegators[0]!;
    const proto = govParamsToProto(defaultGovParams());
    const update = (params: typeof proto) => anyOf(GovMsgUpdateParams, { authority: GOV, params });
    const tooLong = h.send(proposer, [
      submit(proposer.address, DEPOSIT, false, [update({ ...proto, expeditedVotingPeriod: { seconds: VOTING, nanos: 0 } })]),
    ]);
    expect(codeOf(tooLong)).toEqual(['gov', 12]);
    expect(tooLong.log).toMatch(/params\.expedited_voting_period 172800s must be shorter than voting_period \(172800s\)/);
    const lowThreshold = h.send(proposer, [submit(proposer.address, DEPOSIT, false, [update({ ...proto, expeditedThreshold: '0.5' })])]);
    expect(lowThreshold.log).toMatch(/params\.expedited_threshold 0\.5 must be above threshold \(0\.5\)/);
    const smallDeposit = h.send(proposer, [
      submit(proposer.address, DEPOSIT, false, [update({ ...proto, expeditedMinDeposit: [{ denom: DENOM, amount: '10000000' }] })]),
    ]);
    expect(smallDeposit.log).toMatch(/params\.expedited_min_deposit "10000000uain" must be more than min_deposit/);
    const badRatio = h.send(proposer, [submit(proposer.address, DEPOSIT, false, [update({ ...proto, proposalCancelRatio: '1.5' })])]);
    expect(badRatio.log).toMatch(/params\.proposal_cancel_ratio 1\.5 must be in \[0, 1\]/);
    const changed = { ...proto, expeditedVotingPeriod: { seconds: 3_600n, nanos: 0 }, proposalCancelRatio: '0' };
    const id = BigInt(
      attribute(h.ok(proposer, [submit(proposer.address, DEPOSIT, false, [update(changed)])]).events, 'submit_proposal', 'proposal_id')!,
    );
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(govParams()).toMatchObject({
      expeditedVotingPeriod: { seconds: 3_600n, nanos: 0 },
      proposalCancelRatio: '0.000000000000000000',
    });
    // A cancellation now refunds everything.
    const next = propose(DEPOSIT, false);
    const [before, burned] = [h.balance(proposer.address), h.burned];
    h.ok(proposer, [cancel(proposer.address, next)]);
    expect(h.balance(proposer.address)).toBe(before - FEE + DEPOSIT);
    expect(h.burned).toBe(burned);
    // And an expedited proposal votes for an hour.
    expect(votingSeconds(propose(EXPEDITED_DEPOSIT, true))).toBe(3_600n);
  });

  it('genesis refuses expedited params out of their ranges', () => {
    const open = (params: Record<string, string>) => () =>
      PosHarness.open({ stakes: [100n * AIN], patchGenesis: (state) => ({ ...state, gov: { params } }) });
    expect(open({ voting_period: '600', expedited_voting_period: '600' })).toThrow(
      /gov\.params\.expedited_voting_period 600s must be shorter than voting_period \(600s\)/,
    );
    expect(open({ threshold: '0.7', expedited_threshold: '0.667' })).toThrow(
      /gov\.params\.expedited_threshold 0\.667 must be above threshold \(0\.7\)/,
    );
    // A chain that set a short voting period before these params existed keeps starting: its expedited period is half of it.
    h = open({ voting_period: '600' })();
    h.finalize();
    expect(govParams().expeditedVotingPeriod).toEqual({ seconds: 300n, nanos: 0 });
  });

  it('serves the genesis constitution, and an export with an expedited proposal in its vote restarts with the same app hash', async () => {
    const constitution = 'Be excellent to each other.';
    h = PosHarness.open({ stakes: [100n * AIN], patchGenesis: (state) => ({ ...state, gov: { constitution } }) });
    h.finalize();
    const query = () =>
      h.query('/cosmos.gov.v1.Query/Constitution', QueryConstitutionRequest.encode({}).finish(), QueryConstitutionResponse).constitution;
    expect(query()).toBe(constitution);
    const id = propose(EXPEDITED_DEPOSIT, true);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    // The REST routes answer through the app's query, as the SDK gateway prints them.
    const context: RestContext = {
      query: (path, data) => h.app.query({ path, data, height: 0n, prove: false }),
      comet: () => Promise.reject(new Error('no CometBFT here')),
      anyTypes: h.app.modules.anyTypes,
      appVersion: 'test',
    };
    const rest = (path: string, params: string[] = []) => {
      const route = h.app.modules.restRoutes.find((r) => r.path === path)!;
      const request: RestRequest = { params, searchParams: new URLSearchParams(), body: undefined, height: undefined };
      return route.handler(context, request).then((reply) => reply.body as Record<string, Record<string, unknown>>);
    };
    expect(await rest('/cosmos/gov/v1/constitution')).toEqual({ constitution });
    expect((await rest('/cosmos/gov/v1/proposals/{proposal_id}', [id.toString()])).proposal).toMatchObject({ expedited: true });
    expect((await rest('/cosmos/gov/v1/params/{params_type}', ['voting'])).params).toMatchObject({
      expedited_voting_period: '86400s',
      expedited_threshold: '0.667000000000000000',
      proposal_cancel_ratio: '0.500000000000000000',
    });
    const appState = h.app.exportGenesis();
    const leaves = (appState['gov'] as { leaves: Record<string, string> }).leaves;
    expect(leaves['/gov/constitution']).toBe(constitution);
    const start = { chainId: CHAIN_ID, height: h.height + 1n, blockTimeSeconds: GENESIS_TIME };
    expect(validateAppState(appState as unknown as AppState, false, start)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'ain-gov-expedited-export-'));
    const store = openCommittedState(join(dir, 'app.lmdb'));
    try {
      const restarted = new AinApplication(store);
      const answer = restarted.initChain(
        RequestInitChain.fromPartial({
          chainId: CHAIN_ID,
          initialHeight: h.height + 1n,
          time: { seconds: GENESIS_TIME, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(appState)),
        }),
      );
      expect(Buffer.from(answer.appHash).toString('hex')).toBe(Buffer.from(h.lastResponse().appHash).toString('hex'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
