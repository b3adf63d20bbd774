/**
 * The type checker, run when a rule is set. Types are sets of kinds ({@link TypeMask}); a node is
 * refused when no value it could produce suits its context, so errors are the obvious ones and a
 * dynamic value (`data`, `getValue(...)`) is always accepted and checked again at run time.
 *
 * Refused, with the position: unknown identifiers and functions, wrong arity, unbound `$variables`
 * (when the pattern's variables are given), fields of `auth` other than `addr` and `fid`, a member of
 * the literal null, a key that cannot be a string or number, `!`, `&&`, `||` and `? :` tests that
 * cannot be booleans (`!'x'` is refused: there is no truthiness), arithmetic and ordering on values
 * that cannot be numbers (or strings, for `+` and `<`), `==` between types that never meet
 * (`auth.addr == 1` is always false), library arguments of the wrong type, and a rule whose value is
 * not a boolean (`getValue('/x')` alone is refused: write `getValue('/x') == true`).
 */
import { ainError } from '../../../core/index.ts';
import type { RuleAst, RuleNode, SourcePosition } from './ast.ts';
import { at } from './ast.ts';
import { ErrRuleType } from './errors.ts';
import { LIBRARY, LIBRARY_NAMES } from './library.ts';
import { T_ANY, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_STRING, type TypeMask, describeType } from './types.ts';

/** Options of {@link checkRule}. */
export interface CheckOptions {
  /**
   * The variables the rule's path pattern binds (`['$user']` or `['user']`). When given, any other
   * `$variable` is refused; when omitted, every `$variable` is accepted as a string.
   */
  readonly vars?: readonly string[];
}

interface Ty {
  readonly mask: TypeMask;
  /** The value is `auth` itself, whose fields are known. */
  readonly auth?: true;
}

/** The identifiers of the language and their types. */
const IDENTIFIERS: ReadonlyMap<string, Ty> = new Map<string, Ty>([
  ['auth', { mask: T_OBJECT, auth: true }],
  ['data', { mask: T_ANY }],
  ['newData', { mask: T_ANY }],
  ['height', { mask: T_NUMBER }],
  ['time', { mask: T_NUMBER }],
  ['path', { mask: T_ARRAY }],
]);

/** Names of the identifiers, for messages and docs. */
export const RULE_IDENTIFIERS: readonly string[] = Object.freeze([...IDENTIFIERS.keys()]);

const AUTH_FIELDS: ReadonlyMap<string, TypeMask> = new Map([
  ['addr', T_STRING],
  ['fid', T_STRING | T_NULL],
]);

function typeError(message: string, position: SourcePosition, meta: Record<string, unknown> = {}) {
  return ainError(ErrRuleType, `${message} at ${at(position)}`, { line: position.line, column: position.column, ...meta });
}

class Checker {
  constructor(private readonly vars: ReadonlySet<string> | undefined) {}

  private expect(ty: Ty, allowed: TypeMask, what: string, position: SourcePosition): void {
    if ((ty.mask & allowed) === 0) {
      throw typeError(`${what} must be ${describeType(allowed)} but is ${describeType(ty.mask)}`, position);
    }
  }

  private memberType(object: Ty, key: string | undefined, node: RuleNode): Ty {
    if (object.mask === T_NULL) throw typeError('cannot read a member of null', node.start);
    if (object.auth === true) {
      if (key === undefined) return { mask: T_STRING | T_NULL };
      const field = AUTH_FIELDS.get(key);
      if (field === undefined) throw typeError(`auth has no field '${key}'; it has addr and fid`, node.start, { field: key });
      return { mask: field };
    }
    // Strings, numbers and booleans have no members: every key is missing.
    return { mask: (object.mask & (T_ARRAY | T_OBJECT)) === 0 ? T_NULL : T_ANY };
  }

  infer(node: RuleNode): Ty {
    switch (node.kind) {
      case 'null':
        return { mask: T_NULL };
      case 'boolean':
        return { mask: T_BOOLEAN };
      case 'number':
        return { mask: T_NUMBER };
      case 'string':
        return { mask: T_STRING };
      case 'identifier': {
        const ty = IDENTIFIERS.get(node.name);
        if (ty === undefined) {
          throw typeError(
            `unknown identifier '${node.name}'; the identifiers are ${RULE_IDENTIFIERS.join(', ')} and $variables`,
            node.start,
            { identifier: node.name },
          );
        }
        return ty;
      }
      case 'variable':
        if (this.vars !== undefined && !this.vars.has(node.name)) {
          throw typeError(`unbound variable $${node.name}: the rule's path has no $${node.name}`, node.start, { variable: node.name });
        }
        return { mask: T_STRING };
      case 'member':
        return this.memberType(this.infer(node.object), node.property, node);
      case 'index': {
        const object = this.infer(node.object);
        const key = this.infer(node.index);
        this.expect(key, T_STRING | T_NUMBER, 'a key', node.index.start);
        return this.memberType(object, node.index.kind === 'string' ? node.index.value : undefined, node);
      }
      case 'unary': {
        const operand = this.infer(node.operand);
        if (node.operator === '!') {
          this.expect(operand, T_BOOLEAN, "the operand of '!'", node.operand.start);
          return { mask: T_BOOLEAN };
        }
        this.expect(operand, T_NUMBER, "the operand of '-'", node.operand.start);
        return { mask: T_NUMBER };
      }
      case 'binary': {
        const left = this.infer(node.left);
        const right = this.infer(node.right);
        const op = `'${node.operator}'`;
        switch (node.operator) {
          case '&&':
          case '||':
            this.expect(left, T_BOOLEAN, `the left operand of ${op}`, node.left.start);
            this.expect(right, T_BOOLEAN, `the right operand of ${op}`, node.right.start);
            return { mask: T_BOOLEAN };
          case '==':
          case '!=':
            if ((left.mask & right.mask) === 0) {
              throw typeError(
                `${op} compares ${describeType(left.mask)} with ${describeType(right.mask)}, which never match`,
                node.operatorAt,
              );
            }
            return { mask: T_BOOLEAN };
          case '+':
          case '<':
          case '<=':
          case '>':
          case '>=': {
            const allowed = T_NUMBER | T_STRING;
            this.expect(left, allowed, `the left operand of ${op}`, node.left.start);
            this.expect(right, allowed, `the right operand of ${op}`, node.right.start);
            const common = left.mask & right.mask & allowed;
            if (common === 0) {
              throw typeError(
                `${op} needs two numbers or two strings but has ${describeType(left.mask & allowed)} and ${describeType(right.mask & allowed)}`,
                node.operatorAt,
              );
            }
            return { mask: node.operator === '+' ? common : T_BOOLEAN };
          }
          default:
            this.expect(left, T_NUMBER, `the left operand of ${op}`, node.left.start);
            this.expect(right, T_NUMBER, `the right operand of ${op}`, node.right.start);
            return { mask: T_NUMBER };
        }
      }
      case 'conditional': {
        this.expect(this.infer(node.test), T_BOOLEAN, 'the test of a conditional', node.test.start);
        const a = this.infer(node.consequent);
        const b = this.infer(node.alternate);
        return { mask: a.mask | b.mask };
      }
      case 'call': {
        const fn = LIBRARY.get(node.callee);
        if (fn === undefined) {
          throw typeError(`unknown function '${node.callee}'; the library has ${LIBRARY_NAMES.join(', ')}`, node.start, {
            function: node.callee,
          });
        }
        const n = node.args.length;
        if (fn.rest === undefined && n !== fn.params.length) {
          const want = fn.params.length;
          throw typeError(`${fn.name} takes ${want} argument${want === 1 ? '' : 's'} but is given ${n}`, node.start);
        }
        if (fn.rest !== undefined && n < fn.minArgs) {
          throw typeError(`${fn.name} takes at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'} but is given ${n}`, node.start);
        }
        node.args.forEach((arg, i) => {
          const allowed = fn.params[i] ?? fn.rest ?? T_ANY;
          this.expect(this.infer(arg), allowed, `argument ${i + 1} of ${fn.name}`, arg.start);
        });
        return { mask: fn.result };
      }
      default: {
        const unknown: { kind?: unknown; start?: SourcePosition } = node;
        throw typeError(`unknown node kind ${String(unknown.kind)}`, unknown.start ?? { offset: 0, line: 1, column: 1 });
      }
    }
  }
}

/**
 * Type-checks a parsed rule. Returns nothing when the rule is accepted.
 * @throws AinError rules/3 naming the sub-expression, what it must be and its `line:column`
 * @example checkRule(parseRule("auth.addr == $user")) // ok
 * @example checkRule(parseRule("process.env")) // throws "unknown identifier 'process'; ... at 1:1: rule type error"
 */
export function checkRule(ast: RuleAst, options: CheckOptions = {}): void {
  const vars = options.vars === undefined ? undefined : new Set(options.vars.map((v) => (v.startsWith('$') ? v.slice(1) : v)));
  const ty = new Checker(vars).infer(ast.root);
  if (ty.mask !== T_BOOLEAN) {
    throw typeError(
      `a rule must produce a boolean, but this produces ${describeType(ty.mask)}; compare it, e.g. '... == true'`,
      ast.root.start,
      { produces: describeType(ty.mask) },
    );
  }
}
