/**
 * Stateful fuzzing of the two other modules that hold payers' money (test/app/fuzzChain.fixture.ts:
 * a main app, a twin without CheckTx, a reference app for failed txs). storage: providers register
 * (capacity near what is reserved, price 0 or not), clients reserve (bytes near the free capacity,
 * max_price at the price), cancel, and providers claim; triggers: writes fire paid and free off-chain
 * calls (up to 9 in a tx), executors answer them (MsgSubmitResult, MsgSubmitResults with repeated ids,
 * failed, refused outputs, by executors not listed) or let them expire. Each run builds a fresh chain
 * and plays random blocks of up to three txs, by the right actor most of the time, with block time
 * and height moving on. After every block: each module account holds exactly what its open records
 * hold; closed records paid out exactly their price; indexes match the records; no record past its end
 * or deadline is left open; and every balance moved exactly as the records' changes say it must (fees
 * aside), so nobody is paid twice or more than the payer put in.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, moduleAddress } from '../../core/index.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { MsgCancelReservation, MsgClaimPayment, MsgRegisterProvider, MsgReserve } from '../../proto/gen/ain/storage/v1/tx.ts';
import { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { sendMsg, type TestKey, anyOf } from '../helpers/tx.ts';
import { FEE, FuzzChain } from './fuzzChain.fixture.ts';

const STORAGE = moduleAddress('storage');
const TRIGGERS = moduleAddress('triggers');
const GIB = 1n << 30n;
const PRICE = 100n;

// ---- actions --------------------------------------------------------------------------------------

const actor = fc.nat({ max: 3 });
const wrong = fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: actor, weight: 1 });
const ref = fc.nat({ max: 40 });
const actionArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      provider: actor,
      price: fc.constantFrom(0n, 1n, 1000n, 10n ** 9n),
      capacity: fc.constantFrom('reserved', 'below', 'more', 'huge'),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      /** The client: another key than the provider mostly. */
      client: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 8 }, { arbitrary: fc.constant(0), weight: 1 }),
      provider: fc.constantFrom(2, 3, 3, 2, 1),
      bytes: fc.constantFrom('one', 'gib', 'free', 'over'),
      duration: fc.oneof(
        { arbitrary: fc.bigInt(1n, 120n), weight: 8 },
        { arbitrary: fc.constantFrom(31_536_000n, 31_536_001n), weight: 1 },
      ),
      maxPrice: fc.constantFrom('none', 'none', 'exact', 'below'),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), wrong, reservation: ref }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('claim' as const), wrong, reservation: ref }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('fire' as const),
      caller: actor,
      writes: fc.integer({ min: 1, max: 9 }),
      free: fc.boolean(),
      tag: fc.nat(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      executor: fc.constantFrom(2, 3, 3, 2, 0),
      batch: fc.boolean(),
      results: fc.array(fc.record({ call: ref, outcome: fc.constantFrom('ok', 'ok', 'failed', 'refused') }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
    weight: 4,
  },
  {
    /** Money sent to a module account directly (MsgSend or the native _transfer): refused, else the escrow would not add up. */
    arbitrary: fc.record({
      kind: fc.constant('gift' as const),
      from: actor,
      to: fc.constantFrom('storage', 'triggers', 'key'),
      native: fc.boolean(),
    }),
    weight: 1,
  },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;
const blockArb = fc.record({ actions: fc.array(actionArb, { minLength: 0, maxLength: 3 }), seconds: fc.constantFrom(0n, 0n, 10n, 60n) });

// ---- reading the chain ------------------------------------------------------------------------------

interface Reservation {
  id: bigint;
  client: string;
  provider: string;
  bytes: bigint;
  end: bigint;
  price: bigint;
  paid: bigint;
  refunded: bigint;
  status: 'active' | 'ended' | 'cancelled';
}
interface Call {
  id: string;
  caller: string;
  price: string;
  deadline_height: string;
  status: 'pending' | 'done' | 'failed' | 'expired';
  executor?: string;
}
interface Snapshot {
  height: bigint;
  time: bigint;
  balances: Map<string, bigint>;
  sequences: Map<string, bigint>;
  reservations: Map<bigint, Reservation>;
  calls: Map<string, Call>;
}

const RESERVATION_BIGINTS = new Set(['id', 'bytes', 'start', 'end', 'price', 'paid', 'refunded']);

function snapshot(chain: FuzzChain, time: bigint): Snapshot {
  const { store, app } = chain.main;
  const bank = app.keeper<BankKeeper>('bank');
  const auth = app.keeper<AuthKeeper>('auth');
  const addresses = [...chain.keys.map((k) => k.address), STORAGE, TRIGGERS];
  const reservations = store
    .list('/storage/reservations', 10_000)
    .map(([, text]) => decodeRecord<Reservation>(text as string, RESERVATION_BIGINTS));
  const calls = store.list('/triggers/calls', 10_000).map(([, text]) => JSON.parse(text as string) as Call);
  return {
    height: chain.height,
    time,
    balances: new Map(addresses.map((a) => [a, bank.getBalance(store, a, 'uain')])),
    sequences: new Map(chain.keys.map((k) => [k.address, auth.getAccount(store, k.address)!.sequence])),
    reservations: new Map(reservations.map((r) => [r.id, r])),
    calls: new Map(calls.map((c) => [c.id, c])),
  };
}

/** The invariants of one block: `before` and `after` are the committed states around it. */
function checkBlock(chain: FuzzChain, before: Snapshot, after: Snapshot, gifts: { from: string; to: string }[], what: string): void {
  const { store } = chain.main;
  // storage: the account holds what the active reservations have not paid out; closed ones paid out exactly.
  const active = [...after.reservations.values()].filter((r) => r.status === 'active');
  const held = active.reduce((sum, r) => sum + r.price - r.paid, 0n);
  expect(after.balances.get(STORAGE), `${what}: the storage account against its reservations`).toBe(held);
  expect(BigInt((store.get('/storage/escrow_total') as string | undefined) ?? '0'), `${what}: storage escrow_total`).toBe(held);
  for (const r of after.reservations.values()) {
    expect(
      r.paid >= 0n && r.refunded >= 0n && r.paid + r.refunded <= r.price,
      `${what}: reservation ${r.id} paid ${r.paid} refunded ${r.refunded} of ${r.price}`,
    ).toBe(true);
    if (r.status !== 'active') expect(r.paid + r.refunded, `${what}: closed reservation ${r.id}`).toBe(r.price);
    else expect(r.end > after.time, `${what}: reservation ${r.id} ended at ${r.end}, still active at ${after.time}`).toBe(true);
    const old = before.reservations.get(r.id);
    if (old) {
      expect(r.paid >= old.paid, `${what}: reservation ${r.id} paid went down`).toBe(true);
      if (old.status !== 'active') expect(r, `${what}: closed reservation ${r.id} changed`).toEqual(old);
    }
  }
  const ends = store.list('/storage/ends', 10_000).map(([path]) => BigInt(path.split('/').pop()!));
  expect(ends.sort(), `${what}: the end index`).toEqual(active.map((r) => r.id).sort());
  for (const provider of store.list('/storage/providers', 100)) {
    const record = JSON.parse(provider[1] as string) as { address: string; reservedBytes: string; capacityBytes: string };
    const bytes = active.filter((r) => r.provider === record.address).reduce((sum, r) => sum + r.bytes, 0n);
    expect(BigInt(record.reservedBytes), `${what}: ${record.address}'s reserved bytes`).toBe(bytes);
    expect(BigInt(record.reservedBytes) <= BigInt(record.capacityBytes), `${what}: ${record.address} over capacity`).toBe(true);
  }

  // triggers: the account holds the prices of the pending calls; the pending index names exactly them.
  const pending = [...after.calls.values()].filter((c) => c.status === 'pending');
  expect(after.balances.get(TRIGGERS), `${what}: the triggers account against its calls`).toBe(
    pending.reduce((sum, c) => sum + BigInt(c.price), 0n),
  );
  const indexed = store.list('/triggers/pending', 10_000).map(([path]) => path.split('/').pop()!);
  expect(indexed.sort(), `${what}: the pending index`).toEqual(pending.map((c) => c.id).sort());
  for (const c of pending)
    expect(BigInt(c.deadline_height) >= after.height, `${what}: call ${c.id} past its deadline, still pending`).toBe(true);
  for (const c of after.calls.values()) {
    const old = before.calls.get(c.id);
    if (old && old.status !== 'pending') expect(c, `${what}: finished call ${c.id} changed`).toEqual(old);
  }

  // Every balance moved as the records' changes say: fees, escrows in, payments and refunds out.
  const expected = new Map(before.balances);
  const move = (from: string, to: string, amount: bigint) => {
    expected.set(from, expected.get(from)! - amount);
    expected.set(to, expected.get(to)! + amount);
  };
  for (const [address, sequence] of after.sequences)
    expected.set(address, expected.get(address)! - FEE * (sequence - before.sequences.get(address)!));
  for (const r of after.reservations.values()) {
    const old = before.reservations.get(r.id) ?? { ...r, paid: 0n, refunded: 0n };
    if (!before.reservations.has(r.id)) move(r.client, STORAGE, r.price);
    move(STORAGE, r.provider, r.paid - old.paid);
    move(STORAGE, r.client, r.refunded - old.refunded);
  }
  for (const gift of gifts) move(gift.from, gift.to, 7n);
  for (const c of after.calls.values()) {
    const old = before.calls.get(c.id);
    if (!old) move(c.caller, TRIGGERS, BigInt(c.price));
    if (old?.status === 'pending' || !old) {
      if (c.status === 'done') move(TRIGGERS, c.executor!, BigInt(c.price));
      if (c.status === 'failed' || c.status === 'expired') move(TRIGGERS, c.caller, BigInt(c.price));
    }
  }
  expect(after.balances, `${what}: balances against the records' changes`).toEqual(expected);
}

// ---- the run ----------------------------------------------------------------------------------------

const fn = (id: string, price: bigint) => ({
  function_type: 'OFFCHAIN',
  function_id: id,
  runtime: 'node',
  code_hash: 'ab'.repeat(32),
  resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
  timeout_blocks: 2,
  price: price.toString(),
  output_path: `/apps/fz/out/${id}/$key`,
  executors: 'any',
});

/** Two providers (keys 2 and 3), two executors (keys 2 and 3: only key 2 listed for the paid function) and the app's rules. */
function setUp(chain: FuzzChain): void {
  const [, admin, two, three] = chain.keys as [TestKey, TestKey, TestKey, TestKey];
  const rule = (path: string, write: string) => anyOf(MsgSetRule, { signer: admin.address, path, rule: JSON.stringify({ write }) });
  const setFunction = (path: string, config: object) =>
    anyOf(MsgSetFunction, { signer: admin.address, path, function: JSON.stringify(config) });
  const provider = (key: TestKey, price: bigint) =>
    anyOf(MsgRegisterProvider, {
      signer: key.address,
      url: 'http://p.example',
      backends: ['folder'],
      pricePerGibDay: price.toString(),
      capacityBytes: 8n * GIB,
    });
  const executor = (key: TestKey) =>
    anyOf(MsgRegisterExecutor, { signer: key.address, runtimes: ['node'], cpu: 2, memoryMb: 1024n, price: '1' });
  const txs = [
    chain.sign(admin, [
      anyOf(MsgCreateApp, { signer: admin.address, name: 'fz', admins: [admin.address], public: false }),
      rule('/apps/fz/req/$kind/$key', 'true'),
      rule('/apps/fz/out/$fid/$key', "auth.fid == $fid && newData != 'refused'"),
      setFunction('/apps/fz/req/paid/$key', { ...fn('paid', PRICE), executors: [two.address] }),
      setFunction('/apps/fz/req/free/$key', fn('free', 0n)),
      rule('/apps/fz/pay/$from/$to/$key', 'true'),
      setFunction('/apps/fz/pay/$from/$to/$key', { function_type: 'NATIVE', function_id: '_transfer' }),
    ]),
    chain.sign(two, [provider(two, 1000n), executor(two)]),
    chain.sign(three, [provider(three, 7n), executor(three)]),
  ];
  const results = chain.deliver(txs, [admin, two, three]);
  expect(results.map((r) => r.log)).toEqual(['', '', '']);
}

/** The tx of `action` by its signer, with ids resolved against the committed state. */
function txOf(chain: FuzzChain, now: Snapshot, action: Action): { signer: TestKey; messages: Any[]; gift?: string } {
  const keys = chain.keys;
  const keyOf = (address: string | undefined, other: number | null) =>
    other !== null || !address ? keys[other ?? 0]! : keys.find((k) => k.address === address)!;
  const reservations = [...now.reservations.values()];
  const active = reservations.filter((r) => r.status === 'active');
  // Two times in three an active reservation, else any id (or the next, not found).
  const pickReservation = (pick: number) =>
    pick % 3 !== 0 && active.length > 0 ? active[pick % active.length] : reservations[pick % (reservations.length + 1)];
  const provider = (address: string) => {
    const text = chain.main.store.get(`/storage/providers/${address}`);
    return typeof text === 'string'
      ? (JSON.parse(text) as { capacityBytes: string; reservedBytes: string; pricePerGibDay: string })
      : undefined;
  };
  switch (action.kind) {
    case 'register': {
      const signer = keys[action.provider]!;
      const reserved = BigInt(provider(signer.address)?.reservedBytes ?? '0');
      const capacity = { reserved, below: reserved - 1n, more: reserved + 4n * GIB, huge: 1n << 50n }[action.capacity];
      const msg = anyOf(MsgRegisterProvider, {
        signer: signer.address,
        url: 'http://p.example',
        backends: ['folder'],
        pricePerGibDay: action.price.toString(),
        capacityBytes: capacity < 0n ? 0n : capacity,
      });
      return { signer, messages: [msg] };
    }
    case 'reserve': {
      const signer = keys[(action.provider + action.client) % keys.length]!;
      const target = keys[action.provider]!.address;
      const record = provider(target);
      const free = record ? BigInt(record.capacityBytes) - BigInt(record.reservedBytes) : GIB;
      const bytes = { one: 1n, gib: GIB, free: free < 1n ? 1n : free, over: free + 1n }[action.bytes];
      const price = record ? (bytes * action.duration * BigInt(record.pricePerGibDay) + GIB * 86_400n - 1n) / (GIB * 86_400n) : 0n;
      const maxPrice = { none: '', exact: price.toString(), below: (price > 0n ? price - 1n : 0n).toString() }[action.maxPrice];
      return {
        signer,
        messages: [anyOf(MsgReserve, { signer: signer.address, provider: target, bytes, durationSeconds: action.duration, maxPrice })],
      };
    }
    case 'cancel':
    case 'claim': {
      const reservation = pickReservation(action.reservation);
      const signer = keyOf(action.kind === 'cancel' ? reservation?.client : reservation?.provider, action.wrong);
      const reservationId = reservation?.id ?? BigInt(reservations.length + 1);
      const codec = action.kind === 'cancel' ? MsgCancelReservation : MsgClaimPayment;
      return { signer, messages: [anyOf(codec, { signer: signer.address, reservationId })] };
    }
    case 'fire': {
      const signer = keys[action.caller]!;
      const messages = Array.from({ length: action.writes }, (_, i) =>
        anyOf(MsgSetValue, {
          signer: signer.address,
          path: `/apps/fz/req/${action.free ? 'free' : 'paid'}/k${action.tag}_${i}`,
          value: JSON.stringify(i),
        }),
      );
      return { signer, messages };
    }
    case 'gift': {
      const signer = keys[action.from]!;
      const to = { storage: STORAGE, triggers: TRIGGERS, key: keys[(action.from + 1) % keys.length]!.address }[action.to];
      const message = action.native
        ? anyOf(MsgSetValue, { signer: signer.address, path: `/apps/fz/pay/${signer.address}/${to}/g${now.height}`, value: '7' })
        : sendMsg(signer.address, to, '7');
      return { signer, messages: [message], gift: to };
    }
    case 'submit': {
      const signer = keys[action.executor]!;
      const calls = [...now.calls.values()];
      // Mostly a pending call, sometimes any call or one that does not exist.
      const pending = calls.filter((c) => c.status === 'pending');
      const results = action.results.map((r) => {
        const call = r.call % 4 !== 0 && pending.length > 0 ? pending[r.call % pending.length]! : calls[r.call % (calls.length + 1)];
        const callId = BigInt(call?.id ?? calls.length + 1);
        const output = JSON.stringify(r.outcome === 'refused' ? 'refused' : { answer: r.call });
        return { callId, output, failed: r.outcome === 'failed', error: r.outcome === 'failed' ? 'boom' : '' };
      });
      const messages = action.batch
        ? [anyOf(MsgSubmitResults, { signer: signer.address, results })]
        : [anyOf(MsgSubmitResult, { signer: signer.address, ...results[0]! })];
      return { signer, messages };
    }
  }
}

describe('storage and triggers escrow, stateful fuzz through the app', () => {
  it('each module account holds what its open records hold, and every balance moves as the records say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 1, maxLength: 25, size: 'medium' }), async (blocks) => {
        const chain = new FuzzChain();
        try {
          setUp(chain);
          let before = snapshot(chain, chain.nextBlockTime() - 5n);
          for (const [step, block] of blocks.entries()) {
            chain.advanceTime(block.seconds);
            const time = chain.nextBlockTime();
            const txs = block.actions
              .map((action) => txOf(chain, before, action))
              .filter((tx, i, all) => all.findIndex((t) => t.signer === tx.signer) === i);
            const results = chain.deliver(
              txs.map(({ signer, messages }) => chain.sign(signer, messages)),
              txs.map(({ signer }) => signer),
            );
            // Gifts between keys that went through (to a module account they must not).
            const gifts = txs.flatMap((tx, i) => (results[i]!.code === 0 && tx.gift ? [{ from: tx.signer.address, to: tx.gift }] : []));
            const after = snapshot(chain, time);
            checkBlock(chain, before, after, gifts, `block ${step} (${block.actions.map((a) => a.kind).join(', ')})`);
            before = after;
          }
        } finally {
          await chain.close();
        }
      }),
      { seed: 42, numRuns: 20 },
    );
  }, 120_000);
});
