import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { utf8Read } from 'cosmjs-types/utf8';
import { describe, expect, it } from 'vitest';
import { rng } from '../../tree/index.ts';
import { useLeanProtobufCodecs } from './protobufCodecs.ts';

/** A length-delimited field's bytes: varint length, then `payload`. */
function delimited(payload: Uint8Array): Uint8Array {
  return new BinaryWriter().bytes(payload).finish();
}

describe('useLeanProtobufCodecs', () => {
  useLeanProtobufCodecs();

  it('reads every string as the original decoder does: ASCII, other UTF-8, invalid UTF-8, empty', () => {
    const next = rng(7);
    const samples: Uint8Array[] = [
      new Uint8Array(),
      new TextEncoder().encode('ain1dqwddnh3rx5c9y0c8x4w0ymr3jnv4l6hd4vvq2'),
      new TextEncoder().encode('é'),
      new TextEncoder().encode('uain 😀 ✓'),
      Uint8Array.of(0x61, 0xff, 0x62), // not UTF-8
      Uint8Array.of(0xc3), // a sequence cut short
    ];
    for (let i = 0; i < 500; i++) {
      const bytes = new Uint8Array(Math.floor(next() * 40));
      // Mostly ASCII, sometimes a high byte, so both paths run on the same kinds of input.
      for (let j = 0; j < bytes.length; j++) bytes[j] = next() < 0.9 ? Math.floor(next() * 0x80) : Math.floor(next() * 0x100);
      samples.push(bytes);
    }
    for (const bytes of samples) {
      const reader = new BinaryReader(delimited(bytes));
      expect(reader.string()).toBe(utf8Read(bytes, 0, bytes.length));
      expect(reader.pos).toBe(reader.len);
    }
  });

  it('reads a string between other fields and leaves the reader after it', () => {
    const msg = { fromAddress: 'ain1from', toAddress: 'ain1tö', amount: [{ denom: 'uain', amount: '12' }] };
    expect(MsgSend.decode(MsgSend.encode(msg).finish())).toEqual(msg);
  });

  it('refuses a string longer than what is left, as before', () => {
    const truncated = delimited(new TextEncoder().encode('uain')).subarray(0, 3);
    expect(() => new BinaryReader(truncated).string()).toThrow(/premature EOF|index out of range/);
  });

  it('encodes into buffers of the exact size', () => {
    const bytes = MsgSend.encode({ fromAddress: 'a', toAddress: 'b', amount: [] }).finish();
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });
});
