import { describe, expect, it } from 'vitest';
import { AbciError, type AbciErrorCode } from './errors.ts';
import { encodeFrame, encodeFrames, encodeUvarint, FrameDecoder, uvarintLength } from './framing.ts';

/** Every body the chunk completes, as hex (bodies may be Buffers or plain Uint8Arrays). */
function collect(decoder: FrameDecoder, chunk: Uint8Array): string[] {
  return [...decoder.push(chunk)].map(hex);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** The code of the AbciError `fn` throws (fails the test if it throws anything else or nothing). */
function errorCode(fn: () => unknown): AbciErrorCode {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AbciError);
    return (error as AbciError).reason;
  }
  throw new Error('expected an AbciError');
}

function body(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function bodyHex(length: number, seed = 1): string {
  return hex(body(length, seed));
}

describe('encodeUvarint', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16_383, [0xff, 0x7f]],
    [16_384, [0x80, 0x80, 0x01]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
    [Number.MAX_SAFE_INTEGER, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('encodes %d as unsigned (not zig-zag) protobuf varint', (value, bytes) => {
    expect([...encodeUvarint(value)]).toEqual(bytes);
    expect(uvarintLength(value)).toBe(bytes.length);
  });

  it('rejects negative, fractional and unsafe values', () => {
    expect(() => encodeUvarint(-1)).toThrow(RangeError);
    expect(() => encodeUvarint(1.5)).toThrow(RangeError);
    expect(() => encodeUvarint(2 ** 53)).toThrow(RangeError);
  });
});

describe('encodeFrame / FrameDecoder', () => {
  it('round-trips bodies around the varint boundaries', () => {
    for (const length of [0, 1, 127, 128, 300, 16_384, 70_000]) {
      const decoder = new FrameDecoder();
      const frame = encodeFrame(body(length));
      expect(frame.length).toBe(uvarintLength(length) + length);
      const frames = collect(decoder, frame);
      expect(frames).toHaveLength(1);
      expect(frames[0]).toBe(bodyHex(length));
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('yields several frames from one chunk, in order', () => {
    const bodies = [body(5, 1), body(0), body(200, 2), body(1, 3)];
    const decoder = new FrameDecoder();
    expect(collect(decoder, encodeFrames(bodies))).toEqual(bodies.map(hex));
  });

  it('reassembles frames fed one byte at a time', () => {
    const bodies = [body(3, 1), body(130, 2), body(0), body(1000, 3)];
    const stream = encodeFrames(bodies);
    const decoder = new FrameDecoder();
    const out: string[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...collect(decoder, stream.slice(i, i + 1)));
    expect(out).toEqual(bodies.map(hex));
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('reassembles frames under arbitrary chunking', () => {
    const bodies = Array.from({ length: 50 }, (_, i) => body((i * 97) % 400, i));
    const stream = encodeFrames(bodies);
    for (const step of [2, 3, 7, 64, 129, 1000]) {
      const decoder = new FrameDecoder();
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...collect(decoder, stream.slice(i, i + step)));
      expect(out).toEqual(bodies.map(hex));
    }
  });

  it('accepts a frame of exactly maxFrameBytes', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 10 });
    expect(collect(decoder, encodeFrame(body(10)))).toEqual([bodyHex(10)]);
  });

  it('waits for the body of a large announced frame without allocating it', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 2 ** 32 });
    expect(collect(decoder, encodeUvarint(2 ** 31))).toEqual([]);
    expect(collect(decoder, body(1000))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(1000);
  });

  it('throws FRAME_TOO_LARGE for a length above the limit', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 10 });
    expect(errorCode(() => collect(decoder, encodeFrame(body(11))))).toBe('FRAME_TOO_LARGE');
  });

  it('throws FRAME_TOO_LARGE for the largest valid uint64 length with the default limit', () => {
    const maxUint64 = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(errorCode(() => collect(new FrameDecoder(), maxUint64))).toBe('FRAME_TOO_LARGE');
    expect(errorCode(() => collect(new FrameDecoder(), encodeUvarint(2 ** 31)))).toBe('FRAME_TOO_LARGE');
  });

  it('throws MALFORMED_VARINT for a prefix longer than 10 bytes', () => {
    const eleven = new Uint8Array(11).fill(0x80);
    expect(errorCode(() => collect(new FrameDecoder(), eleven))).toBe('MALFORMED_VARINT');
  });

  it('throws MALFORMED_VARINT for a 10-byte prefix that overflows uint64', () => {
    const overflow = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
    expect(errorCode(() => collect(new FrameDecoder(), overflow))).toBe('MALFORMED_VARINT');
  });

  it('detects a malformed prefix split across chunks', () => {
    const decoder = new FrameDecoder();
    for (let i = 0; i < 9; i++) expect(collect(decoder, new Uint8Array([0x80]))).toEqual([]);
    expect(errorCode(() => collect(decoder, new Uint8Array([0x80])))).toBe('MALFORMED_VARINT');
  });

  it('yields the frames before a bad prefix, then throws, then stays failed', () => {
    const good = encodeFrames([body(4, 1), body(6, 2)]);
    const chunk = new Uint8Array([...good, ...new Uint8Array(11).fill(0xff)]);
    const decoder = new FrameDecoder();
    const seen: string[] = [];
    const code = errorCode(() => {
      for (const frame of decoder.push(chunk)) seen.push(hex(frame));
    });
    expect(code).toBe('MALFORMED_VARINT');
    expect(seen).toEqual([bodyHex(4, 1), bodyHex(6, 2)]);
    expect(errorCode(() => collect(decoder, encodeFrame(body(1))))).toBe('MALFORMED_VARINT');
  });

  it('rejects an invalid maxFrameBytes', () => {
    expect(() => new FrameDecoder({ maxFrameBytes: -1 })).toThrow(RangeError);
  });
});
