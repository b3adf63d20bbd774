/**
 * Governance on a real single-node chain (CometBFT + the app), driven with CosmJS as a wallet would:
 * a v1 proposal carrying a staking MsgUpdateParams is submitted, deposited and voted on by the
 * validator's operator, passes at the end of its (short) voting period and the new param takes
 * effect; a v1beta1 TextProposal with too small a deposit waits and is dropped. CosmJS's gov
 * extension (v1beta1) and the REST gateway routes in both versions see the same proposals.
 */
import { Secp256k1Wallet } from '@cosmjs/amino';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import {
  GasPrice,
  type GovExtension,
  QueryClient,
  SigningStargateClient,
  setupGovExtension,
  setupStakingExtension,
  type StakingExtension,
} from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgCancelProposal, MsgDeposit, MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { MsgSubmitProposal as MsgSubmitProposalV1beta1, MsgVote as MsgVoteV1beta1 } from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryGov } from '../cmd/query/gov/handler.ts';
import { ADDRESS_PREFIX, govAuthority } from '../core/index.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

/** Seconds of block time: short, so the test sees the end of both periods (voting long enough for three votes). */
const PERIOD = 12;
const DEPOSIT_PERIOD = 6;

let node: TestNode;
const CONSTITUTION = 'Compute is paid for what it proves.';
let comet: CometClient;
let query: QueryClient & GovExtension & StakingExtension;

beforeAll(async () => {
  node = await startTestNode({
    accounts: 2,
    appState: (state) => ({
      ...state,
      gov: {
        params: { voting_period: String(PERIOD), max_deposit_period: String(DEPOSIT_PERIOD), min_deposit: '5000000uain' },
        constitution: CONSTITUTION,
      },
    }),
  });
  comet = await connectComet(node.rpcUrl);
  query = QueryClient.withExtensions(comet, setupGovExtension, setupStakingExtension);
});

afterAll(async () => {
  comet?.disconnect();
  await node?.stop();
});

async function rest(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${node.apiUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('gov on a real node through CosmJS', () => {
  it('a param change proposal is deposited, voted on by stake, passes and takes effect', async () => {
    const { client, address } = await fundedClient(node, 0);
    const operatorWallet = await DirectSecp256k1Wallet.fromKey(node.validator.operator.privkey, ADDRESS_PREFIX);
    const operator = await SigningStargateClient.connectWithSigner(node.rpcUrl, operatorWallet, {
      gasPrice: GasPrice.fromString('0.025uain'),
    });
    try {
      const update = MsgUpdateParams.fromPartial({
        authority: govAuthority(),
        params: {
          unbondingTime: { seconds: 1_814_400n, nanos: 0 },
          maxValidators: 42,
          maxEntries: 7,
          historicalEntries: 0,
          bondDenom: 'uain',
          minCommissionRate: '0',
        },
      });
      const submitted = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: MsgSubmitProposal.typeUrl,
            value: MsgSubmitProposal.fromPartial({
              messages: [{ typeUrl: MsgUpdateParams.typeUrl, value: MsgUpdateParams.encode(update).finish() }],
              initialDeposit: [{ denom: 'uain', amount: '2000000' }],
              proposer: address,
              title: 'Max 42 validators',
              summary: 'Set staking max_validators to 42',
            }),
          },
        ],
        'auto',
      );
      expect(submitted.code, submitted.rawLog).toBe(0);
      const id = BigInt(submitted.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value);
      expect((await query.gov.proposal(String(id))).proposal!.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);

      const deposited = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: MsgDeposit.typeUrl,
            value: MsgDeposit.fromPartial({ proposalId: id, depositor: address, amount: [{ denom: 'uain', amount: '3000000' }] }),
          },
        ],
        'auto',
      );
      expect(deposited.code, deposited.rawLog).toBe(0);
      const voting = (await query.gov.proposal(String(id))).proposal!;
      expect(voting.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
      expect(voting.totalDeposit).toEqual([{ denom: 'uain', amount: '5000000' }]);
      expect((await rest(`/cosmos/gov/v1/proposals/${id}/deposits`))['deposits']).toEqual([
        { proposal_id: id.toString(), depositor: address, amount: [{ denom: 'uain', amount: '5000000' }] },
      ]);
      expect((await query.gov.deposits(String(id))).deposits).toEqual([
        { proposalId: id, depositor: address, amount: [{ denom: 'uain', amount: '5000000' }] },
      ]);

      const operatorAddress = node.validator.operator.address;
      const voted = await operator.signAndBroadcast(
        operatorAddress,
        [
          {
            typeUrl: MsgVote.typeUrl,
            value: MsgVote.fromPartial({ proposalId: id, voter: operatorAddress, option: VoteOption.VOTE_OPTION_YES }),
          },
        ],
        'auto',
      );
      expect(voted.code, voted.rawLog).toBe(0);
      expect((await query.gov.votes(String(id))).votes.map((v) => [v.voter, v.options[0]?.option])).toEqual([
        [operatorAddress, VoteOption.VOTE_OPTION_YES],
      ]);
      // A wallet signing in amino JSON (Keplr with a Ledger) votes with the v1beta1 message; no stake, no weight.
      const aminoVoter = node.accounts[1]!;
      const amino = await SigningStargateClient.connectWithSigner(
        node.rpcUrl,
        await Secp256k1Wallet.fromKey(aminoVoter.privkey, ADDRESS_PREFIX),
        {
          gasPrice: GasPrice.fromString('0.025uain'),
        },
      );
      const aminoVote = await amino.signAndBroadcast(
        aminoVoter.address,
        [
          {
            typeUrl: MsgVoteV1beta1.typeUrl,
            value: MsgVoteV1beta1.fromPartial({ proposalId: id, voter: aminoVoter.address, option: VoteOption.VOTE_OPTION_NO }),
          },
        ],
        'auto',
      );
      amino.disconnect();
      expect(aminoVote.code, aminoVote.rawLog).toBe(0);
      expect((await rest(`/cosmos/gov/v1beta1/proposals/${id}/votes/${aminoVoter.address}`))['vote']).toMatchObject({
        option: 'VOTE_OPTION_NO',
        options: [{ option: 'VOTE_OPTION_NO', weight: '1.000000000000000000' }],
      });
      expect((await query.gov.tally(String(id))).tally!.yes).toBe(node.validator.stake.toString());
      const v1Tally = await rest(`/cosmos/gov/v1/proposals/${id}/tally`);
      expect(v1Tally).toEqual({
        tally: { yes_count: node.validator.stake.toString(), abstain_count: '0', no_count: '0', no_with_veto_count: '0' },
      });

      const passed = await until(
        `proposal ${id} passed`,
        async () => {
          const p = (await query.gov.proposal(String(id))).proposal!;
          return p.status === ProposalStatus.PROPOSAL_STATUS_PASSED ? p : undefined;
        },
        30_000,
      );
      expect(passed.finalTallyResult.yes).toBe(node.validator.stake.toString());
      expect((await query.staking.params()).params!.maxValidators).toBe(42);
      const listed = (await query.gov.proposals(ProposalStatus.PROPOSAL_STATUS_PASSED, '', '')).proposals;
      expect(listed.map((p) => [p.proposalId, p.content?.typeUrl])).toEqual([[id, MsgUpdateParams.typeUrl]]);
      const v1 = await rest(`/cosmos/gov/v1/proposals/${id}`);
      expect(v1['proposal']).toMatchObject({
        id: id.toString(),
        status: 'PROPOSAL_STATUS_PASSED',
        title: 'Max 42 validators',
        messages: [{ '@type': MsgUpdateParams.typeUrl, authority: govAuthority() }],
      });
      const params = await rest('/cosmos/gov/v1beta1/params/tallying');
      expect(params['tally_params']).toEqual({
        quorum: '0.334000000000000000',
        threshold: '0.500000000000000000',
        veto_threshold: '0.334000000000000000',
      });
      expect((await rest('/cosmos/gov/v1/params/voting'))['voting_params']).toEqual({ voting_period: `${PERIOD}s` });
      // The CLI's queries (aind query gov ...) read the same.
      expect(await queryGov(node.rpcUrl, 'proposals', [], { status: 'passed' })).toMatchObject({
        proposals: [
          { id: id.toString(), status: 'PROPOSAL_STATUS_PASSED', final_tally_result: { yes_count: node.validator.stake.toString() } },
        ],
      });
      expect(await queryGov(node.rpcUrl, 'params', [], {})).toMatchObject({
        params: { voting_period: `${PERIOD}s`, min_deposit: [{ denom: 'uain', amount: '5000000' }] },
      });
      expect(await queryGov(node.rpcUrl, 'constitution', [], {})).toEqual({ constitution: CONSTITUTION });
    } finally {
      operator.disconnect();
      client.disconnect();
    }
  });

  it('a v1beta1 text proposal short of its minimum deposit is dropped at the end of its deposit period, its deposit refunded', async () => {
    const { client, address } = await fundedClient(node, 1);
    try {
      const content = {
        typeUrl: '/cosmos.gov.v1beta1.TextProposal',
        value: TextProposal.encode({ title: 'Hello', description: 'A signal' }).finish(),
      };
      const result = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: MsgSubmitProposalV1beta1.typeUrl,
            value: MsgSubmitProposalV1beta1.fromPartial({
              content,
              initialDeposit: [{ denom: 'uain', amount: '1000' }],
              proposer: address,
            }),
          },
        ],
        'auto',
      );
      expect(result.code, result.rawLog).toBe(0);
      const id = BigInt(result.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value);
      const waiting = (await query.gov.proposal(String(id))).proposal!;
      expect(waiting.content?.typeUrl).toBe('/cosmos.gov.v1.MsgExecLegacyContent');
      const v1beta1 = await rest(`/cosmos/gov/v1beta1/proposals?proposal_status=PROPOSAL_STATUS_DEPOSIT_PERIOD&depositor=${address}`);
      expect((v1beta1['proposals'] as unknown[]).length).toBe(1);
      const before = BigInt((await client.getBalance(address, 'uain')).amount);
      await until(
        `proposal ${id} dropped`,
        async () => {
          const response = await fetch(`${node.apiUrl}/cosmos/gov/v1/proposals/${id}`);
          return response.status === 404 ? true : undefined;
        },
        30_000,
      );
      expect(BigInt((await client.getBalance(address, 'uain')).amount)).toBe(before + 1000n);
    } finally {
      client.disconnect();
    }
  });

  it('an expedited proposal is cancelled by its proposer: half its deposit burned, half refunded, the proposal gone', async () => {
    const { client, address } = await fundedClient(node, 1);
    client.registry.register(MsgCancelProposal.typeUrl, MsgCancelProposal);
    try {
      const submitted = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: MsgSubmitProposal.typeUrl,
            value: MsgSubmitProposal.fromPartial({
              initialDeposit: [{ denom: 'uain', amount: '1001' }],
              proposer: address,
              title: 'Fast signal',
              summary: 'An expedited proposal with no messages',
              expedited: true,
            }),
          },
        ],
        'auto',
      );
      expect(submitted.code, submitted.rawLog).toBe(0);
      const id = submitted.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value;
      expect(((await rest(`/cosmos/gov/v1/proposals/${id}`))['proposal'] as { expedited: boolean }).expedited).toBe(true);
      // Another account may not cancel it (gov/18), whether CheckTx or the block refuses it.
      const other = await fundedClient(node, 0);
      other.client.registry.register(MsgCancelProposal.typeUrl, MsgCancelProposal);
      try {
        const byOther = {
          typeUrl: MsgCancelProposal.typeUrl,
          value: MsgCancelProposal.fromPartial({ proposalId: BigInt(id), proposer: other.address }),
        };
        const refusal = await other.client
          .signAndBroadcast(other.address, [byOther], { amount: [{ denom: 'uain', amount: '5000' }], gas: '200000' })
          .then(
            (result) => result.rawLog ?? '',
            (error: Error) => error.message,
          );
        expect(refusal).toMatch(/is not the proposer of proposal/);
      } finally {
        other.client.disconnect();
      }
      const cancelled = await client.signAndBroadcast(
        address,
        [{ typeUrl: MsgCancelProposal.typeUrl, value: MsgCancelProposal.fromPartial({ proposalId: BigInt(id), proposer: address }) }],
        'auto',
      );
      expect(cancelled.code, cancelled.rawLog).toBe(0);
      const attribute = (type: string, key: string) =>
        cancelled.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
      expect(attribute('cancel_proposal', 'proposal_id')).toBe(id);
      // 1001 x 0.5, truncated, burned; the other 501 back to the proposer.
      expect(attribute('burn', 'amount')).toBe('500uain');
      const refund = cancelled.events.find(
        (e) => e.type === 'transfer' && e.attributes.some((a) => a.key === 'recipient' && a.value === address),
      );
      expect(refund?.attributes.find((a) => a.key === 'amount')?.value).toBe('501uain');
      expect((await fetch(`${node.apiUrl}/cosmos/gov/v1/proposals/${id}`)).status).toBe(404);
    } finally {
      client.disconnect();
    }
  });
});
