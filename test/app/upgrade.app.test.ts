/**
 * Software upgrades through the whole app, in process: a passed proposal's MsgSoftwareUpgrade
 * schedules a plan (CurrentPlan answers it); at the plan's height the app without its handler refuses
 * the block (nothing committed) and a build without it refuses to start; an app with the handler
 * takes the same block again, runs the migration once (before the block's txs), records AppliedPlan,
 * clears the plan and goes on; a build predating the upgrade then refuses the state. A handler named
 * for no due plan never runs; a cancelled plan halts nothing; only the gov authority schedules.
 */
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest, QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryCurrentPlanRequest,
  QueryCurrentPlanResponse,
} from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpgradeHandler } from '../../app/upgrades.ts';
import { govAuthority } from '../../core/index.ts';
import { defaultGovParams } from '../../modules/gov/index.ts';
import { readStakingParams, writeStakingParams } from '../../modules/staking/params.ts';
import { anyOf, attribute, codeOf, DENOM, PosHarness } from './posHarness.fixture.ts';
import { thrownBy } from '../helpers/errorCode.ts';

const AIN = 1_000_000n;
const VOTING = defaultGovParams().votingPeriod;
const GOV = govAuthority();

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

/** Passes a proposal carrying `messages` (every validator votes yes); returns its final status. */
function enact(messages: ReturnType<typeof anyOf>[]): ProposalStatus {
  const proposer = h.delegators[0]!;
  const result = h.ok(proposer, [
    anyOf(MsgSubmitProposal, {
      proposer: proposer.address,
      messages,
      initialDeposit: [{ denom: DENOM, amount: (10n * AIN).toString() }],
      metadata: '',
      title: 'Upgrade',
      summary: 'Software upgrade',
    }),
  ]);
  const id = BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
  for (const v of h.validators)
    h.ok(v.operator, [anyOf(MsgVote, { proposalId: id, voter: v.operator.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' })]);
  h.finalize([], { seconds: VOTING });
  return h.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!
    .status;
}

const upgrade = (name: string, height: bigint, authority = GOV) =>
  anyOf(MsgSoftwareUpgrade, { authority, plan: { name, height, info: `https://example.org/${name}` } });
const currentPlan = () =>
  h.query('/cosmos.upgrade.v1beta1.Query/CurrentPlan', QueryCurrentPlanRequest.encode({}).finish(), QueryCurrentPlanResponse).plan;
const appliedPlan = (name: string) =>
  h.query('/cosmos.upgrade.v1beta1.Query/AppliedPlan', QueryAppliedPlanRequest.encode({ name }).finish(), QueryAppliedPlanResponse).height;
const maxValidators = () => readStakingParams(h.store).maxValidators;

/** A migration that sets staking's max_validators to 42 and counts its runs. */
function countingMigration(): { handler: UpgradeHandler; runs: () => number } {
  let runs = 0;
  return {
    handler: (ctx) => {
      runs += 1;
      writeStakingParams(ctx.state, { ...readStakingParams(ctx.state), maxValidators: 42 });
    },
    runs: () => runs,
  };
}

describe('upgrade app', () => {
  it('halts at the plan height without the handler; the build with it migrates once and goes on', () => {
    const unrelated = countingMigration();
    h = PosHarness.open({
      stakes: [100n * AIN, 100n * AIN, 100n * AIN],
      app: { upgradeHandlers: new Map([['other', unrelated.handler]]) },
    });
    h.finalize();
    expect(currentPlan()).toBeUndefined();
    const planHeight = h.height + 10n;
    expect(enact([upgrade('v2', planHeight)])).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(currentPlan()).toMatchObject({ name: 'v2', height: planHeight, info: 'https://example.org/v2' });
    expect(appliedPlan('v2')).toBe(0n);
    while (h.height < planHeight - 1n) h.finalize();
    const committedBefore = h.store.height;

    const oldApp = h.app;
    // The running build has no "v2" handler: the block at the plan's height is refused, nothing committed.
    const halt = thrownBy(() => h.finalize());
    expect([halt.codespace, halt.code]).toEqual(['upgrade', 100]);
    expect(halt.message).toContain(`UPGRADE "v2" NEEDED at height ${planHeight}: https://example.org/v2`);
    expect(h.store.height).toBe(committedBefore);
    expect(h.height).toBe(planHeight - 1n);
    // The same build (or one with other handlers only) refuses to start on this state.
    expect(thrownBy(() => h.restart()).message).toContain(`UPGRADE "v2" NEEDED at height ${planHeight}`);
    expect(thrownBy(() => h.restart({ upgradeHandlers: new Map([['other', unrelated.handler]]) })).code).toBe(100);

    // The new build: the same block is delivered again, the migration runs once before its txs.
    const v2 = countingMigration();
    h.restart({ upgradeHandlers: new Map([['v2', v2.handler]]) });
    expect(maxValidators()).toBe(100);
    const block = h.finalize();
    expect(h.height).toBe(planHeight);
    expect(v2.runs()).toBe(1);
    expect(attribute(block.events, 'upgrade_applied', 'name')).toBe('v2');
    expect(attribute(block.events, 'upgrade_applied', 'height')).toBe(planHeight.toString());
    expect(maxValidators()).toBe(42);
    expect(appliedPlan('v2')).toBe(planHeight);
    expect(currentPlan()).toBeUndefined();
    h.blocks(3);
    expect(v2.runs()).toBe(1);
    expect(unrelated.runs()).toBe(0);
    // A build predating the upgrade refuses the upgraded state (at startup, or as a state sync restore); the new build restarts on it.
    expect(thrownBy(() => h.restart()).message).toContain(`UPGRADE "v2" was applied at height ${planHeight}`);
    expect(thrownBy(() => oldApp.restored()).message).toContain(`UPGRADE "v2" was applied at height ${planHeight}`);
    h.restart({ upgradeHandlers: new Map([['v2', v2.handler]]) });
    h.finalize();
    expect(v2.runs()).toBe(1);
    // The name is spent: scheduling it again fails the proposal.
    expect(enact([upgrade('v2', h.height + 10n)])).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(currentPlan()).toBeUndefined();
  });

  it('a cancelled plan halts nothing; plans in the past fail; only the gov authority schedules', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN] });
    h.finalize();
    const planHeight = h.height + 20n;
    expect(enact([upgrade('v3', planHeight)])).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    // A later plan replaces it; a plan at a height already reached fails its proposal and changes nothing.
    expect(enact([upgrade('v3b', planHeight + 1n)])).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(currentPlan()).toMatchObject({ name: 'v3b', height: planHeight + 1n });
    expect(enact([upgrade('v3c', h.height)])).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(currentPlan()).toMatchObject({ name: 'v3b' });
    expect(enact([anyOf(MsgCancelUpgrade, { authority: GOV })])).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(currentPlan()).toBeUndefined();
    while (h.height <= planHeight + 2n) h.finalize();
    expect(appliedPlan('v3b')).toBe(0n);
    // Signed by anyone else, the messages are refused before they run.
    const user = h.delegators[1]!;
    expect(codeOf(h.send(user, [upgrade('v4', h.height + 5n, user.address)]))).toEqual(['gov', 13]);
    expect(codeOf(h.send(user, [anyOf(MsgCancelUpgrade, { authority: user.address })]))).toEqual(['gov', 13]);
    expect(codeOf(h.send(user, [upgrade('a/b', h.height + 5n, GOV)]))).toEqual(['sdk', 18]);
    expect(currentPlan()).toBeUndefined();
  });
});
