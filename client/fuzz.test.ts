/**
 * Property tests of what the client trusts from a node: a state proof verifies only the value the
 * tree holds (a forged or mutated proof, value, path or app hash never verifies), and a hostile node's
 * query answers (random bytes, any JSON text) come back as values or as AinErrors, never as another
 * exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { QueryGetResponse } from '../proto/gen/ain/state/v1/query.ts';
import { MemoryTrie, encodeProof, pathKeyHash, valueHash } from '../tree/index.ts';
import { queryEvalRule, queryGet, queryMatchRule, type StateQuerier } from './queryState.ts';
import { verifyStateProof } from './verifyStateProof.ts';

const SEED = 42;

const leafValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const label = fc.constantFrom('a', 'b', 'c', 'posts', '1', '2');
const path = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => `/apps/${labels.join('/')}`);

/** A trie of random leaves (no leaf under another), with a proof maker. */
const trieOf = fc.uniqueArray(fc.tuple(path, leafValue), { minLength: 1, maxLength: 12, selector: ([p]) => p }).map((pairs) => {
  const leaves = pairs.filter(([p]) => !pairs.some(([other]) => other.startsWith(`${p}/`)));
  const trie = new MemoryTrie();
  trie.apply(leaves.map(([p, v]) => ({ keyHash: pathKeyHash(p), valueHash: valueHash(v) })));
  return { leaves: new Map(leaves), root: trie.root, prove: (p: string) => encodeProof(trie.prove(pathKeyHash(p))) };
});

const sameValue = (a: unknown, b: unknown) => typeof a === typeof b && (a === b || (a === 0 && b === 0));

describe('verifyStateProof against random tries', () => {
  it('an honest proof verifies the value held (or null for none), and nothing else', () => {
    fc.assert(
      fc.property(trieOf, path, fc.oneof(leafValue, fc.constant(null)), (trie, asked, claimed) => {
        const held = trie.leaves.get(asked) ?? null;
        const proof = trie.prove(asked);
        expect(verifyStateProof({ appHash: trie.root, path: asked, value: held, proof })).toBe(true);
        const same = claimed === null ? held === null : held !== null && sameValue(claimed, held);
        expect(verifyStateProof({ appHash: trie.root, path: asked, value: claimed, proof })).toBe(same);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a proof with any byte changed, cut or extended, or another app hash or path, never verifies a value not held', () => {
    fc.assert(
      fc.property(
        trieOf,
        path,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('flip', 'cut', 'extend', 'hash', 'path'),
        (trie, asked, at, mask, how) => {
          const held = trie.leaves.get(asked) ?? null;
          let proof = trie.prove(asked);
          let appHash = trie.root;
          let provenPath = asked;
          if (how === 'flip') {
            proof = proof.slice();
            proof[at % proof.length]! ^= mask;
          } else if (how === 'cut') proof = proof.subarray(0, at % proof.length);
          else if (how === 'extend') proof = Uint8Array.of(...proof, mask);
          else if (how === 'hash') {
            appHash = appHash.slice();
            appHash[at % appHash.length]! ^= mask;
          } else provenPath = [...trie.leaves.keys()][at % trie.leaves.size]!;
          // What the damaged proof would claim: the held value, another, or absence.
          for (const claimed of [held, null, 'forged', 1, true]) {
            const verified = verifyStateProof({ appHash, path: provenPath, value: claimed, proof });
            const truth = trie.leaves.get(provenPath) ?? null;
            const honest = claimed === null ? truth === null : truth !== null && sameValue(claimed, truth);
            if (verified) expect(honest).toBe(true);
            if (how !== 'path') expect(verified).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});

/** A node that answers every query with code 0 and the given bytes. */
const hostileNode = (value: Uint8Array, height: number): StateQuerier => ({
  abciQuery: async () => ({ code: 0, codespace: '', log: '', value, height, key: new Uint8Array(), index: 0 }) as never,
});

/** The AinError a promise rejects with (failing on any other exception), or undefined when it resolves. */
async function ainErrorOf(promise: Promise<unknown>): Promise<AinError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    return error as AinError;
  }
}

describe('state queries against a hostile node', () => {
  const answerBytes = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.string({ maxLength: 40 }).map((value) => QueryGetResponse.encode({ value, proof: new Uint8Array(), height: 3n }).finish()),
  );

  it('random answer bytes give a value or an AinError, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(answerBytes, fc.nat(1000), async (bytes, height) => {
        const node = hostileNode(bytes, height);
        for (const query of [
          () => queryGet(node, { path: '/apps/a' }),
          () => queryEvalRule(node, { path: '/apps/a', valueJson: '1', address: 'ain1x' }),
          () => queryMatchRule(node, { path: '/apps/a' }),
        ]) {
          const error = await ainErrorOf(query());
          if (error) expect(error.codespace).toBe('sdk');
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
