/**
 * Vesting accounts through the whole app (issue 18, item 5): locked coins cannot be sent or pay fees,
 * a continuous account spends what vested by block time, a delayed one nothing until its end,
 * delegating locked coins works and undelegated ones come back locked, the auth and bank queries
 * answer what wallets show, and the 700,000,000 AIN genesis builder checks its totals.
 */
import { accountFromAny } from '@cosmjs/stargate';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QuerySpendableBalancesRequest, QuerySpendableBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../app/genesis.ts';
import { defaultAppState } from '../../app/genesis.ts';
import {
  AIN_PUBLIC_SUPPLY,
  AIN_RESERVE_SUPPLY,
  AIN_TOTAL_SUPPLY,
  checkGenesisEconomics,
  type EconomicsPlanJson,
  withGenesisEconomics,
} from '../../app/genesisEconomics.ts';
import { AinError } from '../../core/index.ts';
import { baseOfGenesisAccount, genesisVestingAccount, lockedAmount } from '../../modules/auth/index.ts';
import type { AuthKeeper } from '../../modules/auth/keeper.ts';
import { testKey } from '../helpers/tx.ts';
import { anyOf, codeOf, DENOM, FEE, GENESIS_TIME, PosHarness } from './posHarness.fixture.ts';

const BALANCE = 10n ** 12n;
const CONTINUOUS_ORIGINAL = 600_000_000_000n;
const CONTINUOUS_SECONDS = 1_000n;
/** The delayed account's own free coins: enough for a few fees. */
const DELAYED_FREE = 50_000n;
const DELAYED_END = GENESIS_TIME + 500n;

/** Delegator 0 vests 600,000 AIN continuously over 1,000 s from genesis; delegator 1 all but 50,000 uain at +500 s. */
function withVesting(state: AppState, continuous: string, delayed: string): AppState {
  const accounts = state.auth.accounts.map((entry) => {
    const { address } = baseOfGenesisAccount(entry);
    if (address === continuous) {
      return genesisVestingAccount(
        address,
        [{ denom: DENOM, amount: CONTINUOUS_ORIGINAL }],
        GENESIS_TIME + CONTINUOUS_SECONDS,
        GENESIS_TIME,
      );
    }
    if (address === delayed) return genesisVestingAccount(address, [{ denom: DENOM, amount: BALANCE - DELAYED_FREE }], DELAYED_END);
    return entry;
  });
  return { ...state, auth: { ...state.auth, accounts } };
}

const send = (from: string, to: string, amount: bigint) =>
  anyOf(MsgSend, { fromAddress: from, toAddress: to, amount: [{ denom: DENOM, amount: amount.toString() }] });

let harness: PosHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function open(): PosHarness {
  const [continuous, delayed] = [testKey('delegator-0').address, testKey('delegator-1').address];
  harness = PosHarness.open({
    stakes: [100_000_000_000n],
    balance: BALANCE,
    staking: { unbonding_time: '60' },
    patchGenesis: (state) => withVesting(state, continuous, delayed),
  });
  return harness;
}

function spendableQuery(h: PosHarness, address: string): bigint {
  const response = h.query(
    '/cosmos.bank.v1beta1.Query/SpendableBalances',
    QuerySpendableBalancesRequest.encode({ address }).finish(),
    QuerySpendableBalancesResponse,
  );
  return BigInt(response.balances.find((c) => c.denom === DENOM)?.amount ?? '0');
}

const vestingOf = (h: PosHarness, address: string) => h.app.keeper<AuthKeeper>('auth').getVesting(h.store, address)!;

describe('vesting accounts in the app', () => {
  it('a continuous account spends only what vested by block time; the spendable query says so', () => {
    const h = open();
    const [owner, other] = [h.delegators[0]!, h.delegators[1]!.address];
    h.blocks(20); // 100 s after genesis: 10% vested
    const vesting = vestingOf(h, owner.address);
    expect(spendableQuery(h, owner.address)).toBe(BALANCE - lockedAmount(vesting, DENOM, h.time));
    const next = h.time + 5n;
    const spendable = BALANCE - FEE - lockedAmount(vesting, DENOM, next);
    const refused = h.send(owner, [send(owner.address, other, spendable + 1n)]);
    expect(codeOf(refused)).toEqual(['sdk', 5]);
    expect(refused.log).toContain(`spendable balance ${spendable}uain`);
    expect(refused.log).toContain('still vesting');
    // The refused tx paid its fee; at the next block a little more has vested.
    const then = h.time + 5n;
    const now = BALANCE - 2n * FEE - lockedAmount(vesting, DENOM, then);
    h.ok(owner, [send(owner.address, other, now)]);
    expect(h.balance(owner.address)).toBe(lockedAmount(vesting, DENOM, then));
    // At the end everything has vested.
    h.blocks(1, { seconds: CONTINUOUS_SECONDS });
    expect(spendableQuery(h, owner.address)).toBe(h.balance(owner.address));
    h.ok(owner, [send(owner.address, other, h.balance(owner.address) - FEE)]);
    expect(h.balance(owner.address)).toBe(0n);
  });

  it('a delayed account spends nothing of its vesting coins until the end, and fees cannot come from them', () => {
    const h = open();
    const [owner, other] = [h.delegators[1]!, h.delegators[0]!.address];
    h.blocks(2);
    expect(spendableQuery(h, owner.address)).toBe(DELAYED_FREE);
    const refused = h.send(owner, [send(owner.address, other, DELAYED_FREE)]);
    expect(codeOf(refused)).toEqual(['sdk', 5]);
    expect(refused.log).toContain(`spendable balance ${DELAYED_FREE - FEE}uain`);
    // Spend the free coins but one fee's worth short of it: the next tx cannot pay its fee.
    h.ok(owner, [send(owner.address, other, DELAYED_FREE - 3n * FEE + 1n)]);
    expect(spendableQuery(h, owner.address)).toBe(FEE - 1n);
    const noFee = h.send(owner, [send(owner.address, other, 1n)]);
    expect(codeOf(noFee)).toEqual(['sdk', 5]);
    expect(noFee.log).toContain(`spendable balance ${FEE - 1n}uain`);
    expect(h.balance(owner.address)).toBe(BALANCE - DELAYED_FREE + FEE - 1n);
    // After the end all of it is free.
    h.blocks(1, { seconds: DELAYED_END - h.time });
    expect(spendableQuery(h, owner.address)).toBe(h.balance(owner.address));
    h.ok(owner, [send(owner.address, other, BALANCE - DELAYED_FREE - FEE)]);
  });

  it('delegates locked coins, tracks them, and undelegated coins come back locked', () => {
    const h = open();
    const owner = h.delegators[0]!;
    const valoper = h.validators[0]!.valoper;
    h.blocks(1);
    const stake = 900_000_000_000n; // more than is spendable (most of the 600,000 AIN still vests)
    h.ok(owner, [
      anyOf(MsgDelegate, {
        delegatorAddress: owner.address,
        validatorAddress: valoper,
        amount: { denom: DENOM, amount: stake.toString() },
      }),
    ]);
    const delegatedAt = h.time;
    const staked = vestingOf(h, owner.address);
    const stillVesting = CONTINUOUS_ORIGINAL - (CONTINUOUS_ORIGINAL * (delegatedAt - GENESIS_TIME)) / CONTINUOUS_SECONDS;
    expect(staked.delegatedVesting).toEqual([{ denom: DENOM, amount: stillVesting }]);
    expect(staked.delegatedFree).toEqual([{ denom: DENOM, amount: stake - stillVesting }]);
    // Nothing left locked in the account: what remains is spendable.
    expect(spendableQuery(h, owner.address)).toBe(h.balance(owner.address));
    h.ok(owner, [
      anyOf(MsgUndelegate, {
        delegatorAddress: owner.address,
        validatorAddress: valoper,
        amount: { denom: DENOM, amount: stake.toString() },
      }),
    ]);
    h.blocks(1, { seconds: 61n }); // the unbonding matures
    const back = vestingOf(h, owner.address);
    expect(back.delegatedFree).toEqual([]);
    expect(back.delegatedVesting).toEqual([]);
    const locked = lockedAmount(back, DENOM, h.time);
    expect(locked).toBeGreaterThan(0n);
    expect(spendableQuery(h, owner.address)).toBe(h.balance(owner.address) - locked);
    const refused = h.send(owner, [send(owner.address, h.delegators[1]!.address, h.balance(owner.address) - FEE)]);
    expect(codeOf(refused)).toEqual(['sdk', 5]);
  });

  it('answers the auth Account query with the SDK vesting types CosmJS decodes', () => {
    const h = open();
    h.blocks(1);
    const accountOf = (address: string) =>
      h.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish(), QueryAccountResponse).account!;
    const continuous = accountOf(h.delegators[0]!.address);
    expect(continuous.typeUrl).toBe('/cosmos.vesting.v1beta1.ContinuousVestingAccount');
    expect(accountOf(h.delegators[1]!.address).typeUrl).toBe('/cosmos.vesting.v1beta1.DelayedVestingAccount');
    expect(accountOf(h.validators[0]!.operator.address).typeUrl).toBe('/cosmos.auth.v1beta1.BaseAccount');
    const decoded = accountFromAny(continuous);
    expect(decoded.address).toBe(h.delegators[0]!.address);
    expect(decoded.accountNumber).toBeGreaterThanOrEqual(0);
  });
});

describe('genesis economics', () => {
  const addr = (seed: string) => testKey(`economics-${seed}`).address;
  const plan = (publicAmount: bigint): EconomicsPlanJson => ({
    public: [
      { address: addr('market-a'), amount: (publicAmount / 2n).toString() },
      { address: addr('market-b'), amount: (publicAmount - publicAmount / 2n).toString() },
    ],
    developers: { vesting_years: 4, accounts: [{ address: addr('dev'), amount: (AIN_RESERVE_SUPPLY / 2n).toString() }] },
    early_participants: { cliff_days: 365, accounts: [{ address: addr('early'), amount: (AIN_RESERVE_SUPPLY / 2n).toString() }] },
  });
  const codeAndMessage = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return error instanceof AinError ? `${error.codespace}/${error.code} ${error.message}` : String(error);
    }
    return 'accepted';
  };

  it('writes 700,000,000 AIN split 60/40 with the reserve vesting, and checks the totals', () => {
    const state = withGenesisEconomics(defaultAppState(), plan(AIN_PUBLIC_SUPPLY), GENESIS_TIME);
    expect(checkGenesisEconomics(state)).toEqual({ supply: AIN_TOTAL_SUPPLY, vesting: AIN_RESERVE_SUPPLY, free: AIN_PUBLIC_SUPPLY });
    expect(AIN_TOTAL_SUPPLY).toBe(700_000_000_000_000n);
    const types = state.auth.accounts.map((a) => a['@type']);
    expect(types).toEqual([
      '/cosmos.auth.v1beta1.BaseAccount',
      '/cosmos.auth.v1beta1.BaseAccount',
      '/cosmos.vesting.v1beta1.ContinuousVestingAccount',
      '/cosmos.vesting.v1beta1.DelayedVestingAccount',
    ]);
    expect(codeAndMessage(() => withGenesisEconomics(defaultAppState(), plan(AIN_PUBLIC_SUPPLY - 1n), GENESIS_TIME))).toMatch(
      /^sdk\/10 plan.public adds up to 419999999999999uain; the public 60% is exactly 420000000000000uain/,
    );
    // A vesting account whose balance does not cover its original vesting, and a supply off by one.
    const short = {
      ...state,
      bank: {
        ...state.bank,
        balances: state.bank.balances.map((b, i) => (i === 2 ? { ...b, coins: [{ denom: DENOM, amount: '1' }] } : b)),
      },
    };
    expect(codeAndMessage(() => checkGenesisEconomics(short))).toMatch(
      /^sdk\/10 genesis auth.accounts\[2\] \(ain1.*\) vests 140000000000000uain \(original_vesting\) but its balance is 1uain/,
    );
    const extra = {
      ...state,
      bank: { ...state.bank, balances: [...state.bank.balances, { address: addr('x'), coins: [{ denom: DENOM, amount: '1' }] }] },
    };
    expect(codeAndMessage(() => checkGenesisEconomics(extra))).toMatch(/^sdk\/10 genesis supply is 700000000000001uain/);
  });
});
