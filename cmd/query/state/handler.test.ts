import { describe, expect, it } from 'vitest';
import { parseGetFlags, parseHeight } from './handler.ts';

describe('query state get flags', () => {
  it('reads the value deep at the latest height by default', () => {
    expect(parseGetFlags({})).toEqual({ kind: 'value', depth: 0, proof: false, height: undefined });
  });

  it('maps --rule/--owner/--function, --shallow, --proof and --height', () => {
    expect(parseGetFlags({ rule: true, shallow: true })).toEqual({ kind: 'rule', depth: 1, proof: false, height: undefined });
    expect(parseGetFlags({ owner: true, height: '12' })).toEqual({ kind: 'owner', depth: 0, proof: false, height: 12 });
    expect(parseGetFlags({ function: true }).kind).toBe('function');
    expect(parseGetFlags({ proof: true, height: '3' })).toEqual({ kind: 'value', depth: 0, proof: true, height: 3 });
  });

  it('refuses conflicting flags and bad heights', () => {
    expect(() => parseGetFlags({ rule: true, owner: true })).toThrow(/at most one of --rule, --owner, --function \(got --rule, --owner\)/);
    expect(() => parseGetFlags({ proof: true, rule: true })).toThrow(/--proof proves a value/);
    expect(() => parseGetFlags({ proof: true, shallow: true })).toThrow(/--shallow/);
    for (const bad of ['0', '-1', '1.5', 'latest', '99999999999999999999']) expect(() => parseHeight(bad), bad).toThrow(/--height/);
    expect(parseHeight(undefined)).toBeUndefined();
  });
});
