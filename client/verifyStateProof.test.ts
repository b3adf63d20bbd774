import { describe, expect, it } from 'vitest';
import { MemoryTrie, encodeProof, pathKeyHash, valueHash } from '../tree/index.ts';
import { fetchAppHash, verifyStateProof } from './verifyStateProof.ts';

const leaves: Array<[string, string | number | boolean]> = [
  ['/apps/chat/posts/a/1/text', 'hello'],
  ['/apps/chat/posts/a/1/likes', 3],
  ['/apps/chat/open', true],
];
const trie = new MemoryTrie();
trie.apply(leaves.map(([path, value]) => ({ keyHash: pathKeyHash(path), valueHash: valueHash(value) })));
const proofOf = (path: string) => encodeProof(trie.prove(pathKeyHash(path)));

describe('verifyStateProof', () => {
  it('verifies presence of each leaf, typed (3 is not "3")', () => {
    for (const [path, value] of leaves) expect(verifyStateProof({ appHash: trie.root, path, value, proof: proofOf(path) })).toBe(true);
    expect(
      verifyStateProof({
        appHash: trie.root,
        path: '/apps/chat/posts/a/1/likes',
        value: '3',
        proof: proofOf('/apps/chat/posts/a/1/likes'),
      }),
    ).toBe(false);
  });

  it('verifies absence with null, and refuses a present value claimed absent', () => {
    expect(verifyStateProof({ appHash: trie.root, path: '/apps/chat/nothing', value: null, proof: proofOf('/apps/chat/nothing') })).toBe(
      true,
    );
    expect(verifyStateProof({ appHash: trie.root, path: '/apps/chat/open', value: null, proof: proofOf('/apps/chat/open') })).toBe(false);
  });

  it('is false for another app hash, an object value or garbage', () => {
    const path = '/apps/chat/open';
    expect(verifyStateProof({ appHash: new Uint8Array(32).fill(7), path, value: true, proof: proofOf(path) })).toBe(false);
    expect(verifyStateProof({ appHash: trie.root, path, value: { a: 1 }, proof: proofOf(path) })).toBe(false);
    expect(verifyStateProof({ appHash: trie.root, path, value: true, proof: new Uint8Array([9, 9]) })).toBe(false);
  });
});

describe('fetchAppHash', () => {
  it('waits for the block, then reads its header', async () => {
    let latest = 4;
    const asked: number[] = [];
    const comet = {
      status: async () => ({ syncInfo: { latestBlockHeight: latest++ } }),
      commit: async (height?: number) => {
        asked.push(height!);
        return { header: { appHash: new Uint8Array([height!]) } };
      },
    } as unknown as Parameters<typeof fetchAppHash>[0];
    expect(await fetchAppHash(comet, 6)).toEqual(new Uint8Array([6]));
    expect(asked).toEqual([6]);
  });

  it('gives up with sdk/39 when the block does not come', async () => {
    const comet = { status: async () => ({ syncInfo: { latestBlockHeight: 1 } }), commit: async () => ({}) } as unknown as Parameters<
      typeof fetchAppHash
    >[0];
    await expect(fetchAppHash(comet, 9, 10)).rejects.toMatchObject({ codespace: 'sdk', code: 39 });
    await expect(fetchAppHash(comet, 0)).rejects.toThrow(/positive integer/);
  });
});
