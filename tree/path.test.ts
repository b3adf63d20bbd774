import { describe, expect, it } from 'vitest';
import { AinError, type ErrorDefinition } from '../core/index.ts';
import { ErrInvalidLabel, ErrInvalidLimit, ErrInvalidPath, ErrLabelTooLong, ErrPathTooDeep, ErrPathTooLong } from './errors.ts';
import {
  MAX_LABEL_LENGTH,
  MAX_PATH_DEPTH,
  MAX_PATH_KEY_BYTES,
  checkListLimit,
  comparePaths,
  decodePathKey,
  encodePathKey,
  isAtOrUnder,
  joinPath,
  keepCanonicalPath,
  normalizePath,
  parsePath,
  pathDepth,
  pathKeyRange,
} from './path.ts';
import { rng } from './testUtil.fixture.ts';

function codeOf(fn: () => unknown): ErrorDefinition | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return { codespace: error.codespace, code: error.code, description: '' };
    throw error;
  }
  return undefined;
}

function expectError(fn: () => unknown, definition: ErrorDefinition): void {
  const got = codeOf(fn);
  expect(got && { codespace: got.codespace, code: got.code }).toEqual({ codespace: definition.codespace, code: definition.code });
}

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Reference order: label lists compared label by label, by UTF-16 code unit, shorter first. */
function referenceCompare(a: string, b: string): number {
  const la = parsePath(a);
  const lb = parsePath(b);
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i]! < lb[i]! ? -1 : 1;
  }
  return la.length - lb.length;
}

// Labels chosen to sit around the separator and the code-unit / code-point disagreements.
const LABELS = ['a', 'b', 'ab', 'a!', 'a0', 'a.', '0x61', 'é', 'z\uffff', 'z\ud83d\ude00', 'z\ue000', ' ', 'A', 'aa'];

function randomPath(next: () => number): string {
  const depth = 1 + Math.floor(next() * 4);
  const labels: string[] = [];
  for (let i = 0; i < depth; i++) labels.push(LABELS[Math.floor(next() * LABELS.length)]!);
  return `/${labels.join('/')}`;
}

describe('normalizePath / parsePath', () => {
  it('parses labels and returns canonical paths', () => {
    expect(parsePath('/accounts/ain1xyz/balances/uain')).toEqual(['accounts', 'ain1xyz', 'balances', 'uain']);
    expect(normalizePath('/accounts/ain1xyz')).toBe('/accounts/ain1xyz');
    expect(normalizePath('accounts/ain1xyz')).toBe('/accounts/ain1xyz');
    expect(normalizePath('/accounts/ain1xyz/')).toBe('/accounts/ain1xyz');
    expect(normalizePath('/')).toBe('/');
    expect(parsePath('/')).toEqual([]);
    expect(normalizePath('/a b/ü/😀')).toBe('/a b/ü/😀');
  });

  it('returns the same string when already canonical', () => {
    const p = '/apps/chat/posts/1';
    expect(normalizePath(p)).toBe(p);
  });

  it('answers a path equal to one kept by keepCanonicalPath at once, and still scans a different one in the same slot', () => {
    const next = rng(20261206);
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    const address = () => `ain1${Array.from({ length: 38 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')}`;
    for (let i = 0; i < 300; i++) {
      const canonical = `/accounts/${address()}/${['number', 'sequence', 'balance/uain'][i % 3]}`;
      expect(keepCanonicalPath(canonical)).toBe(canonical);
      // Built anew, as a caller that does not keep its paths builds them: equal strings, not the same object.
      expect(normalizePath(`/accounts/${canonical.slice(10)}`)).toBe(canonical);
      // Same length and same characters where the slot is taken from: the same slot, a different path.
      expectError(() => normalizePath(`/ac\u0001${canonical.slice(4)}`), ErrInvalidLabel);
      expectError(() => normalizePath(`/accounts//${canonical.slice(11)}`), ErrInvalidPath);
      expect(normalizePath(`${canonical}/`)).toBe(canonical);
      expect(normalizePath(canonical.slice(1))).toBe(canonical);
    }
    // It keeps the canonical form of what it is given; a path normalizePath refuses comes back as it
    // is, kept nowhere, and is still refused.
    expect(keepCanonicalPath('accounts/ain1keepcanonicalpath/number/')).toBe('/accounts/ain1keepcanonicalpath/number');
    expect(normalizePath('/accounts/ain1keepcanonicalpath/number')).toBe('/accounts/ain1keepcanonicalpath/number');
    for (const invalid of ['/accounts//ain1keepcanonicalpath', '/accounts/ain1\u0001keepcanonical/number']) {
      expect(keepCanonicalPath(invalid)).toBe(invalid);
      expectError(() => normalizePath(invalid), invalid.includes('//') ? ErrInvalidPath : ErrInvalidLabel);
    }
  });

  it('rejects empty paths and empty labels', () => {
    expectError(() => normalizePath(''), ErrInvalidPath);
    expectError(() => normalizePath('//'), ErrInvalidPath);
    expectError(() => normalizePath('/a//b'), ErrInvalidPath);
    expectError(() => normalizePath('/a/b//'), ErrInvalidPath);
    expectError(() => normalizePath(42 as unknown as string), ErrInvalidPath);
  });

  it('rejects control characters and lone surrogates', () => {
    for (const bad of ['/a\u0000b', '/a\u001f', '/\u007f', '/x/\u0085', '/\u009f', '/a\ud800', '/a\udc00b', '/\ud83d']) {
      expectError(() => normalizePath(bad), ErrInvalidLabel);
    }
    expect(normalizePath('/\u00a0\ud83d\ude00')).toBe('/\u00a0\ud83d\ude00');
  });

  it('bounds label length at 150 code units', () => {
    expect(MAX_LABEL_LENGTH).toBe(150);
    expect(normalizePath(`/${'x'.repeat(150)}`)).toBe(`/${'x'.repeat(150)}`);
    expectError(() => normalizePath(`/a/${'x'.repeat(151)}`), ErrLabelTooLong);
  });

  it('bounds depth at 30 labels', () => {
    expect(MAX_PATH_DEPTH).toBe(30);
    const ok = `/${Array.from({ length: 30 }, (_, i) => `l${i}`).join('/')}`;
    expect(parsePath(ok)).toHaveLength(30);
    expectError(() => normalizePath(`${ok}/one-more`), ErrPathTooDeep);
  });

  it('bounds the encoded key length', () => {
    const labels = Array.from({ length: 12 }, () => 'x'.repeat(150));
    expect(encodePathKey(normalizePath(`/${labels.join('/')}`)).length).toBe(12 * 151);
    expectError(() => normalizePath(`/${labels.join('/')}/${'x'.repeat(100)}`), ErrPathTooLong);
    const long = Array.from({ length: 7 }, () => 'é'.repeat(150)); // 7 * 301 bytes
    expectError(() => normalizePath(`/${long.join('/')}`), ErrPathTooLong);
    expect(MAX_PATH_KEY_BYTES).toBeLessThanOrEqual(1978);
  });

  it('joins labels', () => {
    expect(joinPath('/accounts', 'ain1xyz', 'sequence')).toBe('/accounts/ain1xyz/sequence');
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a')).toBe('/a');
    expectError(() => joinPath('/a', 'b/c'), ErrInvalidPath);
    expectError(() => joinPath('/a', ''), ErrInvalidPath);
    expect(pathDepth('/a/b/c')).toBe(3);
    expect(pathDepth('/')).toBe(0);
  });

  it('checks list limits', () => {
    expect(() => checkListLimit(0)).not.toThrow();
    expect(() => checkListLimit(Infinity)).not.toThrow();
    expectError(() => checkListLimit(-1), ErrInvalidLimit);
    expectError(() => checkListLimit(1.5), ErrInvalidLimit);
    expectError(() => checkListLimit(Number.NaN), ErrInvalidLimit);
  });
});

describe('encodePathKey', () => {
  it('encodes labels with NUL terminators', () => {
    expect([...encodePathKey('/a/b')]).toEqual([0x61, 0, 0x62, 0]);
    expect([...encodePathKey('/é')]).toEqual([0xc3, 0xa9, 0]);
    // A surrogate pair is two 3-byte sequences (CESU-8).
    expect([...encodePathKey('/\ud83d\ude00')]).toEqual([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0]);
    expect(encodePathKey('/')).toHaveLength(0);
  });

  it('never aliases distinct label lists', () => {
    expect(encodePathKey('/a')).not.toEqual(encodePathKey('/0x61'));
    expect(encodePathKey('/ab')).not.toEqual(encodePathKey('/a/b'));
    // The only spelling of the bytes of `/a/b` is `/a/b`: a label cannot hold the terminator.
    expectError(() => normalizePath('/a\u0000b'), ErrInvalidLabel);
    const next = rng(1);
    const seen = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      const p = randomPath(next);
      const hex = Buffer.from(encodePathKey(p)).toString('hex');
      const other = seen.get(hex);
      if (other !== undefined) expect(other).toBe(p);
      seen.set(hex, p);
      expect(decodePathKey(encodePathKey(p))).toBe(p);
    }
  });

  it('orders keys like paths (labels by code unit, parents first)', () => {
    const next = rng(2);
    const paths = [...new Set(Array.from({ length: 400 }, () => randomPath(next)))];
    const byKey = [...paths].sort((a, b) => bytesCompare(encodePathKey(a), encodePathKey(b)));
    const byPath = [...paths].sort(comparePaths);
    const byReference = [...paths].sort(referenceCompare);
    expect(byKey).toEqual(byReference);
    expect(byPath).toEqual(byReference);
    expect(comparePaths('/a/b', '/ab')).toBeLessThan(0);
    expect(comparePaths('/a/b', '/a!')).toBeLessThan(0);
    expect(comparePaths('/a', '/a/b')).toBeLessThan(0);
    // U+FFFF sorts after a surrogate pair by code unit (not by code point).
    expect(comparePaths('/z\ud83d\ude00', '/z\uffff')).toBeLessThan(0);
  });

  it('puts a subtree in one contiguous key range that excludes siblings with a longer name', () => {
    const next = rng(3);
    const paths = [...new Set(Array.from({ length: 600 }, () => randomPath(next)))];
    const sorted = [...paths].sort((a, b) => bytesCompare(encodePathKey(a), encodePathKey(b)));
    for (const prefix of ['/a', '/a/b', '/ab', '/z\uffff', '/a/a!', ...paths.slice(0, 40)]) {
      const { start, end } = pathKeyRange(prefix);
      const inRange = sorted.filter((p) => {
        const k = encodePathKey(p);
        return bytesCompare(k, start!) >= 0 && bytesCompare(k, end!) < 0;
      });
      expect(inRange).toEqual(sorted.filter((p) => isAtOrUnder(p, prefix)));
    }
    expect(isAtOrUnder('/x/yz', '/x/y')).toBe(false);
    expect(isAtOrUnder('/x/y/z', '/x/y')).toBe(true);
    expect(isAtOrUnder('/x/y', '/x/y')).toBe(true);
    expect(isAtOrUnder('/anything', '/')).toBe(true);
    expect(pathKeyRange('/')).toEqual({});
  });
});

describe('decodePathKey', () => {
  const key = (...bytes: number[]) => Uint8Array.from(bytes);
  const label = (text: string) => [...encodePathKey(`/${text}`)];
  /** The oracle: the bytes are a key exactly when some canonical path encodes to them. */
  function isKeyOf(bytes: Uint8Array, path: string): boolean {
    if (codeOf(() => normalizePath(path)) !== undefined || normalizePath(path) !== path) return false;
    return Buffer.from(encodePathKey(path)).equals(Buffer.from(bytes));
  }
  /**
   * The only path whose key the bytes can be: each 1-3 byte run read by its lead byte's bit pattern
   * alone, nothing checked (undefined where a lead byte fits no pattern or a run is cut).
   */
  function readLeniently(bytes: Uint8Array): string | undefined {
    if (bytes.length === 0) return '/';
    let path = '/';
    for (let i = 0; i < bytes.length - 1; ) {
      const b = bytes[i]!;
      const size = b < 0x80 ? 1 : b >= 0xc0 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : 0;
      if (size === 0 || i + size > bytes.length - 1) return undefined;
      const unit =
        size === 1
          ? b
          : size === 2
            ? ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f)
            : ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      path += unit === 0 ? '/' : String.fromCharCode(unit);
      i += size;
    }
    return path;
  }

  it('reads back every key encodePathKey makes, up to the limits', () => {
    const next = rng(11);
    // Code units drawn from every encoded length, around the forbidden ranges and the surrogates.
    const units = [0x20, 0x2e, 0x7e, 0xa0, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfeff, 0xfffe, 0xffff];
    const randomLabel = () => {
      let text = '';
      const length = 1 + Math.floor(next() * 8);
      while (text.length < length) {
        const pick = next();
        if (pick < 0.15) text += String.fromCharCode(0xd800 + Math.floor(next() * 0x400), 0xdc00 + Math.floor(next() * 0x400));
        else if (pick < 0.5) text += String.fromCharCode(units[Math.floor(next() * units.length)]!);
        else text += String.fromCharCode(0x21 + Math.floor(next() * 0x5e)).replace('/', '_');
      }
      return text;
    };
    for (let i = 0; i < 3000; i++) {
      const depth = 1 + Math.floor(next() * 6);
      const path = `/${Array.from({ length: depth }, randomLabel).join('/')}`;
      expect(decodePathKey(encodePathKey(normalizePath(path)))).toBe(path);
    }
    const longest = '\ud83d\ude00'.repeat(MAX_LABEL_LENGTH / 2);
    const deepest = `/${Array.from({ length: MAX_PATH_DEPTH }, (_, i) => `l${i}`).join('/')}`;
    // 1,900 bytes exactly: 12 labels of 150 'a' (1,812 bytes) and one of 87.
    const widest = `/${[...Array.from({ length: 12 }, () => 'a'.repeat(MAX_LABEL_LENGTH)), 'b'.repeat(87)].join('/')}`;
    expect(encodePathKey(widest)).toHaveLength(MAX_PATH_KEY_BYTES);
    for (const path of [`/${longest}`, deepest, widest, '/a', '/\u00a0/\ud7ff\ue000/\uffff']) {
      expect(decodePathKey(encodePathKey(normalizePath(path)))).toBe(path);
    }
    expect(decodePathKey(new Uint8Array(0))).toBe('/');
  });

  it('refuses each kind of bytes encodePathKey never makes with ErrInvalidPath', () => {
    const refused: Array<[string, number[]]> = [
      ['no terminator', [0x61]],
      ['no terminator after a label', [0x61, 0, 0x62]],
      ['leading empty label', [0, 0x61, 0]],
      ['empty label between two', [0x61, 0, 0, 0x62, 0]],
      ['a lone terminator', [0]],
      ['a stray continuation byte', [0x80, 0]],
      ['a 2-byte sequence cut by the terminator', [0x61, 0xc3, 0]],
      ['a 3-byte sequence cut by the terminator', [0xe2, 0x82, 0]],
      ['a 2-byte lead followed by ASCII', [0xc3, 0x41, 0]],
      ['a 3-byte lead with a bad second byte', [0xe2, 0x41, 0xac, 0]],
      ['overlong NUL (C0 80)', [0x61, 0xc0, 0x80, 0]],
      ['overlong slash (C0 AF)', [0x61, 0xc0, 0xaf, 0x62, 0]],
      ['overlong ASCII (C1 BF)', [0xc1, 0xbf, 0]],
      ['overlong 3-byte slash (E0 80 AF)', [0xe0, 0x80, 0xaf, 0]],
      ['overlong 3-byte U+07FF (E0 9F BF)', [0xe0, 0x9f, 0xbf, 0]],
      ['4-byte UTF-8 for U+1F600', [0xf0, 0x9f, 0x98, 0x80, 0]],
      ['a byte that is never UTF-8 (FF)', [0x61, 0xff, 0]],
      ['a lone high surrogate at the label end', [0xed, 0xa0, 0xbd, 0]],
      ['a high surrogate before ASCII', [0xed, 0xa0, 0xbd, 0x61, 0]],
      ['two high surrogates', [0xed, 0xa0, 0xbd, 0xed, 0xa0, 0xbd, 0]],
      ['a lone low surrogate', [0x61, 0xed, 0xb8, 0x80, 0]],
      ['a pair in the wrong order', [0xed, 0xb8, 0x80, 0xed, 0xa0, 0xbd, 0]],
      ['a surrogate pair split by a terminator', [0xed, 0xa0, 0xbd, 0, 0xed, 0xb8, 0x80, 0]],
      ['a C0 control character', [0x61, 0x01, 0]],
      ['U+001F', [0x1f, 0]],
      ['DEL', [0x7f, 0]],
      ['a C1 control character (U+0080)', [0xc2, 0x80, 0]],
      ['U+009F', [0xc2, 0x9f, 0]],
      ['a slash byte inside a label', [0x61, 0x2f, 0x62, 0]],
      ['a label of 151 code units', label('a'.repeat(MAX_LABEL_LENGTH + 1))],
      ['a label of 76 surrogate pairs', label('\ud83d\ude00'.repeat(MAX_LABEL_LENGTH / 2 + 1))],
      ['31 labels', Array.from({ length: MAX_PATH_DEPTH + 1 }, () => [0x61, 0]).flat()],
      ['1,901 bytes', [...Array.from({ length: 12 }, () => label('a'.repeat(MAX_LABEL_LENGTH))).flat(), ...label('b'.repeat(88))]],
    ];
    const wrong = refused
      .map(([why, bytes]) => [why, codeOf(() => decodePathKey(key(...bytes)))] as const)
      .filter(([, code]) => code?.codespace !== ErrInvalidPath.codespace || code.code !== ErrInvalidPath.code)
      .map(([why, code]) => `${why}: ${code === undefined ? 'accepted' : `${code.codespace}/${code.code}`}`);
    expect(wrong).toEqual([]);
    expect(() => decodePathKey(key(0x61, 0xed, 0xb8, 0x80, 0))).toThrow(/not a canonical path key: lone surrogate U\+de00 at byte 1/);
    expect(() => decodePathKey(key(0xf0, 0x9f, 0x98, 0x80, 0))).toThrow(/not a canonical path key: byte 0xf0 at byte 0/);
  });

  it('accepts random bytes exactly when they are the key of a canonical path', () => {
    const next = rng(12);
    // Bytes around every boundary the decoder draws, so that both answers come up often.
    const pool = [0x00, 0x00, 0x01, 0x1f, 0x20, 0x2f, 0x61, 0x62, 0x7f, 0x80, 0x9f, 0xa0, 0xa9, 0xaf, 0xb0, 0xbd, 0xbf];
    const leads = [0xc0, 0xc1, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes: number[] = [];
      const length = 1 + Math.floor(next() * 10);
      for (let j = 0; j < length; j++) {
        const pick = next();
        bytes.push(pick < 0.2 ? leads[Math.floor(next() * leads.length)]! : pick < 0.6 ? pool[Math.floor(next() * pool.length)]! : 0x61);
      }
      if (next() < 0.8) bytes.push(0);
      const input = key(...bytes);
      let path: string | undefined;
      try {
        path = decodePathKey(input);
      } catch (error) {
        expect((error as AinError).is(ErrInvalidPath)).toBe(true);
      }
      if (path !== undefined) {
        expect(isKeyOf(input, path)).toBe(true);
        accepted++;
      } else {
        // Refused: no canonical path has these bytes (the lenient reading is the only candidate).
        const candidate = readLeniently(input);
        if (candidate !== undefined) expect(isKeyOf(input, candidate)).toBe(false);
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
