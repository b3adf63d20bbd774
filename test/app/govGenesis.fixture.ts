/**
 * An exported genesis holding governance, upgrade, committee, distribution and slashing state
 * mid-flight, for the genesis tests (test/app/posHarness.fixture.ts drives a four-validator chain
 * with signed txs): a gov proposal waiting for deposits and one being voted on (deposits, votes,
 * both queues), a passed one that set a committee and scheduled a software upgrade far ahead, a
 * funded committee with an open proposal, a validator jailed for downtime and one tombstoned for
 * double signing (signing infos, missed-block windows), and rewards owed to validators and delegators.
 */
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgDeposit, MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgDelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { govAuthority } from '../../core/index.ts';
import { committeeAddress } from '../../modules/committee/index.ts';
import { defaultGovParams } from '../../modules/gov/index.ts';
import { MsgCommitteePropose, MsgCommitteeVote, MsgFundCommittee, MsgUpdateCommittee } from '../../proto/gen/ain/committee/v1/tx.ts';
import type { ExportedChain } from './genesisMutation.fixture.ts';
import { anyOf, attribute, CHAIN_ID, DENOM, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const GOV = govAuthority();
const coins = (amount: bigint) => [{ denom: DENOM, amount: amount.toString() }];

export async function exportGovChain(): Promise<ExportedChain> {
  const h = PosHarness.open({
    stakes: [100n * AIN, 100n * AIN, 100n * AIN, 100n * AIN],
    delegators: 3,
    slashing: { signed_blocks_window: '10', min_signed_per_window: '0.5', downtime_jail_duration: '600' },
  });
  try {
    const [v0, v1, v2, v3] = h.validators;
    const [d0, d1, d2] = h.delegators;
    const submit = (proposer = d0!, messages: Any[] = [], deposit = 10n * AIN, title = 'Proposal'): bigint => {
      const result = h.ok(proposer, [
        anyOf(MsgSubmitProposal, {
          proposer: proposer.address,
          messages,
          initialDeposit: coins(deposit),
          metadata: '',
          title,
          summary: title,
        }),
      ]);
      return BigInt(attribute(result.events, 'submit_proposal', 'proposal_id')!);
    };
    const voteAll = (id: bigint) => {
      for (const v of h.validators)
        h.ok(v.operator, [anyOf(MsgVote, { proposalId: id, voter: v.operator.address, option: VoteOption.VOTE_OPTION_YES })]);
    };

    // Passed: a committee (d0 weight 2, d1 and d2 weight 1, threshold 3) and an upgrade far ahead.
    const passed = submit(d0, [
      anyOf(MsgUpdateCommittee, {
        authority: GOV,
        members: [
          { address: d0!.address, weight: 2n },
          { address: d1!.address, weight: 1n },
          { address: d2!.address, weight: 1n },
        ],
        threshold: 3n,
      }),
      anyOf(MsgSoftwareUpgrade, { authority: GOV, plan: { name: 'v9', height: 10_000_000n, info: 'https://example.org/v9' } }),
    ]);
    voteAll(passed);
    h.finalize([], { seconds: defaultGovParams().votingPeriod });

    // The committee's fund and an open proposal with one vote below the threshold.
    h.ok(d2!, [anyOf(MsgFundCommittee, { sender: d2!.address, amount: `${50n * AIN}${DENOM}` })]);
    const spend = anyOf(MsgSend, { fromAddress: committeeAddress(), toAddress: v0!.operator.address, amount: coins(AIN) });
    h.ok(d1!, [anyOf(MsgCommitteePropose, { proposer: d1!.address, messages: [spend], summary: 'spend' })]);
    const committeeId = BigInt(h.store.get('/committee/next_proposal_id') as string) - 1n;
    h.ok(d2!, [anyOf(MsgCommitteeVote, { voter: d2!.address, proposalId: committeeId, yes: false })]);

    // Pending rewards of a delegation.
    h.ok(d1!, [anyOf(MsgDelegate, { delegatorAddress: d1!.address, validatorAddress: v1!.valoper, amount: coins(20n * AIN)[0] })]);

    // Slashing: v3 misses blocks until jailed; v2 double-signs and is tombstoned.
    h.blocks(14, { absent: new Set([v3!.consHex]) });
    h.finalize([], {
      misbehavior: [
        {
          type: MisbehaviorType.DUPLICATE_VOTE,
          validator: { address: Buffer.from(v2!.consHex, 'hex'), power: 100n },
          height: h.height - 1n,
          time: { seconds: h.time - 5n, nanos: 0 },
          totalVotingPower: 400n,
        },
      ],
    });

    // Gov: one being voted on (some votes), one waiting for deposits (below the minimum).
    const voting = submit(d0, [], 10n * AIN, 'Voting');
    h.ok(v0!.operator, [anyOf(MsgVote, { proposalId: voting, voter: v0!.operator.address, option: VoteOption.VOTE_OPTION_YES })]);
    h.ok(d1!, [anyOf(MsgVote, { proposalId: voting, voter: d1!.address, option: VoteOption.VOTE_OPTION_NO })]);
    const waiting = submit(d1, [], 1n * AIN, 'Waiting');
    h.ok(d2!, [anyOf(MsgDeposit, { proposalId: waiting, depositor: d2!.address, amount: coins(AIN) })]);
    h.blocks(3, { absent: new Set([v0!.consHex]) });
    return { chainId: CHAIN_ID, seconds: h.time, height: h.height, appState: JSON.parse(JSON.stringify(h.app.exportGenesis())) };
  } finally {
    await h.close();
  }
}
