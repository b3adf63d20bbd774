/**
 * A fix for cosmjs-types 0.11.0's 64-bit varint writer, loaded with `core` so that every process of
 * the project (node, CLI, executor, client) encodes with it. Its `int64FromString` returns the low 32
 * bits signed, and `writeVarint64` then writes a value from 2^31 to 2^32 - 1 with no high bits as a
 * single 0 byte in a 5-byte slot: an end time after 2038-01-19 (a vesting schedule, a proposal), a
 * sequence or account number past 2^31 came out as 0 or as bytes no decoder reads back. This writes
 * the low bits unsigned; every other value encodes exactly as before.
 */
import varint from 'cosmjs-types/varint';

type Bits = { lo: number; hi: number };
const upstream = varint.writeVarint64 as (val: Bits, buf: Uint8Array, pos: number) => void;

function writeVarint64(val: Bits, buf: Uint8Array, pos: number): void {
  // `val` is the writer's own object for this one value: made unsigned in place, nothing allocated.
  val.lo >>>= 0;
  val.hi >>>= 0;
  upstream(val, buf, pos);
}

// binary.js reads `varint.writeVarint64` at each call, so replacing the export fixes its writer.
(varint as { writeVarint64: typeof writeVarint64 }).writeVarint64 = writeVarint64;
