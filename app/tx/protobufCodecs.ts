import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

let installed = false;

/**
 * Two changes to cosmjs-types' protobuf codecs, which the app decodes and encodes every tx with; both
 * give the same bytes and strings, with far less garbage. Idempotent.
 * - `BinaryWriter.finish()` builds a fresh 8 KiB slab allocator on every call, so each small encode (a
 *   SignDoc, a TxMsgData) allocated 8 KiB: exact-size buffers instead.
 * - `BinaryReader.string()` decodes UTF-8 one code unit at a time into a growing array, then copies and
 *   joins it: about 1 KB of garbage for a 43-character address, and 7 KB a signed send (a fifth of what
 *   CheckTx allocates). A string whose bytes are all ASCII is read as latin1 instead, which gives the
 *   same characters; any other goes through the original decoder.
 */
export function useLeanProtobufCodecs(): void {
  if (installed) return;
  installed = true;
  (BinaryWriter as unknown as { alloc: (size: number) => Uint8Array }).alloc = (size) => new Uint8Array(size);
  const utf8String = BinaryReader.prototype.string;
  BinaryReader.prototype.string = function string(this: BinaryReader): string {
    const start = this.pos;
    const length = this.uint32();
    const from = this.pos;
    const end = from + length;
    const bytes = this.buf;
    if (end <= this.len) {
      let i = from;
      while (i < end && bytes[i]! < 0x80) i++;
      if (i === end) {
        this.pos = end;
        return Buffer.from(bytes.buffer, bytes.byteOffset + from, length).toString('latin1');
      }
    }
    this.pos = start;
    return utf8String.call(this);
  };
}
