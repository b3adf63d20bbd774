/**
 * ABCI socket framing since CometBFT v0.37: every message is a protobuf body prefixed by its length as
 * an **unsigned** protobuf varint (`abci/types/messages.go`, `libs/protoio`). The pre-0.37 framing
 * (a signed zig-zag varint) is not supported.
 */
import { AbciError } from './errors.ts';

/**
 * Default largest frame accepted. CometBFT itself allows up to 2 GiB; the largest real request is a
 * FinalizeBlock carrying a whole block (at most 100 MB, 21 MiB by default), so 64 MiB leaves room
 * while bounding what a broken peer can make us buffer.
 */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A uint64 varint is at most 10 bytes; the 10th may only carry the single top bit. */
const MAX_VARINT_BYTES = 10;

/**
 * The unsigned varint encoding of `value` (a non-negative safe integer).
 *
 * @example
 * encodeUvarint(300) // Uint8Array [0xac, 0x02]
 */
export function encodeUvarint(value: number): Uint8Array {
  const out = new Uint8Array(uvarintLength(value));
  writeUvarint(out, 0, value);
  return out;
}

/** How many bytes the unsigned varint of `value` takes. */
export function uvarintLength(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uvarint: ${value}`);
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length++;
  }
  return length;
}

/** Writes the varint of `value` at `offset` and returns the offset after it. */
function writeUvarint(out: Uint8Array, offset: number, value: number): number {
  // Division rather than bit shifts: shifts truncate to 32 bits and lengths may exceed 2^31.
  while (value >= 0x80) {
    out[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[offset++] = value;
  return offset;
}

/**
 * One frame: the varint length of `body` followed by `body`, in a single buffer.
 *
 * @example
 * socket.write(encodeFrame(Response.encode({ flush: {} }).finish()))
 */
export function encodeFrame(body: Uint8Array): Uint8Array {
  return encodeFrames([body]);
}

/**
 * Several frames back to back in a single buffer, so a batch of responses costs one socket write.
 *
 * @example
 * socket.write(encodeFrames([echoBody, flushBody]))
 */
export function encodeFrames(bodies: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const body of bodies) total += uvarintLength(body.length) + body.length;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const body of bodies) {
    offset = writeUvarint(out, offset, body.length);
    out.set(body, offset);
    offset += body.length;
  }
  return out;
}

export interface FrameDecoderOptions {
  /** Largest body accepted, in bytes; a larger announced length throws FRAME_TOO_LARGE. */
  readonly maxFrameBytes?: number;
}

/**
 * Turns a stream of arbitrary chunks (frames split across reads, several frames in one read) into
 * complete frame bodies.
 *
 * Bodies that lie inside one chunk are yielded as views into that chunk (no copy), and an incomplete
 * frame keeps references to the chunks it spans: do not reuse or mutate a chunk after pushing it.
 * After an error the decoder is dead and every later `push` throws the same error.
 *
 * @example
 * const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
 * socket.on('data', (chunk) => { for (const body of decoder.push(chunk)) handle(Request.decode(body)); });
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;

  // The length prefix being read; it may straddle chunks.
  #lengthValue = 0;
  #lengthBytes = 0;
  // Once a prefix is complete but its body is not: the body's length and the pieces seen so far.
  // Pieces are joined once, when the body completes, so a large frame costs O(size) not O(size^2).
  #bodyLength = -1;
  #pieces: Uint8Array[] = [];
  #piecesBytes = 0;
  #failure: AbciError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxFrameBytes must be a non-negative integer, got ${max}`);
    this.maxFrameBytes = max;
  }

  /** Bytes received that do not yet form a complete frame (a partial prefix or body). */
  get bufferedBytes(): number {
    return this.#lengthBytes + this.#piecesBytes;
  }

  /**
   * Feeds one chunk and yields every body it completes, in order. Iterate to the end: the chunk is
   * consumed lazily, and bytes after an abandoned iteration are lost. A framing error is thrown when
   * the iteration reaches it, after the bodies before it have been yielded.
   */
  *push(chunk: Uint8Array): Generator<Uint8Array, void, undefined> {
    if (this.#failure) throw this.#failure;
    const end = chunk.length;
    let pos = 0;
    for (;;) {
      if (this.#bodyLength < 0) {
        // Reading a length prefix.
        let complete = false;
        while (pos < end) {
          const byte = chunk[pos++]!;
          if (this.#lengthBytes === MAX_VARINT_BYTES - 1 && byte > 1) {
            // A continuation bit on the 10th byte, or bits beyond 2^64: same test as Go's binary.Uvarint.
            throw this.#fail(
              new AbciError('MALFORMED_VARINT', 'frame length prefix is not a valid uint64 varint', {
                bytesRead: this.#lengthBytes + 1,
              }),
            );
          }
          // Multiplication keeps lengths above 2^32 exact enough to compare against the limit.
          this.#lengthValue += (byte & 0x7f) * 2 ** (7 * this.#lengthBytes);
          this.#lengthBytes++;
          if (byte < 0x80) {
            complete = true;
            break;
          }
        }
        if (!complete) return;
        const length = this.#lengthValue;
        this.#lengthValue = 0;
        this.#lengthBytes = 0;
        if (length > this.maxFrameBytes) {
          throw this.#fail(
            new AbciError('FRAME_TOO_LARGE', `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`, {
              length,
              maxFrameBytes: this.maxFrameBytes,
            }),
          );
        }
        if (end - pos >= length) {
          // The common case: the whole body is in this chunk.
          const body = chunk.subarray(pos, pos + length);
          pos += length;
          yield body;
          continue;
        }
        this.#bodyLength = length;
      }

      // Collecting a body that started in an earlier chunk (or at the tail of this one).
      const missing = this.#bodyLength - this.#piecesBytes;
      if (end - pos < missing) {
        if (pos < end) {
          this.#pieces.push(chunk.subarray(pos));
          this.#piecesBytes += end - pos;
        }
        return;
      }
      const body = new Uint8Array(this.#bodyLength);
      let offset = 0;
      for (const piece of this.#pieces) {
        body.set(piece, offset);
        offset += piece.length;
      }
      body.set(chunk.subarray(pos, pos + missing), offset);
      pos += missing;
      this.#bodyLength = -1;
      this.#pieces = [];
      this.#piecesBytes = 0;
      yield body;
    }
  }

  #fail(error: AbciError): AbciError {
    this.#failure = error;
    this.#pieces = [];
    this.#piecesBytes = 0;
    return error;
  }
}
