/**
 * The shards messages' stateless checks: each refusal names its field with `shards/1` (or the light
 * client's `lightclient/2`, `/16`), and a child's validators are ordered as CometBFT orders them.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { BinaryWriter } from 'cosmjs-types/binary';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import type { AinError } from '../../core/index.ts';
import { MsgBranch, MsgProveValue, MsgReport, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { ed25519Address, validatorSetHash } from './lightclient/index.ts';
import {
  checkOtherPath,
  checkPacket,
  parseLeafText,
  validateMsgBranch,
  validateMsgProveValue,
  validateMsgReport,
  validateMsgTransfer,
  validatorSetOf,
} from './msgs.ts';
import { branchGuard } from './branch.ts';
import { Overlay, EMPTY_STATE } from '../../tree/index.ts';

const ALICE = 'ain1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr6pu3d';
const BOB = 'ain1qgpqyqszqgpqyqszqgpqyqszqgpqyqszj78e6m';
const key = (n: number) => ed25519.getPublicKey(new Uint8Array(32).fill(n));

const branch = (fields: Partial<MsgBranch> = {}): MsgBranch =>
  MsgBranch.fromPartial({
    signer: ALICE,
    name: 'chat',
    chainId: 'ain-chat-1',
    genesisHash: 'ab'.repeat(32),
    genesisTime: 1_700_000_000n,
    validators: [{ pubKey: key(1), power: 10n, operator: ALICE }],
    trust: { trustingPeriodSeconds: 3600n, trustNumerator: 1n, trustDenominator: 3n, maxClockDriftSeconds: 10n },
    consensus: { blockTimeMs: 1000n, maxBlockBytes: 1_048_576n },
    parentValidators: new Uint8Array(),
    ...fields,
  });

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    return `${(error as AinError).codespace}/${(error as AinError).code}: ${(error as Error).message}`;
  }
  return 'accepted';
}

describe('validateMsgBranch', () => {
  const parentSet = () => ValidatorSet.encode(validatorSetOf([{ pubKey: key(9), power: 5n, operator: '' }])).finish();

  it('accepts a complete registration and refuses each bad field by name', () => {
    const parentValidators = parentSet();
    expect(refusal(() => validateMsgBranch(branch({ parentValidators })))).toBe('accepted');
    expect(refusal(() => validateMsgBranch(branch()))).toMatch(/^shards\/1: parent_validators/);
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, name: 'parent' })))).toMatch(/^shards\/1: name/);
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, name: 'Chat' })))).toMatch(/^shards\/1: name/);
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, genesisHash: 'xyz' })))).toMatch(/^shards\/1: genesis_hash/);
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, validators: [] })))).toMatch(/^shards\/1: validators/);
    const twice = [
      { pubKey: key(1), power: 1n, operator: ALICE },
      { pubKey: key(1), power: 1n, operator: BOB },
    ];
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, validators: twice })))).toMatch(
      /^shards\/1: validators\[1\]\.pub_key/,
    );
    const trust = { trustingPeriodSeconds: 10n, trustNumerator: 1n, trustDenominator: 3n, maxClockDriftSeconds: 10n };
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, trust })))).toMatch(/^shards\/1: trust\.trusting_period_seconds/);
    const level = { ...trust, trustingPeriodSeconds: 3600n, trustNumerator: 1n, trustDenominator: 4n };
    expect(refusal(() => validateMsgBranch(branch({ parentValidators, trust: level })))).toMatch(/^lightclient\/16/);
    expect(
      refusal(() => validateMsgBranch(branch({ parentValidators, consensus: { blockTimeMs: 10n, maxBlockBytes: 1_048_576n } }))),
    ).toMatch(/^shards\/1: consensus\.block_time_ms/);
  });
});

describe('other messages', () => {
  it('refuses a report whose bytes are not a signed header, a proof of a non-leaf, a transfer of nothing', () => {
    expect(
      refusal(() => validateMsgReport(MsgReport.fromPartial({ signer: ALICE, shard: 'chat', signedHeader: new Uint8Array([1, 2, 3]) }))),
    ).toMatch(/^shards\/1: signed_header/);
    const empty = SignedHeader.encode(SignedHeader.fromPartial({})).finish();
    expect(refusal(() => validateMsgReport(MsgReport.fromPartial({ signer: ALICE, shard: 'parent', signedHeader: empty })))).toMatch(
      /^shards\/1|^lightclient\/2/,
    );
    const prove = (value: string) =>
      MsgProveValue.fromPartial({ signer: ALICE, shard: 'chat', height: 5n, path: '/apps/chat/x', value, proof: new Uint8Array([1]) });
    expect(refusal(() => validateMsgProveValue(prove('{"a":1}')))).toMatch(/^shards\/1: value/);
    expect(refusal(() => validateMsgProveValue(prove('null')))).toBe('accepted');
    expect(
      refusal(() =>
        validateMsgTransfer(MsgTransfer.fromPartial({ signer: ALICE, shard: 'chat', receiver: BOB, amount: '0', timeoutHeight: 5n })),
      ),
    ).toMatch(/^shards\/1: amount/);
    expect(parseLeafText('"x"')).toBe('x');
    expect(refusal(() => checkOtherPath('/apps/chat//x'))).toMatch(/^shards\/1: path/);
    expect(refusal(() => checkOtherPath(`/${Array.from({ length: 27 }, () => 'a').join('/')}`))).toMatch(/labels/);
  });
});

describe('validateMsgTransfer: denom', () => {
  const transfer = (denom?: string) =>
    MsgTransfer.fromPartial({
      signer: ALICE,
      shard: 'chat',
      receiver: BOB,
      amount: '5',
      timeoutHeight: 5n,
      ...(denom === undefined ? {} : { denom }),
    });

  it('accepts no denom (an encoding from before the field), a native denom and a voucher', () => {
    // Bytes of the five fields a transfer had before `denom`, written field by field: they decode with denom empty.
    const writer = BinaryWriter.create().uint32(10).string(ALICE).uint32(18).string('chat').uint32(26).string(BOB);
    const old = writer.uint32(34).string('5').uint32(40).uint64(5n).finish();
    expect(MsgTransfer.encode(transfer()).finish()).toEqual(old);
    expect(MsgTransfer.decode(old).denom).toBe('');
    expect(refusal(() => validateMsgTransfer(MsgTransfer.decode(old)))).toBe('accepted');
    for (const denom of ['uain', 'ufoo', 'factory/x/y', 'shard/ain-parent-1/uain', 'shard/ain-chat-1/ufoo'])
      expect(
        refusal(() => validateMsgTransfer(transfer(denom))),
        denom,
      ).toBe('accepted');
  });

  it('refuses a denom that is no denom, or a voucher without its chain id or base, naming denom', () => {
    for (const denom of ['1uain', 'u', 'ua in', 'shard/', 'shard/ain-chat-1/', 'shard//uain', `u${'a'.repeat(128)}`])
      expect(
        refusal(() => validateMsgTransfer(transfer(denom))),
        denom,
      ).toMatch(/^shards\/1: denom: /);
  });

  it('refuses a packet without a denom or with one that is not a denom, naming packet.denom', () => {
    const packet = { sequence: 1n, sender: ALICE, receiver: BOB, amount: '5', timeoutHeight: 9n, sourceChainId: 'ain-chat-1' };
    expect(refusal(() => checkPacket({ ...packet, denom: 'shard/ain-chat-1/uain' }))).toBe('accepted');
    expect(refusal(() => checkPacket({ ...packet, denom: '' }))).toMatch(/^shards\/1: packet\.denom: expected a denom/);
    expect(refusal(() => checkPacket({ ...packet, denom: 'shard/x' }))).toMatch(/^shards\/1: packet\.denom: /);
  });
});

describe('validatorSetOf', () => {
  it("orders by power descending, then address, as CometBFT's set (and its hash) does", () => {
    const set = validatorSetOf([
      { pubKey: key(1), power: 5n, operator: '' },
      { pubKey: key(2), power: 9n, operator: '' },
      { pubKey: key(3), power: 5n, operator: '' },
    ]);
    expect(set.validators.map((v) => v.votingPower)).toEqual([9n, 5n, 5n]);
    const [, x, y] = set.validators;
    expect(Buffer.compare(Buffer.from(x!.address), Buffer.from(y!.address))).toBe(-1);
    expect(set.validators[0]!.address).toEqual(ed25519Address(key(2)));
    expect(validatorSetHash(set.validators)).toHaveLength(32);
  });
});

describe('branchGuard', () => {
  it('refuses writes under a branched app only', () => {
    const state = new Overlay(EMPTY_STATE);
    state.set('/shards/branched/chat', true);
    expect(refusal(() => branchGuard.checkWrite(state, '/apps/chat/x/y'))).toMatch(
      /^shards\/5: \/apps\/chat\/x\/y belongs to the child chain of shard chat/,
    );
    expect(refusal(() => branchGuard.checkWrite(state, '/apps/chatter/x'))).toBe('accepted');
    expect(refusal(() => branchGuard.checkWrite(state, '/accounts/x'))).toBe('accepted');
    expect(branchGuard.childValuePath('chat', '/apps/chat/open')).toBe('/shards/children/chat/values/apps/chat/open');
  });
});
