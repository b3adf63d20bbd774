/**
 * The gov module through the whole app, in process: a staking param change proposal passes and takes
 * effect at the end of its voting period; one fails on quorum (deposits refunded); a veto burns the
 * deposits; a delegator's own vote overrides its validator's; refusals change nothing. Every block
 * also checks that no token is created or lost (burned deposits leave the supply).
 */
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryParamsRequest as GovParamsRequest,
  QueryParamsResponse as GovParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import {
  MsgDeposit,
  MsgSubmitProposal,
  MsgUpdateParams as GovMsgUpdateParams,
  MsgVote,
  MsgVoteWeighted,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import * as beta from 'cosmjs-types/cosmos/gov/v1beta1/query';
import { MsgVoteWeighted as LegacyMsgVoteWeighted } from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { QueryParamsRequest, QueryParamsResponse } from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { MsgDelegate, MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MsgUpdateParams as DistributionUpdateParams } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { MsgUpdateParams as SlashingUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import {
  QueryParamsRequest as SlashingParamsRequest,
  QueryParamsResponse as SlashingParamsResponse,
} from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryParamsResponse as AinftParamsResponse } from '../../proto/gen/ain/ainft/v1/query.ts';
import { MsgUpdateParams as AinftUpdateParams } from '../../proto/gen/ain/ainft/v1/tx.ts';
import { QueryParamsResponse as JobsParamsResponse } from '../../proto/gen/ain/jobs/v1/query.ts';
import { MsgUpdateParams as JobsUpdateParams } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { QueryParamsResponse as StorageParamsResponse } from '../../proto/gen/ain/storage/v1/query.ts';
import { MsgUpdateParams as StorageUpdateParams } from '../../proto/gen/ain/storage/v1/tx.ts';
import { defaultAinftParams, ainftParamsToProto } from '../../modules/ainft/params.ts';
import { defaultJobsParams, jobsParamsToProto } from '../../modules/jobs/params.ts';
import { defaultStorageParams, storageParamsToProto } from '../../modules/storage/params.ts';
import { MsgUpdateParams as AuthUpdateParams } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { QueryParamsResponse as AuthParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { MsgUpdateParams as ComputeUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { QueryParamsResponse as ComputeParamsResponse } from '../../proto/gen/ain/compute/v1/query.ts';
import { AinApplication } from '../../app/application.ts';
import { type AppState, validateAppState } from '../../app/index.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { govAuthority } from '../../core/index.ts';
import { defaultGovParams, govParamsToProto } from '../../modules/gov/index.ts';
import { anyOf, attribute, CHAIN_ID, codeOf, DENOM, FEE, GENESIS_TIME, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const DEPOSIT = 10n * AIN;
const VOTING = defaultGovParams().votingPeriod;
const GOV = govAuthority();

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const stakingParams = (maxValidators: number) => ({
  unbondingTime: { seconds: 1_814_400n, nanos: 0 },
  maxValidators,
  maxEntries: 7,
  historicalEntries: 0,
  bondDenom: DENOM,
  minCommissionRate: '0',
});
const updateStaking = (maxValidators: number, authority = GOV) =>
  anyOf(MsgUpdateParams, { authority, params: stakingParams(maxValidators) });
const submit = (proposer: string, messages: ReturnType<typeof anyOf>[], deposit = DEPOSIT) =>
  anyOf(MsgSubmitProposal, {
    proposer,
    messages,
    initialDeposit: [{ denom: DENOM, amount: deposit.toString() }],
    metadata: '',
    title: 'Two validators',
    summary: 'Shrink the active set',
  });
const vote = (voter: string, id: bigint, option: VoteOption) => anyOf(MsgVote, { proposalId: id, voter, option, metadata: '' });
const proposal = (id: bigint) =>
  h.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!;
const maxValidators = () =>
  h.query('/cosmos.staking.v1beta1.Query/Params', QueryParamsRequest.encode({}).finish(), QueryParamsResponse).params!.maxValidators;
const tally = (id: bigint) =>
  h.query('/cosmos.gov.v1.Query/TallyResult', QueryTallyResultRequest.encode({ proposalId: id }).finish(), QueryTallyResultResponse).tally!;

/** Submits a proposal changing max_validators to 2 from delegator 0; returns its id. */
function propose(): bigint {
  const result = h.ok(h.delegators[0]!, [submit(h.delegators[0]!.address, [updateStaking(2)])]);
  return BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
}

describe('gov app', () => {
  it('a param change proposal passes and takes effect at the end of its voting period; deposits come back', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN] });
    const proposer = h.delegators[0]!;
    h.finalize();
    const before = h.balance(proposer.address);
    const id = propose();
    expect(id).toBe(1n);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(h.balance(GOV)).toBe(DEPOSIT);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.ok(h.validators[1]!.operator, [
      anyOf(MsgVoteWeighted, {
        proposalId: id,
        voter: h.validators[1]!.operator.address,
        options: [
          { option: VoteOption.VOTE_OPTION_YES, weight: '0.75' },
          { option: VoteOption.VOTE_OPTION_NO, weight: '0.25' },
        ],
        metadata: '',
      }),
    ]);
    expect(tally(id)).toEqual({ yesCount: '175000000', abstainCount: '0', noCount: '25000000', noWithVetoCount: '0' });
    const votes = h.query('/cosmos.gov.v1.Query/Votes', QueryVotesRequest.encode({ proposalId: id }).finish(), QueryVotesResponse);
    expect(votes.votes.map((v) => v.voter).sort()).toEqual([h.validators[0]!.operator.address, h.validators[1]!.operator.address].sort());
    expect(maxValidators()).toBe(100);
    h.finalize([], { seconds: VOTING });
    const done = proposal(id);
    expect(done.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(done.finalTallyResult).toEqual({ yesCount: '175000000', abstainCount: '0', noCount: '25000000', noWithVetoCount: '0' });
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_result')).toBe('proposal_passed');
    expect(maxValidators()).toBe(2);
    expect(h.balance(GOV)).toBe(0n);
    expect(h.balance(proposer.address)).toBe(before - FEE);
    // The v1beta1 face sees the same proposal, its content the first message.
    const legacy = h.query(
      '/cosmos.gov.v1beta1.Query/Proposals',
      beta.QueryProposalsRequest.encode({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_PASSED, voter: '', depositor: '' }).finish(),
      beta.QueryProposalsResponse,
    );
    expect(legacy.proposals.map((p) => [p.proposalId, p.content?.typeUrl])).toEqual([[1n, '/cosmos.staking.v1beta1.MsgUpdateParams']]);
  });

  it('a proposal short of quorum is rejected, changes nothing and refunds its deposits', () => {
    h = PosHarness.open({ stakes: [10n * AIN, 45n * AIN, 45n * AIN] });
    h.finalize();
    const id = propose();
    h.ok(h.delegators[1]!, [
      anyOf(MsgDeposit, { proposalId: id, depositor: h.delegators[1]!.address, amount: [{ denom: DENOM, amount: '5' }] }),
    ]);
    const depositorBefore = h.balance(h.delegators[1]!.address);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_log')).toBe('quorum not reached');
    expect(maxValidators()).toBe(100);
    expect(h.balance(GOV)).toBe(0n);
    expect(h.balance(h.delegators[1]!.address)).toBe(depositorBefore + 5n);
    expect(h.burned).toBe(0n);
  });

  it('a veto rejects the proposal and burns every deposit', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN] });
    h.finalize();
    const id = propose();
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.ok(h.validators[1]!.operator, [vote(h.validators[1]!.operator.address, id, VoteOption.VOTE_OPTION_NO_WITH_VETO)]);
    h.ok(h.validators[2]!.operator, [vote(h.validators[2]!.operator.address, id, VoteOption.VOTE_OPTION_NO_WITH_VETO)]);
    const burnedBefore = h.burned;
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(attribute(h.lastResponse().events, 'active_proposal', 'proposal_log')).toBe('vetoed');
    expect(h.burned - burnedBefore).toBe(DEPOSIT);
    expect(h.balance(GOV)).toBe(0n);
    expect(maxValidators()).toBe(100);
  });

  it("a delegator's own vote overrides its validator's for its shares", () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN] });
    const delegator = h.delegators[1]!;
    h.ok(delegator, [
      anyOf(MsgDelegate, {
        delegatorAddress: delegator.address,
        validatorAddress: h.validators[0]!.valoper,
        amount: { denom: DENOM, amount: (60n * AIN).toString() },
      }),
    ]);
    const id = propose();
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    // Without its own vote the delegator's 60 AIN follows validator 0.
    expect(tally(id)).toEqual({ yesCount: '160000000', abstainCount: '0', noCount: '0', noWithVetoCount: '0' });
    h.ok(delegator, [vote(delegator.address, id, VoteOption.VOTE_OPTION_NO)]);
    expect(tally(id)).toEqual({ yesCount: '100000000', abstainCount: '0', noCount: '60000000', noWithVetoCount: '0' });
    h.ok(h.validators[1]!.operator, [vote(h.validators[1]!.operator.address, id, VoteOption.VOTE_OPTION_NO)]);
    h.finalize([], { seconds: VOTING });
    const done = proposal(id);
    expect(done.finalTallyResult).toEqual({ yesCount: '100000000', abstainCount: '0', noCount: '160000000', noWithVetoCount: '0' });
    expect(done.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(maxValidators()).toBe(100);
  });

  it('refuses params signed by anyone but the authority, proposals whose messages another account signs, and votes outside the voting period', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const user = h.delegators[0]!;
    h.finalize();
    expect(codeOf(h.send(user, [updateStaking(2, user.address)]))).toEqual(['gov', 13]);
    const govParams = anyOf(GovMsgUpdateParams, { authority: user.address, params: govParamsToProto(defaultGovParams()) });
    expect(codeOf(h.send(user, [govParams]))).toEqual(['gov', 13]);
    const before = h.balance(user.address);
    const refused = h.send(user, [submit(user.address, [updateStaking(2, user.address)])]);
    expect(codeOf(refused)).toEqual(['gov', 13]);
    // The inner refusal's description is not repeated by the wrapping (it printed twice).
    expect(refused.log.split('expected gov account as only signer for proposal message')).toHaveLength(2);
    expect(refused.log).toMatch(/^messages\[0\] \(\/cosmos\.staking\.v1beta1\.MsgUpdateParams\): invalid authority; expected ain1/);
    expect(h.balance(user.address)).toBe(before - FEE);
    expect(codeOf(h.send(user, [vote(user.address, 1n, VoteOption.VOTE_OPTION_YES)]))).toEqual(['gov', 2]);
    // A deposit short of the minimum leaves the proposal in its deposit period; no vote is taken then.
    const id = BigInt(attribute(h.ok(user, [submit(user.address, [], 1n)]).events, 'submit_proposal', 'proposal_id')!);
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    expect(codeOf(h.send(user, [vote(user.address, id, VoteOption.VOTE_OPTION_YES)]))).toEqual(['gov', 3]);
    // Past the deposit period it is dropped and (by default) its deposit refunded.
    h.finalize([], { seconds: defaultGovParams().maxDepositPeriod });
    expect(attribute(h.lastResponse().events, 'inactive_proposal', 'proposal_id')).toBe(id.toString());
    expect(h.balance(GOV)).toBe(0n);
    const proposals = h.query(
      '/cosmos.gov.v1.Query/Proposals',
      QueryProposalsRequest.encode({ proposalStatus: 0, voter: '', depositor: '' }).finish(),
      QueryProposalsResponse,
    );
    expect(proposals.proposals).toEqual([]);
    const params = h.query('/cosmos.gov.v1.Query/Params', GovParamsRequest.encode({ paramsType: '' }).finish(), GovParamsResponse).params!;
    expect(params.quorum).toBe('0.334000000000000000');
  });

  it("runs a passed proposal's messages all or none: distribution and slashing params together, or neither when one fails", () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const proposer = h.delegators[0]!;
    const ascii = (text: string) => new TextEncoder().encode(text);
    const slashing = (window: bigint) =>
      anyOf(SlashingUpdateParams, {
        authority: GOV,
        params: {
          signedBlocksWindow: window,
          minSignedPerWindow: ascii('500000000000000000'),
          downtimeJailDuration: { seconds: 600n, nanos: 0 },
          slashFractionDoubleSign: ascii('50000000000000000'),
          slashFractionDowntime: ascii('100000000000000'),
        },
      });
    const distribution = anyOf(DistributionUpdateParams, {
      authority: GOV,
      params: { communityTax: '100000000000000000', baseProposerReward: '0', bonusProposerReward: '0', withdrawAddrEnabled: true },
    });
    const window = () =>
      h.query('/cosmos.slashing.v1beta1.Query/Params', SlashingParamsRequest.encode({}).finish(), SlashingParamsResponse).params!
        .signedBlocksWindow;
    const pass = (messages: ReturnType<typeof anyOf>[]) => {
      const result = h.ok(proposer, [submit(proposer.address, messages)]);
      const id = BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
      h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
      h.finalize([], { seconds: VOTING });
      return proposal(id);
    };
    // The second message asks for a window past the bound: the proposal fails and the tax stays 0.02.
    const failed = pass([distribution, slashing(10_000_000n)]);
    expect(failed.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(failed.failedReason).toMatch(/signed_blocks_window/);
    expect(h.store.get('/params/distribution/community_tax')).toBe('0.02');
    expect(window()).toBe(100n);
    const passed = pass([distribution, slashing(200n)]);
    expect(passed.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(h.store.get('/params/distribution/community_tax')).toBe('0.1');
    expect(window()).toBe(200n);
    // A handler that throws something other than an AinError (a bug) fails the proposal, naming only
    // the message and the error's class; EndBlock goes on and nothing of the proposal applies.
    const { handler } = h.app.modules.msgRouter.route(distribution, 0);
    const bug = vi.spyOn(handler, 'handle').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    try {
      const buggy = pass([slashing(300n), distribution]);
      expect(buggy.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
      expect(buggy.failedReason).toBe('messages[1] (/cosmos.distribution.v1beta1.MsgUpdateParams) failed with an unexpected TypeError');
      expect(window()).toBe(200n);
    } finally {
      bug.mockRestore();
    }
  });

  it('a chain exported in the middle of a vote (proposal, deposits, votes, params) restarts with the same app hash', async () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN] });
    const id = propose();
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    // Weighted votes whose txs list the options out of order (v1 and v1beta1): the keeper stores them
    // sorted by option, and genesis checks that order, so the export must still import.
    const { NO, NO_WITH_VETO, YES, ABSTAIN } = { NO: 3, NO_WITH_VETO: 4, YES: 1, ABSTAIN: 2 } as const;
    const [weighted, legacy] = [h.validators[1]!.operator, h.delegators[0]!];
    h.ok(weighted, [
      anyOf(MsgVoteWeighted, {
        proposalId: id,
        voter: weighted.address,
        options: [
          { option: NO, weight: '0.25' },
          { option: YES, weight: '0.75' },
        ],
        metadata: '',
      }),
    ]);
    const atomics = (tenths: bigint) => (tenths * 10n ** 17n).toString();
    h.ok(legacy, [
      anyOf(LegacyMsgVoteWeighted, {
        proposalId: id,
        voter: legacy.address,
        options: [
          { option: NO_WITH_VETO, weight: atomics(2n) },
          { option: ABSTAIN, weight: atomics(3n) },
          { option: YES, weight: atomics(5n) },
        ],
      }),
    ]);
    const appState = h.app.exportGenesis();
    const leaves = (appState['gov'] as { leaves: Record<string, string> }).leaves;
    expect(Object.keys(leaves).length).toBeGreaterThan(3);
    const stored = (voter: string) => {
      const path = Object.keys(leaves).find((p) => p.startsWith('/gov/votes/') && p.endsWith(`/${voter}`))!;
      return (JSON.parse(leaves[path]!) as { options: Array<{ option: number }> }).options.map((o) => o.option);
    };
    expect(stored(weighted.address)).toEqual([YES, NO]);
    expect(stored(legacy.address)).toEqual([YES, ABSTAIN, NO_WITH_VETO]);
    const start = { chainId: CHAIN_ID, height: h.height + 1n, blockTimeSeconds: GENESIS_TIME };
    expect(validateAppState(appState as unknown as AppState, false, start)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'ain-gov-export-'));
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

  it('turns compute-driven supply on through a proposal carrying its MsgUpdateParams', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const proposer = h.delegators[0]!;
    const computeParams = {
      epochBlocks: 50n,
      averageWeight: '0.25',
      growthThreshold: '0.1',
      fallThreshold: '0.2',
      mintPerUnit: '1000',
      burnPerUnit: '1000',
      maxMintPerEpoch: '1000000',
      workerShare: '0.5',
      baseUnits: 10n,
      unitsPerCpu: 1n,
      unitsPerGpu: 100n,
      unitsPerGib: 1n,
    };
    const update = {
      typeUrl: `/${ComputeUpdateParams.$type}`,
      value: ComputeUpdateParams.encode(ComputeUpdateParams.fromPartial({ authority: GOV, params: computeParams })).finish(),
    };
    const enabled = () =>
      ComputeParamsResponse.decode(
        h.app.query({ path: '/ain.compute.v1.Query/Params', data: new Uint8Array(), height: 0n, prove: false }).value,
      );
    expect(enabled().enabled).toBe(false);
    const direct = {
      typeUrl: update.typeUrl,
      value: ComputeUpdateParams.encode(ComputeUpdateParams.fromPartial({ authority: proposer.address, params: computeParams })).finish(),
    };
    expect(codeOf(h.send(proposer, [direct]))).toEqual(['gov', 13]);
    const result = h.ok(proposer, [submit(proposer.address, [update])]);
    const id = BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(enabled()).toMatchObject({ enabled: true, params: { epochBlocks: 50n, mintPerUnit: '1000' } });
  });

  it("changes auth's params (the fee and signature settings of every tx) only through a proposal", () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const proposer = h.delegators[0]!;
    const params = {
      maxMemoCharacters: 512n,
      txSigLimit: 7n,
      txSizeCostPerByte: 20n,
      sigVerifyCostEd25519: 590n,
      sigVerifyCostSecp256k1: 2000n,
    };
    const authParams = () =>
      AuthParamsResponse.decode(
        h.app.query({ path: '/cosmos.auth.v1beta1.Query/Params', data: new Uint8Array(), height: 0n, prove: false }).value,
      ).params!;
    const before = authParams();
    // Two signal proposals before the change: the second one's gas is the steady figure to compare with.
    h.ok(proposer, [submit(proposer.address, [])]);
    const signalGas = h.ok(proposer, [submit(proposer.address, [])]).gasUsed;
    expect(codeOf(h.send(proposer, [anyOf(AuthUpdateParams, { authority: proposer.address, params })]))).toEqual(['gov', 13]);
    const result = h.ok(proposer, [submit(proposer.address, [anyOf(AuthUpdateParams, { authority: GOV, params })])]);
    const id = BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(authParams()).toMatchObject({ maxMemoCharacters: 512n, txSigLimit: 7n, txSizeCostPerByte: 20n, sigVerifyCostSecp256k1: 2000n });
    expect(before.maxMemoCharacters).not.toBe(512n);
    // The next tx pays the new size and signature costs, and still goes through.
    expect(h.ok(proposer, [submit(proposer.address, [])]).gasUsed).toBeGreaterThan(signalGas);
  });

  it("changes the AIN modules' params (jobs, ainft, storage) through one proposal", () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    const proposer = h.delegators[0]!;
    const ours = <T>(codec: { $type: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T }, message: object) => ({
      typeUrl: `/${codec.$type}`,
      value: codec.encode(codec.fromPartial(message)).finish(),
    });
    const jobs = { ...jobsParamsToProto(defaultJobsParams()), maxWorkersPerRequest: 3 };
    const ainft = { ...ainftParamsToProto(defaultAinftParams()), maxDepth: 2 };
    const storage = { ...storageParamsToProto(defaultStorageParams()), maxGrants: 5n };
    const messages = [
      ours(JobsUpdateParams, { authority: GOV, params: jobs }),
      ours(AinftUpdateParams, { authority: GOV, params: ainft }),
      ours(StorageUpdateParams, { authority: GOV, params: storage }),
    ];
    expect(codeOf(h.send(proposer, [ours(JobsUpdateParams, { authority: proposer.address, params: jobs })]))).toEqual(['gov', 13]);
    const result = h.ok(proposer, [submit(proposer.address, messages)]);
    const id = BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
    h.ok(h.validators[0]!.operator, [vote(h.validators[0]!.operator.address, id, VoteOption.VOTE_OPTION_YES)]);
    h.finalize([], { seconds: VOTING });
    expect(proposal(id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    const params = <T>(path: string, codec: { decode(b: Uint8Array): T }) =>
      codec.decode(h.app.query({ path, data: new Uint8Array(), height: 0n, prove: false }).value);
    expect(params('/ain.jobs.v1.Query/Params', JobsParamsResponse).params!.maxWorkersPerRequest).toBe(3);
    expect(params('/ain.ainft.v1.Query/Params', AinftParamsResponse).params!.maxDepth).toBe(2);
    expect(params('/ain.storage.v1.Query/Params', StorageParamsResponse).params!.maxGrants).toBe(5n);
  });
});
