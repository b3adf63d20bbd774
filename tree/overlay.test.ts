import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { ErrInvalidLabel, ErrInvalidLimit, ErrInvalidValue, ErrWriteToRoot } from './errors.ts';
import { EMPTY_STATE, Overlay } from './overlay.ts';
import { comparePaths, isAtOrUnder } from './path.ts';
import { randomValue, rng } from './testUtil.fixture.ts';
import type { StateValue } from '../core/index.ts';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return error.code;
    throw error;
  }
  return undefined;
}

function base(entries: Record<string, StateValue>): Overlay {
  const overlay = new Overlay(EMPTY_STATE);
  for (const [p, v] of Object.entries(entries)) overlay.set(p, v);
  return overlay;
}

describe('overlay', () => {
  it('reads its own writes first, and deletes shadow the parent', () => {
    const parent = base({ '/a': 1, '/b': 'x' });
    const overlay = new Overlay(parent);
    expect(overlay.get('/a')).toBe(1);
    overlay.set('/a', 2);
    overlay.set('/b', null);
    overlay.set('c', true);
    expect(overlay.get('/a')).toBe(2);
    expect(overlay.get('/b')).toBeUndefined();
    expect(overlay.get('/c/')).toBe(true);
    expect(parent.get('/a')).toBe(1);
    expect(parent.get('/b')).toBe('x');
    overlay.delete('/c');
    expect(overlay.get('/c')).toBeUndefined();
    overlay.set('/b', 'again');
    expect(overlay.get('/b')).toBe('again');
    expect([...overlay.writes()]).toEqual([
      ['/a', 2],
      ['/b', 'again'],
      ['/c', null],
    ]);
    expect(overlay.size).toBe(3);
  });

  it('validates paths and values on the hot path', () => {
    const overlay = new Overlay(EMPTY_STATE);
    expect(codeOf(() => overlay.set('/a\u0000b', 1))).toBe(ErrInvalidLabel.code);
    expect(codeOf(() => overlay.get('/a\u0000b'))).toBe(ErrInvalidLabel.code);
    expect(codeOf(() => overlay.set('/a', Infinity))).toBe(ErrInvalidValue.code);
    expect(codeOf(() => overlay.set('/a', { x: 1 } as unknown as string))).toBe(ErrInvalidValue.code);
    expect(codeOf(() => overlay.set('/', 1))).toBe(ErrWriteToRoot.code);
    expect(codeOf(() => overlay.list('/', -1))).toBe(ErrInvalidLimit.code);
    overlay.set('/z', -0);
    expect(Object.is(overlay.get('/z'), 0)).toBe(true);
  });

  it('lists own writes merged with the parent in path order, deletes hidden, limit respected', () => {
    const parent = base({ '/a/b': 1, '/a/b/c': 2, '/a/bc': 3, '/a/b/d/e': 4, '/a/b/f': 5 });
    const overlay = new Overlay(parent);
    overlay.set('/a/b/c', null);
    overlay.set('/a/b', 10);
    overlay.set('/a/b/c2', 11);
    overlay.set('/a/b!', 12);
    overlay.set('/a/b/d', 13);
    expect(overlay.list('/a/b', Infinity)).toEqual([
      ['/a/b', 10],
      ['/a/b/c2', 11],
      ['/a/b/d', 13],
      ['/a/b/d/e', 4],
      ['/a/b/f', 5],
    ]);
    expect(overlay.list('/a/b', 2)).toEqual([
      ['/a/b', 10],
      ['/a/b/c2', 11],
    ]);
    expect(overlay.list('/a/b', 0)).toEqual([]);
    expect(overlay.list('/a', Infinity).map(([p]) => p)).toEqual(['/a/b', '/a/b/c2', '/a/b/d', '/a/b/d/e', '/a/b/f', '/a/b!', '/a/bc']);
  });

  it('lists like a reference model under random writes at three levels', () => {
    const next = rng(21);
    const labels = ['a', 'b', 'ab', 'a!', 'é', 'z\uffff', 'z\ud83d\ude00'];
    const randomPath = () => {
      const depth = 1 + Math.floor(next() * 3);
      return `/${Array.from({ length: depth }, () => labels[Math.floor(next() * labels.length)]).join('/')}`;
    };
    const model = new Map<string, StateValue>();
    const committed = new Overlay(EMPTY_STATE);
    const block = new Overlay(committed);
    const layers = [committed, block];
    for (let step = 0; step < 60; step++) {
      const tx = block.child();
      for (let k = 0; k < 12; k++) {
        const target = k % 3 === 0 ? layers[Math.floor(next() * 2)]! : tx;
        const path = randomPath();
        if (next() < 0.3) target.set(path, null);
        else target.set(path, randomValue(next));
      }
      if (next() < 0.7) tx.commitToParent();
      // Rebuild the model from the layers: committed, then block, then tx if still pending.
      model.clear();
      for (const layer of [committed, block, tx]) {
        for (const [p, w] of layer.writes()) {
          if (w === null) model.delete(p);
          else model.set(p, w);
        }
      }
      const sorted = [...model].sort(([a], [b]) => comparePaths(a, b));
      for (const prefix of ['/', '/a', '/a/b', '/ab', '/z\uffff', randomPath()]) {
        const expected = sorted.filter(([p]) => isAtOrUnder(p, prefix));
        for (const limit of [Infinity, 0, 1, 3, 7]) expect(tx.list(prefix, limit)).toEqual(expected.slice(0, limit));
      }
      for (const [p, v] of model) expect(tx.get(p)).toBe(v);
    }
  });

  it('merges a successful transaction into the block and drops a failed one', () => {
    const block = new Overlay(base({ '/balance/alice': 100, '/balance/bob': 0 }));
    const ok = block.child();
    ok.set('/balance/alice', 90);
    ok.set('/balance/bob', 10);
    expect(block.get('/balance/alice')).toBe(100);
    ok.commitToParent();
    expect(ok.size).toBe(0);
    expect(block.get('/balance/alice')).toBe(90);
    const failed = block.child();
    failed.set('/balance/alice', 0);
    failed.set('/balance/carol', 90);
    // a failed tx is simply never merged
    expect(block.get('/balance/alice')).toBe(90);
    expect(block.get('/balance/carol')).toBeUndefined();
    const nested = block.child();
    const inner = nested.child();
    inner.set('/x', 1);
    inner.mergeInto(nested);
    expect(nested.get('/x')).toBe(1);
    expect(inner.get('/x')).toBe(1);
    nested.discard();
    expect(nested.get('/x')).toBeUndefined();
    expect([...block.writes()]).toEqual([
      ['/balance/alice', 90],
      ['/balance/bob', 10],
    ]);
    expect(() => new Overlay(EMPTY_STATE).commitToParent()).toThrow();
  });
});
