/**
 * The one codec of records kept in the state tree: canonical JSON text, with bigints written as
 * decimal strings and read back as bigints for the keys a record type names.
 */
import { canonicalJson, type JsonValue } from './json.ts';
import type { ReadableState, WritableState } from './state.ts';

/** Canonical JSON text of a record; bigint fields become decimal strings, undefined fields are left out. */
export function encodeRecord(record: object): string {
  return canonicalJson(JSON.parse(JSON.stringify(record, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue);
}

/** A record from its text; the fields named in `bigintKeys` (at any depth) come back as bigints. */
export function decodeRecord<T>(text: string, bigintKeys: ReadonlySet<string> = NO_KEYS): T {
  return JSON.parse(text, (key, v: unknown) => (bigintKeys.has(key) && typeof v === 'string' ? BigInt(v) : v)) as T;
}

/** The record at `path`, or undefined when there is none. */
export function readRecord<T>(state: ReadableState, path: string, bigintKeys: ReadonlySet<string> = NO_KEYS): T | undefined {
  const text = state.get(path);
  return typeof text === 'string' ? decodeRecord<T>(text, bigintKeys) : undefined;
}

/** Writes a record at `path` as canonical JSON text. */
export function writeRecord(state: WritableState, path: string, record: object): void {
  state.set(path, encodeRecord(record));
}

const NO_KEYS: ReadonlySet<string> = new Set();
