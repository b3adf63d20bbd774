/**
 * Child state proven on the parent and the parent's uain moved to a child and back, in process: a
 * value written on the child proven at a reported height (and its absence), read by a write rule on
 * the parent through `getChildValue`; proofs that do not verify, come too early or too late refused;
 * a round trip parent -> child -> parent with the lock, the voucher minted and burned, receipts and
 * acknowledgements; a replayed proof refused; a timeout refunded with a proof of absence; and the
 * supply conserved across both chains after every step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import { childRoot, PARENT_ROOT, packetPath, receiptPath } from '../../modules/shards/index.ts';
import * as q from '../../proto/gen/ain/shards/v1/query.ts';
import { MsgAcknowledge, MsgProveValue, MsgRecvPacket, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import { MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import type { Chain } from './shardsHarness.fixture.ts';
import { any, BALANCE, keys, type Pair, SHARD, startPair, T0, TRUST, VOUCHER } from './shardsPair.fixture.ts';
import { checkSupply, code, ok } from './shardsChecks.fixture.ts';

const { alice, bob, carl, relayer } = keys;
const FEE = 50_000n;

/** Reports every block of `from` not yet reported on `to` up to its latest but one, and returns that height. */
function catchUp(pair: Pair, which: 'child' | 'parent'): bigint {
  const source = which === 'child' ? pair.child : pair.parent;
  const target = which === 'child' ? pair.parent : pair.child;
  const shard = which === 'child' ? SHARD : 'parent';
  const latest = target.query(
    '/ain.shards.v1.Query/ClientState',
    q.QueryClientStateRequest.encode({ shard }).finish(),
    q.QueryClientStateResponse.decode,
  ).latest!.height;
  const h = source.height();
  if (h > latest) ok(which === 'child' ? pair.reportChild(h) : pair.reportParent(h));
  return h;
}

function packetOf(chain: Chain, root: string, sequence: bigint): Packet {
  return Packet.fromJSON(JSON.parse(chain.get(packetPath(root, sequence)) as string));
}

describe('child state proven on the parent', () => {
  let pair: Pair;
  beforeEach(() => {
    pair = startPair();
  });
  afterEach(async () => {
    await pair.close();
  });

  const prove = (path: string, height: bigint, value?: string, proof?: Uint8Array) => {
    const leaf = pair.child.prove(path, height);
    return pair.parent.send(relayer, [
      any(MsgProveValue, { signer: relayer.address, shard: SHARD, height, path, value: value ?? leaf.value, proof: proof ?? leaf.proof }),
    ]);
  };

  it('proves a child value at a reported height; a parent rule reads it with getChildValue', () => {
    ok(pair.child.send(alice, [any(MsgSetValue, { signer: alice.address, path: '/apps/chat/open', value: 'true' })]));
    const written = pair.child.height();
    pair.child.block([]);
    // The proof of state height `written` needs header written + 1 on the parent.
    expect(code(prove('/apps/chat/open', written))).toBe('shards/10');
    ok(pair.reportChild(written + 1n));
    ok(prove('/apps/chat/open', written));
    const answer = pair.parent.query(
      '/ain.shards.v1.Query/Value',
      q.QueryValueRequest.encode({ shard: SHARD, path: '/apps/chat/open' }).finish(),
      q.QueryValueResponse.decode,
    );
    expect(answer).toEqual({ found: true, value: 'true', height: written });

    // A rule on the parent's app `mirror` lets anyone write while the child says the chat is open.
    ok(
      pair.parent.send(alice, [
        any(MsgSetRule, {
          signer: alice.address,
          path: '/apps/mirror/posts',
          rule: '{"write":"getChildValue(\'chat\', \'/apps/chat/open\') == true"}',
        }),
      ]),
    );
    ok(pair.parent.send(bob, [any(MsgSetValue, { signer: bob.address, path: '/apps/mirror/posts/1', value: '"hi"' })]));

    // The child closes it; the proof at the later height replaces the value and the rule refuses.
    ok(pair.child.send(alice, [any(MsgSetValue, { signer: alice.address, path: '/apps/chat/open', value: 'false' })]));
    const closed = pair.child.height();
    pair.child.block([]);
    ok(pair.reportChild(closed + 1n));
    ok(prove('/apps/chat/open', closed));
    expect(code(pair.parent.send(bob, [any(MsgSetValue, { signer: bob.address, path: '/apps/mirror/posts/2', value: '"no"' })]))).toBe(
      'state/4',
    );
    // An older proof no longer replaces it.
    expect(code(prove('/apps/chat/open', written))).toBe('shards/12');
  });

  it('proves absence; refuses a proof of another value or a forged proof (shards/11); VerifyValue answers without a tx', () => {
    pair.child.block([]);
    const h = pair.child.height() - 1n;
    ok(pair.reportChild(h + 1n));
    ok(prove('/apps/chat/nothing', h));
    expect(
      pair.parent.query(
        '/ain.shards.v1.Query/Value',
        q.QueryValueRequest.encode({ shard: SHARD, path: '/apps/chat/nothing' }).finish(),
        q.QueryValueResponse.decode,
      ),
    ).toEqual({ found: true, value: 'null', height: h });
    const account = `/accounts/${bob.address}/balance/uain`;
    expect(code(prove(account, h, '"1"'))).toBe('shards/11');
    const leaf = pair.child.prove(account, h);
    const forged = leaf.proof.slice();
    forged[forged.length - 1]! ^= 1;
    expect(code(prove(account, h, leaf.value, forged))).toBe('shards/11');
    const verify = (value: string) =>
      pair.parent.query(
        '/ain.shards.v1.Query/VerifyValue',
        q.QueryVerifyValueRequest.encode({ shard: SHARD, height: h, path: account, value, proof: leaf.proof }).finish(),
        q.QueryVerifyValueResponse.decode,
      );
    expect(verify(leaf.value)).toEqual({ valid: true, reason: '' });
    expect(verify('"2"').valid).toBe(false);
    expect(verify('"2"').reason).toMatch(/^shards\/11/);
  });
});

describe('transfers parent -> child -> parent', () => {
  let pair: Pair;
  beforeEach(() => {
    pair = startPair();
  });
  afterEach(async () => {
    await pair.close();
  });

  it('locks, mints the voucher, burns it back and unlocks; replays refused; supply conserved at every step', () => {
    const bobBefore = pair.parent.balance(bob.address);
    // 1. Bob sends 5000 uain to carl on the child.
    const sent = ok(
      pair.parent.send(bob, [
        any(MsgTransfer, { signer: bob.address, shard: SHARD, receiver: carl.address, amount: '5000', timeoutHeight: 1000n }),
      ]),
    );
    expect(sent.events.some((e) => e.type === 'ain.shards.v1.EventPacketSent')).toBe(true);
    expect(checkSupply(pair)).toBe(5000n);
    const packet = packetOf(pair.parent, childRoot(SHARD), 1n);
    const state = pair.parent.height();
    pair.parent.block([]);
    ok(pair.reportParent(state + 1n));
    const proof = pair.parent.prove(packetPath(childRoot(SHARD), 1n), state).proof;
    const recv = () =>
      pair.child.send(relayer, [any(MsgRecvPacket, { signer: relayer.address, shard: 'parent', packet, proofHeight: state, proof })]);
    ok(recv());
    expect(pair.child.balance(carl.address, VOUCHER)).toBe(5000n);
    checkSupply(pair);
    // A replayed proof is refused.
    expect(code(recv())).toBe('shards/14');
    // A changed packet does not match the commitment.
    expect(
      code(
        pair.child.send(relayer, [
          any(MsgRecvPacket, { signer: relayer.address, shard: 'parent', packet: { ...packet, sequence: 2n }, proofHeight: state, proof }),
        ]),
      ),
    ).toBe('shards/11');

    // 2. The parent learns of the receipt and forgets the packet.
    const received = pair.child.height();
    pair.child.block([]);
    ok(pair.reportChild(received + 1n));
    const ackProof = pair.child.prove(receiptPath(PARENT_ROOT, 1n), received).proof;
    const ack = () =>
      pair.parent.send(relayer, [
        any(MsgAcknowledge, { signer: relayer.address, shard: SHARD, sequence: 1n, proofHeight: received, proof: ackProof }),
      ]);
    ok(ack());
    expect(code(ack())).toBe('shards/13');
    checkSupply(pair);

    // 3. Carl sends 2000 back to bob on the parent: burned on the child.
    ok(
      pair.child.send(carl, [
        any(MsgTransfer, { signer: carl.address, shard: 'parent', receiver: bob.address, amount: '2000', timeoutHeight: 1000n }),
      ]),
    );
    expect(pair.child.balance(carl.address, VOUCHER)).toBe(3000n);
    checkSupply(pair);
    const up = packetOf(pair.child, PARENT_ROOT, 1n);
    const burned = pair.child.height();
    pair.child.block([]);
    ok(pair.reportChild(burned + 1n));
    const upProof = pair.child.prove(packetPath(PARENT_ROOT, 1n), burned).proof;
    const unlock = () =>
      pair.parent.send(relayer, [
        any(MsgRecvPacket, { signer: relayer.address, shard: SHARD, packet: up, proofHeight: burned, proof: upProof }),
      ]);
    ok(unlock());
    expect(code(unlock())).toBe('shards/14');
    expect(pair.parent.balance(bob.address)).toBe(bobBefore - 5000n + 2000n - FEE);
    expect(checkSupply(pair)).toBe(3000n);

    // 4. The child forgets its packet too.
    const unlocked = pair.parent.height();
    pair.parent.block([]);
    ok(pair.reportParent(unlocked + 1n));
    const childAck = pair.parent.prove(receiptPath(childRoot(SHARD), 1n), unlocked).proof;
    ok(
      pair.child.send(relayer, [
        any(MsgAcknowledge, { signer: relayer.address, shard: 'parent', sequence: 1n, proofHeight: unlocked, proof: childAck }),
      ]),
    );
    checkSupply(pair);
    expect(pair.child.store.list(`${PARENT_ROOT}/out/packets`, 10)).toEqual([]);
    expect(pair.parent.store.list(`${childRoot(SHARD)}/out/packets`, 10)).toEqual([]);
  });

  it('refunds a packet that timed out, with a proof that the child never received it', () => {
    const bobBefore = pair.parent.balance(bob.address);
    catchUp(pair, 'child');
    const timeoutHeight = pair.child.height() + 3n;
    ok(
      pair.parent.send(bob, [
        any(MsgTransfer, { signer: bob.address, shard: SHARD, receiver: carl.address, amount: '700', timeoutHeight }),
      ]),
    );
    const packet = packetOf(pair.parent, childRoot(SHARD), 1n);
    const state = pair.parent.height();
    pair.parent.block([]);
    ok(pair.reportParent(state + 1n));
    const proof = pair.parent.prove(packetPath(childRoot(SHARD), 1n), state).proof;
    // The child passes the timeout height: the packet can no longer be received.
    while (pair.child.height() < timeoutHeight) pair.child.block([]);
    expect(
      code(pair.child.send(relayer, [any(MsgRecvPacket, { signer: relayer.address, shard: 'parent', packet, proofHeight: state, proof })])),
    ).toBe('shards/15');

    const early = timeoutHeight - 3n;
    ok(pair.reportChild(early + 1n));
    const earlyProof = pair.child.prove(receiptPath(PARENT_ROOT, 1n), early).proof;
    expect(
      code(
        pair.parent.send(relayer, [
          any(MsgTimeout, { signer: relayer.address, shard: SHARD, sequence: 1n, proofHeight: early, proof: earlyProof }),
        ]),
      ),
    ).toBe('shards/16');

    const at = pair.child.height() - 1n;
    ok(pair.reportChild(at + 1n));
    const absence = pair.child.prove(receiptPath(PARENT_ROOT, 1n), at);
    expect(absence.value).toBe('null');
    const refund = () =>
      pair.parent.send(relayer, [
        any(MsgTimeout, { signer: relayer.address, shard: SHARD, sequence: 1n, proofHeight: at, proof: absence.proof }),
      ]);
    ok(refund());
    expect(code(refund())).toBe('shards/13');
    expect(pair.parent.balance(bob.address)).toBe(bobBefore - FEE);
    expect(checkSupply(pair)).toBe(0n);
  });

  it('refuses transfers on a frozen link, timeouts already past and amounts the sender lacks', () => {
    catchUp(pair, 'child');
    const latest = pair.child.height();
    expect(
      code(
        pair.parent.send(bob, [
          any(MsgTransfer, { signer: bob.address, shard: SHARD, receiver: carl.address, amount: '1', timeoutHeight: latest }),
        ]),
      ),
    ).toBe('shards/1');
    expect(
      code(
        pair.parent.send(bob, [
          any(MsgTransfer, {
            signer: bob.address,
            shard: SHARD,
            receiver: carl.address,
            amount: (BALANCE * 2n).toString(),
            timeoutHeight: 1000n,
          }),
        ]),
      ),
    ).toBe('sdk/5');
    expect(
      code(
        pair.child.send(carl, [
          any(MsgTransfer, { signer: carl.address, shard: 'parent', receiver: bob.address, amount: '1', timeoutHeight: 1000n }),
        ]),
      ),
    ).toBe('sdk/5');
    checkSupply(pair);
  });

  it('refuses a transfer once the trusting period has run out (lightclient/8): no header could prove its receipt or its timeout', () => {
    // No report of the child yet: the trust root is the genesis time T0; the period is TRUST's.
    const expired = T0 + TRUST.trustingPeriodSeconds - pair.parent.time();
    const result = pair.parent.send(
      bob,
      [any(MsgTransfer, { signer: bob.address, shard: SHARD, receiver: carl.address, amount: '10', timeoutHeight: 1000n })],
      expired,
    );
    expect(code(result)).toBe('lightclient/8');
    expect(checkSupply(pair)).toBe(0n);
  });

  it('refuses a transfer to a module account on either side (they take no coins from users: MsgSend blocks them)', () => {
    catchUp(pair, 'child');
    for (const module of ['shards', 'distribution', 'bonded_tokens_pool']) {
      const transfer = (chain: Chain, shard: string, signer = bob) =>
        chain.send(signer, [
          any(MsgTransfer, { signer: signer.address, shard, receiver: moduleAddress(module), amount: '500', timeoutHeight: 1000n }),
        ]);
      const down = transfer(pair.parent, SHARD);
      expect(code(down), down.log).toBe('shards/1');
      expect(down.log).toContain('receiver');
      expect(code(transfer(pair.child, 'parent', carl))).toBe('shards/1');
    }
    expect(pair.parent.store.list(`${childRoot(SHARD)}/out/packets`, 10)).toEqual([]);
    expect(checkSupply(pair)).toBe(0n);
  });
});
