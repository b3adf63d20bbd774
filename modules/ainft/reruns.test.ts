/** Scores of re-run outputs in 18-digit fixed point, the same on every node. */
import { describe, expect, it } from 'vitest';
import { parseScore, scoreOf } from './reruns.ts';

const E18 = 10n ** 18n;

describe('scores of re-runs', () => {
  it('reads a number of an inline output as 18-digit fixed point, exponents and signs included', () => {
    expect(scoreOf('{"score_ppm":431250}', 'score_ppm')).toBe(431250n * E18);
    expect(scoreOf('{"x":2.01}', 'x')).toBe(2010000000000000000n);
    expect(scoreOf('{"loss":1.5e-7}', 'loss')).toBe(150000000000n);
    expect(scoreOf('{"loss":-0.25}', 'loss')).toBe(-250000000000000000n);
    expect(scoreOf('{"loss":"0.125"}', 'loss')).toBe(125000000000000000n);
    expect(parseScore('1e-20')).toBe(0n);
    expect(parseScore('123.4567890123456789999')).toBe(123456789012345678999n);
  });

  it('has no score for a missing field, a non-number, an output in Big Storage or text that is not JSON', () => {
    expect(scoreOf('{"x":2}', 'y')).toBeUndefined();
    expect(scoreOf('{"x":[1]}', 'x')).toBeUndefined();
    expect(scoreOf('', 'x')).toBeUndefined();
    expect(scoreOf('not json', 'x')).toBeUndefined();
    expect(parseScore('1e400')).toBeUndefined();
  });
});
