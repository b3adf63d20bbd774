/**
 * The lexer of the rule language: the whole source becomes a token list before parsing (sources are
 * at most MAX_RULE_SOURCE_LENGTH code units). Only ASCII is code: identifiers are
 * `[A-Za-z_][A-Za-z0-9_]*`, there are no escapes outside string literals (so `\u0063onstructor`
 * cannot spell an identifier), and characters that start JavaScript constructs the language does
 * not have (`` ` `` `=` `;` `{` `}` `=>` `&` `|`) are refused with a message that says so.
 */
import { ainError } from '../../../core/index.ts';
import type { SourcePosition } from './ast.ts';
import { ErrRuleSyntax } from './errors.ts';

export type TokenKind = 'number' | 'string' | 'word' | 'variable' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** string: the decoded value; word/variable: the name (without `$`); punct: the operator; number: the text. */
  readonly value: string;
  readonly start: SourcePosition;
  readonly end: number;
}

/** Operators and punctuation, longest first. `===` and `!==` are accepted as `==` and `!=`. */
const PUNCTUATORS = [
  '===',
  '!==',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '?',
  ':',
  '!',
  '-',
  '+',
  '*',
  '/',
  '%',
  '<',
  '>',
];

/** Characters that begin JavaScript the rule language refuses, with the reason shown to the user. */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ['`', 'template literals are not part of the rule language'],
  ['=>', 'function expressions are not part of the rule language'],
  ['=', "assignment is not part of the rule language; compare with '=='"],
  [';', 'a rule is a single expression; statements are not part of the rule language'],
  ['{', 'blocks and object literals are not part of the rule language'],
  ['}', 'blocks and object literals are not part of the rule language'],
  ['&', "bitwise operators are not part of the rule language; use '&&'"],
  ['|', "bitwise operators are not part of the rule language; use '||'"],
  ['\\', 'escapes are only allowed inside string literals'],
]);

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ['0', '\0'],
  ["'", "'"],
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isWordStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c);
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A character for a message: printable ASCII as itself, anything else as U+XXXX. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x21 && code <= 0x7e ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A syntax error at `position`; the message ends with `at line:column`. */
export function syntaxError(message: string, position: SourcePosition, meta: Record<string, unknown> = {}) {
  return ainError(ErrRuleSyntax, `${message} at ${position.line}:${position.column}`, {
    line: position.line,
    column: position.column,
    offset: position.offset,
    ...meta,
  });
}

/**
 * The tokens of `source`, ending with one `eof` token.
 * @throws AinError rules/1 with the position of the first character that is not part of a token
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (offset: number): SourcePosition => ({ offset, line, column: offset - lineStart + 1 });

  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === 0x0a) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
      continue;
    }
    const start = here(i);
    if (isDigit(c)) {
      i = lexNumber(source, i, start);
      const text = source.slice(start.offset, i);
      tokens.push({ kind: 'number', text, value: text, start, end: i });
      continue;
    }
    if (isWordStart(c)) {
      while (i < source.length && isWordPart(source.charCodeAt(i))) i++;
      const text = source.slice(start.offset, i);
      tokens.push({ kind: 'word', text, value: text, start, end: i });
      continue;
    }
    if (c === 0x24 /* $ */) {
      if (!isWordStart(source.charCodeAt(i + 1))) throw syntaxError("expected a variable name after '$'", start);
      i++;
      while (i < source.length && isWordPart(source.charCodeAt(i))) i++;
      const text = source.slice(start.offset, i);
      tokens.push({ kind: 'variable', text, value: text.slice(1), start, end: i });
      continue;
    }
    if (c === 0x27 || c === 0x22 /* ' " */) {
      const [value, next] = lexString(source, i, start, here);
      i = next;
      tokens.push({ kind: 'string', text: source.slice(start.offset, i), value, start, end: i });
      continue;
    }
    if (source.startsWith('=>', i)) {
      throw syntaxError(`unexpected '=>': ${REFUSED.get('=>') ?? ''}`, start, { found: '=>' });
    }
    const punct = PUNCTUATORS.find((p) => source.startsWith(p, i));
    if (punct !== undefined) {
      i += punct.length;
      const value = punct === '===' ? '==' : punct === '!==' ? '!=' : punct;
      tokens.push({ kind: 'punct', text: punct, value, start, end: i });
      continue;
    }
    const reason = REFUSED.get(source[i] ?? '');
    if (reason !== undefined) throw syntaxError(`unexpected '${source[i] ?? ''}': ${reason}`, start, { found: source[i] });
    const ch = String.fromCodePoint(source.codePointAt(i) ?? c);
    throw syntaxError(`unexpected character ${describeChar(ch)}`, start, { found: ch });
  }
  const end = here(i);
  tokens.push({ kind: 'eof', text: '', value: '', start: end, end: i });
  return tokens;
}

function lexNumber(source: string, from: number, start: SourcePosition): number {
  let i = from;
  const pos = (offset: number): SourcePosition => ({ ...start, offset, column: start.column + offset - from });
  if (source.charCodeAt(i) === 0x30 && isDigit(source.charCodeAt(i + 1))) {
    throw syntaxError('a number cannot start with 0 followed by digits', start);
  }
  while (isDigit(source.charCodeAt(i))) i++;
  if (source.charCodeAt(i) === 0x2e /* . */) {
    if (!isDigit(source.charCodeAt(i + 1))) throw syntaxError("expected a digit after '.' in a number", pos(i + 1));
    i++;
    while (isDigit(source.charCodeAt(i))) i++;
  }
  const e = source.charCodeAt(i);
  if (e === 0x65 || e === 0x45 /* e E */) {
    i++;
    const s = source.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) i++;
    if (!isDigit(source.charCodeAt(i))) throw syntaxError('expected a digit in the exponent of a number', pos(i));
    while (isDigit(source.charCodeAt(i))) i++;
  }
  const after = source.charCodeAt(i);
  if (isWordPart(after) || after === 0x24) {
    throw syntaxError(`unexpected ${describeChar(source[i] ?? '')} after a number`, pos(i));
  }
  return i;
}

function lexString(source: string, from: number, start: SourcePosition, here: (offset: number) => SourcePosition): [string, number] {
  const quote = source.charCodeAt(from);
  let i = from + 1;
  let out = '';
  for (;;) {
    if (i >= source.length) throw syntaxError('unterminated string', start);
    const c = source.charCodeAt(i);
    if (c === quote) return [out, i + 1];
    if (c === 0x0a || c === 0x0d) throw syntaxError('unterminated string (a line break must be written \\n)', start);
    if (c < 0x20 && c !== 0x09) throw syntaxError(`control character ${describeChar(source[i] ?? '')} in a string; use an escape`, here(i));
    if (c !== 0x5c /* \ */) {
      out += source[i];
      i++;
      continue;
    }
    const escaped = source[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES.get(escaped);
    if (simple !== undefined && !(escaped === '0' && isDigit(source.charCodeAt(i + 2)))) {
      out += simple;
      i += 2;
      continue;
    }
    if (escaped === 'u') {
      if (source[i + 2] === '{') {
        let j = i + 3;
        while (j < source.length && isHex(source.charCodeAt(j))) j++;
        const hex = source.slice(i + 3, j);
        if (source[j] !== '}' || hex.length === 0 || hex.length > 6 || Number.parseInt(hex, 16) > 0x10ffff) {
          throw syntaxError('invalid \\u{...} escape: expected 1 to 6 hex digits up to 10FFFF', here(i));
        }
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        i = j + 1;
        continue;
      }
      const hex = source.slice(i + 2, i + 6);
      if (hex.length !== 4 || ![...hex].every((h) => isHex(h.charCodeAt(0)))) {
        throw syntaxError('invalid \\u escape: expected 4 hex digits', here(i));
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    throw syntaxError(`unknown escape '\\${escaped}' in a string`, here(i));
  }
}
