/** MsgUpdateParams's stateless checks: every param, or `disable` alone; the gov authority only. */
import { describe, expect, it } from 'vitest';
import { AinError, govAuthority } from '../../core/index.ts';
import { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { validateUpdateParams } from './msgs.ts';
import { computeParamsToProto, defaultComputeParams } from './params.ts';

const params = computeParamsToProto(defaultComputeParams());

function refusal(msg: Partial<MsgUpdateParams>): [string, number, string] | undefined {
  try {
    validateUpdateParams(MsgUpdateParams.fromPartial(msg));
    return undefined;
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    return [error.codespace, error.code, error.message];
  }
}

describe('compute MsgUpdateParams', () => {
  it('takes every param, or disable with no params', () => {
    expect(refusal({ authority: govAuthority(), params })).toBeUndefined();
    expect(refusal({ authority: govAuthority(), disable: true })).toBeUndefined();
  });

  it('refuses no params without disable, and both at once, naming params', () => {
    expect(refusal({ authority: govAuthority() })).toEqual([
      'compute',
      2,
      expect.stringMatching(/^params is missing; expected every param, or disable to turn compute off/),
    ]);
    expect(refusal({ authority: govAuthority(), params, disable: true })).toEqual([
      'compute',
      2,
      expect.stringMatching(/^params must be absent when disable is true/),
    ]);
  });

  it('refuses another signer with gov/13, turning off as well', () => {
    const other = 'ain1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
    expect(refusal({ authority: other, disable: true })?.slice(0, 2)).toEqual(['gov', 13]);
    expect(refusal({ authority: other, params })?.slice(0, 2)).toEqual(['gov', 13]);
  });
});
