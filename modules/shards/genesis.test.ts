/**
 * `app_state.shards`: a child's parent section (checked field by field, written as the parent link with
 * its trust root), and an export of `/shards` as leaves that imports to the same leaves.
 */
import { toBase64 } from '@cosmjs/encoding';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { emptyBlockContext, leavesOf } from '../../test/helpers/blockContext.ts';
import { AuthKeeper } from '../auth/index.ts';
import { BankKeeper } from '../bank/index.ts';
import { StateKeeper } from '../state/index.ts';
import { type ParentGenesisJson, shardsGenesis as genesisOf } from './genesis.ts';
import { ShardsKeeper } from './keeper.ts';
import { validatorSetOf } from './msgs.ts';
import { findLink, packetCommitment, readClient } from './records.ts';
import { moduleAddress } from '../../core/index.ts';

// No escrow in these chains: the shards account holds nothing.
const shardsGenesis = genesisOf(new ShardsKeeper(new BankKeeper(new AuthKeeper()), new StateKeeper(), new Set()));
const ALICE = 'ain1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr6pu3d';
const set = validatorSetOf([{ pubKey: ed25519.getPublicKey(new Uint8Array(32).fill(3)), power: 7n, operator: '' }]);
const parent: ParentGenesisJson = {
  chain_id: 'ain-parent-1',
  name: 'chat',
  admin: ALICE,
  report_fee: '100',
  time: '1700000000',
  validators: toBase64(ValidatorSet.encode(set).finish()),
  trust: { trusting_period_seconds: '3600', trust_numerator: '1', trust_denominator: '3', max_clock_drift_seconds: '10' },
};

describe('shards genesis', () => {
  it('writes the parent link with its trust root; exports leaves that import to the same state', () => {
    const ctx = emptyBlockContext();
    shardsGenesis.init(ctx, { parent });
    const link = findLink(ctx.state, 'parent')!;
    expect(link).toMatchObject({
      kind: 'parent',
      chainId: 'ain-parent-1',
      admin: ALICE,
      reportFee: 100n,
      counterpartyRoot: '/shards/children/chat',
    });
    expect(readClient(ctx.state, link.root)).toMatchObject({ height: 0n, timeSeconds: 1_700_000_000n });
    const exported = shardsGenesis.exportGenesis(ctx.state);
    const again = emptyBlockContext();
    shardsGenesis.init(again, exported);
    expect(leavesOf(again.state)).toEqual(leavesOf(ctx.state));
  });

  it('refuses unknown keys, a bad parent and both parent and leaves', () => {
    expect(() => shardsGenesis.validate({ other: 1 } as never)).toThrow(/shards\.other is not known/);
    expect(() => shardsGenesis.validate({ parent: { ...parent, validators: '' } })).toThrow(/validators/);
    expect(() => shardsGenesis.validate({ parent: { ...parent, trust: { ...parent.trust, trust_denominator: 'x' } } })).toThrow(
      /trust_denominator/,
    );
    expect(() => shardsGenesis.init(emptyBlockContext(), { parent, leaves: {} })).toThrow(/not both/);
    // No section, nothing written: chains from before the module keep their app hash.
    const ctx = emptyBlockContext();
    shardsGenesis.init(ctx, undefined);
    expect(leavesOf(ctx.state)).toEqual([]);
  });
});

describe('shards genesis leaves', () => {
  // A child chain's export: its parent link (record, trust root, the parent's validator set).
  const started = emptyBlockContext();
  shardsGenesis.init(started, { parent });
  const leaves = shardsGenesis.exportGenesis(started.state).leaves!;
  const valset = Object.keys(leaves).find((path) => path.startsWith('/shards/parent/valsets/'))!;

  it('refuses a validator set stored under a label that is not its hash as the keeper computes it', () => {
    const other = validatorSetOf([{ pubKey: ed25519.getPublicKey(new Uint8Array(32).fill(4)), power: 7n, operator: '' }]);
    // Another set under the trusted label: the next report would be verified against it.
    expect(() =>
      shardsGenesis.init(emptyBlockContext(), { leaves: { ...leaves, [valset]: toBase64(ValidatorSet.encode(other).finish()) } }),
    ).toThrow(new RegExp(`^genesis shards.leaves\\["${valset}"\\] holds a validator set hashing to [0-9A-F]{64}; expected its label`));
    // The right set under its hash in lower case: the keeper writes and looks up upper case.
    const lower = valset.replace(/[0-9A-F]{64}$/, (hash) => hash.toLowerCase());
    expect(() => shardsGenesis.init(emptyBlockContext(), { leaves: { ...leaves, [lower]: leaves[valset]! } })).toThrow(
      `genesis shards.leaves["${lower}"] holds a validator set hashing to ${valset.split('/').at(-1)}; expected its label`,
    );
  });

  it("refuses a packet in flight whose source is not this chain's id", () => {
    // This chain, the child, sent it: a voucher of the parent's uain.
    const genesisCtx = (chainId: string) => emptyBlockContext(1n, 1_700_000_000n, chainId);
    const packet = (sourceChainId: string) => ({
      ...leaves,
      '/shards/parent/out/next': '2',
      '/shards/parent/out/packets/00000000000000000001': packetCommitment({
        sequence: 1n,
        sender: ALICE,
        receiver: ALICE,
        denom: 'shard/ain-parent-1/uain',
        amount: '5',
        timeoutHeight: 100n,
        sourceChainId,
      }),
    });
    const ctx = genesisCtx('ain-child-1');
    shardsGenesis.init(ctx, { leaves: packet('ain-child-1') });
    expect(leavesOf(ctx.state)).toEqual(Object.entries(packet('ain-child-1')).sort(([a], [b]) => (a < b ? -1 : 1)));
    // The parent proves the packet under this chain's id: one naming another chain could never be received.
    expect(() => shardsGenesis.init(genesisCtx('ain-child-1'), { leaves: packet('ain-other-1') })).toThrow(
      'genesis shards.leaves["/shards/parent/out/packets/00000000000000000001"] has sourceChainId ain-other-1; expected ain-child-1, the id of this chain, which sent it',
    );
  });

  describe('escrows per link and denom', () => {
    const CHILD_ID = 'ain-child-1';
    const SHARDS_ACCOUNT = moduleAddress('shards');
    const packetLeaf = (sequence: bigint, denom: string, amount: string) => ({
      [`/shards/parent/out/packets/${sequence.toString().padStart(20, '0')}`]: packetCommitment({
        sequence,
        sender: ALICE,
        receiver: ALICE,
        denom,
        amount,
        timeoutHeight: 100n,
        sourceChainId: CHILD_ID,
      }),
    });
    /** The child's export plus `extra` leaves, imported where the shards account holds `held` (denom: amount). */
    const init = (extra: Record<string, string>, held: Record<string, string>) => {
      const ctx = emptyBlockContext(1n, 1_700_000_000n, CHILD_ID);
      for (const [denom, amount] of Object.entries(held)) ctx.state.set(`/accounts/${SHARDS_ACCOUNT}/balance/${denom}`, amount);
      shardsGenesis.init(ctx, { leaves: { ...leaves, '/shards/parent/out/next': '4', ...extra } });
      return ctx;
    };
    // The child escrows its own uain and ufoo for the parent, two packets of them in flight, and burned the parent's voucher in a third.
    const inFlight = {
      '/shards/parent/escrow': '7',
      '/shards/parent/escrows/ufoo': '3',
      ...packetLeaf(1n, 'uain', '5'),
      ...packetLeaf(2n, 'ufoo', '3'),
      ...packetLeaf(3n, 'shard/ain-parent-1/uain', '9'),
    };

    it("imports a child's escrows of its own denoms covering what is in flight, held by the shards account", () => {
      const ctx = init(inFlight, { uain: '7', ufoo: '3' });
      expect(ctx.state.get('/shards/parent/escrows/ufoo')).toBe('3');
    });

    it('refuses an escrow the shards account does not hold, per denom, naming the denom and both sums', () => {
      expect(() => init(inFlight, { uain: '7', ufoo: '2' })).toThrow(
        "genesis shards.leaves: the shards account holds 2ufoo; the links' escrows of ufoo add up to 3ufoo",
      );
      expect(() => init(inFlight, { uain: '7', ufoo: '3', uxyz: '1' })).toThrow(/holds 1uxyz; the links' escrows of uxyz add up to 0uxyz/);
    });

    it('refuses an escrow short of the packets in flight of its denom, naming the leaf', () => {
      expect(() => init({ ...inFlight, '/shards/parent/escrows/ufoo': '2' }, { uain: '7', ufoo: '2' })).toThrow(
        'genesis shards.leaves["/shards/parent/escrows/ufoo"] is 2; the packets in flight to ain-parent-1 hold 3ufoo',
      );
    });

    it("refuses a third chain's voucher in flight, an escrow of a voucher, of uain outside escrow, or under a bad label", () => {
      expect(() => init({ ...inFlight, ...packetLeaf(3n, 'shard/ain-other-1/uain', '9') }, { uain: '7', ufoo: '3' })).toThrow(
        /out\/packets\/00000000000000000003"\] has denom shard\/ain-other-1\/uain; this link sends/,
      );
      expect(() => init({ ...inFlight, '/shards/parent/escrows/shard%2Fain-other-1%2Fuain': '1' }, { uain: '7', ufoo: '3' })).toThrow(
        /escrows the voucher shard\/ain-other-1\/uain/,
      );
      expect(() => init({ ...inFlight, '/shards/parent/escrows/uain': '1' }, { uain: '8', ufoo: '3' })).toThrow(
        /escrows uain, which the keeper keeps under escrow/,
      );
      expect(() => init({ ...inFlight, '/shards/parent/escrows/u': '1' }, { uain: '7', ufoo: '3' })).toThrow(
        /is labelled u; expected a denom/,
      );
    });
  });
});
