import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { describe, expect, it } from 'vitest';
import { govAuthority } from '../../../core/index.ts';
import { govAnswerJson } from './handler.ts';

describe('govAnswerJson', () => {
  it("prints a proposal's messages unpacked, with LegacyDecs as decimals (they printed as base64)", () => {
    const message = MsgUpdateParams.fromPartial({
      authority: govAuthority(),
      params: {
        unbondingTime: { seconds: 60n, nanos: 0 },
        maxValidators: 7,
        maxEntries: 7,
        bondDenom: 'uain',
        minCommissionRate: '50000000000000000',
      },
    });
    const answer = QueryProposalResponse.fromPartial({
      proposal: {
        id: 1n,
        status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
        messages: [{ typeUrl: '/cosmos.staking.v1beta1.MsgUpdateParams', value: MsgUpdateParams.encode(message).finish() }],
        title: 't',
        summary: 's',
        // A type no registry knows stays packed.
      },
    });
    answer.proposal!.messages.push({ typeUrl: '/example.Unknown', value: new Uint8Array([1, 2]) });
    const json = govAnswerJson(QueryProposalResponse, answer) as { proposal: { messages: unknown[] } };
    expect(json.proposal.messages[0]).toEqual({
      '@type': '/cosmos.staking.v1beta1.MsgUpdateParams',
      authority: govAuthority(),
      params: {
        unbonding_time: '60s',
        max_validators: 7,
        max_entries: 7,
        historical_entries: 0,
        bond_denom: 'uain',
        min_commission_rate: '0.050000000000000000',
      },
    });
    expect(json.proposal.messages[1]).toEqual({ '@type': '/example.Unknown', value: 'AQI=' });
  });
});
