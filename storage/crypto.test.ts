import { describe, expect, it } from 'vitest';
import { AinError } from '../core/index.ts';
import { testKey } from '../test/helpers/tx.ts';
import { decryptBytes, encryptBytes, encryptedSize, encryptStream, newDataKey, unwrapKey, wrapKey } from './crypto.ts';
import { ErrStorageDecrypt } from './errors.ts';

const reader = testKey('crypto-reader');
const other = testKey('crypto-other');

async function refusal(promise: Promise<unknown>): Promise<AinError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AinError);
  expect((error as AinError).is(ErrStorageDecrypt)).toBe(true);
  return error as AinError;
}

async function collect(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('Big Storage encryption', () => {
  it('round-trips empty, one-chunk and multi-chunk blobs; the size is predictable', async () => {
    const key = newDataKey();
    for (const size of [0, 1, 1000, 3 * 1024 * 1024 + 5]) {
      const plain = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      const sealed = await encryptBytes(plain, key);
      expect(sealed.length).toBe(encryptedSize(size));
      expect(Buffer.from(await decryptBytes(sealed, key)).equals(plain)).toBe(true);
    }
  });

  it('streams in chunks of the chunk size, whatever the input pieces', async () => {
    const key = newDataKey();
    const pieces = [new Uint8Array(5), new Uint8Array(17), new Uint8Array(3)];
    const parts = await collect(encryptStream(pieces, key, 10));
    // header, then 10 + 10 + 5 bytes of plaintext, each sealed with a 16-byte tag
    expect(parts.map((p) => p.length)).toEqual([12, 26, 26, 21]);
  });

  it('refuses a wrong key, a changed byte, a truncated stream and a dropped last chunk', async () => {
    const key = newDataKey();
    const plain = new Uint8Array(2 * 1024 * 1024 + 10).fill(7);
    const sealed = await encryptBytes(plain, key);
    await refusal(decryptBytes(sealed, newDataKey()));
    const changed = new Uint8Array(sealed);
    changed[100] = (changed[100] ?? 0) ^ 1;
    await refusal(decryptBytes(changed, key));
    // Cut exactly after the second chunk: each remaining chunk authenticates, but not as the last one.
    const twoChunks = 12 + 2 * (1024 * 1024 + 16);
    expect((await refusal(decryptBytes(sealed.subarray(0, twoChunks), key))).message).toContain('cut short');
    await refusal(decryptBytes(sealed.subarray(0, 12), key));
    await refusal(decryptBytes(new TextEncoder().encode('plain text, not sealed'), key));
  });

  it("wraps a data key for one reader's public key only", () => {
    const key = newDataKey();
    const wrapped = wrapKey(key, reader.pubkey);
    expect(Buffer.from(wrapped, 'base64').length).toBe(105);
    expect(unwrapKey(wrapped, reader.privkey)).toEqual(key);
    expect(wrapKey(key, reader.pubkey)).not.toBe(wrapped); // a fresh ephemeral key each time
    expect(() => unwrapKey(wrapped, other.privkey)).toThrow(/wrapped for another reader/);
  });
});
