/**
 * Property tests of the frame decoder: random byte streams cut at random points decode to the same
 * frames and the same failure as the stream in one piece; valid frames survive any cut; a failure is
 * always an AbciError of a framing reason, and the decoder stays failed after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbciError } from './errors.ts';
import { encodeFrames, encodeUvarint, FrameDecoder, uvarintLength } from './framing.ts';

const MAX_FRAME_BYTES = 64;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

interface Decoded {
  readonly frames: string[];
  readonly failure: AbciError | undefined;
  readonly bufferedBytes: number;
}

/** Feeds `chunks` in order; the frames before a failure, the failure, and the bytes left buffered. */
function decode(chunks: readonly Uint8Array[], maxFrameBytes = MAX_FRAME_BYTES): Decoded {
  const decoder = new FrameDecoder({ maxFrameBytes });
  const frames: string[] = [];
  for (const chunk of chunks) {
    try {
      for (const body of decoder.push(chunk)) frames.push(hex(body));
    } catch (error) {
      expect(error).toBeInstanceOf(AbciError);
      // Dead after a failure: the next push throws the same error.
      expect(() => [...decoder.push(new Uint8Array([0]))]).toThrow(error as AbciError);
      return { frames, failure: error as AbciError, bufferedBytes: decoder.bufferedBytes };
    }
  }
  return { frames, failure: undefined, bufferedBytes: decoder.bufferedBytes };
}

/** `bytes` cut at the given offsets (sorted, deduplicated), as separate copies. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  return chunks;
}

/** Streams that reach every branch: length prefixes of 0 to 10+ bytes, huge lengths, short bodies. */
const prefixPiece = fc.oneof(
  fc.integer({ min: 0, max: MAX_FRAME_BYTES + 8 }).map(encodeUvarint),
  fc.constantFrom(
    // 2^64 - 1, one byte past it, a 10th byte with a continuation bit, 11 continuation bytes.
    Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]),
    Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]),
    new Uint8Array(11).fill(0x80),
    Uint8Array.from([0x80, 0x00]),
    encodeUvarint(2 ** 53 - 1),
  ),
);
const streamBytes = fc
  .array(fc.oneof(prefixPiece, fc.uint8Array({ maxLength: 40 })), { maxLength: 12 })
  .map((pieces) => Uint8Array.from(pieces.flatMap((piece) => [...piece])));
const offsets = fc.array(fc.nat(), { maxLength: 10 });

describe('FrameDecoder on random streams', () => {
  it('decodes a stream cut anywhere to the same frames and the same failure as the whole stream', () => {
    fc.assert(
      fc.property(streamBytes, offsets, (bytes, cuts) => {
        const whole = decode([bytes]);
        const split = decode(cut(bytes, cuts));
        expect(split.frames).toEqual(whole.frames);
        expect(split.failure?.reason).toBe(whole.failure?.reason);
        if (whole.failure === undefined) {
          expect(split.bufferedBytes).toBe(whole.bufferedBytes);
        } else {
          expect(['MALFORMED_VARINT', 'FRAME_TOO_LARGE']).toContain(whole.failure.reason);
          expect(whole.failure.codespace).toBe('abci');
          expect(split.failure?.meta).toEqual(whole.failure.meta);
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('yields every valid frame, empty ones included, whatever the cuts, and keeps a truncated tail buffered', () => {
    const bodies = fc.array(fc.uint8Array({ maxLength: MAX_FRAME_BYTES }), { maxLength: 8 });
    fc.assert(
      fc.property(bodies, offsets, fc.nat(), (frames, cuts, dropped) => {
        const stream = encodeFrames(frames);
        const split = decode(cut(stream, cuts));
        expect(split.failure).toBeUndefined();
        expect(split.frames).toEqual(frames.map(hex));
        expect(split.bufferedBytes).toBe(0);

        // Drop 1..n bytes from the end: the frames before the last are yielded, the rest is buffered.
        if (stream.length === 0) return;
        const drop = 1 + (dropped % stream.length);
        const truncated = decode(cut(stream.subarray(0, stream.length - drop), cuts));
        expect(truncated.failure).toBeUndefined();
        const lastBody = frames.at(-1)!.length;
        const prefixBytes = uvarintLength(lastBody);
        const present = prefixBytes + lastBody - drop;
        if (present >= 0) {
          expect(truncated.frames).toEqual(frames.slice(0, -1).map(hex));
          // What it holds: the partial prefix, or once the prefix is complete the body's bytes so far.
          expect(truncated.bufferedBytes).toBe(present >= prefixBytes ? present - prefixBytes : present);
        } else {
          expect(frames.map(hex).slice(0, truncated.frames.length)).toEqual(truncated.frames);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('refuses an announced length above the limit, or a varint past 64 bits, with its reason and figures', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_FRAME_BYTES + 1, max: Number.MAX_SAFE_INTEGER }), offsets, (length, cuts) => {
        const { frames, failure } = decode(cut(encodeUvarint(length), cuts));
        expect(frames).toEqual([]);
        expect(failure?.reason).toBe('FRAME_TOO_LARGE');
        expect(failure?.meta).toEqual({ length, maxFrameBytes: MAX_FRAME_BYTES });
      }),
      { seed: 42, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 255 }), offsets, (tenth, cuts) => {
        const prefix = Uint8Array.from([...new Uint8Array(9).fill(0xff), tenth]);
        const { failure } = decode(cut(prefix, cuts), Number.MAX_SAFE_INTEGER);
        expect(failure?.reason).toBe('MALFORMED_VARINT');
        expect(failure?.meta).toEqual({ bytesRead: 10 });
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
