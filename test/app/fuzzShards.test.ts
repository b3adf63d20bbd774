/**
 * Stateful fuzzing of a parent chain and its child (`shardsPair.fixture.ts`, each chain with a twin
 * and a reference app): random blocks on both chains as a shared clock moves on, with headers of each
 * chain reported on the other (the next, the latest, stale, duplicated, signed by strangers, by too
 * few validators, or conflicting with a stored one: a freeze, then unfreezes by the admin or not),
 * transfers both ways (1, random, the whole balance and one more, timeouts near the reported height),
 * packets relayed late, twice, out of order, changed, with proofs at the best, an older, a wrong or an
 * unreported height, acknowledgements and timeouts of packets received or not, a second branch. After
 * every block: the twin and the reference agree, failures are registered errors; the parent's supply
 * is fixed and its module account holds the children's escrows; the escrow for the child equals the
 * vouchers plus what is in flight; the voucher supply moves only by the block's mints and burns; a
 * packet is received at most once, settled at most once, refunded only when never received,
 * acknowledged only when received; accepted headers are the real ones and only move forward.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import { childRoot, headerHash, PARENT_ROOT, packetPath, receiptPath, validatorSetHash } from '../../modules/shards/index.ts';
import {
  MsgAcknowledge,
  MsgBranch,
  MsgRecvPacket,
  MsgReport,
  MsgTimeout,
  MsgTransfer,
  MsgUnfreeze,
} from '../../proto/gen/ain/shards/v1/tx.ts';
import { ConsensusState, Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import type { TestKey } from '../helpers/tx.ts';
import { expectClassified } from './fuzzChain.fixture.ts';
import { type Chain, consensusKey, FEE, setOf, signedHeaderBytes, validatorSetBytes } from './shardsHarness.fixture.ts';
import { any, BALANCE, branchMsg, ESCROW, keys, type Pair, SHARD, startPair, T0, VOUCHER } from './shardsPair.fixture.ts';

type Side = 'parent' | 'child';
const SIDES: readonly Side[] = ['parent', 'child'];
const other = (side: Side): Side => (side === 'parent' ? 'child' : 'parent');
/** Each side's subtree of the link (its packets out, its receipts in, its headers of the other). */
const rootOf = (side: Side): string => (side === 'parent' ? childRoot(SHARD) : PARENT_ROOT);
const linkName = (side: Side): string => (side === 'parent' ? SHARD : 'parent');
const ACTORS: readonly TestKey[] = [keys.alice, keys.bob, keys.carl, keys.relayer];
const HOLDERS = [...ACTORS, keys.op1, keys.op2].map((k) => k.address).concat(ESCROW);
/** Receivers: the actors, then two module accounts. */
const RECEIVERS = [...ACTORS.map((k) => k.address), ESCROW, moduleAddress('distribution')];
const MIRROR = 'mirror';
const INTRUDER = [consensusKey('intruder')];
/** `<side> <message>` of every tx that succeeded in the runs: the actions reach past the refusals. */
const SUCCEEDED = new Set<string>();

// ---- actions --------------------------------------------------------------------------------------

const side = fc.constantFrom<Side>('parent', 'child');
const actor = fc.nat({ max: 3 });
/** A packet of the run: an index into the packets one side ever sent (mod their count). */
const pick = fc.nat({ max: 19 });
const proofAt = fc.constantFrom('fresh', 'fresh', 'fresh', 'best', 'best', 'older', 'wrong', 'unreported');
const actionArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('block' as const), side }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      seconds: fc.oneof({ arbitrary: fc.bigInt(1n, 30n), weight: 6 }, { arbitrary: fc.bigInt(100n, 1200n), weight: 1 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      side,
      sender: actor,
      /** A key mostly; now and then a module account, which no transfer may pay. */
      receiver: fc.oneof({ arbitrary: actor, weight: 12 }, { arbitrary: fc.constantFrom(4, 5), weight: 1 }),
      amount: fc.constantFrom('one', 'some', 'some', 'some', 'whole', 'over'),
      fraction: fc.nat(),
      /** Timeout counted from the destination's own height (what its RPC says) or from its reported height. */
      fromActual: fc.boolean(),
      timeout: fc.oneof(
        { arbitrary: fc.bigInt(5n, 60n), weight: 4 },
        { arbitrary: fc.bigInt(2n, 6n), weight: 2 },
        { arbitrary: fc.bigInt(-1n, 1n), weight: 1 },
      ),
      shard: fc.constantFrom('chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'chat', MIRROR, 'nope'),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      side,
      height: fc.constantFrom('next', 'latest', 'latest', 'latest', 'stored', 'random'),
      at: fc.nat(),
      variant: fc.oneof(
        { arbitrary: fc.constantFrom('valid', 'valid', 'valid', 'sets', 'intruder', 'partial'), weight: 12 },
        { arbitrary: fc.constant('conflicting'), weight: 1 },
      ),
      signer: fc.oneof({ arbitrary: fc.constant(3), weight: 4 }, { arbitrary: actor, weight: 1 }),
    }),
    weight: 6,
  },
  ...(['recv', 'ack', 'timeout'] as const).map((kind) => ({
    arbitrary: fc.record({
      kind: fc.constant(kind),
      side,
      pick,
      proofAt,
      at: fc.nat(),
      changed: fc.constantFrom(false, false, false, false, true),
      signer: actor,
    }),
    weight: kind === 'recv' ? 8 : 4,
  })),
  {
    arbitrary: fc.record({
      kind: fc.constant('unfreeze' as const),
      side,
      signer: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: actor, weight: 1 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('branch' as const), signer: actor, name: fc.constantFrom(MIRROR, SHARD) }), weight: 1 },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

// ---- the run's model: what was sent, received, settled ----------------------------------------------

interface Run {
  readonly pair: Pair;
  readonly chains: Record<Side, Chain>;
  /** The shared clock: a chain's next block is at `now` (or one second after its last, if later). */
  now: bigint;
  readonly pending: Record<Side, Array<readonly [TestKey, readonly Any[]]>>;
  /** Every packet each side ever committed on the link, by sequence. */
  readonly sent: Record<Side, Map<bigint, Packet>>;
  /** Packets each side received (by the sender's sequence), acknowledged, timed out. */
  readonly received: Record<Side, Set<bigint>>;
  readonly acknowledged: Record<Side, Set<bigint>>;
  readonly timedOut: Record<Side, Set<bigint>>;
  /** Each side's latest client height and the header hashes it stored. */
  readonly latest: Record<Side, bigint>;
  readonly headers: Record<Side, Map<bigint, string>>;
  /** Conflicting reports queued on a side for its next block; whether its link is frozen (by the events). */
  readonly conflicting: Record<Side, number>;
  readonly frozen: Record<Side, boolean>;
  /** The child's voucher supply after the last block. */
  vouchers: bigint;
}

const sideMap = <T>(make: () => T): Record<Side, T> => ({ parent: make(), child: make() });
const textAmount = (value: unknown): bigint => (typeof value === 'string' ? BigInt(value) : 0n);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function client(chain: Chain, s: Side): ConsensusState {
  return ConsensusState.fromJSON(JSON.parse(chain.get(`${rootOf(s)}/client`) as string));
}

/** Heights of the other chain's headers `s` stored, ascending. */
function storedHeights(run: Run, s: Side): bigint[] {
  return [...run.headers[s].keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A state height of the other chain that `s` can check a proof at, chosen as `choice` says. */
function proofHeight(run: Run, s: Side, choice: string, at: number): { height: bigint; proveAt: bigint } {
  const source = run.chains[other(s)];
  const checkable = storedHeights(run, s)
    .map((h) => h - 1n)
    .filter((h) => h >= 1n);
  const best = checkable.at(-1) ?? 1n;
  if (choice === 'older' && checkable.length > 0) {
    const h = checkable[at % checkable.length]!;
    return { height: h, proveAt: h };
  }
  if (choice === 'wrong') return { height: best, proveAt: best > 1n ? best - 1n : best + 1n <= source.height() ? best + 1n : best };
  if (choice === 'unreported') return { height: source.height(), proveAt: source.height() };
  return { height: best, proveAt: best };
}

function eventsOf(results: readonly ExecTxResult[], type: string, shard: string): Array<Record<string, string>> {
  return results
    .filter((r) => r.code === 0)
    .flatMap((r) => r.events)
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value.replace(/^"|"$/g, '')])))
    .filter((e) => e.shard === shard);
}

// ---- turning actions into txs ----------------------------------------------------------------------

function queue(run: Run, s: Side, key: TestKey, message: Any): void {
  run.pending[s].push([key, [message]]);
}

function transferAction(run: Run, a: Extract<Action, { kind: 'transfer' }>): void {
  const chain = run.chains[a.side];
  const denom = a.side === 'parent' ? 'uain' : VOUCHER;
  // On the child, a sender with no vouchers hands the turn to the actor holding the most.
  const richest = [...ACTORS].sort((x, y) => (chain.balance(y.address, denom) > chain.balance(x.address, denom) ? 1 : -1))[0]!;
  const sender = a.side === 'child' && chain.balance(ACTORS[a.sender]!.address, denom) === 0n ? richest : ACTORS[a.sender]!;
  const held = chain.balance(sender.address, denom) - (a.side === 'parent' ? FEE : 0n);
  const amount =
    a.amount === 'one' || held <= 1n
      ? 1n
      : a.amount === 'some'
        ? 1n + (BigInt(a.fraction) % held)
        : a.amount === 'whole'
          ? held
          : held + 1n;
  const base = a.fromActual ? run.chains[other(a.side)].height() : client(chain, a.side).height;
  const timeoutHeight = base + a.timeout > 0n ? base + a.timeout : 1n;
  const shard = a.side === 'child' ? 'parent' : a.shard;
  queue(
    run,
    a.side,
    sender,
    any(MsgTransfer, { signer: sender.address, shard, receiver: RECEIVERS[a.receiver]!, amount: amount.toString(), timeoutHeight }),
  );
}

function reportAction(run: Run, a: Extract<Action, { kind: 'report' }>): void {
  const source = run.chains[other(a.side)];
  const stored = storedHeights(run, a.side);
  const latest = run.latest[a.side];
  let h =
    a.height === 'latest'
      ? source.height()
      : a.height === 'next'
        ? latest + 1n
        : a.height === 'stored' && stored.length > 0
          ? stored[a.at % stored.length]!
          : 1n + (BigInt(a.at) % source.height());
  if (h > source.height()) h = source.height();
  const signer = ACTORS[a.signer]!;
  let signed = source.signedHeader(h);
  let validators: Uint8Array = new Uint8Array();
  let nextValidators: Uint8Array = new Uint8Array();
  if (a.variant === 'sets') {
    validators = validatorSetBytes(source.validatorSet(h));
    nextValidators = validatorSetBytes(source.validatorSet(h + 1n));
  } else if (a.variant === 'intruder') {
    // Strangers sign the header as is, or a header naming them as its validators.
    if (a.at % 2 === 0) signed = source.signedHeader(h, { signers: INTRUDER });
    else {
      const intruders = setOf(INTRUDER);
      signed = source.signedHeader(h, { signers: INTRUDER, change: { validatorsHash: validatorSetHash(intruders.validators) } });
      validators = validatorSetBytes(intruders);
    }
  } else if (a.variant === 'partial') {
    signed = source.signedHeader(h, { signed: a.side === 'parent' ? 1 : 0 });
  } else if (a.variant === 'conflicting') {
    // The other chain's validators sign a second header at a height this side stored: misbehaviour.
    if (stored.length === 0) return;
    h = stored[a.at % stored.length]!;
    run.conflicting[a.side] += 1;
    signed = source.signedHeader(h, { change: { appHash: new Uint8Array(32).fill(a.at % 256) } });
  }
  queue(
    run,
    a.side,
    signer,
    any(MsgReport, {
      signer: signer.address,
      shard: linkName(a.side),
      signedHeader: signedHeaderBytes(signed),
      validators,
      nextValidators,
    }),
  );
}

/** The relayer's report of the other chain's header `h` on `s`. */
function reportOf(run: Run, s: Side, h: bigint): Any {
  const signed = run.chains[other(s)].signedHeader(h);
  return any(MsgReport, { signer: keys.relayer.address, shard: linkName(s), signedHeader: signedHeaderBytes(signed) });
}

function settleAction(run: Run, a: Extract<Action, { kind: 'recv' | 'ack' | 'timeout' }>): void {
  // recv runs on the destination (`a.side`) for a packet the other side sent; ack and timeout on the source.
  const source: Side = a.kind === 'recv' ? other(a.side) : a.side;
  const destination = other(source);
  // Mostly a packet this action has not settled yet; sometimes any (a replay).
  const all = [...run.sent[source].values()];
  const done = (q: bigint) =>
    a.kind === 'recv' ? run.received[destination].has(q) : run.acknowledged[source].has(q) || run.timedOut[source].has(q);
  const open = all.filter((p) => !done(p.sequence));
  const packets = a.pick < 16 && open.length > 0 ? open : all;
  if (packets.length === 0) return;
  const packet = packets[a.pick % packets.length]!;
  const signer = ACTORS[a.signer]!;
  const checkedOn = a.kind === 'recv' ? destination : source;
  const provenChain = run.chains[other(checkedOn)];
  let { height, proveAt } = proofHeight(run, checkedOn, a.proofAt, a.at);
  if (a.proofAt === 'fresh') {
    // A relayer reports the latest header first (same block), then proves the state it commits to.
    const latest = provenChain.height();
    if (latest > run.latest[checkedOn]) {
      queue(run, checkedOn, keys.relayer, reportOf(run, checkedOn, latest));
    }
    height = latest - 1n;
    proveAt = height;
  }
  const path = a.kind === 'recv' ? packetPath(rootOf(source), packet.sequence) : receiptPath(rootOf(destination), packet.sequence);
  const { proof } = provenChain.prove(path, proveAt);
  const base = { signer: signer.address, shard: linkName(checkedOn), proofHeight: height, proof };
  if (a.kind === 'recv') {
    const sentPacket = a.changed ? { ...packet, amount: (BigInt(packet.amount) + 1n).toString() } : packet;
    queue(run, destination, signer, any(MsgRecvPacket, { ...base, packet: sentPacket }));
  } else queue(run, source, signer, any(a.kind === 'ack' ? MsgAcknowledge : MsgTimeout, { ...base, sequence: packet.sequence }));
}

function apply(run: Run, a: Action): void {
  switch (a.kind) {
    case 'block':
      return endBlock(run, a.side);
    case 'tick':
      run.now += a.seconds;
      return;
    case 'transfer':
      return transferAction(run, a);
    case 'report':
      return reportAction(run, a);
    case 'recv':
    case 'ack':
    case 'timeout':
      return settleAction(run, a);
    case 'unfreeze': {
      const signer = ACTORS[a.signer]!;
      return queue(run, a.side, signer, any(MsgUnfreeze, { signer: signer.address, shard: linkName(a.side) }));
    }
    case 'branch': {
      const signer = ACTORS[a.signer]!;
      const msg = branchMsg({ signer: signer.address, name: a.name, chainId: `ain-${a.name}-2` });
      return queue(run, 'parent', signer, any(MsgBranch, msg));
    }
  }
}

// ---- blocks and invariants -------------------------------------------------------------------------

function endBlock(run: Run, s: Side): void {
  const chain = run.chains[s];
  const seconds = run.now > chain.time() ? run.now - chain.time() : 1n;
  const txs = run.pending[s].splice(0);
  const response = chain.block(txs, seconds);
  expect(response.mismatches).toEqual([]);
  for (const [i, result] of response.results.entries()) {
    expectClassified(result, `${chain.chainId} height ${chain.height()} tx ${i}`);
    if (result.code === 0) SUCCEEDED.add(`${s} ${txs[i]![1][0]!.typeUrl.split('.').at(-1)}`);
  }
  record(run, s, response.results);
  checkInvariants(run, s, response.results);
}

/** Folds a block's events into the model, checking each packet is received and settled at most once. */
function record(run: Run, s: Side, results: readonly ExecTxResult[]): void {
  const chain = run.chains[s];
  const shard = linkName(s);
  for (const e of eventsOf(results, 'ain.shards.v1.EventPacketSent', shard)) {
    const sequence = BigInt(e.sequence!);
    expect(run.sent[s].has(sequence), `${s} sent ${sequence} twice`).toBe(false);
    run.sent[s].set(sequence, Packet.fromJSON(JSON.parse(chain.get(packetPath(rootOf(s), sequence)) as string)));
  }
  for (const e of eventsOf(results, 'ain.shards.v1.EventPacketReceived', shard)) {
    const sequence = BigInt(e.sequence!);
    expect(run.received[s].has(sequence), `${s} received ${sequence} twice`).toBe(false);
    const packet = run.sent[other(s)].get(sequence);
    expect(packet, `${s} received ${sequence}, never sent`).toBeDefined();
    expect(e.amount).toBe(packet!.amount);
    expect(e.receiver).toBe(packet!.receiver);
    run.received[s].add(sequence);
  }
  for (const [type, set] of [
    ['ain.shards.v1.EventPacketAcknowledged', run.acknowledged[s]],
    ['ain.shards.v1.EventPacketTimedOut', run.timedOut[s]],
  ] as const) {
    for (const e of eventsOf(results, type, shard)) {
      const sequence = BigInt(e.sequence!);
      expect(run.acknowledged[s].has(sequence) || run.timedOut[s].has(sequence), `${s} settled ${sequence} twice`).toBe(false);
      set.add(sequence);
    }
  }
  // Freezes and unfreezes in tx order: a freeze only by a conflicting report of this block.
  for (const result of results.filter((r) => r.code === 0)) {
    for (const event of result.events) {
      if (event.type === 'ain.shards.v1.EventFrozen') {
        expect(run.conflicting[s], `${s} froze without a conflicting report`).toBeGreaterThan(0);
        run.frozen[s] = true;
      }
      if (event.type === 'ain.shards.v1.EventUnfrozen') run.frozen[s] = false;
    }
  }
  run.conflicting[s] = 0;
}

function checkInvariants(run: Run, s: Side, results: readonly ExecTxResult[]): void {
  const { parent, child } = run.chains;
  // The parent's uain supply is fixed (no validators mint) and its module account holds the escrows.
  const bank = parent.app.keeper<{ getSupply(state: unknown, denom: string): bigint }>('bank');
  expect(bank.getSupply(parent.store, 'uain')).toBe(BALANCE * 4n);
  const chatEscrow = textAmount(parent.get(`${childRoot(SHARD)}/escrow`));
  const mirrorEscrow = textAmount(parent.get(`${childRoot(MIRROR)}/escrow`));
  expect(chatEscrow >= 0n && mirrorEscrow >= 0n).toBe(true);
  expect(parent.balance(moduleAddress('shards'))).toBe(chatEscrow + mirrorEscrow);
  // The child's vouchers: their supply is what its holders hold; it moves only by this block's mints and burns.
  const vouchers = textAmount(child.get(`/bank/supply/${VOUCHER.replaceAll('/', '%2F')}`));
  expect(HOLDERS.reduce((sum, address) => sum + child.balance(address, VOUCHER), 0n)).toBe(vouchers);
  // The child's shards account only passes vouchers through (minted then sent, taken then burned).
  expect(child.balance(ESCROW, VOUCHER)).toBe(0n);
  if (s === 'child') {
    const sum = (type: string) => eventsOf(results, type, 'parent').reduce((total, e) => total + BigInt(e.amount!), 0n);
    const minted = sum('ain.shards.v1.EventPacketReceived') + sum('ain.shards.v1.EventPacketTimedOut');
    expect(vouchers - run.vouchers).toBe(minted - sum('ain.shards.v1.EventPacketSent'));
  } else expect(vouchers).toBe(run.vouchers);
  run.vouchers = vouchers;
  // Escrowed for the child = its vouchers + what is in flight either way.
  const inFlight = (source: Side) =>
    [...run.sent[source].values()]
      .filter((p) => !run.received[other(source)].has(p.sequence) && !run.timedOut[source].has(p.sequence))
      .reduce((total, p) => total + BigInt(p.amount), 0n);
  expect(chatEscrow).toBe(vouchers + inFlight('parent') + inFlight('child'));

  for (const source of SIDES) {
    const destination = other(source);
    const sourceChain = run.chains[source];
    const destinationChain = run.chains[destination];
    // Unsettled packets are those sent and neither acknowledged nor timed out; receipts match receptions.
    const open = sourceChain.store.list(`${rootOf(source)}/out/packets`, 10_000).map(([path]) => BigInt(path.split('/').at(-1)!));
    const expectedOpen = [...run.sent[source].keys()].filter((q) => !run.acknowledged[source].has(q) && !run.timedOut[source].has(q));
    expect(open).toEqual(expectedOpen.sort((a, b) => (a < b ? -1 : 1)));
    for (const sequence of run.sent[source].keys()) {
      const receipt = destinationChain.get(receiptPath(rootOf(destination), sequence)) !== undefined;
      expect(receipt, `${destination} receipt of ${sequence}`).toBe(run.received[destination].has(sequence));
      if (run.timedOut[source].has(sequence)) expect(receipt, `${source} refunded ${sequence}, which was received`).toBe(false);
      if (run.acknowledged[source].has(sequence)) expect(receipt, `${source} acknowledged ${sequence}, never received`).toBe(true);
    }
  }

  // Headers: accepted ones are the other chain's real headers, never replaced; the latest only moves up.
  const chain = run.chains[s];
  const latest = client(chain, s).height;
  expect(latest >= run.latest[s], `${s} client went back from ${run.latest[s]} to ${latest}`).toBe(true);
  run.latest[s] = latest;
  for (const [path, text] of chain.store.list(`${rootOf(s)}/headers`, 100_000)) {
    const height = BigInt(path.split('/').at(-1)!);
    const stored = ConsensusState.fromJSON(JSON.parse(text as string)).headerHash;
    expect(stored, `${s} header ${height}`).toBe(hex(headerHash(run.chains[other(s)].header(height))));
    expect(run.headers[s].get(height) ?? stored).toBe(stored);
    expect(height <= latest).toBe(true);
    run.headers[s].set(height, stored);
  }
  expect(chain.get(`${rootOf(s)}/frozen`) !== undefined, `${s} frozen`).toBe(run.frozen[s]);
}

// ---- the property ----------------------------------------------------------------------------------

describe('shards: random blocks of reports, transfers and relays on a parent and its child', () => {
  it('keeps escrow, vouchers, packets and headers consistent after every block', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 60, maxLength: 120 }), async (actions) => {
        const pair = startPair(undefined, undefined, { twins: true });
        const run: Run = {
          pair,
          chains: { parent: pair.parent, child: pair.child },
          now: T0 + 2n,
          pending: sideMap(() => []),
          sent: sideMap(() => new Map()),
          received: sideMap(() => new Set()),
          acknowledged: sideMap(() => new Set()),
          timedOut: sideMap(() => new Set()),
          latest: sideMap(() => 0n),
          headers: sideMap(() => new Map()),
          conflicting: sideMap(() => 0),
          frozen: sideMap(() => false),
          vouchers: 0n,
        };
        try {
          for (const action of actions) apply(run, action);
          for (const s of SIDES) endBlock(run, s);
        } finally {
          await pair.close();
        }
      }),
      { seed: 42, numRuns: 25 },
    );
    for (const reached of ['parent MsgTransfer', 'child MsgRecvPacket', 'parent MsgAcknowledge', 'parent MsgTimeout', 'child MsgTransfer'])
      expect(SUCCEEDED, reached).toContain(reached);
    for (const reached of ['parent MsgRecvPacket', 'parent MsgUnfreeze', 'child MsgUnfreeze', 'parent MsgBranch'])
      expect(SUCCEEDED).toContain(reached);
  }, 60_000);
});
