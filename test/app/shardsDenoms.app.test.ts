/**
 * Each chain's own tokens crossing a link both ways, in process (a parent with two children, each a
 * real app on lmdb): a child's own uain escrowed on the child and minted on the parent as
 * `shard/<child chain id>/uain`, acknowledged, and sent home (burned on the parent, released from the
 * child's escrow); a timeout refunded out of the child's escrow; a voucher of a third chain refused
 * naming the denom; the escrows of two children kept apart (each link releases only what it
 * escrowed, even of the same denom); transfers encoded without `denom` (as before the field) moving
 * what they moved before. After every block of every chain: for each link and denom, what the home
 * chain escrows equals the other chain's voucher supply plus what is in flight either way, and the
 * `shards` account holds exactly the sum of its chain's escrows of each denom.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinaryWriter } from 'cosmjs-types/binary';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { AppState } from '../../app/genesis.ts';
import { childGenesisDoc, shardOfBranch } from '../../app/shardGenesis.ts';
import { childRoot, PARENT_ROOT, packetPath, receiptPath, voucherDenom } from '../../modules/shards/index.ts';
import * as q from '../../proto/gen/ain/shards/v1/query.ts';
import { MsgAcknowledge, MsgBranch, MsgRecvPacket, MsgReport, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { type Chain, signedHeaderBytes, startChain } from './shardsHarness.fixture.ts';
import { any, branchMsg, CHILD_ID, childKeys, ESCROW, keys, PARENT_ID, SHARD, startPair, T0 } from './shardsPair.fixture.ts';
import { code, ok } from './shardsChecks.fixture.ts';

const { alice, bob, carl, relayer } = keys;
const MIRROR = 'mirror';
const MIRROR_ID = 'ain-mirror-1';

/** A MsgTransfer written field by field as it was encoded before `denom` (fields 1 to 5). */
function oldTransfer(fields: { signer: string; shard: string; receiver: string; amount: string; timeoutHeight: bigint }): Any {
  const writer = BinaryWriter.create();
  writer.uint32(10).string(fields.signer).uint32(18).string(fields.shard).uint32(26).string(fields.receiver);
  writer.uint32(34).string(fields.amount).uint32(40).uint64(fields.timeoutHeight);
  return { typeUrl: `/${MsgTransfer.$type}`, value: writer.finish() };
}

/** One link seen from both ends: the parent's side (`/shards/children/<name>`) and the child's (`/shards/parent`). */
interface Child {
  readonly name: string;
  readonly chain: Chain;
}

interface Net {
  readonly parent: Chain;
  readonly children: readonly Child[];
  close(): Promise<void>;
}

const bank = (chain: Chain) => chain.app.keeper<{ getSupply(s: unknown, d: string): bigint }>('bank');
const packets = (chain: Chain, root: string) =>
  chain.store.list(`${root}/out/packets`, 10_000).map(([, text]) => Packet.fromJSON(JSON.parse(text as string)));
const received = (chain: Chain, root: string, sequence: bigint) =>
  chain.get(`${root}/in/receipts/${sequence.toString().padStart(20, '0')}`) !== undefined;
/** A link root's escrows by denom, read from the leaves the keeper writes. */
function escrows(chain: Chain, root: string): Map<string, bigint> {
  const found = new Map<string, bigint>();
  const base = chain.get(`${root}/escrow`);
  if (typeof base === 'string') found.set('uain', BigInt(base));
  for (const [path, value] of chain.store.list(`${root}/escrows`, 1000))
    found.set(path.split('/').at(-1)!.replaceAll('%2F', '/'), BigInt(value as string));
  return found;
}

/**
 * The conservation of every link: for each denom `home` escrows for `away`, the escrow equals `away`'s
 * supply of its voucher plus what is in flight either way (sent from home and not yet received, or
 * burned away and not yet released at home); a voucher supply with no escrow behind it fails too.
 */
function checkLink(home: Chain, homeRoot: string, away: Chain, awayRoot: string): void {
  const held = escrows(home, homeRoot);
  const denoms = new Set(held.keys());
  for (const p of packets(home, homeRoot)) if (!p.denom.startsWith('shard/')) denoms.add(p.denom);
  for (const denom of ['uain', 'ufoo']) denoms.add(denom);
  for (const denom of denoms) {
    const voucher = voucherDenom(home.chainId, denom);
    const outbound = packets(home, homeRoot)
      .filter((p) => p.denom === denom && !received(away, awayRoot, p.sequence))
      .reduce((sum, p) => sum + BigInt(p.amount), 0n);
    const returning = packets(away, awayRoot)
      .filter((p) => p.denom === voucher && !received(home, homeRoot, p.sequence))
      .reduce((sum, p) => sum + BigInt(p.amount), 0n);
    const supply = bank(away).getSupply(away.store, voucher);
    expect(held.get(denom) ?? 0n, `${home.chainId} escrows ${denom} for ${away.chainId}`).toBe(supply + outbound + returning);
  }
}

/** Every link both ways, and each `shards` account holding exactly its chain's escrows. */
function checkConservation(net: Net): void {
  const rootsOf = (chain: Chain) => (chain === net.parent ? net.children.map((c) => childRoot(c.name)) : [PARENT_ROOT]);
  for (const child of net.children) {
    checkLink(net.parent, childRoot(child.name), child.chain, PARENT_ROOT);
    checkLink(child.chain, PARENT_ROOT, net.parent, childRoot(child.name));
  }
  for (const chain of [net.parent, ...net.children.map((c) => c.chain)]) {
    const sums = new Map<string, bigint>();
    for (const root of rootsOf(chain))
      for (const [denom, amount] of escrows(chain, root)) sums.set(denom, (sums.get(denom) ?? 0n) + amount);
    for (const denom of new Set([...sums.keys(), 'uain']))
      expect(chain.balance(ESCROW, denom), `${chain.chainId} shards account: ${denom}`).toBe(sums.get(denom) ?? 0n);
  }
}

/** The parent (bob holds 10^6 of its own `ufoo` besides uain; alice administers the app `third` too), `chat` (from the pair) and `mirror`, branched off the parent's app of that name. */
function startNet(): Net {
  const withFoo = (state: AppState): AppState => {
    const balances = state.bank.balances.map((b) =>
      b.address === bob.address ? { ...b, coins: [...b.coins, { denom: 'ufoo', amount: '1000000' }] } : b,
    );
    const apps = [...(state.state?.apps ?? []), { name: 'third', admins: [alice.address], public: false }];
    return { ...state, bank: { ...state.bank, balances }, state: { ...state.state, apps } };
  };
  const pair = startPair(undefined, undefined, { parentState: withFoo });
  const branch = branchMsg({ name: MIRROR, chainId: MIRROR_ID });
  ok(pair.parent.send(alice, [any(MsgBranch, branch)]));
  const mirror = startChain(MIRROR_ID, childGenesisDoc(shardOfBranch(branch, PARENT_ID)).app_state!, childKeys, T0);
  return {
    parent: pair.parent,
    children: [
      { name: SHARD, chain: pair.child },
      { name: MIRROR, chain: mirror },
    ],
    async close() {
      await pair.close();
      await mirror.close();
    },
  };
}

describe('shards: each chain sends its own denoms, both ways, with per-link escrows', () => {
  let net: Net;
  let chat: Child;
  let mirror: Child;
  beforeEach(() => {
    net = startNet();
    [chat, mirror] = net.children as [Child, Child];
    checkConservation(net);
  });
  afterEach(async () => {
    await net.close();
  });

  /** One block on `chain` (a tx of `key`'s, or none), then the conservation of every link. */
  function send(chain: Chain, key: TestKey | undefined, messages: readonly Any[] = []): ExecTxResult {
    const result = key === undefined ? (chain.block([]), undefined) : chain.send(key, messages);
    checkConservation(net);
    return result!;
  }
  const linkOf = (child: Child, on: Chain) =>
    on === net.parent ? { shard: child.name, root: childRoot(child.name) } : { shard: 'parent', root: PARENT_ROOT };
  const otherOf = (child: Child, chain: Chain) => (chain === net.parent ? child.chain : net.parent);

  /** Reports `from`'s latest header on `to` (its state up to the block before), after `to`'s clock catches up. */
  function report(child: Child, from: Chain): bigint {
    const to = otherOf(child, from);
    const state = from.height();
    send(from, undefined);
    if (to.time() < from.time()) {
      to.block([], from.time() - to.time());
      checkConservation(net);
    }
    const header = signedHeaderBytes(from.signedHeader(state + 1n));
    ok(send(to, relayer, [any(MsgReport, { signer: relayer.address, shard: linkOf(child, to).shard, signedHeader: header })]));
    return state;
  }

  const transfer = (child: Child, from: Chain, key: TestKey, receiver: TestKey, amount: string, denom?: string, timeoutHeight = 1000n) =>
    send(from, key, [
      any(MsgTransfer, {
        signer: key.address,
        shard: linkOf(child, from).shard,
        receiver: receiver.address,
        amount,
        timeoutHeight,
        ...(denom === undefined ? {} : { denom }),
      }),
    ]);

  /** The packet `sequence` `from` holds unsettled on its link with `child`. */
  const packetOf = (child: Child, from: Chain, sequence: bigint) =>
    Packet.fromJSON(JSON.parse(from.get(packetPath(linkOf(child, from).root, sequence)) as string));

  /** Delivers a packet `from` sent over the link with `child` (proven at `from`'s latest state); returns the result. */
  function deliver(child: Child, from: Chain, sequence: bigint, packet = packetOf(child, from, sequence)): ExecTxResult {
    const to = otherOf(child, from);
    const state = report(child, from);
    const { proof } = from.prove(packetPath(linkOf(child, from).root, sequence), state);
    return send(to, relayer, [
      any(MsgRecvPacket, { signer: relayer.address, shard: linkOf(child, to).shard, packet, proofHeight: state, proof }),
    ]);
  }

  /** Acknowledges on `from` the packet `sequence` the other side received. */
  function acknowledge(child: Child, from: Chain, sequence: bigint): void {
    const to = otherOf(child, from);
    const state = report(child, to);
    const { proof } = to.prove(receiptPath(linkOf(child, to).root, sequence), state);
    ok(
      send(from, relayer, [
        any(MsgAcknowledge, { signer: relayer.address, shard: linkOf(child, from).shard, sequence, proofHeight: state, proof }),
      ]),
    );
    expect(from.get(packetPath(linkOf(child, from).root, sequence))).toBeUndefined();
  }

  const shardQuery = (name: string) =>
    net.parent.query('/ain.shards.v1.Query/Shard', q.QueryShardRequest.encode({ name }).finish(), q.QueryShardResponse.decode);

  it("a child's own uain goes up (escrowed there, minted as shard/<child>/uain), is acknowledged, and comes home (burned, released)", () => {
    const childVoucher = voucherDenom(CHILD_ID);
    const carlBefore = chat.chain.balance(carl.address);
    // 1. Carl escrows 3000 of the child's own uain for bob on the parent.
    const sent = ok(transfer(chat, chat.chain, carl, bob, '3000', 'uain'));
    expect(sent.events.find((e) => e.type === 'ain.shards.v1.EventPacketSent')?.attributes.find((a) => a.key === 'denom')?.value).toBe(
      'uain',
    );
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBe('3000');
    expect(chat.chain.balance(ESCROW)).toBe(3000n);
    ok(deliver(chat, chat.chain, 1n));
    // The parent's own uain escrow is untouched: "uain" from the child is the child's, not the parent's coming home.
    expect(net.parent.balance(bob.address, childVoucher)).toBe(3000n);
    expect(net.parent.balance(ESCROW)).toBe(0n);
    acknowledge(chat, chat.chain, 1n);

    // 2. Bob sends 1200 of the voucher home to carl: burned on the parent, released from the child's escrow.
    ok(transfer(chat, net.parent, bob, carl, '1200', childVoucher));
    expect(net.parent.balance(bob.address, childVoucher)).toBe(1800n);
    const carlBeforeReturn = chat.chain.balance(carl.address);
    const returning = packetOf(chat, net.parent, 1n);
    expect(returning.denom).toBe(childVoucher);
    const home = ok(deliver(chat, net.parent, 1n));
    expect(home.events.find((e) => e.type === 'ain.shards.v1.EventPacketReceived')?.attributes.find((a) => a.key === 'denom')?.value).toBe(
      'uain',
    );
    expect(chat.chain.balance(carl.address)).toBe(carlBeforeReturn + 1200n);
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBe('1800');
    expect(carlBefore - chat.chain.balance(carl.address)).toBe(1800n + 50_000n); // what is still up, and one fee
    acknowledge(chat, net.parent, 1n);
    // A replay of the delivered packet is refused, its receipt proven absent from no height now.
    expect(code(deliver(chat, net.parent, 1n, returning))).toBe('shards/14');
    // The parent's query shows the child's link; the child's escrow is its own, seen on the child.
    expect(shardQuery(SHARD).link?.escrows).toEqual([]);
  });

  it("refunds a child's own uain out of its escrow when the packet times out on the parent", () => {
    report(chat, net.parent); // the child knows the parent's height
    const timeoutHeight = net.parent.height() + 3n;
    const carlBefore = chat.chain.balance(carl.address);
    ok(transfer(chat, chat.chain, carl, bob, '700', 'uain', timeoutHeight));
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBe('700');
    while (net.parent.height() < timeoutHeight) send(net.parent, undefined);
    expect(code(deliver(chat, chat.chain, 1n))).toBe('shards/15');
    const state = report(chat, net.parent);
    const absence = net.parent.prove(receiptPath(childRoot(SHARD), 1n), state);
    expect(absence.value).toBe('null');
    const refund = () =>
      send(chat.chain, relayer, [
        any(MsgTimeout, { signer: relayer.address, shard: 'parent', sequence: 1n, proofHeight: state, proof: absence.proof }),
      ]);
    const refunded = ok(refund());
    const event = refunded.events.find((e) => e.type === 'ain.shards.v1.EventPacketTimedOut')!;
    expect(Object.fromEntries(event.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      denom: 'uain',
      amount: '700',
      refunded: carl.address,
    });
    expect(code(refund())).toBe('shards/13');
    expect(chat.chain.balance(carl.address)).toBe(carlBefore - 50_000n);
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBeUndefined();
  });

  it('keeps the escrows of two children apart and refuses a third chain voucher, naming the denom', () => {
    // The parent escrows its uain for each child; each child escrows its own uain for the parent.
    ok(transfer(chat, net.parent, bob, carl, '500'));
    ok(transfer(mirror, net.parent, bob, carl, '300'));
    ok(transfer(chat, chat.chain, carl, bob, '4000', 'uain'));
    ok(transfer(mirror, mirror.chain, carl, bob, '900', 'uain'));
    expect([net.parent.get(`${childRoot(SHARD)}/escrow`), net.parent.get(`${childRoot(MIRROR)}/escrow`)]).toEqual(['500', '300']);
    for (const [child, from, sequence] of [
      [chat, net.parent, 1n],
      [mirror, net.parent, 1n],
      [chat, chat.chain, 1n],
      [mirror, mirror.chain, 1n],
    ] as const)
      ok(deliver(child, from, sequence));
    const chatVoucher = voucherDenom(CHILD_ID);
    const mirrorVoucher = voucherDenom(MIRROR_ID);
    expect([net.parent.balance(bob.address, chatVoucher), net.parent.balance(bob.address, mirrorVoucher)]).toEqual([4000n, 900n]);
    expect([
      chat.chain.balance(carl.address, voucherDenom(PARENT_ID)),
      mirror.chain.balance(carl.address, voucherDenom(PARENT_ID)),
    ]).toEqual([500n, 300n]);

    // The chat child's voucher is a third chain's to mirror (and the parent's to neither child, which never holds it).
    const third = transfer(mirror, net.parent, bob, carl, '10', chatVoucher);
    expect(code(third)).toBe('shards/21');
    expect(third.log).toContain(`denom: ${chatVoucher} is a voucher of a chain other than ${MIRROR_ID}`);
    // On a child, the parent's voucher goes home; a voucher of the child's own chain (never held) is no denom it can send.
    expect(code(transfer(chat, chat.chain, carl, bob, '1', voucherDenom(MIRROR_ID)))).toBe('shards/21');
    expect(net.parent.store.list(`${childRoot(MIRROR)}/out/packets`, 10)).toHaveLength(1);

    // The mirror child returns more parent uain than chat's escrow would allow on its own: only its own 300 are its to release.
    ok(transfer(mirror, mirror.chain, carl, bob, '300', voucherDenom(PARENT_ID)));
    ok(deliver(mirror, mirror.chain, 2n));
    expect([net.parent.get(`${childRoot(SHARD)}/escrow`), net.parent.get(`${childRoot(MIRROR)}/escrow`)]).toEqual(['500', undefined]);
    // Mirror's voucher goes home through mirror; the chat child's escrow of its own uain stays 4000.
    ok(transfer(mirror, net.parent, bob, carl, '900', mirrorVoucher));
    ok(deliver(mirror, net.parent, 2n));
    expect(mirror.chain.get(`${PARENT_ROOT}/escrow`)).toBeUndefined();
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBe('4000');
    expect(shardQuery(SHARD).link?.escrows).toEqual([{ denom: 'uain', amount: '500' }]);
    expect(shardQuery(MIRROR).link?.escrows).toEqual([]);
  });

  it("keeps a parent's other denom under escrows/<denom> per link: down as shard/<parent>/ufoo, home out of that link's escrow", () => {
    const fooVoucher = voucherDenom(PARENT_ID, 'ufoo');
    ok(transfer(chat, net.parent, bob, carl, '250', 'ufoo'));
    ok(transfer(mirror, net.parent, bob, carl, '40', 'ufoo'));
    expect([net.parent.get(`${childRoot(SHARD)}/escrows/ufoo`), net.parent.get(`${childRoot(MIRROR)}/escrows/ufoo`)]).toEqual([
      '250',
      '40',
    ]);
    expect(net.parent.balance(ESCROW, 'ufoo')).toBe(290n);
    ok(deliver(chat, net.parent, 1n));
    ok(deliver(mirror, net.parent, 1n));
    expect([chat.chain.balance(carl.address, fooVoucher), mirror.chain.balance(carl.address, fooVoucher)]).toEqual([250n, 40n]);
    expect(shardQuery(SHARD).link?.escrows).toEqual([{ denom: 'ufoo', amount: '250' }]);
    const bobBefore = net.parent.balance(bob.address, 'ufoo');
    ok(transfer(chat, chat.chain, carl, bob, '100', fooVoucher));
    ok(deliver(chat, chat.chain, 1n));
    expect(net.parent.balance(bob.address, 'ufoo')).toBe(bobBefore + 100n);
    expect([net.parent.get(`${childRoot(SHARD)}/escrows/ufoo`), net.parent.get(`${childRoot(MIRROR)}/escrows/ufoo`)]).toEqual([
      '150',
      '40',
    ]);
  });

  it("mints and burns vouchers only over a chain id's sole link: a second shard following the chat chain stops both, not the parent's uain", () => {
    const chatVoucher = voucherDenom(CHILD_ID);
    ok(transfer(chat, chat.chain, carl, bob, '600', 'uain'));
    ok(deliver(chat, chat.chain, 1n));
    ok(transfer(chat, chat.chain, carl, bob, '100', 'uain'));
    ok(transfer(chat, net.parent, bob, carl, '50'));
    // A second shard follows the chat chain (a branch refuses only this chain's own id).
    ok(send(net.parent, alice, [any(MsgBranch, branchMsg({ name: 'third', chainId: CHILD_ID }))]));
    // Its vouchers could not tell the two links apart: none is burned nor minted over either.
    for (const shard of [SHARD, 'third']) {
      const home = send(net.parent, bob, [
        any(MsgTransfer, { signer: bob.address, shard, receiver: carl.address, amount: '10', timeoutHeight: 1000n, denom: chatVoucher }),
      ]);
      expect(code(home)).toBe('shards/21');
      expect(home.log).toContain(
        `denom: ${chatVoucher} cannot cross the link ${shard}: the link(s) ${shard === SHARD ? 'third' : SHARD} follow ${CHILD_ID} too`,
      );
    }
    const up = deliver(chat, chat.chain, 2n);
    expect(code(up)).toBe('shards/17');
    expect(up.log).toContain(`packet.denom: ${chatVoucher} is not minted over the link chat: the link(s) third follow ${CHILD_ID} too`);
    expect(net.parent.balance(bob.address, chatVoucher)).toBe(600n);
    // The parent's own uain still go down (escrowed) and come home (released): no voucher of the child's on the parent.
    ok(deliver(chat, net.parent, 1n));
    ok(transfer(chat, chat.chain, carl, bob, '50', voucherDenom(PARENT_ID)));
    ok(deliver(chat, chat.chain, 3n));
    expect(net.parent.get(`${childRoot(SHARD)}/escrow`)).toBeUndefined();
  });

  it('moves what it moved before for transfers encoded without denom: uain down (escrowed), the voucher up (burned)', () => {
    ok(
      send(net.parent, bob, [
        oldTransfer({ signer: bob.address, shard: SHARD, receiver: carl.address, amount: '800', timeoutHeight: 1000n }),
      ]),
    );
    expect(net.parent.get(`${childRoot(SHARD)}/escrow`)).toBe('800');
    expect(Packet.fromJSON(JSON.parse(net.parent.get(packetPath(childRoot(SHARD), 1n)) as string)).denom).toBe('uain');
    ok(deliver(chat, net.parent, 1n));
    expect(chat.chain.balance(carl.address, voucherDenom(PARENT_ID))).toBe(800n);
    ok(
      send(chat.chain, carl, [
        oldTransfer({ signer: carl.address, shard: 'parent', receiver: bob.address, amount: '300', timeoutHeight: 1000n }),
      ]),
    );
    // The child burned the parent's voucher (not its own uain, which an explicit denom would escrow).
    expect(chat.chain.balance(carl.address, voucherDenom(PARENT_ID))).toBe(500n);
    expect(chat.chain.get(`${PARENT_ROOT}/escrow`)).toBeUndefined();
    expect(Packet.fromJSON(JSON.parse(chat.chain.get(packetPath(PARENT_ROOT, 1n)) as string)).denom).toBe(voucherDenom(PARENT_ID));
    ok(deliver(chat, chat.chain, 1n));
    expect(net.parent.get(`${childRoot(SHARD)}/escrow`)).toBe('500');
  });
});
