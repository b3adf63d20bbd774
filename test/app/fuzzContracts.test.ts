/**
 * Stateful fuzzing of the channels module's service contracts through the app (test/app/fuzzChain.fixture.ts),
 * biased toward the lifecycle that reaches disputes and slashes: contracts with short periods and dispute
 * windows, the client's claims of misses whose deadline just passed, the executor's disputes with its
 * receipt (on time, late, signed by the client, for a claim disputed before or past its window), block time
 * jumping to just before, at and after the period's end and each window's end, settle and end early;
 * blocks of one or two txs. The model of test/app/channelsModel.fixture.ts predicts each outcome and
 * balance; after every block the contracts and claims equal the model's and the module account holds
 * exactly `/channels/escrow_total`. At the end, disputes, slashes and settles must have succeeded.
 */
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../core/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { contractRequestHash, type StoredContract, signContractReceipt, signContractRequest } from '../../modules/channels/index.ts';
import {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgDisputeMisses,
  MsgEndContract,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { anyOf, type TestKey } from '../helpers/tx.ts';
import { CHANNELS_ACCOUNT, Model, proposeTx, Refusal, type ResolvedTx, storedContracts } from './channelsModel.fixture.ts';
import { CHAIN_ID, FEE, FuzzChain } from './fuzzChain.fixture.ts';

const bodyHash = (seq: bigint) => new Uint8Array(createHash('sha256').update(`call ${seq}`).digest());
/** The largest of some bigints (Math.max takes numbers only). */
const largest = (values: bigint[]): bigint => {
  let most = values[0]!;
  for (const value of values) if (value > most) most = value;
  return most;
};
const terms = (contractId: bigint, seq: bigint, deadline: bigint) => ({
  chainId: CHAIN_ID,
  contractId,
  seq,
  deadline,
  bodyHash: bodyHash(seq),
});

// ---- actions --------------------------------------------------------------------------------------

const pick = fc.nat({ max: 20 });
/** Another signer than the right one, rarely (a key index: may by chance be the right one). */
const wrong = fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.nat({ max: 3 }), weight: 1 });

/** Mostly none; else one flaw that may (or may not, by the clock) get the request refused. */
const flaw = <T extends string>(...flaws: T[]) =>
  fc.oneof({ arbitrary: fc.constant('none' as const), weight: 6 }, { arbitrary: fc.constantFrom(...flaws), weight: 1 });
const requestArb = fc.record({
  flaw: flaw('claimedSeq', 'sameSeq', 'atStart', 'atEnd', 'beforeStart', 'afterEnd', 'now', 'badSignature'),
  back: fc.nat({ max: 8 }),
});
const receiptArb = fc.record({
  flaw: flaw('anyClaim', 'unclaimed', 'sameSeq', 'late', 'badSignature'),
  atDeadline: fc.boolean(),
  back: fc.nat({ max: 5 }),
});

const contractArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('propose' as const),
      client: fc.nat({ max: 3 }),
      executor: fc.integer({ min: 1, max: 3 }),
      price: fc.bigInt(1n, 1000n),
      deposit: fc.bigInt(1n, 300n),
      penalty: fc.bigInt(1n, 120n),
      duration: fc.bigInt(1n, 60n),
      dispute: fc.bigInt(1n, 20n),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), contract: pick, wrong }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('end' as const), contract: pick, wrong }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      contract: pick,
      wrong,
      requests: fc.array(requestArb, { minLength: 1, maxLength: 2 }),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('dispute' as const),
      contract: pick,
      wrong,
      receipts: fc.array(receiptArb, { minLength: 1, maxLength: 2 }),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('settle' as const), contract: pick, byExecutor: fc.boolean(), wrong }), weight: 3 },
);
type ContractAction = typeof contractArb extends fc.Arbitrary<infer A> ? A : never;
/** The next step of a contract's lifecycle whose window is open (accept, claim, dispute, settle), terms drawn as above. */
const nextArb = fc.record({
  kind: fc.constant('next' as const),
  contract: pick,
  wrong,
  byExecutor: fc.boolean(),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 2 }),
  receipts: fc.array(receiptArb, { minLength: 1, maxLength: 2 }),
});
const txArb = fc.oneof({ arbitrary: contractArb, weight: 1 }, { arbitrary: nextArb, weight: 1 });
type TxAction = typeof txArb extends fc.Arbitrary<infer A> ? A : never;

/** When the block comes: some seconds after the last, or at a boundary of a live contract (its end, claim or dispute window) -1, 0 or +1. */
const timeArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('step' as const), seconds: fc.bigInt(1n, 4n) }), weight: 5 },
  {
    arbitrary: fc.record({
      kind: fc.constant('boundary' as const),
      contract: pick,
      at: fc.constantFrom('end', 'claimWindow', 'disputeWindow', 'disputeWindow', 'settle'),
      offset: fc.bigInt(-1n, 1n),
    }),
    weight: 1,
  },
);
const blockArb = fc.record({ time: timeArb, txs: fc.array(txArb, { minLength: 0, maxLength: 2 }) });
type Block = typeof blockArb extends fc.Arbitrary<infer B> ? B : never;

/** Every run starts with two active contracts (short, one with a window longer than its period) and a proposal. */
const SETUP: Block[] = [
  {
    time: { kind: 'step', seconds: 5n },
    txs: [
      { kind: 'propose', client: 1, executor: 1, price: 600n, deposit: 200n, penalty: 70n, duration: 20n, dispute: 8n },
      { kind: 'propose', client: 3, executor: 2, price: 90n, deposit: 50n, penalty: 30n, duration: 6n, dispute: 12n },
    ],
  },
  {
    time: { kind: 'step', seconds: 5n },
    txs: [
      { kind: 'accept', contract: 0, wrong: null },
      { kind: 'propose', client: 0, executor: 2, price: 300n, deposit: 100n, penalty: 1n, duration: 10n, dispute: 5n },
    ],
  },
  { time: { kind: 'step', seconds: 1n }, txs: [{ kind: 'accept', contract: 0, wrong: null }] },
];

// ---- resolving an action against the model ------------------------------------------------------------

/** Whether `contract` can take `kind` at `now` (the window is open), so that most actions reach past the state checks. */
function live(model: Model, contract: StoredContract, kind: ContractAction['kind'], now: bigint): boolean {
  if (kind === 'accept') return contract.status === 'proposed';
  if (contract.status !== 'active') return false;
  if (kind === 'claim') return now > contract.startsAt && now <= contract.endsAt + contract.disputeSeconds;
  if (kind === 'end') return now < contract.endsAt;
  if (kind === 'dispute')
    return [...(model.claims.get(contract.id)?.values() ?? [])].some((c) => !c.disputed && now <= c.claimedAt + contract.disputeSeconds);
  if (kind === 'settle') return now > contract.endsAt + 2n * contract.disputeSeconds;
  return true;
}

/** A `next` action as the concrete action of one (contract, step) whose window is open; with none open, a settle. */
function nextStep(model: Model, action: Extract<TxAction, { kind: 'next' }>, now: bigint): { step: ContractAction; id?: bigint } {
  const kinds = ['accept', 'claim', 'dispute', 'settle'] as const;
  const open = model.contracts.flatMap((c) => kinds.filter((kind) => live(model, c, kind, now)).map((kind) => ({ id: c.id, kind })));
  const chosen = open[action.contract % Math.max(open.length, 1)];
  const kind = chosen?.kind ?? 'settle';
  const { contract, wrong, byExecutor, requests, receipts } = action;
  const step: ContractAction =
    kind === 'claim'
      ? { kind, contract, wrong, requests }
      : kind === 'dispute'
        ? { kind, contract, wrong, receipts }
        : kind === 'settle'
          ? { kind, contract, wrong, byExecutor }
          : { kind, contract, wrong };
  return chosen ? { step, id: chosen.id } : { step };
}

function chooseContract(model: Model, index: number, kind: ContractAction['kind'], now: bigint): bigint {
  // One time in eight any id, the next (not found) included; else one whose window is open, else one in the right state.
  let fits = model.contracts.filter((c) => live(model, c, kind, now));
  if (fits.length === 0) fits = model.contracts.filter((c) => c.status === (kind === 'accept' ? 'proposed' : 'active'));
  if (index % 8 === 7 || fits.length === 0) return BigInt((index % (model.contracts.length + 1)) + 1);
  return fits[index % fits.length]!.id;
}

function resolve(model: Model, action: TxAction, now: bigint, id?: bigint): { signer: TestKey; tx: ResolvedTx; messages: Any[] } {
  if (action.kind === 'next') {
    const { step, id: chosen } = nextStep(model, action, now);
    return resolve(model, step, now, chosen);
  }
  const keys = model.keys;
  const keyOf = (address: string | undefined) => keys.find((k) => k.address === address) ?? keys[1]!;
  if (action.kind === 'propose')
    return proposeTx(keys[action.client]!, keys[(action.client + action.executor) % keys.length]!.address, action);
  const contractId = id ?? chooseContract(model, action.contract, action.kind, now);
  const contract = model.contracts[Number(contractId) - 1];
  const client = keyOf(contract?.client);
  const executor = keyOf(contract?.executor);
  const right =
    action.kind === 'accept' || action.kind === 'dispute' || (action.kind === 'settle' && action.byExecutor) ? executor : client;
  const signer = action.wrong === null ? right : keys[action.wrong]!;
  const base = { signer: signer.address, contractId };
  switch (action.kind) {
    case 'accept':
      return {
        signer,
        tx: { kind: 'accept', contractId },
        messages: [anyOf(MsgAcceptContract, { ...base, executorPubkey: signer.pubkey })],
      };
    case 'end':
      return { signer, tx: { kind: 'end', contractId }, messages: [anyOf(MsgEndContract, base)] };
    case 'settle':
      return { signer, tx: { kind: 'settle', contractId }, messages: [anyOf(MsgSettleContract, base)] };
    case 'claim': {
      const claims = model.claims.get(contractId) ?? new Map();
      let fresh = largest([...claims.keys(), 0n]) + 1n;
      const startsAt = contract?.startsAt ?? now;
      const endsAt = contract?.endsAt ?? now;
      const requests = action.requests.map((r, i) => {
        const seq =
          r.flaw === 'sameSeq' && i > 0
            ? fresh - 1n
            : r.flaw === 'claimedSeq' && claims.size > 0
              ? [...claims.keys()][r.back % claims.size]!
              : fresh++;
        const recent = now - 1n - BigInt(r.back);
        const deadlines: Record<string, bigint> = {
          atStart: startsAt,
          atEnd: endsAt,
          beforeStart: startsAt - 1n,
          afterEnd: endsAt + 1n,
          now,
        };
        const deadline = deadlines[r.flaw] ?? (recent < startsAt ? startsAt : recent > endsAt ? endsAt : recent);
        return { seq, deadline: deadline < 1n ? 1n : deadline, validSignature: r.flaw !== 'badSignature' };
      });
      const msg = anyOf(MsgClaimMisses, {
        ...base,
        requests: requests.map((r) => ({
          seq: r.seq,
          deadline: r.deadline,
          bodyHash: bodyHash(r.seq),
          signature: signContractRequest((r.validSignature ? client : executor).privkey, terms(contractId, r.seq, r.deadline)),
        })),
      });
      return { signer, tx: { kind: 'claim', contractId, requests }, messages: [msg] };
    }
    case 'dispute': {
      const claims = [...(model.claims.get(contractId) ?? new Map()).entries()];
      const standing = claims.filter(([, c]) => !c.disputed && now <= c.claimedAt + (contract?.disputeSeconds ?? 0n));
      const receipts = action.receipts.map((r, i) => {
        // Standing claims in turn (the latest first), unless the flaw says otherwise.
        const from = r.flaw === 'anyClaim' || standing.length === 0 ? claims : standing;
        const chosen =
          r.flaw === 'unclaimed' || from.length === 0
            ? undefined
            : from[r.flaw === 'sameSeq' ? from.length - 1 : (from.length - 1 + i * (r.back + 1)) % from.length];
        const seq = chosen ? chosen[0] : 1000n + BigInt(r.back);
        const deadline = chosen ? chosen[1].deadline : now;
        const answeredAt = r.flaw === 'late' ? deadline + 1n + BigInt(r.back) : r.atDeadline ? deadline : deadline - BigInt(r.back);
        return { seq, deadline, answeredAt: answeredAt < 0n ? 0n : answeredAt, validSignature: r.flaw !== 'badSignature' };
      });
      // A seq twice only where the flaw asks for it (validateBasic refuses it).
      const listed = receipts.filter((r, i) => action.receipts[i]!.flaw === 'sameSeq' || receipts.findIndex((o) => o.seq === r.seq) === i);
      receipts.splice(0, receipts.length, ...listed);
      const msg = anyOf(MsgDisputeMisses, {
        ...base,
        receipts: receipts.map((r) => ({
          seq: r.seq,
          answeredAt: r.answeredAt,
          signature: signContractReceipt(
            (r.validSignature ? executor : client).privkey,
            terms(contractId, r.seq, r.deadline),
            r.answeredAt,
          ),
        })),
      });
      return { signer, tx: { kind: 'dispute', contractId, receipts }, messages: [msg] };
    }
  }
}

/** The block's time: a step on, or a live contract's boundary (when it is still ahead). */
function blockSeconds(model: Model, time: Block['time'], last: bigint): bigint {
  if (time.kind === 'step') return time.seconds;
  const contract = model.contracts.find((c) => c.id === chooseContract(model, time.contract, 'end', last));
  if (contract?.status !== 'active') return 1n;
  const claimedAt = [...(model.claims.get(contract.id)?.values() ?? [])].map((c) => c.claimedAt);
  const lastClaim = claimedAt.length > 0 ? largest(claimedAt) : contract.endsAt;
  const target =
    {
      end: contract.endsAt,
      claimWindow: contract.endsAt + contract.disputeSeconds,
      settle: contract.endsAt + 2n * contract.disputeSeconds,
      disputeWindow: lastClaim + contract.disputeSeconds,
    }[time.at] + time.offset;
  return target > last ? target - last : 1n;
}

// ---- reading the chain ------------------------------------------------------------------------------

const CLAIM_BIGINTS = new Set(['deadline', 'claimedAt']);
interface ChainClaim {
  deadline: bigint;
  claimedAt: bigint;
  disputed: boolean;
  requestHash: string;
}

/** After a block: contracts, claims and balances as the model says; the module account holds escrow_total, what the live contracts hold. */
function checkInvariants(chain: FuzzChain, model: Model, what: string): void {
  const store = chain.main.store;
  const bank = chain.main.app.keeper<BankKeeper>('bank');
  const contracts = storedContracts(store);
  const strip = (c: StoredContract) => ({ ...c, clientPubkey: '', executorPubkey: '' });
  expect(contracts.map(strip), `${what}: contracts`).toEqual(model.contracts.map((c) => strip({ ...c, requestsPerSecond: 1, gpus: 0 })));
  for (const c of contracts) {
    const client = model.keys.find((k) => k.address === c.client)!;
    expect(c.clientPubkey, `${what}: contract ${c.id} client key`).toBe(Buffer.from(client.pubkey).toString('base64'));
  }
  const claims = store.list('/channels/claims', 10_000).map(([path, text]) => {
    const [contractId, seq] = path.split('/').slice(3).map(BigInt) as [bigint, bigint];
    return { contractId, seq, ...decodeRecord<ChainClaim>(text as string, CLAIM_BIGINTS) };
  });
  const expected = [...model.claims].flatMap(([contractId, m]) =>
    [...m].map(([seq, c]) => ({
      contractId,
      seq,
      ...c,
      requestHash: Buffer.from(contractRequestHash(terms(contractId, seq, c.deadline))).toString('base64'),
    })),
  );
  const order = (a: { contractId: bigint; seq: bigint }, b: { contractId: bigint; seq: bigint }) =>
    a.contractId !== b.contractId ? (a.contractId < b.contractId ? -1 : 1) : a.seq < b.seq ? -1 : 1;
  expect(claims.sort(order), `${what}: claims`).toEqual(expected.sort(order));
  for (const c of contracts) {
    const own = claims.filter((k) => k.contractId === c.id);
    expect([c.claims, c.disputed], `${what}: contract ${c.id} counts its claims`).toEqual([
      BigInt(own.length),
      BigInt(own.filter((k) => k.disputed).length),
    ]);
  }
  const held = contracts.reduce(
    (sum, c) => sum + (c.status === 'proposed' ? c.price : c.status === 'active' ? c.price - c.refunded + c.deposit : 0n),
    0n,
  );
  const account = bank.getBalance(store, CHANNELS_ACCOUNT, 'uain');
  expect(account, `${what}: the module account against the live contracts`).toBe(held);
  expect(BigInt((store.get('/channels/escrow_total') as string | undefined) ?? '0'), `${what}: escrow_total`).toBe(account);
  for (const [address, balance] of model.balances)
    expect(bank.getBalance(store, address, 'uain'), `${what}: balance of ${address}`).toBe(balance);
}

// ---- the property ---------------------------------------------------------------------------------

/** How far the runs got: successful claims, disputes, settles, slashes (and those capped at the deposit), early ends. */
const reached = { claims: 0, disputes: 0, refusedDisputes: 0, settles: 0, slashes: 0, cappedSlashes: 0, ends: 0 };

async function play(blocks: Block[]): Promise<void> {
  const chain = new FuzzChain();
  try {
    const model = new Model(chain.keys);
    const bank = chain.main.app.keeper<BankKeeper>('bank');
    for (const address of [...chain.keys.map((k) => k.address), CHANNELS_ACCOUNT])
      model.balances.set(address, bank.getBalance(chain.main.store, address, 'uain'));
    for (const [step, block] of blocks.entries()) {
      const seconds = blockSeconds(model, block.time, chain.nextBlockTime(0n));
      const now = chain.nextBlockTime(seconds);
      const signers: TestKey[] = [];
      const txs: Uint8Array[] = [];
      const expected: string[] = [];
      const described: string[] = [];
      for (const action of block.txs) {
        const { signer, tx, messages } = resolve(model, action, now);
        if (signers.includes(signer)) continue; // one tx per key in a block
        let outcome = 'ok';
        model.balances.set(signer.address, model.balances.get(signer.address)! - FEE);
        try {
          model.apply(signer, tx, now);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          outcome = error.message;
          if (error.stateless) model.balances.set(signer.address, model.balances.get(signer.address)! + FEE);
        }
        if (tx.kind === 'dispute') reached[outcome === 'ok' ? 'disputes' : 'refusedDisputes'] += 1;
        if (outcome === 'ok' && tx.kind === 'claim') reached.claims += 1;
        if (outcome === 'ok' && tx.kind === 'end') reached.ends += 1;
        if (outcome === 'ok' && tx.kind === 'settle') {
          reached.settles += 1;
          const settled = model.contracts[Number(tx.contractId) - 1]!;
          if (settled.slashed > 0n) reached.slashes += 1;
          if (settled.slashed === settled.deposit) reached.cappedSlashes += 1;
        }
        signers.push(signer);
        txs.push(chain.sign(signer, messages));
        expected.push(outcome);
        described.push(JSON.stringify(tx, (_, v) => (typeof v === 'bigint' ? `${v}` : v)));
      }
      const results = chain.deliver(txs, signers, seconds);
      const what = `block ${step} at ${now} (${described.join(', ')})`;
      expect(
        results.map((r) => (r.code === 0 ? 'ok' : `${r.codespace}/${r.code}`)),
        `${what}: ${results.map((r) => r.log).join(' | ')}`,
      ).toEqual(expected);
      checkInvariants(chain, model, what);
    }
  } finally {
    await chain.close();
  }
}

describe('service contracts, stateful fuzz through the app (disputes, slashes, settles)', () => {
  it('predicts every outcome, claim and balance; the escrow always equals what the live contracts hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 10, maxLength: 30 }), (random) => play([...SETUP, ...random])),
      { seed: 42, numRuns: 10 },
    );
    // The reach is real: contracts were disputed, slashed and settled, not only refused.
    const counts = JSON.stringify(reached);
    expect(reached.disputes, counts).toBeGreaterThan(0);
    expect(reached.refusedDisputes, counts).toBeGreaterThan(0);
    expect(reached.slashes, counts).toBeGreaterThan(0);
    expect(reached.cappedSlashes, counts).toBeGreaterThan(0);
    expect(reached.settles, counts).toBeGreaterThan(reached.slashes);
    expect(reached.ends, counts).toBeGreaterThan(0);
  }, 120_000);
});
