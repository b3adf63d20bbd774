/**
 * The staking module through the whole app, in process: genesis validators, create/edit validator,
 * delegate, undelegate with the unbonding period, redelegate, the active set and its updates for
 * CometBFT, and refusals. Every block also checks that no token is created or lost.
 */
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { BondStatus } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import {
  MsgBeginRedelegate,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import { testKey } from '../helpers/tx.ts';
import { consAddressHex, toValoper, valoperHex } from '../../modules/staking/address.ts';
import { DEC_SCALE } from '../../core/decimals.ts';
import { anyOf, attribute, codeOf, consensusKey, DENOM, FEE, PosHarness } from './posHarness.fixture.ts';

const AIN = 1_000_000n;
const UNBONDING = 60n;

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const delegate = (delegator: string, valoper: string, amount: bigint) =>
  anyOf(MsgDelegate, { delegatorAddress: delegator, validatorAddress: valoper, amount: { denom: DENOM, amount: amount.toString() } });
const undelegate = (delegator: string, valoper: string, amount: bigint, denom = DENOM) =>
  anyOf(MsgUndelegate, { delegatorAddress: delegator, validatorAddress: valoper, amount: { denom, amount: amount.toString() } });
const redelegate = (delegator: string, src: string, dst: string, amount: bigint) =>
  anyOf(MsgBeginRedelegate, {
    delegatorAddress: delegator,
    validatorSrcAddress: src,
    validatorDstAddress: dst,
    amount: { denom: DENOM, amount: amount.toString() },
  });
const createValidator = (
  operator: string,
  consKey: Uint8Array,
  amount: bigint,
  rate = '100000000000000000',
  maxRate = '200000000000000000',
) =>
  anyOf(MsgCreateValidator, {
    description: { moniker: 'newcomer' },
    commission: { rate, maxRate, maxChangeRate: '10000000000000000' },
    minSelfDelegation: '1',
    delegatorAddress: '',
    validatorAddress: toValoper(operator),
    pubkey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: PubKey.encode({ key: consKey }).finish() },
    value: { denom: DENOM, amount: amount.toString() },
  });
const powerUpdates = (updates: { pubKey: { ed25519?: Uint8Array }; power: bigint }[]) =>
  updates.map((u) => [consAddressHex(u.pubKey.ed25519!), u.power] as const);
const validatorsQuery = (status = '') =>
  h.query('/cosmos.staking.v1beta1.Query/Validators', QueryValidatorsRequest.encode({ status }).finish(), QueryValidatorsResponse)
    .validators;

describe('staking in the app', () => {
  it('starts with the genesis validators bonded and returns them from InitChain', () => {
    h = PosHarness.open({ stakes: [300n * AIN, 100n * AIN] });
    expect(powerUpdates(h.genesisUpdates)).toEqual([
      [h.validators[0]!.consHex, 300n],
      [h.validators[1]!.consHex, 100n],
    ]);
    h.finalize();
    const bonded = validatorsQuery('BOND_STATUS_BONDED');
    expect(bonded.map((v) => [v.operatorAddress, v.tokens, v.delegatorShares])).toEqual(
      [h.validators[0]!, h.validators[1]!]
        .map((v, i) => [v.valoper, String([300n, 100n][i]! * AIN), String([300n, 100n][i]! * AIN * DEC_SCALE)] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    expect(bonded.every((v) => v.commission.commissionRates.rate === '100000000000000000')).toBe(true);
    const pool = h.query('/cosmos.staking.v1beta1.Query/Pool', QueryPoolRequest.encode({}).finish(), QueryPoolResponse).pool;
    expect(pool).toEqual({ bondedTokens: String(400n * AIN), notBondedTokens: '0' });
    expect(h.queryError('/cosmos.staking.v1beta1.Query/Validators', QueryValidatorsRequest.encode({ status: 'ACTIVE' }).finish())).toEqual([
      'sdk',
      18,
    ]);
  });

  it('creates a validator that joins the active set at the end of its block', () => {
    h = PosHarness.open({ stakes: [100n * AIN], delegators: 1 });
    h.finalize();
    const newcomer = h.delegators[0]!;
    const key = consensusKey('newcomer');
    const before = h.balance(newcomer.address);
    const created = h.send(newcomer, [createValidator(newcomer.address, key, 50n * AIN)]);
    expect(created.log).toBe('');
    expect(attribute(created.events, 'create_validator', 'validator')).toBe(toValoper(newcomer.address));
    expect(h.balance(newcomer.address)).toBe(before - FEE - 50n * AIN);
    // The update goes to CometBFT at the end of the block that created it, and applies two heights later.
    expect(powerUpdates(h.lastResponse().validatorUpdates)).toEqual([[consAddressHex(key), 50n]]);
    expect(h.app.keeper<StakingKeeper>('staking').requireValidator(h.store, toValoper(newcomer.address)).status).toBe(
      BondStatus.BOND_STATUS_BONDED,
    );
    expect(h.validatorSet(h.height + 1n).has(consAddressHex(key))).toBe(false);
    expect(h.validatorSet(h.height + 2n).get(consAddressHex(key))).toBe(50n);
    expect(h.finalize().validatorUpdates).toEqual([]);

    // The same key or operator again is refused, and the refused tx changes nothing but its fee.
    const other = testKey('other');
    h.ok(h.delegators[0]!, [
      anyOf(MsgSend, { fromAddress: newcomer.address, toAddress: other.address, amount: [{ denom: DENOM, amount: String(10n * AIN) }] }),
    ]);
    expect(codeOf(h.send(other, [createValidator(other.address, key, 5n * AIN)]))).toEqual(['staking', 5]);
    expect(codeOf(h.send(newcomer, [createValidator(newcomer.address, consensusKey('x'), 5n * AIN)]))).toEqual(['staking', 4]);
    expect(h.app.keeper<StakingKeeper>('staking').getValidator(h.store, toValoper(other.address))).toBeUndefined();
    expect(h.balance(other.address)).toBe(10n * AIN - FEE);
    // Commission above its max rate, and a rate below the chain's minimum.
    expect(codeOf(h.send(other, [createValidator(other.address, consensusKey('y'), 5n * AIN, '300000000000000000')]))).toEqual([
      'staking',
      11,
    ]);
  });

  it('delegates, undelegates into an unbonding entry and pays it out after the unbonding time', () => {
    h = PosHarness.open({ stakes: [100n * AIN], staking: { unbonding_time: UNBONDING.toString() } });
    h.finalize();
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    const valoper = h.validators[0]!.valoper;
    h.ok(alice, [delegate(alice.address, valoper, 20n * AIN)]);
    expect(powerUpdates(h.lastResponse().validatorUpdates)).toEqual([[h.validators[0]!.consHex, 120n]]);
    const delegation = h.query(
      '/cosmos.staking.v1beta1.Query/Delegation',
      QueryDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: valoper }).finish(),
      QueryDelegationResponse,
    ).delegationResponse!;
    expect(delegation.balance).toEqual({ denom: DENOM, amount: String(20n * AIN) });
    expect(delegation.delegation.shares).toBe(String(20n * AIN * DEC_SCALE));

    const beforeUnbond = h.balance(alice.address);
    const unbond = h.ok(alice, [undelegate(alice.address, valoper, 5n * AIN)]);
    const completion = h.time + UNBONDING;
    expect(attribute(unbond.events, 'unbond', 'amount')).toBe(`${5n * AIN}${DENOM}`);
    expect(powerUpdates(h.lastResponse().validatorUpdates)).toEqual([[h.validators[0]!.consHex, 115n]]);
    const unbonding = h.query(
      '/cosmos.staking.v1beta1.Query/UnbondingDelegation',
      QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: valoper }).finish(),
      QueryUnbondingDelegationResponse,
    ).unbond;
    expect(unbonding.entries.map((e) => [e.balance, e.completionTime.seconds])).toEqual([[String(5n * AIN), completion]]);
    // Rewards withdrawn on the way are paid too; the stake itself waits.
    const afterUnbond = h.balance(alice.address);
    expect(afterUnbond).toBeLessThan(beforeUnbond + 5n * AIN - FEE);
    while (h.time + 5n < completion) h.finalize();
    expect(h.app.keeper<StakingKeeper>('staking').getUnbonding(h.store, alice.address, valoper)).toBeDefined();
    const due = h.finalize();
    expect(h.time).toBeGreaterThanOrEqual(completion);
    expect(attribute(due.events, 'complete_unbonding', 'amount')).toBe(`${5n * AIN}${DENOM}`);
    expect(h.app.keeper<StakingKeeper>('staking').getUnbonding(h.store, alice.address, valoper)).toBeUndefined();
    expect(h.balance(alice.address)).toBe(afterUnbond + 5n * AIN);
    // More than the delegation holds is refused.
    expect(codeOf(h.send(alice, [undelegate(alice.address, valoper, 16n * AIN)]))).toEqual(['staking', 24]);
    expect(codeOf(h.send(alice, [undelegate(alice.address, valoper, 1n, 'uother')]))).toEqual(['sdk', 18]);
  });

  it('redelegates at once, refuses a transitive redelegation until the first completes', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN], staking: { unbonding_time: UNBONDING.toString() } });
    h.finalize();
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    const [a, b, c] = h.validators.map((v) => v.valoper) as [string, string, string];
    h.ok(alice, [delegate(alice.address, a, 10n * AIN)]);
    h.ok(alice, [redelegate(alice.address, a, b, 4n * AIN)]);
    expect(h.app.keeper<StakingKeeper>('staking').getDelegation(h.store, alice.address, a)).toBe(6n * AIN * DEC_SCALE);
    expect(h.app.keeper<StakingKeeper>('staking').getDelegation(h.store, alice.address, b)).toBe(4n * AIN * DEC_SCALE);
    expect(h.validator(1).tokens).toBe(104n * AIN);
    const redelegations = h.query(
      '/cosmos.staking.v1beta1.Query/Redelegations',
      QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: '', dstValidatorAddr: '' }).finish(),
      QueryRedelegationsResponse,
    ).redelegationResponses;
    expect(
      redelegations.map((r) => [r.redelegation.validatorSrcAddress, r.redelegation.validatorDstAddress, r.entries[0]!.balance]),
    ).toEqual([[a, b, String(4n * AIN)]]);
    expect(codeOf(h.send(alice, [redelegate(alice.address, b, c, 1n * AIN)]))).toEqual(['staking', 32]);
    expect(codeOf(h.send(alice, [redelegate(alice.address, a, a, 1n * AIN)]))).toEqual(['staking', 29]);
    expect(codeOf(h.send(alice, [redelegate(alice.address, a, toValoper(testKey('nobody').address), 1n * AIN)]))).toEqual(['staking', 31]);
    h.blocks(Number(UNBONDING / 5n) + 1);
    expect(h.app.keeper<StakingKeeper>('staking').getRedelegation(h.store, alice.address, a, b)).toBeUndefined();
    h.ok(alice, [redelegate(alice.address, b, c, 1n * AIN)]);
    expect(h.validator(2).tokens).toBe(101n * AIN);
  });

  it('keeps the top max_validators: a lower-power validator drops out with a power-0 update', () => {
    h = PosHarness.open({
      stakes: [300n * AIN, 200n * AIN, 100n * AIN],
      staking: { max_validators: 2, unbonding_time: UNBONDING.toString() },
    });
    expect(powerUpdates(h.genesisUpdates)).toEqual([
      [h.validators[0]!.consHex, 300n],
      [h.validators[1]!.consHex, 200n],
    ]);
    h.finalize();
    expect(h.validator(2).status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    // Validator 2 overtakes validator 1: 2 joins, 1 leaves (power 0) and starts unbonding.
    h.ok(alice, [delegate(alice.address, h.validators[2]!.valoper, 150n * AIN)]);
    expect(powerUpdates(h.lastResponse().validatorUpdates)).toEqual([
      [h.validators[2]!.consHex, 250n],
      [h.validators[1]!.consHex, 0n],
    ]);
    expect(h.validator(1).status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    expect(h.validator(1).unbondingTime).toBe(h.time + UNBONDING);
    expect(h.validator(2).status).toBe(BondStatus.BOND_STATUS_BONDED);
    h.blocks(Number(UNBONDING / 5n) + 1);
    expect(h.validator(1).status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    // A tie at equal power is broken by operator address bytes, lowest first.
    h.ok(alice, [delegate(alice.address, h.validators[1]!.valoper, 50n * AIN)]);
    expect(h.validator(1).tokens).toBe(h.validator(2).tokens);
    const [lower] = [h.validators[1]!, h.validators[2]!].sort((x, y) => (valoperHex(x.valoper) < valoperHex(y.valoper) ? -1 : 1));
    expect([...h.app.keeper<StakingKeeper>('staking').lastValidatorPowers(h.store).keys()].sort()).toEqual(
      [h.validators[0]!.valoper, lower!.valoper].sort(),
    );
  });

  it('removes a validator left without stake once it has unbonded; its consensus key is never reused', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN], staking: { unbonding_time: UNBONDING.toString() } });
    h.blocks(3);
    const v1 = h.validators[1]!;
    // The operator takes out its whole self-delegation: below its minimum, so staking jails it.
    h.ok(v1.operator, [undelegate(v1.operator.address, v1.valoper, 100n * AIN)]);
    expect(h.validator(1).jailed).toBe(true);
    expect(powerUpdates(h.lastResponse().validatorUpdates)).toEqual([[v1.consHex, 0n]]);
    // It still signs the next two blocks: its commission grows, the delegators' share goes to the community pool.
    h.blocks(2);
    const commission = h.app.keeper<DistributionKeeper>('distribution').commission(h.store, v1.valoper)[0]!.amount;
    const before = h.balance(v1.operator.address);
    h.blocks(Number(UNBONDING / 5n) + 1);
    expect(h.app.keeper<StakingKeeper>('staking').getValidator(h.store, v1.valoper)).toBeUndefined();
    expect(validatorsQuery().map((v) => v.operatorAddress)).toEqual([h.validators[0]!.valoper]);
    expect(h.app.keeper<DistributionKeeper>('distribution').outstanding(h.store, v1.valoper)).toEqual([]);
    // Its stake came back after the unbonding time, and the whole part of its commission when it was removed.
    expect(h.balance(v1.operator.address)).toBe(before + 100n * AIN + commission / DEC_SCALE);
    const again = h.send(v1.operator, [createValidator(v1.operator.address, v1.consKey, 5n * AIN)]);
    expect(codeOf(again)).toEqual(['staking', 5]);
    h.ok(v1.operator, [createValidator(v1.operator.address, consensusKey('fresh'), 5n * AIN)]);
    expect(h.validator(1).tokens).toBe(5n * AIN);
  });

  it('edits description and commission within the rules', () => {
    h = PosHarness.open({ stakes: [100n * AIN], blockSeconds: 3600n });
    h.finalize();
    const operator = h.validators[0]!.operator;
    const edit = (rate: string, moniker = '[do-not-modify]') =>
      anyOf(MsgEditValidator, {
        description: {
          moniker,
          identity: '[do-not-modify]',
          website: '[do-not-modify]',
          securityContact: '[do-not-modify]',
          details: '[do-not-modify]',
        },
        validatorAddress: h.validators[0]!.valoper,
        commissionRate: rate,
        minSelfDelegation: '',
      });
    // Genesis set the rate at genesis time: less than 24 h ago.
    expect(codeOf(h.send(operator, [edit('110000000000000000')]))).toEqual(['staking', 12]);
    h.blocks(24);
    expect(codeOf(h.send(operator, [edit('150000000000000000')]))).toEqual(['staking', 15]);
    expect(codeOf(h.send(operator, [edit('300000000000000000')]))).toEqual(['staking', 11]);
    h.ok(operator, [edit('105000000000000000', 'renamed')]);
    expect(h.validator(0).commission.rate).toBe(105_000_000_000_000_000n);
    expect(h.validator(0).description.moniker).toBe('renamed');
    expect(h.validator(0).description.identity).toBe('');
  });

  it('refuses malformed messages with the field named', () => {
    h = PosHarness.open({ stakes: [100n * AIN] });
    h.finalize();
    const [alice] = h.delegators as [(typeof h.delegators)[0]];
    const bad = h.send(alice, [delegate(alice.address, alice.address, 1n)]);
    expect(codeOf(bad)).toEqual(['sdk', 7]);
    expect(bad.log).toContain('validator_address has prefix "ain"; expected "ainvaloper"');
    expect(codeOf(h.send(alice, [delegate(alice.address, h.validators[0]!.valoper, 0n)]))).toEqual(['sdk', 18]);
    expect(codeOf(h.send(alice, [delegate(alice.address, toValoper(testKey('nobody').address), 1n)]))).toEqual(['staking', 3]);
    expect(codeOf(h.send(alice, [delegate(alice.address, h.validators[0]!.valoper, 10n ** 15n)]))).toEqual(['sdk', 5]);
    expect(codeOf(h.send(alice, [undelegate(alice.address, h.validators[0]!.valoper, 1n)]))).toEqual(['staking', 19]);
    const wrongKey = anyOf(MsgCreateValidator, {
      description: { moniker: 'x' },
      commission: { rate: '0', maxRate: '0', maxChangeRate: '0' },
      minSelfDelegation: '1',
      validatorAddress: toValoper(alice.address),
      pubkey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: new Uint8Array(35) },
      value: { denom: DENOM, amount: '1' },
    });
    expect(codeOf(h.send(alice, [wrongKey]))).toEqual(['staking', 6]);
  });
});
