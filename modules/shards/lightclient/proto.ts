/**
 * A minimal protobuf writer for the bytes CometBFT hashes and signs. CometBFT marshals with gogoproto,
 * which differs from a generic proto3 encoder in one way that matters here: a non-nullable embedded
 * message (a BlockID's part_set_header, a CanonicalVote's timestamp) is always written, even when all
 * its fields are zero. Writing the fields by hand keeps that rule visible instead of depending on
 * what a generated encoder happens to do with defaults.
 */

/** Bytes of one message, appended field by field in field-number order. */
export class ProtoWriter {
  private readonly chunks: number[] = [];

  /** A varint field (int64, uint64, uint32, enum); proto3 omits zero. Negative int64 is two's complement. */
  varint(field: number, value: bigint | number): this {
    const v = BigInt(value);
    if (v === 0n) return this;
    this.key(field, 0);
    this.rawVarint(BigInt.asUintN(64, v));
    return this;
  }

  /** An sfixed64 field (8 bytes little-endian); proto3 omits zero. */
  sfixed64(field: number, value: bigint): this {
    if (value === 0n) return this;
    this.key(field, 1);
    let v = BigInt.asUintN(64, value);
    for (let i = 0; i < 8; i++) {
      this.chunks.push(Number(v & 0xffn));
      v >>= 8n;
    }
    return this;
  }

  /** A bytes field; proto3 omits an empty one. */
  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    return this.lengthDelimited(field, value);
  }

  /** A string field (UTF-8); proto3 omits an empty one. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message, written even when empty (gogoproto's non-nullable fields). */
  message(field: number, encoded: Uint8Array): this {
    return this.lengthDelimited(field, encoded);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private lengthDelimited(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(value.length));
    for (const b of value) this.chunks.push(b);
    return this;
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.chunks.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    this.chunks.push(Number(v));
  }
}

/** A message prefixed with its length as an unsigned varint (protoio.MarshalDelimited). */
export function lengthPrefixed(encoded: Uint8Array): Uint8Array {
  const prefix: number[] = [];
  let v = encoded.length;
  while (v >= 0x80) {
    prefix.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  prefix.push(v);
  const out = new Uint8Array(prefix.length + encoded.length);
  out.set(prefix, 0);
  out.set(encoded, prefix.length);
  return out;
}
