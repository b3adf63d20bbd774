import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { moduleAddress } from './address.ts';
import { AinError } from './errors.ts';
import { checkIndexEntries, checkLeafKinds, type LeafKind, leafShapes } from './leafKinds.ts';

const KINDS: readonly LeafKind[] = [
  { path: '/m/count', schema: leafShapes.uint },
  {
    path: '/m/items/*/record',
    schema: z.strictObject({ id: leafShapes.uint, owner: leafShapes.address, n: leafShapes.count }),
    record: true,
  },
  { path: '/m/queue/*/*', schema: leafShapes.flag },
];
const OWNER = moduleAddress('m');
const refusal = (leaves: Record<string, string | number | boolean>): string => {
  try {
    checkLeafKinds(leaves, KINDS, 'genesis m.leaves');
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    return (error as AinError).message;
  }
  return 'accepted';
};

describe('checkLeafKinds', () => {
  it('accepts leaves as the keeper writes them, and leaves of no kind as they are', () => {
    const record = JSON.stringify({ id: '7', n: 2, owner: OWNER });
    expect(refusal({ '/m/count': '12', '/m/items/7/record': record, '/m/queue/001/7': true, '/m/other/x': 'anything' })).toBe('accepted');
  });

  it('names the leaf, the field and what was expected', () => {
    expect(refusal({ '/m/count': '0x10' })).toBe(
      'genesis m.leaves["/m/count"] value is not what the module writes: expected a non-negative integer as a decimal string: invalid request',
    );
    expect(refusal({ '/m/items/7/record': JSON.stringify({ id: '7', n: -1, owner: OWNER }) })).toMatch(
      /^genesis m.leaves\["\/m\/items\/7\/record"\] field n is not what the module writes: /,
    );
    expect(refusal({ '/m/items/7/record': JSON.stringify({ id: '7', n: 1, owner: 'ain1nope' }) })).toContain('field owner');
    expect(refusal({ '/m/items/7/record': JSON.stringify({ extra: 1, id: '7', n: 1, owner: OWNER }) })).toContain(
      'is not what the module writes',
    );
    expect(refusal({ '/m/queue/001/7': 'true' })).toContain('"/m/queue/001/7"');
  });

  it('refuses a record that is not canonical JSON text, as export writes it', () => {
    expect(refusal({ '/m/items/7/record': '{"owner": "x"}' })).toBe(
      'genesis m.leaves["/m/items/7/record"] is not a record as exported: canonical JSON (keys sorted, no spaces): invalid request',
    );
    expect(refusal({ '/m/items/7/record': '{' })).toBe(
      'genesis m.leaves["/m/items/7/record"] must be a record: JSON text: invalid request',
    );
    expect(refusal({ '/m/items/7/record': 5 })).toBe('genesis m.leaves["/m/items/7/record"] must be a record: JSON text: invalid request');
  });
});

describe('checkIndexEntries', () => {
  const words = { stray: 'is not the entry of a live item', missing: 'the entry of a live item' };
  const check = (leaves: Record<string, boolean>, expected: string[]) => () =>
    checkIndexEntries(leaves, ['/m/queue'], new Set(expected), 'genesis m.leaves', words);

  it('accepts entries that are exactly the expected ones', () => {
    expect(check({ '/m/queue/001/7': true, '/m/other': true }, ['/m/queue/001/7'])).not.toThrow();
  });

  it('refuses an entry naming no live item, and a live item without its entry', () => {
    expect(check({ '/m/queue/001/7': true }, [])).toThrow('genesis m.leaves["/m/queue/001/7"] is not the entry of a live item');
    expect(check({}, ['/m/queue/001/7'])).toThrow('genesis m.leaves lacks "/m/queue/001/7": true, the entry of a live item');
  });
});
