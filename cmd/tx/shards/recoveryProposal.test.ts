/**
 * `aind tx shards recovery-proposal` without nodes: its argument checks, the link checks (chain id,
 * height) that name the flag to change, and the file `aind tx gov submit-proposal` reads back into
 * the MsgRecoverLink it was built from. The nodes' side is test/shards.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { afterEach, describe, expect, it } from 'vitest';
import { AinError, govAuthority } from '../../../core/index.ts';
import { MsgRecoverLink } from '../../../proto/gen/ain/shards/v1/tx.ts';
import { govTxMessages } from '../gov/handler.ts';
import { type LinkView, type RecoveryProposalFlags, recoveryProposalFile, recoveryRequest } from './recoveryProposal.ts';

const SOURCE = 'http://127.0.0.1:26757';
const LINK: LinkView = {
  chainId: 'ain-chat-1',
  trustedHeight: 40n,
  trustedTimeSeconds: 1_000n,
  frozen: true,
  trustingPeriodSeconds: 3_600n,
  authority: govAuthority(),
  minDeposit: '10000000uain',
};

const set = (power: bigint) =>
  ValidatorSet.fromPartial({
    validators: [{ address: new Uint8Array(20).fill(1), pubKey: { ed25519: new Uint8Array(32).fill(2) }, votingPower: power }],
    totalVotingPower: power,
  });

/** A header of `chainId` at `height`; `changing`: its next set differs from its own. */
function update(chainId: string, height: bigint, changing = false) {
  const signedHeader = SignedHeader.fromPartial({
    header: {
      chainId,
      height,
      time: { seconds: 2_000n, nanos: 0 },
      validatorsHash: new Uint8Array(32).fill(3),
      nextValidatorsHash: new Uint8Array(32).fill(changing ? 4 : 3),
    },
    commit: { height, blockId: { hash: new Uint8Array(32).fill(5) } },
  });
  return { signedHeader, validators: set(10n), nextValidators: set(changing ? 20n : 10n) };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code} ${error.message}`;
    throw error;
  }
  return 'ok';
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('recoveryRequest', () => {
  it('refuses a bad argument before any node is contacted, naming it', () => {
    const request = (shard: string, flags: RecoveryProposalFlags) => refusal(() => recoveryRequest(shard, flags));
    expect(request('chat', {})).toMatch(/^sdk\/18 --source <url> \(the RPC of the chain the link follows\) is required/);
    expect(request('chat', { source: SOURCE, height: '0' })).toMatch(/^sdk\/18 --height "0" must be a positive integer/);
    expect(request('chat', { source: SOURCE, height: '-3' })).toMatch(/^sdk\/18 --height "-3" must be a positive integer/);
    expect(request('chat', { source: SOURCE, height: 'latest' })).toMatch(/^sdk\/18 --height "latest"/);
    expect(request('chat', { source: SOURCE, deposit: '10 ain' })).toMatch(/^sdk\/10 --deposit "10 ain" is not of the form/);
    expect(request('chat', { source: SOURCE, title: '' })).toMatch(/^sdk\/18 --title must not be empty/);
    expect(request('Chat!', { source: SOURCE })).toMatch(/SHARD/);
  });

  it('defaults: the latest height, the minimum deposit, recover-<shard>.json', () => {
    expect(recoveryRequest('chat', { source: SOURCE })).toEqual({
      shard: 'chat',
      source: SOURCE,
      height: undefined,
      title: undefined,
      summary: undefined,
      deposit: undefined,
      metadata: '',
      outputDocument: 'recover-chat.json',
    });
    expect(recoveryRequest('parent', { source: SOURCE, height: '41', deposit: '5uain' })).toMatchObject({ height: 41n, deposit: '5uain' });
  });
});

describe('recoveryProposalFile', () => {
  it('refuses a header of another chain (naming --source) or not above the trusted height (naming --height)', () => {
    const request = recoveryRequest('chat', { source: SOURCE, height: '40' });
    expect(refusal(() => recoveryProposalFile(request, LINK, update('ain-other-1', 41n)))).toBe(
      `sdk/18 --source ${SOURCE} serves chain ain-other-1, but shard chat follows ain-chat-1: invalid request`,
    );
    expect(refusal(() => recoveryProposalFile(request, LINK, update('ain-chat-1', 40n)))).toBe(
      'sdk/18 --height 40 must be above 40, the latest height shard chat trusts: invalid request',
    );
    const latest = recoveryRequest('chat', { source: SOURCE });
    expect(refusal(() => recoveryProposalFile(latest, LINK, update('ain-chat-1', 12n)))).toBe(
      "sdk/18 --height 12 (the source's latest but one) must be above 40, the latest height shard chat trusts: invalid request",
    );
  });

  it('writes what `aind tx gov submit-proposal` reads back into the same MsgRecoverLink (next set only when it differs)', () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-recovery-cli-'));
    const path = join(dir, 'proposal.json');
    const submitted = (file: unknown) => {
      writeFileSync(path, JSON.stringify(file));
      const [message] = govTxMessages('submit-proposal', [path], 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd');
      return message!.value as MsgSubmitProposal;
    };
    const request = recoveryRequest('chat', { source: SOURCE, height: '41' });
    const changing = update('ain-chat-1', 41n, true);
    const file = recoveryProposalFile(request, LINK, changing);
    expect(file).toMatchObject({ deposit: '10000000uain', title: 'Recover shard chat', metadata: '' });
    expect(file.summary).toMatch(
      /^Trust ain-chat-1's header at height 41 \(hash (05){32}\) as the new trust root of shard chat, which trusts height 40 and is frozen\.$/,
    );
    const sent = submitted(file);
    expect(sent.initialDeposit).toEqual([{ denom: 'uain', amount: '10000000' }]);
    expect(sent.messages[0]!.typeUrl).toBe('/ain.shards.v1.MsgRecoverLink');
    expect(MsgRecoverLink.decode(sent.messages[0]!.value)).toEqual(
      MsgRecoverLink.fromPartial({
        authority: govAuthority(),
        shard: 'chat',
        signedHeader: SignedHeader.encode(changing.signedHeader).finish(),
        validators: ValidatorSet.encode(changing.validators).finish(),
        nextValidators: ValidatorSet.encode(changing.nextValidators).finish(),
      }),
    );
    // The same set next: none sent. Title, summary and deposit as given.
    const given = recoveryRequest('chat', { source: SOURCE, title: 'T', summary: 'S', deposit: '7uain', metadata: 'm' });
    const steady = recoveryProposalFile(given, LINK, update('ain-chat-1', 41n));
    expect(steady.messages[0]).not.toHaveProperty('next_validators');
    expect(steady).toMatchObject({ title: 'T', summary: 'S', deposit: '7uain', metadata: 'm' });
    expect(MsgRecoverLink.decode(submitted(steady).messages[0]!.value).nextValidators).toEqual(new Uint8Array());
  });
});
