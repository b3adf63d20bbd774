/**
 * Proto3 JSON exactly as the Cosmos SDK's gRPC gateway prints it (`runtime.JSONPb{OrigName: true,
 * EmitDefaults: true}` with an Any resolver): snake_case field names, 64-bit integers as strings, enums
 * by name, bytes as base64 (`null` when empty, as Go's nil slices print), absent messages as `null`,
 * timestamps as RFC 3339 with 0, 3, 6 or 9 fractional digits, and `Any` unpacked as
 * `{"@type": typeUrl, ...fields}`.
 *
 * cosmjs-types' `toJSON` gets most of this right but prints camelCase names, drops absent messages,
 * truncates timestamps to milliseconds and leaves `Any` packed, so `toProtoJson` walks the decoded
 * message and its `toJSON` output side by side and fixes those four things.
 */
import type { JsonValue } from './json.ts';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

/** The two functions of a cosmjs-types codec that JSON printing needs. */
export interface JsonCodec<T> {
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
}

/** Codecs by type URL, used to unpack `Any` values; an unknown type prints as `{"@type", "value": base64}`. */
export type AnyTypes = ReadonlyMap<string, JsonCodec<unknown>>;

/**
 * The `Any` types every chain has: public keys and transactions. Modules add theirs (accounts,
 * messages) through their descriptors' `jsonTypes`; the app joins them (`app/modules.ts`).
 */
export const defaultAnyTypes: AnyTypes = new Map<string, JsonCodec<unknown>>([
  ['/cosmos.crypto.secp256k1.PubKey', Secp256k1PubKey],
  ['/cosmos.crypto.ed25519.PubKey', Ed25519PubKey],
  ['/cosmos.crypto.multisig.LegacyAminoPubKey', LegacyAminoPubKey],
  ['/cosmos.tx.v1beta1.Tx', Tx],
]);

/** Nested `Any`s deeper than this print packed (a guard against hostile nesting, e.g. multisig keys). */
const MAX_ANY_DEPTH = 32;

/**
 * What the gateway (EmitDefaults) prints for a field `toJSON` dropped: null for an absent message, and
 * for our generated messages' defaults, which their `toJSON` drops, [] for an empty repeated field, ""
 * for a string, false for a bool, "0" for a 64-bit int, null for empty bytes. A 32-bit int or enum at
 * 0 stays out: the decoded number cannot tell an enum, which prints by name, from an int.
 */
function defaultJson(decoded: unknown): JsonValue | undefined {
  if (decoded === undefined) return null;
  if (Array.isArray(decoded)) return decoded.length === 0 ? [] : undefined;
  if (decoded === '' || decoded === false) return decoded;
  if (decoded === 0n) return '0';
  if (decoded instanceof Uint8Array && decoded.length === 0) return null;
  return undefined;
}

/**
 * Prints a decoded protobuf message as the SDK's gRPC gateway would.
 *
 * @example
 * toProtoJson(QueryAccountResponse, QueryAccountResponse.decode(bytes))
 * // { account: { '@type': '/cosmos.auth.v1beta1.BaseAccount', address: 'ain1...', pub_key: null,
 * //   account_number: '0', sequence: '0' } }
 */
export function toProtoJson<T>(codec: JsonCodec<T>, message: T, anyTypes: AnyTypes = defaultAnyTypes): JsonValue {
  const walk = (decoded: unknown, json: unknown, depth: number): JsonValue => {
    if (decoded instanceof Uint8Array) return decoded.length === 0 ? null : (json as string);
    if (isTimestamp(decoded) && typeof json === 'string') return formatTimestamp(decoded);
    if (isAny(decoded)) {
      const inner = anyTypes.get(decoded.typeUrl);
      if (inner && depth < MAX_ANY_DEPTH) {
        try {
          const unpacked = inner.decode(decoded.value);
          const fields = walk(unpacked, inner.toJSON(printable(unpacked)), depth + 1);
          if (fields !== null && typeof fields === 'object' && !Array.isArray(fields)) return { '@type': decoded.typeUrl, ...fields };
        } catch {
          // Bytes that do not decode as their type print packed, as below.
        }
      }
      return { '@type': decoded.typeUrl, value: Buffer.from(decoded.value).toString('base64') };
    }
    if (Array.isArray(json)) {
      const items = Array.isArray(decoded) ? decoded : [];
      return json.map((item, i) => walk(items[i], item, depth));
    }
    if (json !== null && typeof json === 'object') {
      const source = decoded !== null && typeof decoded === 'object' ? (decoded as Record<string, unknown>) : {};
      const out: { [key: string]: JsonValue } = {};
      const keys = new Set([...Object.keys(source), ...Object.keys(json)]);
      for (const key of keys) {
        const value = (json as Record<string, unknown>)[key];
        const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        if (value === undefined) {
          if (!(key in source)) continue;
          const fallback = defaultJson(source[key]);
          if (fallback !== undefined) out[name] = fallback;
          continue;
        }
        out[name] = walk(source[key], value, depth);
      }
      return out;
    }
    if (json === undefined) return null;
    if (typeof json === 'bigint') return json.toString();
    return json as JsonValue;
  };
  return walk(message, codec.toJSON(printable(message) as T), 0);
}

/**
 * `value` with each Timestamp outside protobuf's range (year 1 to 9999) replaced by the epoch, for
 * cosmjs-types' `toJSON`, whose `toISOString` throws RangeError past year 275760 and prints `+010000-...`
 * past 9999. `walk` still reads the real value and prints it as `formatTimestamp` does: "". Objects
 * are copied only on the way to a replaced Timestamp.
 */
function printable(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (isTimestamp(value)) return timestampInRange(value) ? value : { seconds: 0n, nanos: 0 };
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const [key, item] of Object.entries(value)) {
    const safe = printable(item);
    if (safe === item) continue;
    copy ??= Array.isArray(value) ? [...value] : { ...value };
    (copy as Record<string, unknown>)[key] = safe;
  }
  return copy ?? value;
}

interface TimestampLike {
  readonly seconds: bigint;
  readonly nanos: number;
}

function isTimestamp(value: unknown): value is TimestampLike {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as TimestampLike).seconds === 'bigint' && typeof (value as TimestampLike).nanos === 'number';
}

function isAny(value: unknown): value is { typeUrl: string; value: Uint8Array } {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof (value as { typeUrl?: unknown }).typeUrl === 'string' &&
    (value as { value?: unknown }).value instanceof Uint8Array
  );
}

/** protobuf's Timestamp range in seconds: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800n;
const MAX_TIMESTAMP_SECONDS = 253_402_300_799n;

function timestampInRange(timestamp: TimestampLike): boolean {
  return timestamp.seconds >= MIN_TIMESTAMP_SECONDS && timestamp.seconds <= MAX_TIMESTAMP_SECONDS;
}

/**
 * RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as protobuf's JSON mapping (and Go's jsonpb)
 * prints a `google.protobuf.Timestamp`: `2024-01-02T03:04:05.123456789Z`, `2024-01-02T03:04:05Z`.
 * "" for seconds outside years 1 to 9999, which RFC 3339 cannot write (Go's jsonpb refuses them).
 */
export function formatTimestamp(timestamp: TimestampLike): string {
  if (!timestampInRange(timestamp)) return '';
  const base = new Date(Number(timestamp.seconds) * 1000).toISOString().slice(0, 19);
  let fraction = `.${String(Math.max(0, Math.min(999_999_999, Math.trunc(timestamp.nanos)))).padStart(9, '0')}`;
  if (fraction.endsWith('000')) fraction = fraction.slice(0, -3);
  if (fraction.endsWith('000')) fraction = fraction.slice(0, -3);
  if (fraction === '.000') fraction = '';
  return `${base}${fraction}Z`;
}

/**
 * Parses CometBFT's RFC 3339 times (`2024-01-02T03:04:05.123456789Z`, nanosecond precision, which a
 * JavaScript `Date` would lose) into a protobuf Timestamp; undefined when the text is not one or names
 * a date or time that does not exist (2024-06-31, 24:00:00, an offset past 23:59).
 */
export function parseTimestamp(text: string): TimestampLike | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/.exec(text);
  if (!match) return undefined;
  // Date.parse rolls a day or hour that does not exist (June 31, 24:00) into the next one: a date and
  // time that exist print back as they were written.
  const asUtc = Date.parse(`${match[1]!}Z`);
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 19) !== match[1]) return undefined;
  const millis = Date.parse(`${match[1]!}${match[3]!}`);
  if (Number.isNaN(millis)) return undefined;
  return { seconds: BigInt(Math.floor(millis / 1000)), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}
