import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import { govAuthority } from '../../../core/index.ts';
import { committeeAddress } from '../../../modules/committee/index.ts';
import type { MsgCommitteePropose } from '../../../proto/gen/ain/committee/v1/tx.ts';
import { MsgUpdateParams as ComputeUpdateParams } from '../../../proto/gen/ain/compute/v1/tx.ts';
import { committeeTxMessages } from './handler.ts';
import { refusalOf } from '../../../test/helpers/errorCode.ts';

const signer = 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('committeeTxMessages', () => {
  it('reads a proposal file: a spend from the fund and a gov proposal of compute params, the committee and gov addresses filled in', () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-committee-cli-'));
    const file = join(dir, 'proposal.json');
    writeFileSync(
      file,
      JSON.stringify({
        summary: 'Pay the audit; accept 50-block epochs',
        messages: [
          { '@type': '/cosmos.bank.v1beta1.MsgSend', to_address: signer, amount: '5000000uain' },
          {
            '@type': '/cosmos.gov.v1.MsgSubmitProposal',
            deposit: '10000000uain',
            title: 'Compute measurement',
            summary: 'As the committee accepted',
            messages: [{ '@type': '/ain.compute.v1.MsgUpdateParams', params: { epoch_blocks: '50', average_weight: '0.25' } }],
          },
        ],
      }),
    );
    const [message] = committeeTxMessages('propose', [file], signer);
    const propose = message!.value as MsgCommitteePropose;
    expect(propose.proposer).toBe(signer);
    expect(propose.summary).toBe('Pay the audit; accept 50-block epochs');
    expect(MsgSend.decode(propose.messages[0]!.value)).toEqual({
      fromAddress: committeeAddress(),
      toAddress: signer,
      amount: [{ denom: 'uain', amount: '5000000' }],
    });
    const submit = MsgSubmitProposal.decode(propose.messages[1]!.value);
    expect(submit).toMatchObject({
      proposer: committeeAddress(),
      title: 'Compute measurement',
      initialDeposit: [{ denom: 'uain', amount: '10000000' }],
    });
    expect(ComputeUpdateParams.decode(submit.messages[0]!.value)).toMatchObject({
      authority: govAuthority(),
      params: { epochBlocks: 50n, averageWeight: '0.25' },
    });

    writeFileSync(file, JSON.stringify({ messages: [{ '@type': '/cosmos.staking.v1beta1.MsgUpdateParams' }] }));
    expect(refusalOf(() => committeeTxMessages('propose', [file], signer))).toMatch(/^sdk\/18 messages\[0\] "@type" \/cosmos\.staking/);
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/cosmos.gov.v1.MsgSubmitProposal',
            title: 't',
            summary: 's',
            messages: [{ '@type': '/cosmos.bank.v1beta1.MsgSend' }],
          },
        ],
      }),
    );
    expect(refusalOf(() => committeeTxMessages('propose', [file], signer))).toMatch(/^sdk\/18 messages\[0\]\.messages\[0\] "@type"/);
  });

  it('votes yes or no; funds with coins', () => {
    expect(committeeTxMessages('vote', ['3', 'no'], signer)[0]!.value).toEqual({ voter: signer, proposalId: 3n, yes: false });
    expect(committeeTxMessages('fund', ['7uain'], signer)[0]!.value).toEqual({ sender: signer, amount: '7uain' });
    expect(refusalOf(() => committeeTxMessages('vote', ['3', 'maybe'], signer))).toMatch(/^sdk\/18 OPTION "maybe"/);
    expect(refusalOf(() => committeeTxMessages('vote', ['0', 'yes'], signer))).toMatch(/^sdk\/18 PROPOSAL_ID "0"/);
    expect(refusalOf(() => committeeTxMessages('fund', [''], signer))).toMatch(/^sdk\/18 AMOUNT is required/);
  });
});
