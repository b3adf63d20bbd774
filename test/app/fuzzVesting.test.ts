/**
 * Stateful fuzzing of bank sends from vesting accounts as block time moves (test/app/fuzzChain.fixture.ts:
 * main, a twin without CheckTx, a reference app for failed txs; block h at genesis + 5 s x h). Key 2
 * vests continuously over 300 s, key 3 all at once at 150 s; keys 0 and 1 are plain. Random blocks
 * of sends between the keys, a fresh address and a module account, with amounts at the spendable
 * bound (one below, at, one above), the whole balance and more. A model of the schedules (written
 * here from the SDK's rule, not the keeper's code) predicts each tx: the fee must be spendable,
 * then the amount. After every block each key's balance equals the model's, the SpendableBalances
 * query answers balance - still vesting (never below 0), and the supply equals the sum of balances.
 */
import { QuerySpendableBalancesRequest, QuerySpendableBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../app/genesis.ts';
import { moduleAddress } from '../../core/index.ts';
import { baseOfGenesisAccount, genesisVestingAccount } from '../../modules/auth/index.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { sendMsg, testKey } from '../helpers/tx.ts';
import { BLOCK_SECONDS, FEE, FuzzChain, GENESIS_TIME } from './fuzzChain.fixture.ts';

const FUNDED = 10n ** 15n;
const CONTINUOUS = { original: FUNDED - 10n ** 9n, start: GENESIS_TIME, end: GENESIS_TIME + 300n };
const DELAYED = { original: FUNDED - 10n ** 7n, end: GENESIS_TIME + 150n };
/** A module account: bank refuses sends to it (sdk/4). */
const BLOCKED = moduleAddress('bonded_tokens_pool');
const FRESH = testKey('fuzz-vesting-fresh').address;

/** The SDK's schedules: continuous vests linearly (floored) from start to end, delayed all at end. */
function stillVesting(key: number, time: bigint): bigint {
  if (key === 2) {
    const { original, start, end } = CONTINUOUS;
    if (time <= start) return original;
    if (time >= end) return 0n;
    return original - (original * (time - start)) / (end - start);
  }
  if (key === 3) return time < DELAYED.end ? DELAYED.original : 0n;
  return 0n;
}

/** Where an amount lies: relative to the spendable balance left after the fee, or fixed. */
const amountArb = fc.constantFrom('spendable-1', 'spendable', 'spendable+1', 'balance', 'one', 'huge');
const actionArb = fc.record({ from: fc.nat({ max: 3 }), to: fc.nat({ max: 5 }), amount: amountArb });

describe('bank sends from vesting accounts as time passes', () => {
  let chain: FuzzChain;
  const balances = new Map<string, bigint>();
  const bank = () => chain.main.app.keeper<BankKeeper>('bank');
  const address = (i: number) => (i < 4 ? chain.keys[i]!.address : i === 4 ? FRESH : BLOCKED);

  beforeAll(() => {
    const [continuous, delayed] = [testKey('fuzz-2').address, testKey('fuzz-3').address];
    chain = new FuzzChain({
      patchGenesis: (state: AppState) => ({
        ...state,
        auth: {
          ...state.auth,
          accounts: state.auth.accounts.map((entry) => {
            const { address: a } = baseOfGenesisAccount(entry);
            if (a === continuous)
              return genesisVestingAccount(a, [{ denom: 'uain', amount: CONTINUOUS.original }], CONTINUOUS.end, CONTINUOUS.start);
            if (a === delayed) return genesisVestingAccount(a, [{ denom: 'uain', amount: DELAYED.original }], DELAYED.end);
            return entry;
          }),
        },
      }),
    });
    expect(chain.keys[2]!.address).toBe(continuous);
    for (let i = 0; i < 5; i++) balances.set(address(i), bank().getBalance(chain.main.store, address(i), 'uain'));
  });
  afterAll(() => chain.close());

  function checkInvariants(what: string): void {
    const time = GENESIS_TIME + BLOCK_SECONDS * chain.height;
    for (let i = 0; i < 5; i++) {
      const a = address(i);
      const balance = bank().getBalance(chain.main.store, a, 'uain');
      expect(balance, `${what}: balance of key ${i}`).toBe(balances.get(a));
      const response = chain.main.app.query({
        path: '/cosmos.bank.v1beta1.Query/SpendableBalances',
        data: QuerySpendableBalancesRequest.encode({ address: a }).finish(),
        height: 0n,
        prove: false,
      });
      expect(response.code, response.log).toBe(0);
      const spendable = BigInt(
        QuerySpendableBalancesResponse.decode(response.value).balances.find((c) => c.denom === 'uain')?.amount ?? '0',
      );
      const locked = stillVesting(i, time);
      expect(spendable, `${what}: spendable of key ${i}`).toBe(balance > locked ? balance - locked : 0n);
    }
    const sum = chain.main.store
      .list('/accounts', 10_000_000)
      .filter(([p]) => p.endsWith('/balance/uain'))
      .reduce((total, [, v]) => total + BigInt(v as string), 0n);
    expect(sum, `${what}: supply = sum of balances`).toBe(bank().getSupply(chain.main.store, 'uain'));
  }

  it('sends exactly what the schedule lets a key spend at block time, and nothing else moves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(actionArb, { minLength: 1, maxLength: 4, selector: (a) => a.from }), { minLength: 1, maxLength: 5 }),
        (blocks) => {
          for (const actions of blocks) {
            const time = GENESIS_TIME + BLOCK_SECONDS * (chain.height + 1n);
            const spendable = (i: number) => {
              const balance = balances.get(address(i))!;
              const locked = stillVesting(i, time);
              return balance > locked ? balance - locked : 0n;
            };
            const planned = actions.map((action) => {
              // Amounts are chosen against the state before the block; txs earlier in the block may change it.
              const left = spendable(action.from) - FEE;
              const amount = {
                'spendable-1': left - 1n,
                spendable: left,
                'spendable+1': left + 1n,
                balance: balances.get(address(action.from))!,
                one: 1n,
                huge: 10n ** 30n,
              }[action.amount];
              return { ...action, amount: amount > 0n ? amount : 1n };
            });
            const signers = planned.map((p) => chain.keys[p.from]!);
            const txs = planned.map((p, i) => chain.sign(signers[i]!, [sendMsg(signers[i]!.address, address(p.to), p.amount.toString())]));
            const results = chain.deliver(txs, signers);
            // The model, in block order: the fee first (refused: nothing changes), then the send.
            results.forEach((result, i) => {
              const p = planned[i]!;
              const from = address(p.from);
              const to = address(p.to);
              const outcome = result.code === 0 ? 'ok' : `${result.codespace}/${result.code}`;
              const what = `height ${chain.height} tx ${i} (key ${p.from} -> ${p.to}, ${p.amount}): ${result.log}`;
              if (spendable(p.from) < FEE) return expect(outcome, what).toBe('sdk/5');
              balances.set(from, balances.get(from)! - FEE);
              const expected = to === from ? 'ok' : to === BLOCKED ? 'sdk/4' : spendable(p.from) < p.amount ? 'sdk/5' : 'ok';
              if (to === from && spendable(p.from) < p.amount) return expect(outcome, what).toBe('sdk/5');
              expect(outcome, what).toBe(expected);
              if (expected === 'ok') {
                balances.set(from, balances.get(from)! - p.amount);
                balances.set(to, (balances.get(to) ?? 0n) + p.amount);
              }
            });
            checkInvariants(`height ${chain.height}`);
          }
        },
      ),
      { seed: 42, numRuns: 60, endOnFailure: true },
    );
  });
});
