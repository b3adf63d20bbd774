/**
 * What a module's exported leaves must look like at InitChain. `importSubtrees` writes leaves back as
 * given; a module whose blocks read those leaves as records (its EndBlock walking queues and
 * deadlines) checks each against the shape its keeper writes, so a hand-edited genesis is refused at
 * InitChain, naming the leaf and the field, instead of halting the chain at a later block.
 */
import { z } from 'zod';
import { parseAddress } from './address.ts';
import { validateDenom } from './coins.ts';
import { ainError, ErrInvalidRequest } from './errors.ts';
import { canonicalJson, type JsonValue } from './json.ts';
import type { StateValue } from './state.ts';
import type { SubtreeLeaves } from './subtrees.ts';

/** One kind of leaf: paths like `/jobs/requests/*\/record` (`*` is one label), and its shape. */
export interface LeafKind {
  readonly path: string;
  /** The leaf's value, or for a record (`record: true`) the JSON its text holds. */
  readonly schema: z.ZodType;
  /** The value is canonical JSON text of a record, as `encodeRecord` writes it. */
  readonly record?: boolean;
}

/**
 * A record type as the JSON `encodeRecord` writes: bigints as decimal strings. With {@link SameType}, a
 * module checks at compile time that a record's schema and its type agree:
 * `const ok: SameType<z.infer<typeof schema>, RecordJson<StoredThing>> = true;`
 */
export type RecordJson<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? RecordJson<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: RecordJson<T[K]> }
      : T;
/** `true` when A and B are the same type (each assignable to the other), else `false`. */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Shapes the keepers' records share. */
export const leafShapes = {
  /** A bigint field: a non-negative integer as a decimal string ("16", not "0x10", " 16 " or "016"). */
  uint: z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a non-negative integer as a decimal string'),
  /** A number field: a non-negative safe integer. */
  count: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** An index or queue entry. */
  flag: z.literal(true),
  /** An account address (ain1...). */
  address: z.string().refine(isAddress, 'expected an ain1... address'),
  /** An account address, or "" where none is set yet. */
  addressOrNone: z.union([z.literal(''), z.string().refine(isAddress, 'expected an ain1... address or ""')]),
  /** A coin denom, as `validateDenom` accepts it. */
  denom: z.string().refine(isDenom, 'expected a denom'),
} as const;

function isDenom(text: string): boolean {
  try {
    validateDenom(text);
    return true;
  } catch {
    return false;
  }
}

function isAddress(text: string): boolean {
  try {
    parseAddress(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks every leaf of `leaves` whose path matches one of `kinds` (the first that matches); leaves of
 * no kind are left as they are (no block reads them as records).
 * @throws AinError sdk/18 `<field>["<path>"]`, the field inside a record, and what was expected
 */
export function checkLeafKinds(leaves: SubtreeLeaves, kinds: readonly LeafKind[], field: string): void {
  const patterns = kinds.map((kind) => ({ kind, labels: kind.path.split('/') }));
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    const match = patterns.find((pattern) => matches(pattern.labels, labels));
    if (match !== undefined) checkLeaf(`${field}["${path}"]`, value, match.kind);
  }
}

function matches(pattern: readonly string[], labels: readonly string[]): boolean {
  return pattern.length === labels.length && pattern.every((label, i) => label === '*' || label === labels[i]);
}

function checkLeaf(name: string, value: StateValue, kind: LeafKind): void {
  const refuse = (why: string) => ainError(ErrInvalidRequest, `${name} ${why}`);
  let subject: unknown = value;
  if (kind.record === true) {
    if (typeof value !== 'string') throw refuse('must be a record: JSON text');
    try {
      subject = JSON.parse(value);
    } catch {
      throw refuse('must be a record: JSON text');
    }
    if (canonicalJson(subject as JsonValue) !== value) throw refuse('is not a record as exported: canonical JSON (keys sorted, no spaces)');
  }
  const result = kind.schema.safeParse(subject);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path.length > 0 ? `field ${issue.path.join('.')}` : 'value';
    throw refuse(`${at} is not what the module writes: ${issue.message}`);
  }
}

/**
 * Index and queue entries (`true` leaves under `roots`) must be exactly `expected`, the paths a module
 * derives from its live records: an entry naming no live record, or a live record without its entry,
 * is refused. `stray` says what an unexpected entry is not (`is not the deadline of a live request`),
 * `missing` what a lacking one is (`the deadline entry of a live request`).
 * @throws AinError sdk/18 naming the entry
 */
export function checkIndexEntries(
  leaves: SubtreeLeaves,
  roots: readonly string[],
  expected: ReadonlySet<string>,
  field: string,
  words: { readonly stray: string; readonly missing: string },
): void {
  const left = new Set(expected);
  for (const path of Object.keys(leaves))
    if (roots.some((root) => path.startsWith(`${root}/`)) && !left.delete(path))
      throw ainError(ErrInvalidRequest, `${field}["${path}"] ${words.stray}`);
  for (const path of left) throw ainError(ErrInvalidRequest, `${field} lacks "${path}": true, ${words.missing}`);
}
