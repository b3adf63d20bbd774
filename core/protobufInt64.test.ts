import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { BaseVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import { describe, expect, it } from 'vitest';
import './index.ts';

describe("cosmjs-types' 64-bit varints (core/protobufInt64.ts)", () => {
  it('round-trip every range, the values from 2^31 to 2^32 - 1 included', () => {
    for (const value of [
      0n,
      1n,
      127n,
      128n,
      2n ** 31n - 1n,
      2n ** 31n,
      4_102_444_800n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 53n,
      2n ** 63n - 1n,
    ]) {
      const bytes = new BinaryWriter().uint64(value).finish();
      expect([value, new BinaryReader(bytes).uint64()]).toEqual([value, value]);
      expect([value, new BinaryReader(new BinaryWriter().int64(value).finish()).int64()]).toEqual([value, value]);
    }
    // 4,294,967,295 is five varint bytes: ff ff ff ff 0f.
    expect(Buffer.from(new BinaryWriter().uint64(2n ** 32n - 1n).finish()).toString('hex')).toBe('ffffffff0f');
    expect(new BinaryReader(new BinaryWriter().int64(-5n).finish()).int64()).toBe(-5n);
  });

  it('keep a vesting end time after 2038 (it decoded as 0)', () => {
    const bytes = BaseVestingAccount.encode(BaseVestingAccount.fromPartial({ endTime: 4_102_444_800n })).finish();
    expect(BaseVestingAccount.decode(bytes).endTime).toBe(4_102_444_800n);
  });
});
