/**
 * Which way each denom crosses a link and the escrows it leaves: a chain's own denoms are escrowed
 * and arrive as `shard/<sender chain id>/<denom>`; the other chain's vouchers are burned and come
 * home out of that link's escrow; vouchers of third chains are refused (`shards/21` to send,
 * `shards/17` to receive); a link's other links to the same chain id found; escrows are kept per
 * link and per denom, uain at its old leaf.
 */
import { describe, expect, it } from 'vitest';
import type { AinError, Context } from '../../core/index.ts';
import { EMPTY_STATE, Overlay } from '../../tree/index.ts';
import { Parent, Shard } from '../../proto/gen/ain/shards/v1/types.ts';
import { addEscrow, arrivalOf, escrowOf, escrowsOf, sendingRule, sharedChainId, takeEscrow, transferDenom } from './denoms.ts';
import { childRoot, escrowPath, PARENT_ROOT, shardPath } from './keys.ts';
import { type Link, writeMessage, writeParent } from './records.ts';

const PARENT = 'ain-parent-1';
const CHILD = 'ain-chat-1';
const link = (kind: 'child' | 'parent', name: string, chainId: string): Link => ({
  name,
  kind,
  root: kind === 'child' ? childRoot(name) : PARENT_ROOT,
  chainId,
  params: { trustingPeriodSeconds: 3600n, trustLevel: { numerator: 1n, denominator: 3n }, maxClockDriftSeconds: 10n },
  admin: '',
  reportFee: 0n,
  feeAccount: '',
  counterpartyRoot: '',
});
/** On the parent, its link to the child `chat`; on the child, its link to the parent. */
const toChild = link('child', 'chat', CHILD);
const toParent = link('parent', 'parent', PARENT);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return `${(error as AinError).codespace}/${(error as AinError).code}: ${(error as Error).message}`;
  }
  return 'accepted';
}

describe('transferDenom', () => {
  it('reads an empty denom as what a transfer sent before the field: uain down, the parent voucher up', () => {
    expect(transferDenom(toChild, '')).toBe('uain');
    expect(transferDenom(toParent, '')).toBe(`shard/${PARENT}/uain`);
    expect(transferDenom(toParent, 'uain')).toBe('uain');
  });
});

describe('sendingRule', () => {
  it("escrows a chain's own denoms and burns the destination's vouchers, both ways", () => {
    expect(sendingRule(PARENT, toChild, 'uain')).toBe('escrow');
    expect(sendingRule(PARENT, toChild, `shard/${CHILD}/uain`)).toBe('burn');
    expect(sendingRule(CHILD, toParent, 'uain')).toBe('escrow');
    expect(sendingRule(CHILD, toParent, 'ufoo')).toBe('escrow');
    expect(sendingRule(CHILD, toParent, `shard/${PARENT}/uain`)).toBe('burn');
  });

  it('refuses a third chain voucher (and its own), and a denom whose voucher would be too long, naming the denom', () => {
    expect(refusal(() => sendingRule(PARENT, toChild, 'shard/ain-other-1/uain'))).toContain(
      "shards/21: denom: shard/ain-other-1/uain is a voucher of a chain other than ain-chat-1; only this chain's own denoms and ain-chat-1's vouchers (shard/ain-chat-1/...) cross the link chat",
    );
    expect(refusal(() => sendingRule(CHILD, toParent, `shard/${CHILD}/uain`))).toMatch(/^shards\/21: denom: shard\/ain-chat-1\/uain/);
    expect(refusal(() => sendingRule(CHILD, toParent, `u${'a'.repeat(120)}`))).toMatch(/^shards\/21: denom: ua+ would arrive as shard\//);
  });
});

describe('arrivalOf', () => {
  it('releases a voucher of the receiver coming home and mints the sender denom otherwise', () => {
    // The child's own uain arriving on the parent, and the parent's coming home: both are "uain" at their home.
    expect(arrivalOf(PARENT, toChild, 'uain')).toEqual({ kind: 'mint', denom: `shard/${CHILD}/uain` });
    expect(arrivalOf(PARENT, toChild, `shard/${PARENT}/uain`)).toEqual({ kind: 'release', denom: 'uain' });
    expect(arrivalOf(CHILD, toParent, 'uain')).toEqual({ kind: 'mint', denom: `shard/${PARENT}/uain` });
    expect(arrivalOf(CHILD, toParent, `shard/${CHILD}/ufoo`)).toEqual({ kind: 'release', denom: 'ufoo' });
  });

  it('refuses a third chain voucher, or a voucher naming a voucher, with shards/17 naming packet.denom', () => {
    expect(refusal(() => arrivalOf(PARENT, toChild, 'shard/ain-other-1/uain'))).toMatch(
      /^shards\/17: packet\.denom: shard\/ain-other-1\/uain is a voucher of neither ain-chat-1 nor this chain/,
    );
    expect(refusal(() => arrivalOf(PARENT, toChild, `shard/${PARENT}/shard/x/uain`))).toMatch(/^shards\/17: packet\.denom: /);
  });
});

describe('sharedChainId', () => {
  it('finds every other link to the same chain id, the parent included, across names that prefix one another', () => {
    const state = new Overlay(EMPTY_STATE);
    const register = (name: string, chainId: string) => {
      writeMessage(state, shardPath(childRoot(name)), Shard, Shard.fromPartial({ name, chainId }));
      // Leaves under each child that the walk must seek past.
      state.set(`${childRoot(name)}/client`, '{}');
      state.set(`${childRoot(name)}/out/next`, '3');
    };
    for (const [name, chainId] of [
      ['c', 'ain-x-1'],
      ['chat', CHILD],
      ['chat0', 'ain-x-1'],
      ['chat_b', CHILD],
      ['chatter', 'ain-y-1'],
      ['z9', CHILD],
    ] as const)
      register(name, chainId);
    expect(sharedChainId(state, toChild)).toEqual(['chat_b', 'z9']);
    expect(sharedChainId(state, link('child', 'c', 'ain-x-1'))).toEqual(['chat0']);
    expect(sharedChainId(state, link('child', 'chatter', 'ain-y-1'))).toEqual([]);
    writeParent(state, { record: Parent.fromPartial({ chainId: 'ain-y-1', name: 'up' }), admin: '', reportFee: 0n });
    expect(sharedChainId(state, link('child', 'chatter', 'ain-y-1'))).toEqual(['parent']);
    expect(sharedChainId(state, link('parent', 'parent', 'ain-y-1'))).toEqual(['chatter']);
  });
});

describe('escrows', () => {
  const ctxOf = (state: Overlay) => ({ state }) as unknown as Context;

  it('keeps uain at R/escrow and other denoms under R/escrows, per link; refuses to take more than a link holds', () => {
    const state = new Overlay(EMPTY_STATE);
    const ctx = ctxOf(state);
    const other = link('child', 'mirror', 'ain-mirror-1');
    addEscrow(ctx, toChild.root, 'uain', 70n);
    addEscrow(ctx, toChild.root, 'factory/x', 5n);
    addEscrow(ctx, other.root, 'uain', 30n);
    expect(state.get('/shards/children/chat/escrow')).toBe('70');
    expect(state.get(escrowPath(toChild.root, 'factory/x'))).toBe('5');
    expect(escrowPath(toChild.root, 'factory/x')).toBe('/shards/children/chat/escrows/factory%2Fx');
    expect(escrowsOf(state, toChild.root)).toEqual([
      { denom: 'uain', amount: '70' },
      { denom: 'factory/x', amount: '5' },
    ]);
    // The other link's 30 are not the chat link's to give.
    expect(refusal(() => takeEscrow(ctx, toChild, 'uain', 71n))).toMatch(/^shards\/17: shard chat escrows 70uain, less than 71uain/);
    takeEscrow(ctx, toChild, 'uain', 70n);
    takeEscrow(ctx, toChild, 'factory/x', 5n);
    expect(state.get('/shards/children/chat/escrow')).toBeUndefined();
    expect(escrowsOf(state, toChild.root)).toEqual([]);
    expect(escrowOf(state, other.root, 'uain')).toBe(30n);
  });
});
