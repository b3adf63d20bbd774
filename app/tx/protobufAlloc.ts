import { BinaryWriter } from 'cosmjs-types/binary';

let installed = false;

/**
 * cosmjs-types' `BinaryWriter.finish()` builds a fresh 8 KiB slab allocator on every call, so each
 * small encode (a SignDoc, a TxMsgData) allocates 8 KiB: at thousands of txs per second that is most
 * of the app's garbage. Exact-size buffers give the same bytes without the slab. Idempotent.
 */
export function useExactSizeProtobufBuffers(): void {
  if (installed) return;
  installed = true;
  (BinaryWriter as unknown as { alloc: (size: number) => Uint8Array }).alloc = (size) => new Uint8Array(size);
}
