import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgUpdateParams as StakingUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { describe, expect, it } from 'vitest';
import { AinError, EventCollector, GasMeter, govAuthority, MsgRouter, moduleAddress } from '../../core/index.ts';
import { MsgUpdateParams as ComputeUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { Overlay } from '../../tree/index.ts';
import { committeeGenesis } from './genesis.ts';
import { CommitteeKeeper } from './keeper.ts';
import {
  allowedMessage,
  committeeAddress,
  committeeSetOf,
  validateFund,
  validatePropose,
  validateUpdateCommittee,
  validateVote,
} from './msgs.ts';
import { committeeParamsFromJson, committeeParamsFromProto, defaultCommitteeParams } from './params.ts';

const alice = moduleAddress('test-alice');
const bob = moduleAddress('test-bob');
const FUND = committeeAddress();

function refusal(run: () => unknown): [string, number, unknown] {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return [error.codespace, error.code, error.meta?.field];
    throw error;
  }
  throw new Error('expected a refusal');
}

const send = (from: string): Any => ({
  typeUrl: MsgSend.typeUrl,
  value: MsgSend.encode(MsgSend.fromPartial({ fromAddress: from, toAddress: bob, amount: [{ denom: 'uain', amount: '5' }] })).finish(),
});
const submit = (proposer: string, messages: Any[]): Any => ({
  typeUrl: MsgSubmitProposal.typeUrl,
  value: MsgSubmitProposal.encode(MsgSubmitProposal.fromPartial({ proposer, messages, title: 't', summary: 's' })).finish(),
});
const computeParams: Any = {
  typeUrl: `/${ComputeUpdateParams.$type}`,
  value: ComputeUpdateParams.encode(ComputeUpdateParams.fromPartial({ authority: govAuthority() })).finish(),
};
const stakingParams: Any = {
  typeUrl: StakingUpdateParams.typeUrl,
  value: StakingUpdateParams.encode(StakingUpdateParams.fromPartial({ authority: govAuthority() })).finish(),
};

describe('committee msgs', () => {
  it('checks members and threshold, naming the field; sorts members by address', () => {
    const set = committeeSetOf(
      [
        { address: bob, weight: 1n },
        { address: alice, weight: 2n },
      ],
      3n,
    );
    expect(set.members.map((m) => m.address)).toEqual([alice, bob].sort());
    expect(refusal(() => committeeSetOf([], 1n))).toEqual(['committee', 2, 'members']);
    expect(refusal(() => committeeSetOf([{ address: alice, weight: 0n }], 1n))).toEqual(['committee', 2, 'members[0].weight']);
    expect(
      refusal(() =>
        committeeSetOf(
          [
            { address: alice, weight: 1n },
            { address: alice, weight: 1n },
          ],
          1n,
        ),
      ),
    ).toEqual(['committee', 2, 'members[1].address']);
    expect(refusal(() => committeeSetOf([{ address: alice, weight: 2n }], 3n))).toEqual(['committee', 2, 'threshold']);
    expect(refusal(() => committeeSetOf([{ address: alice, weight: 2n }], 0n))).toEqual(['committee', 2, 'threshold']);
    expect(refusal(() => committeeSetOf([{ address: 'nope', weight: 2n }], 1n))[0]).toBe('sdk');
    expect(refusal(() => validateUpdateCommittee({ authority: alice, members: [{ address: alice, weight: 1n }], threshold: 1n }))).toEqual([
      'gov',
      13,
      'authority',
    ]);
  });

  it('allows only a spend from the fund and a gov proposal of compute params, from the committee account', () => {
    expect(() => allowedMessage(send(FUND), 'messages[0]')).not.toThrow();
    expect(() => allowedMessage(submit(FUND, [computeParams]), 'messages[0]')).not.toThrow();
    expect(refusal(() => allowedMessage(send(alice), 'messages[0]'))).toEqual(['committee', 4, 'messages[0].from_address']);
    expect(refusal(() => allowedMessage(submit(alice, [computeParams]), 'messages[1]'))).toEqual(['committee', 4, 'messages[1].proposer']);
    expect(refusal(() => allowedMessage(submit(FUND, []), 'messages[0]'))).toEqual(['committee', 4, 'messages[0].messages']);
    expect(refusal(() => allowedMessage(submit(FUND, [computeParams, stakingParams]), 'messages[0]'))).toEqual([
      'committee',
      4,
      'messages[0].messages[1]',
    ]);
    expect(refusal(() => allowedMessage(stakingParams, 'messages[0]'))).toEqual(['committee', 4, 'messages[0]']);
    expect(refusal(() => allowedMessage({ typeUrl: MsgSend.typeUrl, value: new Uint8Array([0xff]) }, 'messages[0]'))).toEqual([
      'committee',
      2,
      'messages[0]',
    ]);
  });

  it('checks propose, vote and fund fields', () => {
    expect(refusal(() => validatePropose({ proposer: alice, messages: [], summary: '' }))).toEqual(['committee', 2, 'messages']);
    expect(refusal(() => validatePropose({ proposer: alice, messages: [send(FUND)], summary: 'x'.repeat(10_001) }))).toEqual([
      'committee',
      2,
      'summary',
    ]);
    expect(refusal(() => validatePropose({ proposer: alice, messages: [send(FUND), stakingParams], summary: '' }))).toEqual([
      'committee',
      4,
      'messages[1]',
    ]);
    expect(refusal(() => validateVote({ voter: alice, proposalId: 0n, yes: true }))).toEqual(['committee', 2, 'proposal_id']);
    expect(validateFund({ sender: alice, amount: '5uain' })).toEqual([{ denom: 'uain', amount: 5n }]);
    expect(refusal(() => validateFund({ sender: alice, amount: '' }))).toEqual(['committee', 2, 'amount']);
  });

  it('params: default a week, bounded, unknown names refused', () => {
    expect(committeeParamsFromJson(undefined)).toEqual(defaultCommitteeParams());
    expect(committeeParamsFromJson({ voting_period: '600' })).toEqual({ votingPeriod: 600n });
    expect(refusal(() => committeeParamsFromJson({ voting_period: '0' }))).toEqual(['committee', 7, 'committee.params.voting_period']);
    expect(refusal(() => committeeParamsFromJson({ period: '1' } as never))).toEqual(['committee', 7, 'committee.params.period']);
    expect(refusal(() => committeeParamsFromProto(undefined))).toEqual(['committee', 7, 'params']);
  });
});

describe('committee genesis', () => {
  // Genesis writes members, threshold and params only: it moves no coins and runs no messages.
  const movesNoCoins = (): never => {
    throw new Error('committee genesis moves no coins');
  };
  const keeper = new CommitteeKeeper({ sendCoins: movesNoCoins, getAllBalances: movesNoCoins }, () => new MsgRouter());
  const genesis = committeeGenesis(keeper);
  const context = () => ({
    state: new Overlay({ get: () => undefined, list: () => [] }),
    gas: new GasMeter(Number.MAX_SAFE_INTEGER),
    events: new EventCollector(),
    height: 0n,
    blockTimeSeconds: 0n,
    chainId: 'ain-test-1',
  });

  it('an empty section writes nothing; a committee and params are written and exported as leaves that restore them', () => {
    const empty = context();
    genesis.init(empty, {});
    expect([...empty.state.writes()]).toEqual([]);
    expect(genesis.exportGenesis(empty.state)).toEqual({});

    const ctx = context();
    genesis.init(ctx, {
      committee: {
        members: [
          { address: alice, weight: '2' },
          { address: bob, weight: '1' },
        ],
        threshold: '2',
      },
      params: { voting_period: '3600' },
    });
    expect(keeper.committee(ctx.state)).toEqual({
      members: [
        { address: alice, weight: 2n },
        { address: bob, weight: 1n },
      ].sort((a, b) => (a.address < b.address ? -1 : 1)),
      threshold: 2n,
    });
    expect(keeper.params(ctx.state)).toEqual({ votingPeriod: 3600n });
    const exported = genesis.exportGenesis(ctx.state);
    const again = context();
    genesis.init(again, exported);
    const sorted = (o: Overlay) => [...o.writes()].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(again.state)).toEqual(sorted(ctx.state));
  });

  it('refuses malformed sections naming the field', () => {
    expect(refusal(() => genesis.validate({ committee: { members: [{ address: alice, weight: 'x' }], threshold: '1' } }))).toEqual([
      'committee',
      8,
      'committee.committee.members[0].weight',
    ]);
    expect(refusal(() => genesis.validate({ committee: { members: [{ address: alice, weight: '1' }], threshold: '2' } }))).toEqual([
      'committee',
      2,
      'committee.committee.threshold',
    ]);
    expect(refusal(() => genesis.validate({ other: 1 } as never))).toEqual(['committee', 8, 'committee.other']);
    expect(refusal(() => genesis.validate({ leaves: {}, params: {} }))).toEqual(['committee', 8, 'committee.leaves']);
  });
});
