import { describe, expect, it } from 'vitest';
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

describe('gov params', () => {
  it('stores nothing until set, then reads back what was written', () => {
    const state = new Overlay({ get: () => undefined, list: () => [] });
    expect(readGovParams(state)).toEqual(defaultGovParams());
    expect(state.size).toBe(0);
    writeGovParams(state, { voting_period: '60', quorum: '0.5' });
    expect(readGovParams(state)).toEqual({ ...defaultGovParams(), votingPeriod: 60n, quorum: 5n * 10n ** 17n });
  });

  it('round-trips through cosmos.gov.v1.Params', () => {
    const params = { ...defaultGovParams(), burnVoteQuorum: true, minInitialDepositRatio: 10n ** 17n };
    const proto = govParamsToProto(params);
    expect(proto.quorum).toBe('0.334000000000000000');
    expect(govParamsFromProto(proto)).toEqual(params);
    expect(govParamsFromJson(govParamsToJson(params))).toEqual(params);
  });

  it('refuses bad values naming the field', () => {
    expect(refusalOf(() => govParamsFromJson({ quorum: '1.5' }))).toMatch(/^gov\/100 gov\.params\.quorum/);
    expect(refusalOf(() => govParamsFromJson({ threshold: '0' }))).toMatch(/^gov\/100 gov\.params\.threshold/);
    expect(refusalOf(() => govParamsFromJson({ voting_period: '0' }))).toMatch(/^gov\/100 gov\.params\.voting_period/);
    expect(refusalOf(() => govParamsFromJson({ min_deposit: 'ten' }))).toMatch(/^gov\/100 gov\.params\.min_deposit/);
    expect(refusalOf(() => govParamsFromJson({ burn_vote_veto: 'yes' }))).toMatch(/^gov\/100 gov\.params\.burn_vote_veto/);
    expect(refusalOf(() => govParamsFromJson({ quorom: '0.5' } as never))).toMatch(/^gov\/100 gov\.params\.quorom is not a param/);
    const proto = govParamsToProto(defaultGovParams());
    expect(refusalOf(() => govParamsFromProto({ ...proto, expeditedThreshold: '0.667' }))).toMatch(/^gov\/100 params\.expedited_threshold/);
  });
});
