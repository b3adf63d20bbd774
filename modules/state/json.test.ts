import { describe, expect, it } from 'vitest';
import { EMPTY_STATE, Overlay } from '../../tree/index.ts';
import { ErrTooManyLeaves } from './errors.ts';
import { readJson, valueToLeaves } from './json.ts';
import { thrown } from './testUtil.fixture.ts';
import { canonicalJson, utf8Length } from '../../core/index.ts';

describe('the JSON view of the tree', () => {
  it('turns a value into leaves in path order, null into none', () => {
    expect(valueToLeaves('/apps/a/x', { b: { c: 1 }, 'a-b': 'x', a: true })).toEqual([
      ['/apps/a/x/a', true],
      ['/apps/a/x/a-b', 'x'],
      ['/apps/a/x/b/c', 1],
    ]);
    expect(valueToLeaves('/apps/a/x', -0)).toEqual([['/apps/a/x', 0]]);
    expect(valueToLeaves('/apps/a/x', null)).toEqual([]);
    expect(thrown(() => valueToLeaves('/apps/a/x', { s: '\ud800' })).message).toContain('lone surrogate');
  });

  it('reads a leaf, else the subtree, a primitive hiding leaves under it; bounds the leaves', () => {
    const state = new Overlay(EMPTY_STATE);
    state.set('/apps/a/x', 1);
    state.set('/apps/a/x/y', 2);
    state.set('/apps/a/p/q', 'q');
    state.set('/apps/a/p/r/s', false);
    expect(readJson(state, '/apps/a/x')).toBe(1);
    expect(readJson(state, '/apps/a')).toEqual({ p: { q: 'q', r: { s: false } }, x: 1 });
    expect(readJson(state, '/apps/a', 10, 1)).toEqual({ p: true, x: 1 });
    expect(readJson(state, '/apps/a', 10, 2)).toEqual({ p: { q: 'q', r: true }, x: 1 });
    expect(readJson(state, '/apps/b')).toBeNull();
    expect(readJson(state, '/')).toEqual({ apps: { a: { p: { q: 'q', r: { s: false } }, x: 1 } } });
    expect(thrown(() => readJson(state, '/apps/a', 3)).is(ErrTooManyLeaves)).toBe(true);
  });

  it('writes canonical JSON: keys by code unit, integer-like keys included', () => {
    expect(canonicalJson({ b: 1, 10: [true, null], 9: { z: 'x', a: 1.5 } })).toBe('{"10":[true,null],"9":{"a":1.5,"z":"x"},"b":1}');
    expect(canonicalJson(null)).toBe('null');
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});
