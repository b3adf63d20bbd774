/**
 * The recursive-descent parser of the rule language. Grammar (lowest precedence first; binary
 * operators are left-associative):
 *
 *   rule           := conditional EOF
 *   conditional    := or ( '?' conditional ':' conditional )?
 *   or             := and ( '||' and )*
 *   and            := equality ( '&&' equality )*
 *   equality       := relational ( ( '==' | '!=' ) relational )*        ('===' / '!==' are synonyms)
 *   relational     := additive ( ( '<' | '<=' | '>' | '>=' ) additive )*
 *   additive       := multiplicative ( ( '+' | '-' ) multiplicative )*
 *   multiplicative := unary ( ( '*' | '/' | '%' ) unary )*
 *   unary          := ( '!' | '-' ) unary | postfix
 *   postfix        := primary ( '.' WORD | '[' conditional ']' )*
 *   primary        := NUMBER | STRING | 'true' | 'false' | 'null' | VARIABLE
 *                   | WORD '(' ( conditional ( ',' conditional )* )? ')'      a library call
 *                   | WORD | '(' conditional ')'
 *
 * Only a bare name can be called. JavaScript's reserved words (`this`, `new`, `function`, `import`,
 * `typeof`, ...) are refused where an expression is expected; after `.` any word is a plain key.
 */
import { ainError } from '../../../core/index.ts';
import type { BinaryOperator, RuleAst, RuleNode, UnaryOperator } from './ast.ts';
import { at, childrenOf } from './ast.ts';
import { Decimal } from './decimal.ts';
import { ErrRuleSyntax, ErrRuleTooLarge } from './errors.ts';
import { type Token, syntaxError, tokenize } from './lexer.ts';
import { RuleRuntimeError } from './runtimeError.ts';

/** Most UTF-16 code units in a rule's source. */
export const MAX_RULE_SOURCE_LENGTH = 4096;
/** Deepest syntax tree, and deepest nesting of parentheses, brackets, calls and unary operators. */
export const MAX_RULE_DEPTH = 64;
/** Most nodes in a rule's syntax tree. */
export const MAX_RULE_NODES = 1024;

/** JavaScript words that have no meaning in the rule language; refused as expressions. */
const RESERVED = new Set([
  'arguments',
  'async',
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'finally',
  'for',
  'function',
  'if',
  'implements',
  'import',
  'in',
  'instanceof',
  'interface',
  'let',
  'new',
  'of',
  'package',
  'private',
  'protected',
  'public',
  'return',
  'static',
  'super',
  'switch',
  'this',
  'throw',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

const OR: ReadonlySet<string> = new Set(['||']);
const AND: ReadonlySet<string> = new Set(['&&']);
const EQUALITY: ReadonlySet<string> = new Set(['==', '!=']);
const RELATIONAL: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);
const ADDITIVE: ReadonlySet<string> = new Set(['+', '-']);
const MULTIPLICATIVE: ReadonlySet<string> = new Set(['*', '/', '%']);

/** How a token is named in "expected X but found Y". */
function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of input';
    case 'punct':
      return `'${token.text}'`;
    case 'number':
      return `number ${token.text.length > 20 ? `${token.text.slice(0, 17)}...` : token.text}`;
    case 'string':
      return `string ${token.text.length > 20 ? `${token.text.slice(0, 17)}...` : token.text}`;
    default:
      return `'${token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text}'`;
  }
}

class Parser {
  private index = 0;
  private nesting = 0;
  private nodeCount = 0;
  private readonly depths = new WeakMap<RuleNode, number>();

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Omit<RuleAst, 'source'> {
    const root = this.conditional();
    const next = this.peek();
    if (next.kind !== 'eof') throw this.expected('an operator or end of input', next);
    return { root, nodeCount: this.nodeCount, depth: this.depthOf(root) };
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.value !== value) throw this.expected(`'${value}'`, token);
    return this.next();
  }

  private expected(what: string, found: Token) {
    return syntaxError(`expected ${what} but found ${describeToken(found)}`, found.start, {
      expected: what,
      found: found.kind === 'eof' ? 'end of input' : found.text,
    });
  }

  private enter(token: Token): void {
    this.nesting++;
    if (this.nesting > MAX_RULE_DEPTH) {
      throw ainError(ErrRuleTooLarge, `nesting deeper than ${MAX_RULE_DEPTH} at ${at(token.start)}`, {
        line: token.start.line,
        column: token.start.column,
        max: MAX_RULE_DEPTH,
      });
    }
  }

  private leave(): void {
    this.nesting--;
  }

  private depthOf(node: RuleNode): number {
    return this.depths.get(node) ?? 1;
  }

  /** Counts, measures and freezes a new node. */
  private finish<T extends RuleNode>(node: T): T {
    this.nodeCount++;
    if (this.nodeCount > MAX_RULE_NODES) {
      throw ainError(ErrRuleTooLarge, `more than ${MAX_RULE_NODES} nodes at ${at(node.start)}`, { max: MAX_RULE_NODES });
    }
    let depth = 1;
    for (const child of childrenOf(node)) depth = Math.max(depth, this.depthOf(child) + 1);
    if (depth > MAX_RULE_DEPTH) {
      throw ainError(ErrRuleTooLarge, `expression deeper than ${MAX_RULE_DEPTH} at ${at(node.start)}`, {
        line: node.start.line,
        column: node.start.column,
        max: MAX_RULE_DEPTH,
      });
    }
    this.depths.set(node, depth);
    if (node.kind === 'call') Object.freeze(node.args);
    return Object.freeze(node);
  }

  private conditional(): RuleNode {
    this.enter(this.peek());
    const test = this.or();
    let result = test;
    if (this.isPunct('?')) {
      this.next();
      const consequent = this.conditional();
      this.expect(':');
      const alternate = this.conditional();
      result = this.finish({ kind: 'conditional', test, consequent, alternate, start: test.start, end: alternate.end });
    }
    this.leave();
    return result;
  }

  private binaryLevel(operators: ReadonlySet<string>, operand: () => RuleNode): RuleNode {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || !operators.has(token.value)) return left;
      this.next();
      const right = operand();
      left = this.finish({
        kind: 'binary',
        operator: token.value as BinaryOperator,
        left,
        right,
        operatorAt: token.start,
        start: left.start,
        end: right.end,
      });
    }
  }

  private or(): RuleNode {
    return this.binaryLevel(OR, () => this.and());
  }

  private and(): RuleNode {
    return this.binaryLevel(AND, () => this.equality());
  }

  private equality(): RuleNode {
    return this.binaryLevel(EQUALITY, () => this.relational());
  }

  private relational(): RuleNode {
    return this.binaryLevel(RELATIONAL, () => this.additive());
  }

  private additive(): RuleNode {
    return this.binaryLevel(ADDITIVE, () => this.multiplicative());
  }

  private multiplicative(): RuleNode {
    return this.binaryLevel(MULTIPLICATIVE, () => this.unary());
  }

  private unary(): RuleNode {
    const token = this.peek();
    if (token.kind === 'punct' && (token.value === '!' || token.value === '-')) {
      this.next();
      this.enter(token);
      const operand = this.unary();
      this.leave();
      return this.finish({ kind: 'unary', operator: token.value as UnaryOperator, operand, start: token.start, end: operand.end });
    }
    return this.postfix();
  }

  private postfix(): RuleNode {
    let node = this.primary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct') return node;
      if (token.value === '.') {
        this.next();
        const name = this.peek();
        if (name.kind !== 'word') throw this.expected("a property name after '.'", name);
        this.next();
        node = this.finish({ kind: 'member', object: node, property: name.value, start: node.start, end: name.end });
      } else if (token.value === '[') {
        this.next();
        const index = this.conditional();
        const close = this.expect(']');
        node = this.finish({ kind: 'index', object: node, index, start: node.start, end: close.end });
      } else if (token.value === '(') {
        throw syntaxError("unexpected '(': only library functions can be called, by name", token.start, { found: '(' });
      } else {
        return node;
      }
    }
  }

  private primary(): RuleNode {
    const token = this.peek();
    const base = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'number': {
        this.next();
        let value: Decimal | undefined;
        try {
          value = Decimal.parse(token.text);
        } catch (cause) {
          if (!(cause instanceof RuleRuntimeError)) throw cause;
          throw syntaxError(`number ${describeToken(token).slice(7)} out of range (${cause.message})`, token.start);
        }
        if (value === undefined) throw syntaxError(`malformed number ${token.text}`, token.start);
        return this.finish({ kind: 'number', value, ...base });
      }
      case 'string':
        this.next();
        return this.finish({ kind: 'string', value: token.value, ...base });
      case 'variable':
        this.next();
        if (this.isPunct('(')) {
          throw syntaxError("unexpected '(': only library functions can be called, by name", this.peek().start, { found: '(' });
        }
        return this.finish({ kind: 'variable', name: token.value, ...base });
      case 'word': {
        this.next();
        if (token.value === 'true' || token.value === 'false') {
          return this.finish({ kind: 'boolean', value: token.value === 'true', ...base });
        }
        if (token.value === 'null') return this.finish({ kind: 'null', ...base });
        if (RESERVED.has(token.value)) {
          throw syntaxError(`'${token.value}' is a reserved word, not part of the rule language`, token.start, {
            found: token.value,
          });
        }
        if (this.isPunct('(')) return this.call(token);
        return this.finish({ kind: 'identifier', name: token.value, ...base });
      }
      case 'punct':
        if (token.value === '(') {
          this.next();
          const inner = this.conditional();
          this.expect(')');
          return inner;
        }
        throw this.expected('an expression', token);
      default:
        throw this.expected('an expression', token);
    }
  }

  private call(name: Token): RuleNode {
    const open = this.expect('(');
    this.enter(open);
    const args: RuleNode[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.conditional());
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    const close = this.peek();
    if (close.kind !== 'punct' || close.value !== ')') throw this.expected("',' or ')'", close);
    this.next();
    this.leave();
    return this.finish({ kind: 'call', callee: name.value, args, start: name.start, end: close.end });
  }
}

/**
 * Parses a rule into its syntax tree (not yet type-checked: see `checkRule` and `compileRule`).
 * @throws AinError rules/1 (syntax, with `line:column` and what was expected) or rules/2 (too large)
 * @example parseRule("auth.addr == $user").root.kind // 'binary'
 * @example parseRule("(a && b") // throws "expected ')' but found end of input at 1:8: syntax error"
 */
export function parseRule(source: string): RuleAst {
  if (typeof source !== 'string') throw ainError(ErrRuleSyntax, 'a rule must be a string', { found: typeof source });
  if (source.length > MAX_RULE_SOURCE_LENGTH) {
    throw ainError(ErrRuleTooLarge, `source of ${source.length} characters, at most ${MAX_RULE_SOURCE_LENGTH}`, {
      length: source.length,
      max: MAX_RULE_SOURCE_LENGTH,
    });
  }
  const ast = new Parser(tokenize(source)).parse();
  return Object.freeze({ ...ast, source });
}
