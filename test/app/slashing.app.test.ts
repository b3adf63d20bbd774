/**
 * Slashing through the whole app, in process: double-sign evidence in FinalizeBlock's misbehavior
 * (slash, jail, tombstone, stake that unbonded or redelegated after the infraction slashed too),
 * downtime from ABSENT votes in decided_last_commit (slash, jail until a block time), MsgUnjail.
 */
import type { StakingKeeper } from '../../modules/staking/keeper.ts';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { MsgBeginRedelegate, MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { consAddressBech32, consAddressHex, toValoper } from '../../modules/staking/address.ts';
import { anyOf, attribute, codeOf, DENOM, PosHarness } from './posHarness.fixture.ts';
import { BondStatus } from '../../modules/staking/validator.ts';
import { DOUBLE_SIGN_JAIL_END_TIME } from '../../modules/slashing/keeper.ts';

const AIN = 1_000_000n;

let h: PosHarness;
afterEach(async () => {
  await h.close();
});

const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });
const unjail = (valoper: string) => anyOf(MsgUnjail, { validatorAddr: valoper });
const signingInfo = (consHex: string) =>
  h.query(
    '/cosmos.slashing.v1beta1.Query/SigningInfo',
    QuerySigningInfoRequest.encode({ consAddress: consAddressBech32(consHex) }).finish(),
    QuerySigningInfoResponse,
  ).valSigningInfo;
const powers = (updates: { pubKey: { ed25519?: Uint8Array }; power: bigint }[]) =>
  updates.map((u) => [consAddressHex(u.pubKey.ed25519!), u.power]);

describe('slashing in the app', () => {
  it('slashes a double signer, its later unbondings and redelegations, jails and tombstones it', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN, 100n * AIN], staking: { unbonding_time: '1000' } });
    const [v0, v1] = h.validators as [(typeof h.validators)[0], (typeof h.validators)[0]];
    const [alice, bob] = h.delegators as [(typeof h.delegators)[0], (typeof h.delegators)[0]];
    h.ok(alice, [anyOf(MsgDelegate, { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(20n * AIN) })]); // h1..2
    h.ok(bob, [anyOf(MsgDelegate, { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(20n * AIN) })]); // h3
    // Before the infraction (height 3 < distribution height 5): not slashable.
    h.ok(alice, [anyOf(MsgUndelegate, { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(4n * AIN) })]); // h4
    h.finalize(); // h5
    // After it: slashable.
    h.ok(alice, [anyOf(MsgUndelegate, { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10n * AIN) })]); // h6
    h.ok(bob, [
      anyOf(MsgBeginRedelegate, {
        delegatorAddress: bob.address,
        validatorSrcAddress: v0.valoper,
        validatorDstAddress: v1.valoper,
        amount: coin(10n * AIN),
      }),
    ]); // h7
    const tokensBefore = h.validator(0).tokens;
    const v1Before = h.validator(1).tokens;
    const burnedBefore = h.burned;
    const evidence = {
      type: MisbehaviorType.DUPLICATE_VOTE,
      validator: { address: Buffer.from(v0.consHex, 'hex'), power: 140n },
      height: 6n,
      time: { seconds: 0n, nanos: 0 },
      totalVotingPower: 340n,
    };
    const response = h.finalize([], { misbehavior: [evidence] }); // h8
    // 5% of 140 power = 7 AIN: 0.5 from alice's later unbonding, 0.5 from bob's redelegated stake, 6 from the validator.
    expect(h.burned - burnedBefore).toBe(7n * AIN);
    expect(h.validator(0).tokens).toBe(tokensBefore - 6n * AIN);
    expect(h.validator(1).tokens).toBe(v1Before - AIN / 2n);
    const entries = h.app.keeper<StakingKeeper>('staking').getUnbonding(h.store, alice.address, v0.valoper)!.entries;
    expect(entries.map((e) => e.balance)).toEqual([4n * AIN, 10n * AIN - AIN / 2n]);
    expect(attribute(response.events, 'slash', 'reason')).toBe('double_sign');
    expect(attribute(response.events, 'slash', 'burned_coins')).toBe(`${6n * AIN}${DENOM}`);
    expect(h.validator(0).jailed).toBe(true);
    // v1 lost half an AIN of bob's redelegated stake (110 -> 109.5 AIN); v0 leaves the set.
    expect(powers(response.validatorUpdates)).toEqual([
      [v1.consHex, 109n],
      [v0.consHex, 0n],
    ]);
    expect(h.validator(0).status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    const info = signingInfo(v0.consHex);
    expect([info.tombstoned, info.jailedUntil.seconds]).toEqual([true, DOUBLE_SIGN_JAIL_END_TIME]);
    // Tombstoned: never unjailed, and more evidence changes nothing.
    const refused = h.send(v0.operator, [unjail(v0.valoper)]);
    expect(codeOf(refused)).toEqual(['slashing', 4]);
    expect(refused.log).toContain('tombstoned');
    const tokens = h.validator(0).tokens;
    h.finalize([], { misbehavior: [evidence] });
    expect(h.validator(0).tokens).toBe(tokens);
  });

  it('jails a validator that misses too many blocks of the window, and lets it back after the jail time', () => {
    h = PosHarness.open({
      stakes: [100n * AIN, 100n * AIN, 100n * AIN],
      slashing: { signed_blocks_window: '10', min_signed_per_window: '0.5', downtime_jail_duration: '60' },
    });
    const v0 = h.validators[0]!;
    const absent = new Set([v0.consHex]);
    // Genesis signing infos start at height 1: no jail before height 12 (> start + window), whatever is missed.
    h.blocks(11, { absent });
    expect(h.validator(0).jailed).toBe(false);
    expect(signingInfo(v0.consHex).missedBlocksCounter).toBe(10n);
    expect(attribute(h.lastResponse().events, 'liveness', 'missed_blocks')).toBe('10');
    const burnedBefore = h.burned;
    const jailedAt = h.finalize([], { absent });
    expect(h.height).toBe(12n);
    expect(h.validator(0).jailed).toBe(true);
    expect(attribute(jailedAt.events, 'slash', 'reason')).toBe('missing_signature');
    // 0.01% of 100 power.
    expect(h.burned - burnedBefore).toBe(10_000n);
    expect(h.validator(0).tokens).toBe(100n * AIN - 10_000n);
    expect(powers(jailedAt.validatorUpdates)).toEqual([[v0.consHex, 0n]]);
    const info = signingInfo(v0.consHex);
    expect([info.missedBlocksCounter, info.indexOffset, info.jailedUntil.seconds]).toEqual([0n, 0n, h.time + 60n]);
    const jailedUntil = h.time + 60n;

    const early = h.send(v0.operator, [unjail(v0.valoper)]);
    expect(codeOf(early)).toEqual(['slashing', 4]);
    expect(early.log).toContain('jailed until');
    while (h.time + 5n < jailedUntil) h.finalize();
    const back = h.ok(v0.operator, [unjail(v0.valoper)]);
    expect(attribute(back.events, 'unjail', 'validator')).toBe(v0.valoper);
    expect(powers(h.lastResponse().validatorUpdates)).toEqual([[v0.consHex, 99n]]);
    expect(h.validator(0).status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(codeOf(h.send(v0.operator, [unjail(v0.valoper)]))).toEqual(['slashing', 5]);
  });

  it('refuses unjail for unknown validators and those without enough self-delegation', () => {
    h = PosHarness.open({ stakes: [100n * AIN, 100n * AIN] });
    const v1 = h.validators[1]!;
    h.ok(h.delegators[0]!, [
      anyOf(MsgDelegate, { delegatorAddress: h.delegators[0]!.address, validatorAddress: v1.valoper, amount: coin(AIN) }),
    ]);
    // The operator takes its whole self-delegation out: staking jails the validator.
    h.ok(v1.operator, [
      anyOf(MsgUndelegate, { delegatorAddress: v1.operator.address, validatorAddress: v1.valoper, amount: coin(100n * AIN) }),
    ]);
    expect(h.validator(1).jailed).toBe(true);
    expect(codeOf(h.send(v1.operator, [unjail(v1.valoper)]))).toEqual(['slashing', 6]);
    h.ok(v1.operator, [anyOf(MsgDelegate, { delegatorAddress: v1.operator.address, validatorAddress: v1.valoper, amount: coin(1n) })]);
    h.ok(v1.operator, [unjail(v1.valoper)]);
    expect(h.validator(1).jailed).toBe(false);
    const unknown = h.send(h.delegators[0]!, [unjail(toValoper(h.delegators[0]!.address))]);
    expect(codeOf(unknown)).toEqual(['slashing', 2]);
    expect(
      h.queryError(
        '/cosmos.slashing.v1beta1.Query/SigningInfo',
        QuerySigningInfoRequest.encode({ consAddress: consAddressBech32('00'.repeat(20)) }).finish(),
      ),
    ).toEqual(['slashing', 8]);
  });
});
