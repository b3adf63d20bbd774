/**
 * A software upgrade on a real node (CometBFT + the app as `aind start` runs them): a proposal carrying
 * MsgSoftwareUpgrade passes by the validator's vote and CurrentPlan answers the plan; at the plan's
 * height the app refuses the block, says `UPGRADE "ain-demo-upgrade" NEEDED at height H` and exits
 * (CometBFT stops at H-1); the same aind refuses to start on that state with the same message; the
 * test build that registers the demo migration (`test/helpers/aindUpgraded.ts`) takes block H again
 * from CometBFT, migrates once (staking max_validators) and the chain goes on, AppliedPlan answering H;
 * the old aind then refuses the upgraded state.
 */
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESS_PREFIX, govAuthority } from '../core/index.ts';
import { DEMO_MAX_VALIDATORS, DEMO_UPGRADE } from './helpers/aindUpgraded.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

/** The upgraded build: node's arguments before `start`. */
const UPGRADED = ['--import', 'tsx', 'test/helpers/aindUpgraded.ts'];
/** Blocks between the proposal and the plan: past the 4 s voting period at any block rate here. */
const PLAN_DISTANCE = 60;

let node: TestNode | undefined;
afterAll(async () => {
  await node?.stop();
});

async function rest(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${node!.apiUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('software upgrade on a real node', () => {
  it('halts at the plan height, refuses the old build, resumes with the handler', async () => {
    node = await startTestNode({
      accounts: 1,
      appState: (state) => ({ ...state, gov: { params: { voting_period: '4', max_deposit_period: '4', min_deposit: '1000000uain' } } }),
    });
    const n = node;
    const wallet = await DirectSecp256k1Wallet.fromKey(n.validator.operator.privkey, ADDRESS_PREFIX);
    const operator = await SigningStargateClient.connectWithSigner(n.rpcUrl, wallet, { gasPrice: GasPrice.fromString('0.025uain') });
    const address = n.validator.operator.address;
    const planHeight = (await n.height()) + PLAN_DISTANCE;
    const upgrade = MsgSoftwareUpgrade.fromPartial({
      authority: govAuthority(),
      plan: { name: DEMO_UPGRADE, height: BigInt(planHeight), info: 'run the build registering ain-demo-upgrade' },
    });
    const submitted = await operator.signAndBroadcast(
      address,
      [
        {
          typeUrl: MsgSubmitProposal.typeUrl,
          value: MsgSubmitProposal.fromPartial({
            messages: [{ typeUrl: MsgSoftwareUpgrade.typeUrl, value: MsgSoftwareUpgrade.encode(upgrade).finish() }],
            initialDeposit: [{ denom: 'uain', amount: '1000000' }],
            proposer: address,
            title: 'Demo upgrade',
            summary: `Upgrade to the demo build at height ${planHeight}`,
          }),
        },
      ],
      'auto',
    );
    expect(submitted.code, submitted.rawLog).toBe(0);
    const id = BigInt(submitted.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value);
    const voted = await operator.signAndBroadcast(
      address,
      [{ typeUrl: MsgVote.typeUrl, value: MsgVote.fromPartial({ proposalId: id, voter: address, option: VoteOption.VOTE_OPTION_YES }) }],
      'auto',
    );
    expect(voted.code, voted.rawLog).toBe(0);
    operator.disconnect();
    await until(
      `proposal ${id} passed`,
      async () =>
        ((await rest(`/cosmos/gov/v1/proposals/${id}`)) as { proposal: { status: string } }).proposal.status === 'PROPOSAL_STATUS_PASSED' ||
        undefined,
      30_000,
    );
    expect(await n.height()).toBeLessThan(planHeight - 1);
    // An unset time prints as the SDK prints Go's zero time.
    expect((await rest('/cosmos/upgrade/v1beta1/current_plan'))['plan']).toMatchObject({
      name: DEMO_UPGRADE,
      height: String(planHeight),
      time: '0001-01-01T00:00:00Z',
    });

    // At the plan's height the app stops with the message; CometBFT, without its app, stops too.
    const halted = await n.waitForExit('app', 90_000);
    expect(halted.code).toBe(1);
    expect(n.logTail('app', 60)).toContain(
      `UPGRADE "${DEMO_UPGRADE}" NEEDED at height ${planHeight}: run the build registering ain-demo-upgrade`,
    );
    await n.cometStopsAfterApp();

    // The old build refuses to start on this state, with the same message.
    await expect(n.startApp()).rejects.toThrow(`UPGRADE "${DEMO_UPGRADE}" NEEDED at height ${planHeight}`);

    // The build with the handler: CometBFT re-delivers block H, the migration runs, the chain goes on.
    await n.startApp(UPGRADED);
    await n.startComet();
    await n.waitForHeight(planHeight + 3, 60_000);
    expect(await rest(`/cosmos/upgrade/v1beta1/applied_plan/${DEMO_UPGRADE}`)).toEqual({ height: String(planHeight) });
    expect((await rest('/cosmos/upgrade/v1beta1/current_plan'))['plan']).toBeNull();
    expect((await rest('/cosmos/staking/v1beta1/params'))['params']).toMatchObject({ max_validators: DEMO_MAX_VALIDATORS });

    // Past the upgrade, the old build refuses the state it predates.
    await n.kill('comet', 'SIGTERM');
    await n.kill('app', 'SIGTERM');
    await expect(n.startApp()).rejects.toThrow(`UPGRADE "${DEMO_UPGRADE}" was applied at height ${planHeight}`);
  });
});
