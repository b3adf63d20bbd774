/**
 * Property tests of the pure store: paths against the README's rules, the value codec, and proofs
 * (membership, absence, totality of the verifier on mutated bytes, root independent of write order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import type { StateValue } from '../core/index.ts';
import { STORE } from './errors.ts';
import { MemoryTrie } from './merkleTrie.ts';
import {
  MAX_LABEL_LENGTH,
  MAX_PATH_DEPTH,
  MAX_PATH_KEY_BYTES,
  ROOT_PATH,
  comparePaths,
  decodePathKey,
  encodePathKey,
  isAtOrUnder,
  normalizePath,
} from './path.ts';
import { decodeProof, encodeProof, pathKeyHash, verifyProof } from './proof.ts';
import { updateOf } from './testUtil.fixture.ts';
import { checkValue, decodeValue, encodeValue } from './valueCodec.ts';

/** The store error a call throws, or undefined when it returns. */
function storeErrorOf(fn: () => unknown): AinError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect((error as AinError).codespace).toBe(STORE);
    return error as AinError;
  }
}

/** The README's path rules, written independently: the codes a path breaks (empty when valid). */
function pathViolations(input: string): Set<number> {
  const out = new Set<number>();
  if (input.length === 0) return new Set([1]);
  let body = input.startsWith('/') ? input.slice(1) : input;
  if (body.length === 0) return out;
  if (body.length >= 2 && body.endsWith('/')) body = body.slice(0, -1);
  const labels = body.split('/');
  let bytes = 0;
  labels.forEach((label) => {
    if (label.length === 0) out.add(1);
    if (label.length > MAX_LABEL_LENGTH) out.add(3);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the forbidden characters are the point
    if (/[\u0000-\u001f\u007f-\u009f]/.test(label) || /\p{Cs}/u.test(label)) out.add(2);
    for (const ch of label) bytes += ch.length === 2 ? 6 : Buffer.byteLength(ch, 'utf8');
    bytes += 1;
  });
  if (labels.length > MAX_PATH_DEPTH) out.add(4);
  if (bytes > MAX_PATH_KEY_BYTES) out.add(5);
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const pieces = fc.constantFrom(
  'a',
  'b',
  'z',
  '/',
  '//',
  '.',
  '..',
  '$',
  'é',
  'ß',
  '\u0800',
  '\uffff',
  '😀',
  '\ud800',
  '\udc00',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  ' ',
);
/** Path-like strings: runs of interesting characters, long labels, many labels, and any Unicode. */
const pathInput = fc.oneof(
  { weight: 4, arbitrary: fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')) },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(fc.constant('/'), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 20 }).map((p) => p.join('')),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0800'), fc.integer({ min: 1, max: 160 })), { minLength: 1, maxLength: 34 })
      .map((labels) => `/${labels.map(([ch, n]) => ch.repeat(Math.ceil(n / ch.length))).join('/')}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

describe('paths (property)', () => {
  it('normalizePath accepts exactly the valid paths, canonically, and refuses the others with the code the README names', () => {
    fc.assert(
      fc.property(pathInput, (input) => {
        const violations = pathViolations(input);
        let canonical: string | undefined;
        const error = storeErrorOf(() => {
          canonical = normalizePath(input);
        });
        if (violations.size > 0) {
          expect(error, JSON.stringify(input)).toBeDefined();
          expect(violations.has(error!.code), `${error!.message} for ${JSON.stringify(input)}`).toBe(true);
          return;
        }
        expect(error, JSON.stringify(input)).toBeUndefined();
        const c = canonical!;
        expect(normalizePath(c)).toBe(c);
        expect(c === ROOT_PATH || (c.startsWith('/') && !c.endsWith('/'))).toBe(true);
        const key = encodePathKey(c);
        expect(key.length).toBeLessThanOrEqual(MAX_PATH_KEY_BYTES);
        expect(decodePathKey(key)).toBe(c);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('comparePaths and isAtOrUnder agree with the byte order and prefixes of the keys', () => {
    const validPath = pathInput.filter((p) => pathViolations(p).size === 0).map((p) => normalizePath(p));
    fc.assert(
      fc.property(validPath, validPath, (a, b) => {
        const ka = encodePathKey(a);
        const kb = encodePathKey(b);
        expect(Math.sign(comparePaths(a, b))).toBe(Math.sign(compareBytes(ka, kb)));
        const prefix = kb.length <= ka.length && compareBytes(ka.subarray(0, kb.length), kb) === 0;
        expect(isAtOrUnder(a, b)).toBe(prefix);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

const stateValue: fc.Arbitrary<StateValue> = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
);

describe('values (property)', () => {
  it('the codec round-trips every accepted value, -0 as 0', () => {
    fc.assert(
      fc.property(stateValue, (value) => {
        const bytes = encodeValue(value);
        expect(Object.is(decodeValue(bytes), value === 0 ? 0 : value)).toBe(true);
        expect(encodeValue(decodeValue(bytes))).toEqual(bytes);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('refuses non-finite numbers, lone surrogates and non-primitives with store/6', () => {
    const refused = fc.oneof(
      fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined, {}, [], 1n),
      fc.tuple(fc.string(), fc.constantFrom('\ud800', '\udfff', '\udc00\ud800'), fc.string()).map(([a, s, b]) => a + s + b),
    );
    fc.assert(
      fc.property(refused, (value) => {
        const error = storeErrorOf(() => checkValue(value));
        expect(error?.code).toBe(6);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('decodeValue refuses bytes that are not a canonical encoding with store/6, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let decoded: StateValue | undefined;
        const error = storeErrorOf(() => {
          decoded = decodeValue(bytes);
        });
        if (error !== undefined) expect(error.code).toBe(6);
        else expect(Uint8Array.from(encodeValue(decoded!))).toEqual(bytes);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

/** Small random trees: a few labels so paths collide, prefixes and absent paths abound. */
const treePath = fc.array(fc.constantFrom('a', 'b', 'c', 'é', '😀', 'x1'), { minLength: 1, maxLength: 4 }).map((l) => `/${l.join('/')}`);
const treeEntries = fc.uniqueArray(fc.tuple(treePath, stateValue), { selector: ([p]) => p, maxLength: 60 });

function build(entries: ReadonlyArray<readonly [string, StateValue]>): MemoryTrie {
  const trie = new MemoryTrie();
  trie.apply(entries.map(([p, v]) => updateOf(p, v)));
  return trie;
}

describe('proofs (property)', () => {
  it('every path proves its value or its absence against the root, and nothing else', () => {
    fc.assert(
      fc.property(treeEntries, fc.array(treePath, { maxLength: 10 }), (entries, probes) => {
        const trie = build(entries);
        const state = new Map(entries);
        for (const path of [...state.keys(), ...probes]) {
          const proof = trie.prove(pathKeyHash(path));
          const bytes = encodeProof(proof);
          expect(decodeProof(bytes)).toEqual(proof);
          const value = state.get(path);
          expect(verifyProof(trie.root, path, value, proof)).toBe(true);
          expect(verifyProof(trie.root, path, value, bytes)).toBe(true);
          expect(verifyProof(trie.root, path, value === undefined ? 'other' : undefined, bytes)).toBe(false);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('every single-byte change and truncation of a proof fails, and random bytes never verify', () => {
    fc.assert(
      fc.property(treeEntries, treePath, fc.uint8Array({ maxLength: 80 }), (entries, path, noise) => {
        const trie = build(entries);
        const value = new Map(entries).get(path);
        const bytes = encodeProof(trie.prove(pathKeyHash(path)));
        expect(verifyProof(trie.root, path, value, noise)).toBe(false);
        for (let i = 0; i < bytes.length; i++) {
          expect(verifyProof(trie.root, path, value, bytes.subarray(0, i))).toBe(false);
          for (const flip of [0x01, 0x80, 0xff]) {
            const mutated = Uint8Array.from(bytes);
            mutated[i]! ^= flip;
            expect(verifyProof(trie.root, path, value, mutated)).toBe(false);
          }
        }
        expect(verifyProof(trie.root, path, value, Uint8Array.of(...bytes, 0))).toBe(false);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('the root depends only on the final set of leaves, not on write order or batching', () => {
    fc.assert(
      fc.property(treeEntries, fc.array(fc.nat(), { minLength: 1 }), fc.array(treePath, { maxLength: 8 }), (entries, order, noise) => {
        const expected = build(entries).root;
        const shuffled = entries.map((e, i) => [order[i % order.length]! + i * 7919, e] as const).sort((x, y) => x[0] - y[0]);
        const trie = new MemoryTrie();
        // Write some paths that end up absent or overwritten, then the final leaves one batch at a time.
        trie.apply([...new Set(noise)].map((p) => updateOf(p, 'stale')));
        trie.apply([...new Set(noise)].map((p) => updateOf(p, null)));
        for (const [, [p, v]] of shuffled) trie.apply([updateOf(p, v)]);
        expect(trie.root).toEqual(expected);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
