/**
 * Random messages of every registered type, for the app fuzz tests. Each message's shape (its fields
 * and their kinds, nested messages, repeated fields, oneofs) is read from its ts-proto codec by
 * probing `fromPartial` and an encode/decode round trip, so a new message type is fuzzed without a
 * line here. String fields draw from pools picked by the field's name (addresses, paths, amounts,
 * JSON, hashes) besides arbitrary text; signer fields hold a placeholder the harness replaces by the
 * signing key's address.
 */
import * as authTx from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import * as authzTx from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import * as bankTx from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import * as distributionTx from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import * as feegrantAllowances from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import * as feegrantTx from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import * as govV1Tx from 'cosmjs-types/cosmos/gov/v1/tx';
import * as govV1beta1Tx from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import * as slashingTx from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import * as stakingTx from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import * as upgradeTx from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import fc from 'fast-check';
import * as ainftTx from '../../proto/gen/ain/ainft/v1/tx.ts';
import * as channelsTx from '../../proto/gen/ain/channels/v1/tx.ts';
import * as committeeTx from '../../proto/gen/ain/committee/v1/tx.ts';
import * as computeTx from '../../proto/gen/ain/compute/v1/tx.ts';
import * as jobsTx from '../../proto/gen/ain/jobs/v1/tx.ts';
import * as shardsTx from '../../proto/gen/ain/shards/v1/tx.ts';
import * as stateTx from '../../proto/gen/ain/state/v1/tx.ts';
import * as storageTx from '../../proto/gen/ain/storage/v1/tx.ts';
import * as triggersTx from '../../proto/gen/ain/triggers/v1/tx.ts';

export interface Codec {
  readonly $type?: string;
  readonly typeUrl?: string;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromPartial(object: object): unknown;
}

const isCodec = (value: unknown): value is Codec =>
  typeof value === 'object' && value !== null && 'encode' in value && 'fromPartial' in value && 'decode' in value;

/** Every message codec of the modules' tx files, by type URL. */
export const CODECS: ReadonlyMap<string, Codec> = new Map(
  [
    authTx,
    authzTx,
    bankTx,
    distributionTx,
    feegrantTx,
    feegrantAllowances,
    govV1Tx,
    govV1beta1Tx,
    slashingTx,
    stakingTx,
    upgradeTx,
    ainftTx,
    channelsTx,
    committeeTx,
    computeTx,
    jobsTx,
    shardsTx,
    stateTx,
    storageTx,
    triggersTx,
  ]
    .flatMap((module) => Object.values(module).filter(isCodec))
    .map((codec): [string, Codec] => [codec.typeUrl ?? `/${codec.$type}`, codec]),
);

const MSG_TYPE_URLS = [...CODECS.keys()].filter((url) => /\.Msg\w+$/.test(url) && !url.endsWith('Response'));

/** Where a signer's address goes: the placeholders `withSigner` replaces. */
export const SIGNER = '<signer>';
export const SIGNER_VALOPER = '<signer-valoper>';
const SIGNER_FIELDS = new Set(['signer', 'fromAddress', 'delegatorAddress', 'authority', 'depositor', 'voter', 'proposer', 'sender']);
const VALOPER_SIGNER_FIELDS = new Set(['validatorAddr', 'validatorAddress']);

type Shape =
  | { readonly kind: 'string' | 'number' | 'bigint' | 'boolean' | 'bytes'; readonly name: string }
  | { readonly kind: 'message'; readonly fields: ReadonlyArray<readonly [string, Shape]> }
  | { readonly kind: 'any' }
  | { readonly kind: 'array'; readonly element: Shape }
  | { readonly kind: 'oneof'; readonly cases: ReadonlyArray<readonly [string, Shape]> };

/** The names of every oneof case any codec knows (ts-proto's `$case: "name"` in `fromPartial`, maybe minified). */
const ONEOF_CASES = [
  ...new Set([...CODECS.values()].flatMap((codec) => [...codec.fromPartial.toString().matchAll(/\$case: ?"(\w+)"/g)].map((m) => m[1]!))),
];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Reads the shape of the value at one place of `codec`'s message: `put` builds a partial with `v` there, `get` reads it back. */
function probe(
  codec: Codec,
  name: string,
  value: unknown,
  put: (v: unknown) => object,
  get: (msg: unknown) => unknown,
  depth: number,
): Shape | undefined {
  if (typeof value === 'string') return { kind: 'string', name };
  if (typeof value === 'number') return { kind: 'number', name };
  if (typeof value === 'bigint') return { kind: 'bigint', name };
  if (typeof value === 'boolean') return { kind: 'boolean', name };
  if (value instanceof Uint8Array) return { kind: 'bytes', name };
  if (depth > 4) return undefined;
  if (Array.isArray(value)) {
    const marker = {};
    let element: unknown = marker;
    try {
      element = (get(codec.fromPartial(put([marker]))) as unknown[])[0];
    } catch {} // a repeated bigint: BigInt({}) throws
    if (element !== marker && isPlainObject(element)) {
      const shape = messageShape(
        codec,
        element,
        (v) => put([v]),
        (m) => (get(m) as unknown[])[0],
        depth + 1,
      );
      return { kind: 'array', element: shape };
    }
    // A repeated scalar: the kind whose round trip through encode and decode keeps the value.
    for (const sample of ['x', 7n, 7, true, new Uint8Array([7])]) {
      try {
        const back = (get(codec.decode(codec.encode(codec.fromPartial(put([sample]))).finish())) as unknown[])[0];
        if (back === sample || (sample instanceof Uint8Array && back instanceof Uint8Array && back[0] === 7)) {
          return { kind: 'array', element: probe(codec, name, sample, put, get, depth)! };
        }
      } catch {}
    }
    return undefined;
  }
  if (isPlainObject(value)) return messageShape(codec, value, put, get, depth + 1);
  if (value === undefined) {
    const nested = get(codec.fromPartial(put({})));
    if (isPlainObject(nested)) return messageShape(codec, nested, put, get, depth + 1);
    const cases: Array<readonly [string, Shape]> = [];
    for (const caseName of ONEOF_CASES) {
      const chosen = get(codec.fromPartial(put({ $case: caseName, value: {} })));
      if (isPlainObject(chosen) && chosen.$case === caseName && isPlainObject(chosen.value)) {
        const shape = messageShape(
          codec,
          chosen.value,
          (v) => put({ $case: caseName, value: v }),
          (m) => (get(m) as { value: unknown }).value,
          depth + 1,
        );
        cases.push([caseName, shape]);
      }
    }
    return cases.length > 0 ? { kind: 'oneof', cases } : undefined;
  }
  return undefined;
}

function messageShape(
  codec: Codec,
  defaults: Record<string, unknown>,
  put: (v: unknown) => object,
  get: (msg: unknown) => unknown,
  depth: number,
): Shape {
  const keys = Object.keys(defaults);
  if (keys.length === 2 && keys.includes('typeUrl') && keys.includes('value')) return { kind: 'any' };
  const fields: Array<readonly [string, Shape]> = [];
  for (const key of keys) {
    const shape = probe(
      codec,
      key,
      defaults[key],
      (v) => put({ [key]: v }),
      (m) => (get(m) as Record<string, unknown>)[key],
      depth,
    );
    if (shape) fields.push([key, shape]);
  }
  return { kind: 'message', fields };
}

/** The shape of a codec's message. */
export function shapeOf(codec: Codec): Shape {
  return messageShape(
    codec,
    codec.fromPartial({}) as Record<string, unknown>,
    (v) => v as object,
    (m) => m,
    0,
  );
}

// Strings by what a field's name says it holds: mostly plausible values from a small vocabulary (so
// one tx's objects are what a later tx names), else hostile ones (empty, malformed, huge).
const ADDRESS_POOL: string[] = [];
/** Registers the addresses the chain knows (test keys first, then valopers, module accounts). */
export function knownAddresses(accounts: readonly string[], others: readonly string[]): void {
  ACCOUNT_POOL.push(...accounts);
  ADDRESS_POOL.push(...accounts, ...others);
}
const ACCOUNT_POOL: string[] = [];
const fromPool = (pool: readonly string[]) => fc.nat().map((i) => pool[i % pool.length] ?? '');
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const hostileText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a'.repeat(5000), '\ud800', 'x'.repeat(129), '-1', '1.5', '1e3', '0x10') },
  { weight: 1, arbitrary: fc.constantFrom('18446744073709551616', '340282366920938463463374607431768211456', '9'.repeat(90), 'NaN', '-0') },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '-1.5e400', '{"a":1,"a":2}', '[1,2,3]') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
  {
    weight: 2,
    arbitrary: fc.oneof(fc.constantFrom(SIGNER_VALOPER, 'ain1', 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq'), fromPool(ADDRESS_POOL)),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('apps', 'fz', 'a', '$x', '*', '.', '..', 'é', ' ', '', 'x'.repeat(300)), { maxLength: 40 })
      .map((l) => `/${l.join('/')}`),
  },
  { weight: 1, arbitrary: hex64 },
);
const plausible: Array<readonly [RegExp, fc.Arbitrary<string>]> = [
  [
    /valoper|validator(addr|address)?$|^validator/,
    fc.oneof(
      fc.constant(SIGNER_VALOPER),
      fromPool(ADDRESS_POOL).filter((a) => a.includes('valoper')),
    ),
  ],
  [
    /addr|signer|sender|owner$|authority|voter|depositor|proposer|recipient|receiver|^to|from|admin|executor|worker|evaluator|provider|grantee|minter|operator|payee|payer|client|creator|granter|member|approved|spender|delegator|reader|writer|holder/,
    fc.oneof(fc.constant(SIGNER), fromPool(ACCOUNT_POOL)),
  ],
  [/denom/, fc.constant('uain')],
  [
    /rate|ratio|weight|threshold|quorum|fraction|share|percent/,
    fc.constantFrom('0.1', '0.5', '1', '0', '0.000000000000000001', '1.000000000000000000'),
  ],
  [
    /amount|delta|price|fee|reward|deposit|quantity|size|count|bytes|stake|power|balance|min|max|limit|budget|escrow|bond|supply|coins?$|tokens/,
    fc.constantFrom('0', '1', '10', '1000', '1000000', '1uain', '100uain'),
  ],
  [/path|prefix/, fc.constantFrom('/apps/fz', '/apps/fz/a', '/apps/fz/a/b', '/apps/fz/$x', '/apps/other/x')],
  [/url|uri|endpoint|website/, fc.constantFrom('https://storage.example/x', 'http://127.0.0.1:7070', 'ipfs://x')],
  [/type_?url/i, fc.constantFrom(...CODECS.keys())],
  [/hash|digest|root|commitment|salt|cid|checksum|signature|pubkey|key$/, fc.constantFrom('a'.repeat(64), 'b'.repeat(64), '0'.repeat(64))],
  [
    /value|rule|owner|function|json|meta|content|config|params|data|spec|input|output|body|composition|args|result/,
    fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.constantFrom(
        '{"write":"true"}',
        '{"write":"auth.addr == \\"x\\""}',
        '{"owners":{"*":{"write_rule":true,"write_owner":true,"write_function":true,"branch_owner":true}}}',
        '{"function_type":"REST","function_id":"f","function_url":"https://x.example"}',
      ),
    ),
  ],
  [/time|height|epoch|deadline|expir/, fc.constantFrom('10', '100', '2030-01-01T00:00:00Z')],
];
const vocabulary = fc.constantFrom('fz', 'abc', 'cls1', 'shard_a', 'job1', '1', '2', 'uain', 'x');

function stringArb(name: string): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  const fitting = plausible.find(([pattern]) => pattern.test(lower))?.[1] ?? vocabulary;
  return fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: hostileText });
}

const bigintArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0n, 1n, 1n, 2n, 3n, 10n, 100n) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 63n - 1n, 2n ** 64n - 1n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
);
const numberFieldArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 1, 2, 3, 4, 5, 10) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1_000_000 }) },
);
const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.constantFrom(32, 33, 64, 65).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
);

/** An `Any`: a public key, an encoded message of a registered type, a text proposal, or noise. */
function anyArb(depth: number): fc.Arbitrary<Any> {
  const key = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
  const options: Array<fc.Arbitrary<Any>> = [
    key(32).map((k) => ({ typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: k }).finish() })),
    key(33).map((k) => ({ typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: Secp256k1PubKey.encode({ key: k }).finish() })),
    fc
      .record({ title: vocabulary, description: hostileText })
      .map((p) => ({ typeUrl: '/cosmos.gov.v1beta1.TextProposal', value: TextProposal.encode(p).finish() })),
    fc.record({ typeUrl: stringArb('typeUrl'), value: fc.uint8Array({ maxLength: 40 }) }),
  ];
  if (depth < 2) options.push(fc.constantFrom(...MSG_TYPE_URLS).chain((url) => encodedMsgArb(url, depth + 1)));
  return fc.oneof(...options);
}

function shapeArb(shape: Shape, depth: number, top: boolean): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'string':
      if (top && SIGNER_FIELDS.has(shape.name))
        return fc.oneof({ weight: 12, arbitrary: fc.constant(SIGNER) }, { weight: 1, arbitrary: hostileText });
      return stringArb(shape.name);
    case 'number':
      return numberFieldArb;
    case 'bigint':
      return bigintArb;
    case 'boolean':
      return fc.boolean();
    case 'bytes':
      return bytesArb;
    case 'any':
      return anyArb(depth);
    case 'array':
      return fc.array(shapeArb(shape.element, depth, false), { maxLength: 4 });
    case 'oneof':
      return fc
        .constantFrom(...shape.cases)
        .chain(([name, value]) => shapeArb(value, depth, false).map((v) => ({ $case: name, value: v })));
    case 'message': {
      const names = new Set(shape.fields.map(([name]) => name));
      const valoperSigner = top && ![...names].some((name) => SIGNER_FIELDS.has(name));
      const fields = shape.fields.map(([name, field]) => {
        const arb =
          valoperSigner && VALOPER_SIGNER_FIELDS.has(name)
            ? fc.oneof({ weight: 12, arbitrary: fc.constant(SIGNER_VALOPER) }, { weight: 1, arbitrary: hostileText })
            : shapeArb(field, depth, top);
        // A field left out keeps its default (empty string, zero, no nested message).
        return fc.option(arb, { nil: undefined, freq: 12 }).map((value) => [name, value] as const);
      });
      return fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, value]) => value !== undefined)));
    }
  }
}

const shapes = new Map<string, Shape>();

/** A random partial message of type `typeUrl` (signer fields mostly the placeholder). */
export function msgArb(typeUrl: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const codec = CODECS.get(typeUrl);
  if (!codec) throw new Error(`no codec for ${typeUrl}`);
  let shape = shapes.get(typeUrl);
  if (!shape) shapes.set(typeUrl, (shape = shapeOf(codec)));
  return shapeArb(shape, depth, depth === 0) as fc.Arbitrary<Record<string, unknown>>;
}

/** `typeUrl`'s message from a partial, encoded (the partial's values that do not encode, e.g. an int32 out of range, fall back to noise bytes). */
export function encodeMsg(typeUrl: string, partial: object): Any {
  const codec = CODECS.get(typeUrl)!;
  try {
    return { typeUrl, value: codec.encode(codec.fromPartial(partial)).finish() };
  } catch {
    return { typeUrl, value: new Uint8Array([0x0a, 0x01]) };
  }
}

function encodedMsgArb(typeUrl: string, depth: number): fc.Arbitrary<Any> {
  return msgArb(typeUrl, depth).map((partial) =>
    encodeMsg(typeUrl, replaceSigner(partial, 'ain1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', '')),
  );
}

/** Replaces the signer placeholders anywhere in `value` by `address` (and its valoper). */
export function replaceSigner<T>(value: T, address: string, valoper: string): T {
  if (value === SIGNER) return address as T;
  if (value === SIGNER_VALOPER) return valoper as T;
  if (Array.isArray(value)) return value.map((v) => replaceSigner(v, address, valoper)) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSigner(v, address, valoper)])) as T;
  return value;
}
