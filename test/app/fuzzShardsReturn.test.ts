/**
 * Stateful fuzzing of the child-to-parent direction (`shardsPair.fixture.ts`, each chain with a twin
 * and a reference app). Each run first sends uain down to two actors on the child, then random blocks:
 * vouchers sent back (1, some, all, one more; to a key or a module account; timeouts 1-3 or 20-80
 * parent heights past the reported one), delivered on the parent, acknowledged or timed out on the
 * child (a relayer reports the latest header first, in the same block), replays of settled packets,
 * idle blocks, and the clock moving on by seconds, near the trusting period, or past it. Each tx's
 * outcome is predicted where the README fixes it: a report succeeds while the trusted header is within
 * the trusting period and is refused with lightclient/8 after, as is a transfer; a transfer, a delivery, an
 * acknowledgement and a timeout succeed when their preconditions hold. After every block: the escrow
 * for the child equals the vouchers plus what is in flight; a packet is received at most once, settled
 * at most once, refunded only without a receipt (to its sender, its amount), acknowledged only with one.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import { childRoot, PARENT_ROOT, packetPath, receiptPath } from '../../modules/shards/index.ts';
import { MsgAcknowledge, MsgRecvPacket, MsgReport, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { ConsensusState, Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { expectClassified } from './fuzzChain.fixture.ts';
import type { Chain } from './shardsHarness.fixture.ts';
import { signedHeaderBytes } from './shardsHarness.fixture.ts';
import { checkSupply } from './shardsChecks.fixture.ts';
import { any, ESCROW, keys, type Pair, SHARD, startPair, T0, TRUST, VOUCHER } from './shardsPair.fixture.ts';

const ACTORS: readonly TestKey[] = [keys.alice, keys.bob, keys.carl, keys.relayer];
const HOLDERS = [...ACTORS, keys.op1, keys.op2].map((k) => k.address).concat(ESCROW);
/** Receivers on the parent: the actors, then two module accounts (refused: shards/1). */
const RECEIVERS = [...ACTORS.map((k) => k.address), ESCROW, moduleAddress('distribution')];
const PERIOD = TRUST.trustingPeriodSeconds;
/** Outcomes reached over all runs (`child MsgTransfer`, `parent MsgRecvPacket`, `child report expired`, ...). */
const REACHED = new Set<string>();

// ---- actions --------------------------------------------------------------------------------------

/** A relay of a packet the child sent, by an actor (anyone may relay). */
const settleArb = <K extends 'deliver' | 'ack' | 'timeout'>(kind: K) =>
  fc.record({ kind: fc.constant(kind), pick: fc.nat({ max: 19 }), signer: fc.nat({ max: 3 }) });
const actionArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      sender: fc.nat({ max: 3 }),
      receiver: fc.oneof({ arbitrary: fc.nat({ max: 3 }), weight: 10 }, { arbitrary: fc.constantFrom(4, 5), weight: 1 }),
      amount: fc.constantFrom('one', 'some', 'some', 'whole', 'over'),
      fraction: fc.nat(),
      timeout: fc.oneof({ arbitrary: fc.bigInt(1n, 3n), weight: 2 }, { arbitrary: fc.bigInt(20n, 80n), weight: 3 }),
    }),
    weight: 6,
  },
  { arbitrary: settleArb('deliver'), weight: 5 },
  { arbitrary: settleArb('ack'), weight: 3 },
  { arbitrary: settleArb('timeout'), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('idle' as const), parent: fc.boolean(), blocks: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      seconds: fc.oneof({ arbitrary: fc.bigInt(1n, 30n), weight: 8 }, { arbitrary: fc.bigInt(PERIOD - 20n, PERIOD + 20n), weight: 1 }),
    }),
    weight: 2,
  },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

// ---- the run's model ------------------------------------------------------------------------------

interface Run {
  readonly pair: Pair;
  /** The shared clock: every block is at least a second after the last one on either chain. */
  now: bigint;
  /** Packets the child sent (by sequence), received on the parent, acknowledged and timed out on the child. */
  readonly sent: Map<bigint, Packet>;
  readonly received: Set<bigint>;
  readonly acknowledged: Set<bigint>;
  readonly timedOut: Set<bigint>;
}

type Tx = readonly [TestKey, readonly Any[]];
const codeOf = (r: ExecTxResult) => (r.code === 0 ? 'ok' : `${r.codespace}/${r.code}`);

function clientOf(chain: Chain, root: string): ConsensusState {
  return ConsensusState.fromJSON(JSON.parse(chain.get(`${root}/client`) as string));
}

/** One block on `chain` with `txs`, a second (or more) after the shared clock; checks and returns the results. */
function block(run: Run, side: 'parent' | 'child', txs: readonly Tx[]): ExecTxResult[] {
  const chain = run.pair[side];
  run.now += 1n;
  const response = chain.block(txs, run.now - chain.time());
  expect(response.mismatches).toEqual([]);
  for (const [i, result] of response.results.entries()) {
    expectClassified(result, `${chain.chainId} height ${chain.height()} tx ${i}`);
    if (result.code === 0) REACHED.add(`${side} ${txs[i]![1][0]!.typeUrl.split('.').at(-1)}`);
  }
  record(run, side, response.results);
  checkInvariants(run);
  return response.results;
}

/**
 * The relayer's report of the other chain's latest header on `side` (none when it is stored already),
 * and the outcome the README fixes for it: refused with lightclient/8 once the trusted header is a
 * trusting period old at this block's time, accepted before.
 */
function freshReport(run: Run, side: 'parent' | 'child'): { tx?: Tx; expected?: string } {
  const chain = run.pair[side];
  const source = run.pair[side === 'parent' ? 'child' : 'parent'];
  const root = side === 'parent' ? childRoot(SHARD) : PARENT_ROOT;
  const client = clientOf(chain, root);
  const latest = source.height();
  if (latest <= client.height) return {};
  const expired = client.timeSeconds + PERIOD <= run.now + 1n;
  const message = any(MsgReport, {
    signer: keys.relayer.address,
    shard: side === 'parent' ? SHARD : 'parent',
    signedHeader: signedHeaderBytes(source.signedHeader(latest)),
  });
  return { tx: [keys.relayer, [message]], expected: expired ? 'lightclient/8' : 'ok' };
}

/** A packet the child sent: mostly one `done` does not hold for, else any (a replay). */
function pickPacket(run: Run, pick: number, done: (sequence: bigint) => boolean): Packet | undefined {
  const all = [...run.sent.values()];
  const open = all.filter((p) => !done(p.sequence));
  const packets = pick < 16 && open.length > 0 ? open : all;
  return packets[pick % Math.max(packets.length, 1)];
}

function send(run: Run, a: Extract<Action, { kind: 'send' }>): void {
  const { child } = run.pair;
  // A sender with no vouchers mostly hands the turn to the actor holding the most.
  const richest = [...ACTORS].sort((x, y) => (child.balance(y.address, VOUCHER) > child.balance(x.address, VOUCHER) ? 1 : -1))[0]!;
  const chosen = ACTORS[a.sender]!;
  const sender = child.balance(chosen.address, VOUCHER) === 0n && a.fraction % 4 !== 0 ? richest : chosen;
  const held = child.balance(sender.address, VOUCHER);
  const amount =
    a.amount === 'one' || held <= 1n
      ? 1n
      : a.amount === 'some'
        ? 1n + (BigInt(a.fraction) % held)
        : a.amount === 'whole'
          ? held
          : held + 1n;
  const client = clientOf(child, PARENT_ROOT);
  const timeoutHeight = client.height + a.timeout;
  // Past the trusting period no header can prove the packet's fate: the transfer is refused.
  const expired = client.timeSeconds + PERIOD <= run.now + 1n;
  const receiver = RECEIVERS[a.receiver]!;
  const message = any(MsgTransfer, { signer: sender.address, shard: 'parent', receiver, amount: amount.toString(), timeoutHeight });
  const [result] = block(run, 'child', [[sender, [message]]]);
  const expected = a.receiver >= 4 ? 'shards/1' : expired ? 'lightclient/8' : amount > held ? 'sdk/5' : 'ok';
  expect(codeOf(result!), result!.log).toBe(expected);
  if (expected === 'lightclient/8') REACHED.add('child transfer expired');
}

/** Delivers a child packet on the parent: a child block (so the packet is in a header's state), a report, the proof. */
function deliver(run: Run, a: Extract<Action, { kind: 'deliver' }>): void {
  const { parent, child } = run.pair;
  const packet = pickPacket(run, a.pick, (q) => run.received.has(q) || run.timedOut.has(q));
  if (!packet) return;
  block(run, 'child', []);
  const report = freshReport(run, 'parent');
  const height = child.height() - 1n;
  const { proof } = child.prove(packetPath(PARENT_ROOT, packet.sequence), height);
  const signer = ACTORS[a.signer]!;
  const recv = any(MsgRecvPacket, { signer: signer.address, shard: SHARD, packet, proofHeight: height, proof });
  const wasReceived = run.received.has(packet.sequence);
  const executedAt = parent.height() + 1n;
  const results = block(run, 'parent', [...(report.tx ? [report.tx] : []), [signer, [recv]]]);
  if (report.tx) expect(codeOf(results[0]!), results[0]!.log).toBe(report.expected);
  const result = results.at(-1)!;
  if (report.expected === 'lightclient/8') REACHED.add('parent report expired');
  // Checked in this order: the timeout, the receipt, then the proof, which shows the commitment while
  // the child holds it (not yet acknowledged or timed out).
  const committed = !run.acknowledged.has(packet.sequence) && !run.timedOut.has(packet.sequence);
  const expected =
    report.expected === 'lightclient/8'
      ? undefined
      : executedAt >= packet.timeoutHeight
        ? 'shards/15'
        : wasReceived
          ? 'shards/14'
          : committed
            ? 'ok'
            : 'shards/11';
  if (expected) expect(codeOf(result), result.log).toBe(expected);
}

/** Acknowledges or times out a child packet on the child: a parent block, a report, the receipt's proof. */
function settle(run: Run, a: Extract<Action, { kind: 'ack' | 'timeout' }>): void {
  const { parent } = run.pair;
  const packet = pickPacket(run, a.pick, (q) => run.acknowledged.has(q) || run.timedOut.has(q));
  if (!packet) return;
  block(run, 'parent', []);
  const report = freshReport(run, 'child');
  const height = parent.height() - 1n;
  const { proof } = parent.prove(receiptPath(childRoot(SHARD), packet.sequence), height);
  const signer = ACTORS[a.signer]!;
  const base = { signer: signer.address, shard: 'parent', sequence: packet.sequence, proofHeight: height, proof };
  const message = a.kind === 'ack' ? any(MsgAcknowledge, base) : any(MsgTimeout, base);
  const settled = run.acknowledged.has(packet.sequence) || run.timedOut.has(packet.sequence);
  const received = run.received.has(packet.sequence);
  const results = block(run, 'child', [...(report.tx ? [report.tx] : []), [signer, [message]]]);
  if (report.tx) expect(codeOf(results[0]!), results[0]!.log).toBe(report.expected);
  if (report.expected === 'lightclient/8') {
    REACHED.add('child report expired');
    return;
  }
  const result = results.at(-1)!;
  let expected: string;
  if (settled) expected = 'shards/13';
  else if (a.kind === 'ack') expected = received ? 'ok' : 'shards/11';
  else if (height + 1n < packet.timeoutHeight) expected = 'shards/16';
  else expected = received ? 'shards/11' : 'ok';
  expect(codeOf(result), result.log).toBe(expected);
}

function apply(run: Run, a: Action): void {
  switch (a.kind) {
    case 'send':
      return send(run, a);
    case 'deliver':
      return deliver(run, a);
    case 'ack':
    case 'timeout':
      return settle(run, a);
    case 'idle':
      for (let i = 0; i < a.blocks; i++) block(run, a.parent ? 'parent' : 'child', []);
      return;
    case 'tick':
      run.now += a.seconds;
      return;
  }
}

// ---- the model's bookkeeping and the invariants ---------------------------------------------------

function eventsOf(results: readonly ExecTxResult[], type: string): Array<Record<string, string>> {
  return results
    .filter((r) => r.code === 0)
    .flatMap((r) => r.events)
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value.replace(/^"|"$/g, '')])));
}

function record(run: Run, side: 'parent' | 'child', results: readonly ExecTxResult[]): void {
  const { parent, child } = run.pair;
  if (side === 'parent') {
    for (const e of eventsOf(results, 'ain.shards.v1.EventPacketReceived')) {
      const sequence = BigInt(e.sequence!);
      const packet = run.sent.get(sequence);
      expect(packet, `parent received ${sequence}, never sent`).toBeDefined();
      expect(run.received.has(sequence), `parent received ${sequence} twice`).toBe(false);
      expect([e.receiver, e.amount, e.denom]).toEqual([packet!.receiver, packet!.amount, 'uain']);
      run.received.add(sequence);
    }
    return;
  }
  for (const e of eventsOf(results, 'ain.shards.v1.EventPacketSent')) {
    const sequence = BigInt(e.sequence!);
    expect(run.sent.has(sequence), `child sent ${sequence} twice`).toBe(false);
    run.sent.set(sequence, Packet.fromJSON(JSON.parse(child.get(packetPath(PARENT_ROOT, sequence)) as string)));
  }
  for (const [type, set] of [
    ['ain.shards.v1.EventPacketAcknowledged', run.acknowledged],
    ['ain.shards.v1.EventPacketTimedOut', run.timedOut],
  ] as const) {
    for (const e of eventsOf(results, type)) {
      const sequence = BigInt(e.sequence!);
      expect(run.acknowledged.has(sequence) || run.timedOut.has(sequence), `child settled ${sequence} twice`).toBe(false);
      const receipt = parent.get(receiptPath(childRoot(SHARD), sequence)) !== undefined;
      expect(receipt, `child ${type} ${sequence} with receipt ${receipt}`).toBe(set === run.acknowledged);
      if (set === run.timedOut) {
        const packet = run.sent.get(sequence)!;
        expect([e.refunded, e.amount, e.denom]).toEqual([packet.sender, packet.amount, VOUCHER]);
      }
      set.add(sequence);
    }
  }
}

function checkInvariants(run: Run): void {
  const { parent, child } = run.pair;
  // Escrow = vouchers + in flight either way; the parent's supply is fixed.
  checkSupply(run.pair);
  const supply = child.get(`/bank/supply/${VOUCHER.replaceAll('/', '%2F')}`);
  const vouchers = typeof supply === 'string' ? BigInt(supply) : 0n;
  expect(HOLDERS.reduce((sum, address) => sum + child.balance(address, VOUCHER), 0n)).toBe(vouchers);
  expect(child.balance(ESCROW, VOUCHER)).toBe(0n);
  // The child's unsettled packets are those sent and neither acknowledged nor timed out.
  const open = child.store.list(`${PARENT_ROOT}/out/packets`, 10_000).map(([path]) => BigInt(path.split('/').at(-1)!));
  const expectedOpen = [...run.sent.keys()].filter((q) => !run.acknowledged.has(q) && !run.timedOut.has(q));
  expect(open).toEqual(expectedOpen.sort((x, y) => (x < y ? -1 : 1)));
  for (const sequence of run.sent.keys()) {
    const receipt = parent.get(receiptPath(childRoot(SHARD), sequence)) !== undefined;
    expect(receipt, `parent receipt of ${sequence}`).toBe(run.received.has(sequence));
  }
}

/** The run's start: 40,000 and 25,000 uain sent down to alice and bob on the child, received there. */
function startRun(): Run {
  const pair = startPair(undefined, undefined, { twins: true });
  const run: Run = { pair, now: pair.parent.time(), sent: new Map(), received: new Set(), acknowledged: new Set(), timedOut: new Set() };
  const down = [keys.alice, keys.bob].map((key, i) => [
    key,
    [
      any(MsgTransfer, {
        signer: key.address,
        shard: SHARD,
        receiver: key.address,
        amount: i === 0 ? '40000' : '25000',
        timeoutHeight: 1000n,
      }),
    ],
  ]) as Tx[];
  block(run, 'parent', down);
  block(run, 'parent', []);
  const report = freshReport(run, 'child');
  const state = pair.parent.height() - 1n;
  const recvs = [1n, 2n].map((sequence) => {
    const packet = Packet.fromJSON(JSON.parse(pair.parent.get(packetPath(childRoot(SHARD), sequence)) as string));
    const { proof } = pair.parent.prove(packetPath(childRoot(SHARD), sequence), state);
    return [keys.relayer, [any(MsgRecvPacket, { signer: keys.relayer.address, shard: 'parent', packet, proofHeight: state, proof })]] as Tx;
  });
  const results = block(run, 'child', [report.tx!, ...recvs]);
  expect(results.map(codeOf)).toEqual(['ok', 'ok', 'ok']);
  expect(T0 + PERIOD > run.now).toBe(true);
  return run;
}

describe('shards: vouchers sent back to the parent, delivered, acknowledged, timed out, and a trusting period running out', () => {
  it('predicts each outcome and keeps escrow, vouchers and packets consistent after every block', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 20, maxLength: 45 }), async (actions) => {
        const run = startRun();
        try {
          for (const action of actions) apply(run, action);
        } finally {
          await run.pair.close();
        }
      }),
      { seed: 42, numRuns: 8 },
    );
    for (const reached of [
      'child MsgTransfer',
      'parent MsgRecvPacket',
      'child MsgAcknowledge',
      'child MsgTimeout',
      'parent report expired',
      'child report expired',
      'child transfer expired',
    ])
      expect(REACHED, reached).toContain(reached);
  }, 60_000);
});
