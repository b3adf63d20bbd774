import { describe, expect, it } from 'vitest';
import { AinError } from '../../../core/index.ts';
import type { RuleNode } from './ast.ts';
import { ErrRuleSyntax, ErrRuleTooLarge } from './errors.ts';
import { MAX_RULE_DEPTH, MAX_RULE_NODES, MAX_RULE_SOURCE_LENGTH, parseRule } from './parseRule.ts';

/** The tree written with every operation parenthesised. */
function show(node: RuleNode): string {
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(node.value);
    case 'number':
      return node.value.toString();
    case 'string':
      return JSON.stringify(node.value);
    case 'identifier':
      return node.name;
    case 'variable':
      return `$${node.name}`;
    case 'member':
      return `${show(node.object)}.${node.property}`;
    case 'index':
      return `${show(node.object)}[${show(node.index)}]`;
    case 'unary':
      return `(${node.operator}${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
    case 'conditional':
      return `(${show(node.test)} ? ${show(node.consequent)} : ${show(node.alternate)})`;
    case 'call':
      return `${node.callee}(${node.args.map(show).join(', ')})`;
  }
}

const p = (source: string) => show(parseRule(source).root);

function failure(source: string): AinError {
  try {
    parseRule(source);
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('parseRule: constructs', () => {
  it.each([
    ['null', 'null'],
    ['true', 'true'],
    ['false', 'false'],
    ['42', '42'],
    ['0', '0'],
    ['0.5', '0.5'],
    ['12.50', '12.5'],
    ['1.5e3', '1500'],
    ['25E-1', '2.5'],
    ["'it\\'s'", '"it\'s"'],
    ['"a\\"b"', '"a\\"b"'],
    ["'\\n\\t\\r\\b\\f\\v\\0\\\\\\/'", JSON.stringify('\n\t\r\b\f\v\0\\/')],
    ["'\\u0041\\u{1F600}'", JSON.stringify('A\u{1F600}')],
    ['auth', 'auth'],
    ['auth.addr', 'auth.addr'],
    ['auth.fid', 'auth.fid'],
    ['data', 'data'],
    ['newData', 'newData'],
    ['$user', '$user'],
    ['$user_id2', '$user_id2'],
    ['height', 'height'],
    ['time', 'time'],
    ['path', 'path'],
    ['data.a.b', 'data.a.b'],
    ["data['a b']", 'data["a b"]'],
    ['data[0]', 'data[0]'],
    ['path[1 + 1]', 'path[(1 + 1)]'],
    ['data.class.new', 'data.class.new'],
    ['!true', '(!true)'],
    ['-1', '(-1)'],
    ['--1', '(-(-1))'],
    ['!!exists(data)', '(!(!exists(data)))'],
    ['a ? b : c', '(a ? b : c)'],
    ['f()', 'f()'],
    ['getValue("/a")', 'getValue("/a")'],
    ["concatPath('/a', $user, 1)", 'concatPath("/a", $user, 1)'],
    ['isOwner(concatPath("/a", $x), auth.addr)', 'isOwner(concatPath("/a", $x), auth.addr)'],
    ['a === b', '(a == b)'],
    ['a !== b', '(a != b)'],
    [' \t\r\n a \n', 'a'],
  ])('%s', (source, expected) => {
    expect(p(source)).toBe(expected);
  });

  it('parses every binary operator', () => {
    for (const op of ['*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!=', '&&', '||']) {
      expect(p(`a ${op} b`)).toBe(`(a ${op} b)`);
    }
  });
});

describe('parseRule: precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['7 % 3 * 2', '((7 % 3) * 2)'],
    ['-a * b', '((-a) * b)'],
    ['-a.b', '(-a.b)'],
    ['!a.b[c]', '(!a.b[c])'],
    ['a + b < c - d', '((a + b) < (c - d))'],
    ['a < b == c > d', '((a < b) == (c > d))'],
    ['a == b != c', '((a == b) != c)'],
    ['a == b && c != d', '((a == b) && (c != d))'],
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c && d', '((a && b) || (c && d))'],
    ['a || b || c', '((a || b) || c)'],
    ['!a && b', '((!a) && b)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['a ? b ? c : d : e', '(a ? (b ? c : d) : e)'],
    ['a || b ? c : d', '((a || b) ? c : d)'],
    ['(a || b) && c', '((a || b) && c)'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a[b ? 1 : 2]', 'a[(b ? 1 : 2)]'],
  ])('%s', (source, expected) => {
    expect(p(source)).toBe(expected);
  });
});

describe('parseRule: positions', () => {
  it('records line, column, offset and end of every node', () => {
    const ast = parseRule("auth.addr ==\n  $user && getValue('/a')");
    const root = ast.root;
    expect(root.kind).toBe('binary');
    if (root.kind !== 'binary') return;
    expect(root.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(root.operatorAt).toEqual({ offset: 21, line: 2, column: 9 });
    const left = root.left;
    if (left.kind !== 'binary') throw new Error('expected binary');
    expect(left.right.start).toEqual({ offset: 15, line: 2, column: 3 });
    expect(root.right.start).toEqual({ offset: 24, line: 2, column: 12 });
    expect(ast.source.slice(root.right.start.offset, root.right.end)).toBe("getValue('/a')");
    expect(ast.nodeCount).toBe(7);
    expect(ast.depth).toBe(4); // && > == > member > identifier
  });

  it('freezes the tree', () => {
    const ast = parseRule('a && f(b)');
    expect(Object.isFrozen(ast)).toBe(true);
    expect(Object.isFrozen(ast.root)).toBe(true);
    if (ast.root.kind === 'binary' && ast.root.right.kind === 'call') expect(Object.isFrozen(ast.root.right.args)).toBe(true);
  });
});

describe('parseRule: syntax errors name the position and what was expected', () => {
  it.each([
    ['(a && b', "expected ')' but found end of input at 1:8"],
    ['(a b)', "expected ')' but found 'b' at 1:4"],
    ['a &&', 'expected an expression but found end of input at 1:5'],
    ['a && && b', "expected an expression but found '&&' at 1:6"],
    ["getValue('/a' 1)", "expected ',' or ')' but found number 1 at 1:15"],
    ['f(a,)', "expected an expression but found ')' at 1:5"],
    ['a ? b', "expected ':' but found end of input at 1:6"],
    ['a b', "expected an operator or end of input but found 'b' at 1:3"],
    ['', 'expected an expression but found end of input at 1:1'],
    ['a.', "expected a property name after '.' but found end of input at 1:3"],
    ['a.1', "expected a property name after '.' but found number 1 at 1:3"],
    ['a[1', "expected ']' but found end of input at 1:4"],
    ['\n\n   ) ', "expected an expression but found ')' at 3:4"],
    ["'abc", 'unterminated string at 1:1'],
    ["'a\nb'", 'unterminated string (a line break must be written \\n) at 1:1'],
    ["'\\x41'", "unknown escape '\\x' in a string at 1:2"],
    ["'\\u12'", 'invalid \\u escape: expected 4 hex digits at 1:2'],
    ["'\\u{110000}'", 'invalid \\u{...} escape: expected 1 to 6 hex digits up to 10FFFF at 1:2'],
    ['01', 'a number cannot start with 0 followed by digits at 1:1'],
    ['1.', "expected a digit after '.' in a number at 1:3"],
    ['1e', 'expected a digit in the exponent of a number at 1:3'],
    ['0x10', "unexpected 'x' after a number at 1:2"],
    ['12abc', "unexpected 'a' after a number at 1:3"],
    ['$', "expected a variable name after '$' at 1:1"],
    ['a # b', "unexpected character '#' at 1:3"],
    ['a\u00a0b', 'unexpected character U+00A0 at 1:2'],
    ['données', 'unexpected character U+00E9 at 1:5'],
  ])('%j', (source, message) => {
    const error = failure(source);
    expect(error.is(ErrRuleSyntax)).toBe(true);
    expect(error.message).toBe(`${message}: syntax error`);
  });

  it('puts line, column and offset in the metadata', () => {
    const error = failure('a &&\n  ) ');
    expect(error.meta).toMatchObject({ line: 2, column: 3, offset: 7, expected: 'an expression', found: ')' });
  });

  it('refuses a number literal out of range', () => {
    expect(failure(`1${'0'.repeat(5)}e9999999`).is(ErrRuleSyntax)).toBe(true);
    expect(failure(`1.${'1'.repeat(120)}`).message).toMatch(/out of range/);
  });

  it('refuses a non-string source', () => {
    expect(failure(42 as unknown as string).is(ErrRuleSyntax)).toBe(true);
  });
});

describe('parseRule: bounds', () => {
  it(`refuses a source longer than ${MAX_RULE_SOURCE_LENGTH} characters`, () => {
    const ok = `'${'a'.repeat(MAX_RULE_SOURCE_LENGTH - 2)}' == 'a'`.slice(0, MAX_RULE_SOURCE_LENGTH);
    expect(ok.length).toBe(MAX_RULE_SOURCE_LENGTH);
    const error = failure(`${'x'.repeat(MAX_RULE_SOURCE_LENGTH)} `);
    expect(error.is(ErrRuleTooLarge)).toBe(true);
    expect(error.message).toBe('source of 4097 characters, at most 4096: rule too large');
  });

  it(`accepts nesting ${MAX_RULE_DEPTH - 1} deep and refuses ${MAX_RULE_DEPTH + 1}`, () => {
    expect(() => parseRule(`${'('.repeat(MAX_RULE_DEPTH - 1)}a${')'.repeat(MAX_RULE_DEPTH - 1)}`)).not.toThrow();
    const parens = failure(`${'('.repeat(MAX_RULE_DEPTH + 1)}a${')'.repeat(MAX_RULE_DEPTH + 1)}`);
    expect(parens.is(ErrRuleTooLarge)).toBe(true);
    expect(parens.message).toMatch(/^nesting deeper than 64 at 1:\d+: rule too large$/);
    expect(failure(`${'!'.repeat(200)}a`).is(ErrRuleTooLarge)).toBe(true);
    expect(failure(`${'f('.repeat(100)}${')'.repeat(100)}`).is(ErrRuleTooLarge)).toBe(true);
    expect(failure(`${'a['.repeat(100)}0${']'.repeat(100)}`).is(ErrRuleTooLarge)).toBe(true);
  });

  it('refuses a flat chain deeper than the AST bound', () => {
    expect(parseRule(Array(MAX_RULE_DEPTH).fill('a').join(' && ')).depth).toBe(MAX_RULE_DEPTH);
    const error = failure(
      Array(MAX_RULE_DEPTH + 1)
        .fill('a')
        .join(' && '),
    );
    expect(error.is(ErrRuleTooLarge)).toBe(true);
    expect(error.message).toMatch(/^expression deeper than 64 at 1:1: rule too large$/);
    expect(failure(`a${'.b'.repeat(100)}`).is(ErrRuleTooLarge)).toBe(true);
  });

  it(`refuses more than ${MAX_RULE_NODES} nodes`, () => {
    // A balanced tree: shallow but wide. 2^10 leaves + 2^10 - 1 operators = 2047 nodes.
    let expr = 'a';
    for (let i = 0; i < 10; i++) expr = `(${expr}+${expr})`;
    const error = failure(expr);
    expect(error.is(ErrRuleTooLarge)).toBe(true);
    expect(error.message).toMatch(/more than 1024 nodes/);
  });
});
