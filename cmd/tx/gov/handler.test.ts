import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgUpdateParams as DistributionUpdateParams } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { MsgUpdateParams as SlashingUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import { MsgUpdateParams as AinftUpdateParams } from '../../../proto/gen/ain/ainft/v1/tx.ts';
import { MsgRecoverLink } from '../../../proto/gen/ain/shards/v1/tx.ts';
import { AinError, govAuthority } from '../../../core/index.ts';
import { govTxMessages } from './handler.ts';

const signer = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code} ${error.message}`;
    throw error;
  }
  return 'ok';
}

describe('govTxMessages', () => {
  it('reads a proposal file: messages as proto3 JSON by @type (snake_case keys), deposit, title, summary', () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-gov-cli-'));
    const file = join(dir, 'proposal.json');
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/cosmos.staking.v1beta1.MsgUpdateParams',
            authority: govAuthority(),
            params: {
              unbonding_time: '60s',
              max_validators: 7,
              max_entries: 7,
              historical_entries: 0,
              bond_denom: 'uain',
              min_commission_rate: '0',
            },
          },
        ],
        deposit: '10000000uain',
        title: 'Seven',
        summary: 'Seven validators',
      }),
    );
    const [message] = govTxMessages('submit-proposal', [file], signer);
    const submit = message!.value as MsgSubmitProposal;
    expect(submit).toMatchObject({
      proposer: signer,
      title: 'Seven',
      summary: 'Seven validators',
      initialDeposit: [{ denom: 'uain', amount: '10000000' }],
      expedited: false,
    });
    expect(submit.messages[0]!.typeUrl).toBe('/cosmos.staking.v1beta1.MsgUpdateParams');
    expect(MsgUpdateParams.decode(submit.messages[0]!.value)).toMatchObject({
      authority: govAuthority(),
      params: { unbondingTime: { seconds: 60n, nanos: 0 }, maxValidators: 7, bondDenom: 'uain' },
    });
    writeFileSync(file, JSON.stringify({ title: 'Fast', summary: 'Signal', expedited: true }));
    expect(govTxMessages('submit-proposal', [file], signer)[0]!.value).toMatchObject({ expedited: true });
    // An AIN module's params message, found in the client registry too.
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/ain.ainft.v1.MsgUpdateParams',
            authority: govAuthority(),
            params: { max_children: 8, max_depth: 3, max_nodes: 100 },
          },
        ],
        title: 't',
        summary: 's',
      }),
    );
    const ainft = (govTxMessages('submit-proposal', [file], signer)[0]!.value as MsgSubmitProposal).messages[0]!;
    expect(AinftUpdateParams.decode(ainft.value)).toMatchObject({
      authority: govAuthority(),
      params: { maxChildren: 8, maxDepth: 3, maxNodes: 100 },
    });
    // A software upgrade plan (the upgrade module's message), height as text as proto3 JSON writes it.
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade',
            authority: govAuthority(),
            plan: { name: 'v2', height: '1200', info: 'notes' },
          },
        ],
        title: 't',
        summary: 's',
      }),
    );
    const upgrade = (govTxMessages('submit-proposal', [file], signer)[0]!.value as MsgSubmitProposal).messages[0]!;
    expect(upgrade.typeUrl).toBe('/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade');
    expect(MsgSoftwareUpgrade.decode(upgrade.value)).toMatchObject({
      authority: govAuthority(),
      plan: { name: 'v2', height: 1200n, info: 'notes' },
    });
    writeFileSync(file, JSON.stringify({ messages: [{ '@type': '/cosmos.nothing.Msg' }], title: 't', summary: 's' }));
    expect(codeOf(() => govTxMessages('submit-proposal', [file], signer))).toMatch(/^sdk\/18 messages\[0\] "@type" \/cosmos\.nothing\.Msg/);
  });

  it('reads LegacyDecs as simd writes them ("0.05") and sends their atomics (text, or ASCII bytes for slashing)', () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-gov-cli-'));
    const file = join(dir, 'proposal.json');
    const write = (messages: unknown[]) => writeFileSync(file, JSON.stringify({ messages, title: 't', summary: 's' }));
    const sent = () => (govTxMessages('submit-proposal', [file], signer)[0]!.value as MsgSubmitProposal).messages[0]!.value;
    // As `aind query staking params` prints them: the proposal used to fail when it ran (not protobuf form).
    write([
      {
        '@type': '/cosmos.staking.v1beta1.MsgUpdateParams',
        authority: govAuthority(),
        params: {
          unbonding_time: '1209600s',
          max_validators: 50,
          max_entries: 7,
          bond_denom: 'uain',
          min_commission_rate: '0.050000000000000000',
        },
      },
    ]);
    expect(MsgUpdateParams.decode(sent()).params!.minCommissionRate).toBe('50000000000000000');
    write([
      {
        '@type': '/cosmos.distribution.v1beta1.MsgUpdateParams',
        authority: govAuthority(),
        params: { communityTax: '0.03', base_proposer_reward: '0', bonus_proposer_reward: '0', withdraw_addr_enabled: true },
      },
    ]);
    expect(DistributionUpdateParams.decode(sent()).params).toMatchObject({ communityTax: '30000000000000000', baseProposerReward: '0' });
    write([
      {
        '@type': '/cosmos.slashing.v1beta1.MsgUpdateParams',
        authority: govAuthority(),
        params: {
          signed_blocks_window: '10',
          min_signed_per_window: '0.5',
          downtime_jail_duration: '60s',
          slash_fraction_double_sign: '0.05',
          slash_fraction_downtime: '0.0001',
        },
      },
    ]);
    const slashing = SlashingUpdateParams.decode(sent()).params!;
    expect(Buffer.from(slashing.minSignedPerWindow).toString('latin1')).toBe('500000000000000000');
    expect(Buffer.from(slashing.slashFractionDowntime).toString('latin1')).toBe('100000000000000');
    write([{ '@type': '/cosmos.staking.v1beta1.MsgUpdateParams', authority: govAuthority(), params: { min_commission_rate: '5%' } }]);
    expect(codeOf(() => govTxMessages('submit-proposal', [file], signer))).toMatch(
      /^sdk\/18 messages\[0\]\.params\.min_commission_rate "5%" is not a decimal/,
    );
  });

  it('votes by simd option names, weighted votes as option=weight pairs', () => {
    expect(govTxMessages('vote', ['3', 'no_with_veto'], signer)[0]!.value).toMatchObject({
      proposalId: 3n,
      voter: signer,
      option: VoteOption.VOTE_OPTION_NO_WITH_VETO,
    });
    expect(govTxMessages('weighted-vote', ['3', 'yes=0.6,no=0.4'], signer)[0]!.value).toMatchObject({
      options: [
        { option: VoteOption.VOTE_OPTION_YES, weight: '0.6' },
        { option: VoteOption.VOTE_OPTION_NO, weight: '0.4' },
      ],
    });
    expect(govTxMessages('deposit', ['3', '5uain'], signer)[0]!.value).toMatchObject({ amount: [{ denom: 'uain', amount: '5' }] });
    expect(codeOf(() => govTxMessages('vote', ['3', 'maybe'], signer))).toMatch(/^sdk\/18 OPTION "maybe"/);
    expect(codeOf(() => govTxMessages('vote', ['0', 'yes'], signer))).toMatch(/^sdk\/18 PROPOSAL_ID "0"/);
    expect(codeOf(() => govTxMessages('weighted-vote', ['1', 'yes'], signer))).toMatch(/^sdk\/18 WEIGHTED_OPTIONS "yes"/);
  });
  it('reads a shards link recovery: MsgRecoverLink with its header and set as base64 protobuf bytes', () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-gov-cli-'));
    const file = join(dir, 'proposal.json');
    const [header, set] = [new Uint8Array([10, 2, 8, 1]), new Uint8Array([10, 0])];
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/ain.shards.v1.MsgRecoverLink',
            authority: govAuthority(),
            shard: 'chat',
            signed_header: Buffer.from(header).toString('base64'),
            validators: Buffer.from(set).toString('base64'),
          },
        ],
        deposit: '10000000uain',
        title: 'Recover chat',
        summary: 'Trust a fresh header of ain-chat-1',
      }),
    );
    const sent = (govTxMessages('submit-proposal', [file], signer)[0]!.value as MsgSubmitProposal).messages[0]!;
    expect(sent.typeUrl).toBe('/ain.shards.v1.MsgRecoverLink');
    expect(MsgRecoverLink.decode(sent.value)).toEqual(
      MsgRecoverLink.fromPartial({ authority: govAuthority(), shard: 'chat', signedHeader: header, validators: set }),
    );
  });

  it('cancels a proposal by its id, signed by the proposer', () => {
    expect(govTxMessages('cancel-proposal', ['7'], signer)).toEqual([
      { typeUrl: '/cosmos.gov.v1.MsgCancelProposal', value: { proposalId: 7n, proposer: signer } },
    ]);
    expect(codeOf(() => govTxMessages('cancel-proposal', ['x'], signer))).toMatch(/^sdk\/18 PROPOSAL_ID "x"/);
  });
});
