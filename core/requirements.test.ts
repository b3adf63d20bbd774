import { describe, expect, it } from 'vitest';
import { ErrInvalidRequest } from './errors.ts';
import {
  compareVersions,
  normalizePackageName,
  parseRequirement,
  parseRequirements,
  parseVersion,
  unmetRequirement,
} from './requirements.ts';

const packages = new Map([
  ['torch', '2.11.0+cu130'],
  ['numpy', '1.26.4'],
  ['jax', '0.4.30'],
  ['scikit-learn', '1.5.0rc1'],
]);
const unmet = (...texts: string[]) =>
  unmetRequirement(
    texts.map((text, i) => parseRequirement(text, `requires[${i}]`, ErrInvalidRequest)),
    packages,
  )?.text;

describe('package requirements', () => {
  it('orders versions as PEP 440 does: dev < pre-releases < release < post, local labels ignored', () => {
    const order = ['1.0.dev1', '1.0a1', '1.0b2.dev1', '1.0b2', '1.0rc1', '1.0', '1.0.post1.dev1', '1.0.post1', '1.0.1', '1.1', '10.0'];
    for (let i = 1; i < order.length; i++)
      expect(compareVersions(parseVersion(order[i - 1]!)!, parseVersion(order[i]!)!), order[i]).toBe(-1);
    expect(compareVersions(parseVersion('2.11.0+cu130')!, parseVersion('2.11')!)).toBe(0);
    expect(parseVersion('2.x')).toBeUndefined();
  });

  it('matches names, ranges, wildcards and compatible releases against what a runtime registered', () => {
    expect(unmet('torch', 'numpy>=1.24', 'jax~=0.4.1')).toBeUndefined();
    expect(unmet('torch>=2.4,<3')).toBeUndefined();
    expect(unmet('torch>=2.12')).toBe('torch>=2.12');
    expect(unmet('numpy==1.26.*', 'Jax!=0.5.0')).toBeUndefined();
    expect(unmet('numpy==1.25.*')).toBe('numpy==1.25.*');
    expect(unmet('scikit_learn>=1.5.0rc1')).toBeUndefined();
    expect(unmet('scikit-learn>=1.5')).toBe('scikit-learn>=1.5');
    expect(unmet('tensorflow')).toBe('tensorflow');
    expect(normalizePackageName('Scikit__Learn.x')).toBe('scikit-learn-x');
  });

  it('refuses malformed requirements, naming the entry', () => {
    const refusal = (list: unknown) => {
      try {
        parseRequirements(list, 'requires', ErrInvalidRequest);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal(['torch>=2.x'])).toMatch(/requires\[0\] "torch>=2.x" has a version "2.x" that is not a release/);
    expect(refusal(['>=2'])).toMatch(/must start with a package name/);
    expect(refusal(['torch>=2.*'])).toMatch(/uses ".\*" with an operator other than == or !=/);
    expect(refusal(['torch~=2'])).toMatch(/uses ~= with a one-part version/);
    expect(refusal(['torch', 'Torch>=2'])).toMatch(/names torch twice/);
    expect(refusal(Array.from({ length: 17 }, (_, i) => `p${i}`))).toMatch(/at most 16/);
    expect(refusal('torch')).toMatch(/must be a list/);
  });
});
