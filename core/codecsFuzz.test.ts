/**
 * Property tests of the codecs every layer trusts: coins, LegacyDec decimals, bech32 addresses,
 * canonical JSON, the record codec, 64-bit varints and proto3 JSON timestamps. Round trips for valid
 * input, the documented AinError naming the field for invalid input, and agreement with independent
 * references (@cosmjs/math, @cosmjs/encoding, @cosmjs/amino, @bufbuild/protobuf's writer).
 */
import { BinaryWriter as ReferenceWriter } from '@bufbuild/protobuf/wire';
import { rawSecp256k1PubkeyToRawAddress } from '@cosmjs/amino';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { Decimal } from '@cosmjs/math';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddress, pubkeyToAddress } from './address.ts';
import { type Coin, formatCoins, parseAmount, parseCoins } from './coins.ts';
import { decFromAtomics, decFromText, decToAtomics, decToFixed18, decToText } from './decimals.ts';
import { AinError } from './errors.ts';
import './index.ts';
import { canonicalJson, type JsonValue, utf8Length } from './json.ts';
import { formatTimestamp, parseTimestamp, toProtoJson } from './protoJson.ts';
import { decodeRecord, encodeRecord } from './records.ts';

const SEED = 42;

/** The AinError `fn` throws (failing on any other exception), or undefined when it returns. */
function ainErrorOf(fn: () => unknown): AinError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    return error as AinError;
  }
}

const denomChar = fc.constantFrom(...'abcxyzABZ0189/:._-');
const denom = fc
  .tuple(fc.constantFrom(...'abuzAZ'), fc.string({ unit: denomChar, minLength: 2, maxLength: 20 }))
  .map(([head, tail]) => head + tail);
const amount = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }));
/** Valid coins: unique denoms, sorted, positive amounts. */
const coins = fc
  .uniqueArray(fc.tuple(denom, amount), { minLength: 1, maxLength: 8, selector: ([d]) => d })
  .map((list) => list.map(([d, a]): Coin => ({ denom: d, amount: a })).sort((x, y) => (x.denom < y.denom ? -1 : 1)));

describe('coins', () => {
  it('formatCoins then parseCoins gives the same coins, from any order and spacing; parse then format is canonical', () => {
    fc.assert(
      fc.property(coins, fc.func(fc.integer()), fc.constantFrom('', ' ', '  '), (list, order, pad) => {
        expect(parseCoins(formatCoins(list))).toEqual(list);
        const shuffled = [...list].sort((a, b) => order(a.denom) - order(b.denom) || (a.denom < b.denom ? -1 : 1));
        const text = shuffled.map((c) => `${pad}${c.amount}${c.denom}${pad}`).join(',');
        expect(formatCoins(parseCoins(text))).toBe(formatCoins(list));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('any text is parsed to valid coins that format back to it, or refused with sdk/10 naming the field', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789uainfoAZ/:._-, x'), maxLength: 40 }),
      fc.string({ maxLength: 30 }),
      coins.map(formatCoins).chain((t) => fc.nat(t.length).map((i) => `${t.slice(0, i)}${t.slice(i + 1)}`)),
    );
    fc.assert(
      fc.property(text, (input) => {
        let parsed: Coin[] | undefined;
        const error = ainErrorOf(() => {
          parsed = parseCoins(input, 'fee');
        });
        if (error) {
          expect([error.codespace, error.code]).toEqual(['sdk', 10]);
          expect(error.message).toContain('fee');
          return;
        }
        expect(parseCoins(formatCoins(parsed!), 'fee')).toEqual(parsed);
        const canonical = input
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p.length > 0);
        expect(formatCoins(parsed!).split(',').sort()).toEqual(canonical.sort());
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('parseAmount agrees with @cosmjs/math Decimal on what it accepts; the rest is sdk/10 naming the field', () => {
    const text = fc.oneof(
      fc.bigInt({ min: 0n, max: 1n << 257n }).map(String),
      fc.string({ unit: fc.constantFrom(...'0123456789-+.e x'), maxLength: 82 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        let value: bigint | undefined;
        const error = ainErrorOf(() => {
          value = parseAmount(input, 'amount field');
        });
        if (error) {
          expect([error.codespace, error.code, error.message.includes('amount field')]).toEqual(['sdk', 10, true]);
          return;
        }
        expect(value!.toString()).toBe(input);
        expect(Decimal.fromUserInput(input, 0).atomics).toBe(input);
        expect(value! < 1n << 256n).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('LegacyDec decimals', () => {
  const atomics = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.bigInt({ min: 0n, max: 10n ** 48n - 1n }));

  it('text, fixed-18 and atomics forms round-trip and agree with @cosmjs/math Decimal', () => {
    fc.assert(
      fc.property(atomics, (a) => {
        const reference = Decimal.fromAtomics(a.toString(), 18);
        expect(decToText(a)).toBe(reference.toString());
        expect(decFromText(decToText(a), 'x')).toBe(a);
        expect(decFromText(decToFixed18(a), 'x')).toBe(a);
        const [whole, fraction = ''] = reference.toString().split('.');
        expect(decToFixed18(a)).toBe(`${whole}.${fraction.padEnd(18, '0')}`);
        expect(decFromAtomics(decToAtomics(a), 'x')).toBe(a);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('decToText prints a negative as its magnitude with a minus sign, as decToFixed18 does', () => {
    expect(decToText(-5n * 10n ** 17n)).toBe('-0.5');
    expect(decToText(-15n * 10n ** 17n)).toBe('-1.5');
    expect(decToText(-(10n ** 18n))).toBe('-1');
    expect(decToText(-1n)).toBe('-0.000000000000000001');
    fc.assert(
      fc.property(
        atomics.filter((a) => a > 0n),
        (a) => {
          expect(decToText(-a)).toBe(`-${decToText(a)}`);
          expect(decToFixed18(-a)).toBe(`-${decToFixed18(a)}`);
          // Decimal text carries no sign where it is read (params, genesis, votes): a printed negative is refused.
          expect(ainErrorOf(() => decFromText(decToText(-a), 'x'))?.message).toMatch(/^x "-.*" is not a decimal/);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('decFromText agrees with Decimal.fromUserInput where it accepts; the rest is sdk/18 naming the field', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'0123456789.-+e ,'), maxLength: 25 }),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        let value: bigint | undefined;
        const error = ainErrorOf(() => {
          value = decFromText(input, 'params.rate');
        });
        if (error) {
          expect([error.codespace, error.code, error.message.includes('params.rate')]).toEqual(['sdk', 18, true]);
          return;
        }
        expect(value!.toString()).toBe(Decimal.fromUserInput(input, 18).atomics);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('decFromAtomics accepts exactly canonical integers of up to 100 digits; the rest is sdk/18 naming the field', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 105 }),
      fc.string({ unit: fc.constantFrom(...'0123456789.-+ '), maxLength: 20 }),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const error = ainErrorOf(() => decFromAtomics(input, 'params.tax'));
        const canonical = /^(0|[1-9][0-9]{0,99})$/.test(input);
        expect(error === undefined).toBe(canonical);
        if (error) expect([error.codespace, error.code, error.message.includes('params.tax')]).toEqual(['sdk', 18, true]);
        else expect(decFromAtomics(input, 'x').toString()).toBe(input);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('bech32 addresses', () => {
  const bytes20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
  const prefix = fc.constantFrom('ain', 'ainvaloper', 'ainvalcons');

  it("parseAddress reads back @cosmjs/encoding's toBech32 of any 20 bytes, for its prefix only", () => {
    fc.assert(
      fc.property(bytes20, prefix, prefix, (data, own, other) => {
        const address = toBech32(own, data);
        expect(parseAddress(address, 'a', own)).toEqual(data);
        const error = ainErrorOf(() => parseAddress(address, 'validator_address', other));
        expect(error === undefined).toBe(own === other);
        if (error) expect([error.codespace, error.code, error.message.includes('validator_address')]).toEqual(['sdk', 7, true]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('any change to an address is refused with sdk/7 naming the field (or reads what fromBech32 reads)', () => {
    const mutated = fc
      .tuple(
        bytes20,
        fc.nat(),
        fc.constantFrom(...'qpzry9x8gf2tvdw0s3jn54khce6mua7lAQ1b!'),
        fc.constantFrom('replace', 'insert', 'delete', 'upper'),
      )
      .map(([data, at, char, how]) => {
        const address = toBech32('ain', data);
        const i = at % address.length;
        if (how === 'replace') return address.slice(0, i) + char + address.slice(i + 1);
        if (how === 'insert') return address.slice(0, i) + char + address.slice(i);
        if (how === 'delete') return address.slice(0, i) + address.slice(i + 1);
        return address.toUpperCase();
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 100 })), (address) => {
        let data: Uint8Array | undefined;
        const error = ainErrorOf(() => {
          data = parseAddress(address, 'to_address');
        });
        if (error) {
          expect([error.codespace, error.code]).toEqual(['sdk', 7]);
          expect(error.message).toContain('to_address');
          return;
        }
        // Accepted: only the very same address (a replaced character equal to the old one).
        const decoded = fromBech32(address, 90);
        expect([decoded.prefix, decoded.data, address === address.toLowerCase()]).toEqual(['ain', data, true]);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("pubkeyToAddress agrees with @cosmjs/amino's raw secp256k1 address", () => {
    const pubkey = fc.tuple(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([p, x]) => Uint8Array.of(p, ...x));
    fc.assert(
      fc.property(pubkey, (key) => {
        expect(pubkeyToAddress(key)).toBe(toBech32('ain', rawSecp256k1PubkeyToRawAddress(key)));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

/** The same JSON value with every object's keys inserted in another order. */
function reorder(value: JsonValue, order: (key: string) => number): JsonValue {
  if (Array.isArray(value)) return value.map((v) => reorder(v, order));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => order(a) - order(b));
  return Object.fromEntries(keys.map((k) => [k, reorder((value as Record<string, JsonValue>)[k]!, order)]));
}

describe('canonical JSON and records', () => {
  const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

  it('canonicalJson is stable under key order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(json, fc.func(fc.integer()), (value, order) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reorder(value, order))).toBe(text);
        expect(canonicalJson(JSON.parse(text) as JsonValue)).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('utf8Length equals the bytes Buffer writes, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('records with bigint fields at any depth round-trip, and encode the same under key order', () => {
    const record = fc.letrec((tie) => ({
      node: fc.dictionary(
        fc.constantFrom('a', 'b', 'amount', 'id', 'name', '10', '9'),
        fc.oneof({ depthSize: 'small' }, fc.string(), fc.boolean(), fc.integer(), tie('node'), fc.bigInt(), fc.constant(undefined)),
      ),
    })).node;
    // Only the bigint keys hold bigints; a key that is not one holds no bigint.
    const bigintKeys = new Set(['amount', 'id']);
    const typed = record.map(function fix(r: Record<string, unknown>): Record<string, unknown> {
      return Object.fromEntries(
        Object.entries(r).map(([k, v]) => {
          if (bigintKeys.has(k)) return [k, typeof v === 'bigint' ? v : 7n];
          if (typeof v === 'bigint') return [k, v.toString(16)];
          return [k, v !== null && typeof v === 'object' ? fix(v as Record<string, unknown>) : v];
        }),
      );
    });
    const dropUndefined = (r: unknown): unknown =>
      r !== null && typeof r === 'object'
        ? Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v === undefined ? [] : [[k, dropUndefined(v)]])))
        : r;
    fc.assert(
      fc.property(typed, fc.func(fc.integer()), (value, order) => {
        const text = encodeRecord(value);
        expect(decodeRecord(text, bigintKeys)).toEqual(dropUndefined(value));
        expect(encodeRecord(reorder(JSON.parse(text) as JsonValue, order) as object)).toBe(text);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('64-bit varints (core/protobufInt64.ts over cosmjs-types)', () => {
  it("uint64 and int64 write the bytes @bufbuild/protobuf's writer writes, and read back", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (u, s) => {
        const unsigned = new BinaryWriter().uint64(u).finish();
        expect(unsigned).toEqual(new ReferenceWriter().uint64(u).finish());
        expect(new BinaryReader(unsigned).uint64()).toBe(u);
        const signed = new BinaryWriter().int64(s).finish();
        expect(signed).toEqual(new ReferenceWriter().int64(s).finish());
        expect(new BinaryReader(signed).int64()).toBe(s);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('proto3 JSON timestamps', () => {
  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: protobuf's Timestamp range. */
  const MIN_SECONDS = -62_135_596_800n;
  const MAX_SECONDS = 253_402_300_799n;

  it('formatTimestamp gives RFC 3339 in range that parseTimestamp reads back exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_SECONDS, max: MAX_SECONDS }), fc.integer({ min: 0, max: 999_999_999 }), (seconds, nanos) => {
        const text = formatTimestamp({ seconds, nanos });
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6}|\.\d{9})?Z$/);
        expect(text.slice(0, 19)).toBe(new Date(Number(seconds) * 1000).toISOString().slice(0, 19));
        expect(parseTimestamp(text)).toEqual({ seconds, nanos });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('a Timestamp outside 0001..9999 prints as "" in toProtoJson instead of throwing or printing a broken date', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 0, max: 999_999_999 }), (seconds, nanos) => {
        const json = toProtoJson(Grant, Grant.fromPartial({ expiration: { seconds, nanos } })) as { expiration: string };
        const inRange = seconds >= MIN_SECONDS && seconds <= MAX_SECONDS;
        expect(json.expiration).toBe(inRange ? formatTimestamp({ seconds, nanos }) : '');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('parseTimestamp refuses dates and times that do not exist (Feb 30, 24:00, offsets past 23:59)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc.record({
      year: fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      month: two(13),
      day: two(32),
      hour: two(25),
      minute: two(61),
      second: two(61),
      zone: fc.oneof(
        fc.constant('Z'),
        fc.tuple(fc.constantFrom('+', '-'), two(25), two(61)).map(([s, h, m]) => `${s}${h}:${m}`),
      ),
    });
    const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
    fc.assert(
      fc.property(text, (t) => {
        const [y, mo, d, h, mi, s] = [t.year, t.month, t.day, t.hour, t.minute, t.second].map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        const zoneOk = t.zone === 'Z' || (Number(t.zone.slice(1, 3)) <= 23 && Number(t.zone.slice(4, 6)) <= 59);
        const valid = mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59 && zoneOk;
        const parsed = parseTimestamp(`${t.year}-${t.month}-${t.day}T${t.hour}:${t.minute}:${t.second}${t.zone}`);
        expect(parsed !== undefined).toBe(valid);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
