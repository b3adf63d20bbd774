/**
 * The typed syntax tree of a rule. Every node carries where it starts (offset, 1-based line and
 * column) and the offset just past its end, so errors and reasons can point at the source. Nodes are
 * frozen: a checked tree cannot be changed into an unchecked one.
 */
import type { Decimal } from './decimal.ts';
import type { SourcePosition, SourceSpan } from './source.ts';

export type { SourcePosition };

type NodeBase = SourceSpan;

export interface NullLiteral extends NodeBase {
  readonly kind: 'null';
}
export interface BooleanLiteral extends NodeBase {
  readonly kind: 'boolean';
  readonly value: boolean;
}
export interface NumberLiteral extends NodeBase {
  readonly kind: 'number';
  readonly value: Decimal;
}
export interface StringLiteral extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}
/** `auth`, `data`, `newData`, `height`, `time`, `path` (others are refused by the checker). */
export interface Identifier extends NodeBase {
  readonly kind: 'identifier';
  readonly name: string;
}
/** `$user`: a label bound by the rule's path pattern; `name` is without the `$`. */
export interface Variable extends NodeBase {
  readonly kind: 'variable';
  readonly name: string;
}
/** `object.property` */
export interface Member extends NodeBase {
  readonly kind: 'member';
  readonly object: RuleNode;
  readonly property: string;
}
/** `object[index]` */
export interface Index extends NodeBase {
  readonly kind: 'index';
  readonly object: RuleNode;
  readonly index: RuleNode;
}
export type UnaryOperator = '!' | '-';
export interface Unary extends NodeBase {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: RuleNode;
}
export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
export interface Binary extends NodeBase {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: RuleNode;
  readonly right: RuleNode;
  /** Where the operator token is. */
  readonly operatorAt: SourcePosition;
}
/** `test ? consequent : alternate` */
export interface Conditional extends NodeBase {
  readonly kind: 'conditional';
  readonly test: RuleNode;
  readonly consequent: RuleNode;
  readonly alternate: RuleNode;
}
/** A call of a library function by name: `getValue('/a')`. */
export interface Call extends NodeBase {
  readonly kind: 'call';
  readonly callee: string;
  readonly args: readonly RuleNode[];
}

export type RuleNode =
  | NullLiteral
  | BooleanLiteral
  | NumberLiteral
  | StringLiteral
  | Identifier
  | Variable
  | Member
  | Index
  | Unary
  | Binary
  | Conditional
  | Call;

/** A parsed rule: its source, the root node and the sizes the bounds were checked on. */
export interface RuleAst {
  readonly source: string;
  readonly root: RuleNode;
  readonly nodeCount: number;
  readonly depth: number;
}

/** The children of a node, in evaluation order. */
export function childrenOf(node: RuleNode): readonly RuleNode[] {
  switch (node.kind) {
    case 'member':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.consequent, node.alternate];
    case 'call':
      return node.args;
    default:
      return [];
  }
}

/** The source text of a node, shortened to `max` characters. */
export function sourceOf(source: string, node: SourceSpan, max = 80): string {
  const text = source.slice(node.start.offset, node.end);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `line:column` */
export function at(position: SourcePosition): string {
  return `${position.line}:${position.column}`;
}
