import { describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import { Overlay } from '../../tree/index.ts';
import {
  defaultGovParams,
  govParamsFromJson,
  govParamsFromProto,
  govParamsToJson,
  govParamsToProto,
  readGovParams,
  writeGovParams,
} from './params.ts';
import { refusalOf } from '../../test/helpers/errorCode.ts';
import { testKey } from '../../test/helpers/tx.ts';

const emptyState = () => new Overlay({ get: () => undefined, list: () => [] });
const stored = (state: Overlay) => [...state.writes()].filter(([, value]) => value !== null).map(([path]) => path);

describe('gov params', () => {
  it('stores nothing until set, then reads back what was written', () => {
    const state = emptyState();
    expect(readGovParams(state)).toEqual(defaultGovParams());
    expect(state.size).toBe(0);
    writeGovParams(state, { voting_period: '60', quorum: '0.5' });
    // A 60 s voting period gets a 30 s expedited one by default (the SDK's day would be longer).
    expect(readGovParams(state)).toEqual({ ...defaultGovParams(), votingPeriod: 60n, quorum: 5n * 10n ** 17n, expeditedVotingPeriod: 30n });
  });

  it('has the SDK v0.50 defaults for the expedited and cancellation params, derived from the regular ones a chain set', () => {
    const params = defaultGovParams();
    expect(govParamsToJson(params)).toMatchObject({
      expedited_voting_period: '86400',
      expedited_threshold: '0.667',
      expedited_min_deposit: '50000000uain',
      proposal_cancel_ratio: '0.5',
      proposal_cancel_dest: '',
    });
    const derived = govParamsFromJson({ min_deposit: '7uain', threshold: '0.7', voting_period: '1' });
    expect([derived.expeditedMinDeposit, derived.expeditedThreshold, derived.expeditedVotingPeriod]).toEqual([
      [{ denom: 'uain', amount: 35n }],
      10n ** 18n,
      1n,
    ]);
  });

  it('stores the expedited and cancellation params only where they differ from their defaults, so older chains keep their leaves', () => {
    const state = emptyState();
    // A MsgUpdateParams stores every param; the six new ones at their defaults are left out.
    writeGovParams(state, govParamsToJson(defaultGovParams()));
    expect(stored(state)).toHaveLength(10);
    expect(stored(state).some((path) => path.includes('expedited') || path.includes('cancel'))).toBe(false);
    writeGovParams(state, { ...govParamsToJson(defaultGovParams()), proposal_cancel_ratio: '0.25', expedited_voting_period: '3600' });
    expect(stored(state)).toContain('/params/gov/proposal_cancel_ratio');
    expect(readGovParams(state)).toMatchObject({ proposalCancelRatio: 25n * 10n ** 16n, expeditedVotingPeriod: 3600n });
    // Set back to its default, a stored one is removed.
    writeGovParams(state, govParamsToJson(defaultGovParams()));
    expect(stored(state)).toHaveLength(10);
    expect(readGovParams(state)).toEqual(defaultGovParams());
  });

  it('round-trips through cosmos.gov.v1.Params', () => {
    const params = {
      ...defaultGovParams(),
      burnVoteQuorum: true,
      minInitialDepositRatio: 10n ** 17n,
      expeditedVotingPeriod: 600n,
      proposalCancelRatio: 0n,
      proposalCancelDest: testKey('dest').address,
      minDepositRatio: 10n ** 16n,
    };
    const proto = govParamsToProto(params);
    expect(proto.minDepositRatio).toBe('0.010000000000000000');
    expect(proto.quorum).toBe('0.334000000000000000');
    expect([proto.expeditedThreshold, proto.proposalCancelRatio]).toEqual(['0.667000000000000000', '0.000000000000000000']);
    expect(govParamsFromProto(proto)).toEqual(params);
    expect(govParamsFromJson(govParamsToJson(params))).toEqual(params);
    // A client built before SDK v0.50 leaves the new fields unset: they take their defaults.
    const older = {
      ...proto,
      expeditedVotingPeriod: { seconds: 0n, nanos: 0 },
      expeditedThreshold: '',
      expeditedMinDeposit: [],
      proposalCancelRatio: '',
      proposalCancelDest: '',
      minDepositRatio: '',
    };
    expect(govParamsFromProto(older)).toEqual({
      ...params,
      expeditedVotingPeriod: 86_400n,
      proposalCancelRatio: 5n * 10n ** 17n,
      proposalCancelDest: '',
      minDepositRatio: 0n,
    });
  });

  it('has min_deposit_ratio 0 by default, stored only where set, refused outside [0, 1] from genesis text and from a MsgUpdateParams', () => {
    const state = emptyState();
    expect(defaultGovParams().minDepositRatio).toBe(0n);
    expect(govParamsToProto(defaultGovParams()).minDepositRatio).toBe('0.000000000000000000');
    writeGovParams(state, { min_deposit_ratio: '0.01' });
    expect(stored(state)).toEqual(['/params/gov/min_deposit_ratio']);
    expect(readGovParams(state).minDepositRatio).toBe(10n ** 16n);
    // Written back at its default (as a MsgUpdateParams writes it), the leaf goes.
    writeGovParams(state, { min_deposit_ratio: '0.000000000000000000' });
    expect(stored(state)).toEqual([]);
    expect(govParamsFromJson({ min_deposit_ratio: '1' }).minDepositRatio).toBe(10n ** 18n);
    expect(refusalOf(() => govParamsFromJson({ min_deposit_ratio: '1.000000000000000001' }))).toBe(
      'gov/100 gov.params.min_deposit_ratio 1.000000000000000001 must be in [0, 1]: invalid gov params',
    );
    expect(refusalOf(() => govParamsFromJson({ min_deposit_ratio: '-0.01' }))).toBe(
      'gov/100 gov.params.min_deposit_ratio "-0.01" is not a decimal: invalid gov params',
    );
    const proto = govParamsToProto(defaultGovParams());
    expect(govParamsFromProto({ ...proto, minDepositRatio: '0.010000000000000000' }).minDepositRatio).toBe(10n ** 16n);
    // A client built before SDK v0.50 leaves it empty: the default.
    expect(govParamsFromProto({ ...proto, minDepositRatio: '' }).minDepositRatio).toBe(0n);
    expect(refusalOf(() => govParamsFromProto({ ...proto, minDepositRatio: '1.5' }))).toBe(
      'gov/100 params.min_deposit_ratio 1.5 must be in [0, 1]: invalid gov params',
    );
    expect(refusalOf(() => govParamsFromProto({ ...proto, minDepositRatio: '0.0000000000000000001' }))).toMatch(
      /^gov\/100 params\.min_deposit_ratio "0\.0000000000000000001" is not a decimal/,
    );
  });

  it('refuses bad values naming the field', () => {
    expect(refusalOf(() => govParamsFromJson({ quorum: '1.5' }))).toMatch(/^gov\/100 gov\.params\.quorum/);
    expect(refusalOf(() => govParamsFromJson({ threshold: '0' }))).toMatch(/^gov\/100 gov\.params\.threshold/);
    expect(refusalOf(() => govParamsFromJson({ voting_period: '0' }))).toMatch(/^gov\/100 gov\.params\.voting_period/);
    expect(refusalOf(() => govParamsFromJson({ min_deposit: 'ten' }))).toMatch(/^gov\/100 gov\.params\.min_deposit/);
    expect(refusalOf(() => govParamsFromJson({ burn_vote_veto: 'yes' }))).toMatch(/^gov\/100 gov\.params\.burn_vote_veto/);
    expect(refusalOf(() => govParamsFromJson({ quorom: '0.5' } as never))).toMatch(/^gov\/100 gov\.params\.quorom is not a param/);
    expect(refusalOf(() => govParamsFromJson({ expedited_voting_period: '172800' }))).toBe(
      'gov/100 gov.params.expedited_voting_period 172800s must be shorter than voting_period (172800s): invalid gov params',
    );
    expect(refusalOf(() => govParamsFromJson({ expedited_threshold: '0.5' }))).toBe(
      'gov/100 gov.params.expedited_threshold 0.5 must be above threshold (0.5) and at most 1: invalid gov params',
    );
    expect(refusalOf(() => govParamsFromJson({ expedited_threshold: '1.1' }))).toMatch(
      /^gov\/100 gov\.params\.expedited_threshold 1\.1 must be in \(0, 1\]/,
    );
    expect(refusalOf(() => govParamsFromJson({ expedited_min_deposit: '10000000uain' }))).toBe(
      'gov/100 gov.params.expedited_min_deposit "10000000uain" must be more than min_deposit (10000000uain): invalid gov params',
    );
    expect(refusalOf(() => govParamsFromJson({ proposal_cancel_ratio: '2' }))).toMatch(
      /^gov\/100 gov\.params\.proposal_cancel_ratio 2 must be in \[0, 1\]/,
    );
    expect(refusalOf(() => govParamsFromJson({ proposal_cancel_dest: 'cosmos1x' }))).toMatch(
      /^gov\/100 gov\.params\.proposal_cancel_dest "cosmos1x" must be empty \(burn\) or an account address/,
    );
    expect(govParamsFromJson({ proposal_cancel_dest: moduleAddress('distribution') }).proposalCancelDest).toBe(
      moduleAddress('distribution'),
    );
    const proto = govParamsToProto(defaultGovParams());
    expect(refusalOf(() => govParamsFromProto({ ...proto, expeditedThreshold: '0.4' }))).toMatch(
      /^gov\/100 params\.expedited_threshold 0\.4 must be above/,
    );
    expect(refusalOf(() => govParamsFromProto({ ...proto, expeditedVotingPeriod: { seconds: 1n, nanos: 5 } }))).toMatch(
      /^gov\/100 params\.expedited_voting_period must be whole seconds/,
    );
  });
});
