/**
 * The interpreter: walks a compiled rule's tree with a gas meter and returns whether the write is
 * allowed. It is pure and deterministic: the result and gas depend only on the rule, the context and
 * the environment's answers. There is no truthiness and no coercion: `!`, `&&`, `||` and `? :` need
 * booleans, arithmetic needs numbers (`+` also joins two strings), ordering needs two numbers or two
 * strings (strings compare by UTF-16 code unit), and `==` is structural equality without coercion.
 * A runtime error (member of null, a mismatched operand, division by zero, a number out of range, an
 * unbound variable, an environment that refuses a path) makes the rule false with a reason.
 */
import { ainError } from '../../../core/index.ts';
import type { RuleNode } from './ast.ts';
import { at, sourceOf } from './ast.ts';
import { type CompiledRule, isCompiledRule } from './compileRule.ts';
import { Decimal } from './decimal.ts';
import { ErrRuleInvalidContext, ErrRuleOutOfGas } from './errors.ts';
import { LIBRARY, type LibraryRuntime, RULE_GAS } from './library.ts';
import { RuleHostFailure, RuleOutOfGas, RuleRuntimeError } from './runtimeError.ts';
import type { RuleContext, RuleEnvironment, RuleResult } from './types.ts';
import { ListValue, MAX_STRING_LENGTH, RecordValue, type Value, equals, fromHost, member, render, typeName } from './values.ts';

const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

function invalid(detail: string): never {
  throw ainError(ErrRuleInvalidContext, detail);
}

/** The context checked and turned into rule values once per evaluation. */
interface Bindings {
  readonly auth: RecordValue;
  readonly height: Decimal;
  readonly time: Decimal;
  readonly path: ListValue;
  readonly ctx: RuleContext;
}

function bind(ctx: RuleContext): Bindings {
  if (typeof ctx !== 'object' || ctx === null) invalid('context must be an object');
  const auth: unknown = ctx.auth;
  if (typeof auth !== 'object' || auth === null) invalid('auth must be an object');
  const { addr, fid } = auth as { addr: unknown; fid: unknown };
  if (typeof addr !== 'string') invalid('auth.addr must be a string');
  if (fid !== null && typeof fid !== 'string') invalid('auth.fid must be a string or null');
  const height = ctx.height;
  if (typeof height === 'bigint' ? height < 0n : !Number.isSafeInteger(height) || height < 0) {
    invalid('height must be a non-negative integer');
  }
  if (!Number.isSafeInteger(ctx.time)) invalid('time must be an integer number of milliseconds');
  if (!Array.isArray(ctx.path) || !ctx.path.every((label) => typeof label === 'string')) invalid('path must be an array of strings');
  if (typeof ctx.vars !== 'object' || ctx.vars === null) invalid('vars must be an object');
  return {
    auth: new RecordValue(
      new Map<string, string | null>([
        ['addr', addr],
        ['fid', fid],
      ]),
    ),
    height: Decimal.of(BigInt(height), 0),
    time: Decimal.of(BigInt(ctx.time), 0),
    path: new ListValue(Object.freeze([...ctx.path])),
    ctx,
  };
}

function variable(vars: RuleContext['vars'], name: string): Value {
  for (const key of [`$${name}`, name]) {
    const d = getOwnPropertyDescriptor(vars, key);
    if (d !== undefined && 'value' in d) {
      if (typeof d.value !== 'string') throw new RuleRuntimeError(`variable $${name} is bound to a ${typeof d.value}, not a string`);
      return d.value;
    }
  }
  throw new RuleRuntimeError(`unbound variable $${name}`);
}

function mismatch(op: string, left: Value, right: Value, want: string): RuleRuntimeError {
  return new RuleRuntimeError(`'${op}' needs ${want}, not ${typeName(left)} and ${typeName(right)}`);
}

class Interpreter {
  private used = 0;
  /** The value of every node evaluated (each node is evaluated at most once), for the reason. */
  readonly values = new Map<RuleNode, Value>();
  readonly runtime: LibraryRuntime;
  private current: RuleNode | undefined;

  constructor(
    private readonly source: string,
    private readonly bindings: Bindings,
    env: RuleEnvironment,
    private readonly limit: number,
  ) {
    this.runtime = { env, charge: (amount: number) => this.charge(amount) };
  }

  get gasUsed(): number {
    return this.used;
  }

  charge(amount: number): void {
    this.used += amount;
    if (this.used > this.limit) {
      const where = this.current === undefined ? 'rule' : `\`${sourceOf(this.source, this.current, 40)}\` at ${at(this.current.start)}`;
      throw new RuleOutOfGas(this.used, this.limit, where);
    }
  }

  evaluate(node: RuleNode): Value {
    this.current = node;
    this.charge(RULE_GAS.node);
    let value: Value;
    try {
      value = this.step(node);
    } catch (error) {
      if (error instanceof RuleRuntimeError && error.node === undefined) error.node = node;
      throw error;
    }
    this.values.set(node, value);
    return value;
  }

  private boolean(node: RuleNode, what: string): boolean {
    const v = this.evaluate(node);
    if (typeof v !== 'boolean') throw new RuleRuntimeError(`${what} must be a boolean, not ${typeName(v)}`);
    return v;
  }

  private step(node: RuleNode): Value {
    switch (node.kind) {
      case 'null':
        return null;
      case 'boolean':
      case 'string':
      case 'number':
        return node.value;
      case 'identifier':
        switch (node.name) {
          case 'auth':
            return this.bindings.auth;
          case 'data':
            return fromHost(this.bindings.ctx.data);
          case 'newData':
            return fromHost(this.bindings.ctx.newData);
          case 'height':
            return this.bindings.height;
          case 'time':
            return this.bindings.time;
          case 'path':
            return this.bindings.path;
          default:
            throw new RuleRuntimeError(`unknown identifier '${node.name}'`);
        }
      case 'variable':
        return variable(this.bindings.ctx.vars, node.name);
      case 'member':
        return member(this.evaluate(node.object), node.property);
      case 'index': {
        const object = this.evaluate(node.object);
        return member(object, this.evaluate(node.index));
      }
      case 'unary': {
        if (node.operator === '!') return !this.boolean(node.operand, "the operand of '!'");
        const v = this.evaluate(node.operand);
        if (!(v instanceof Decimal)) throw new RuleRuntimeError(`'-' needs a number, not ${typeName(v)}`);
        return v.neg();
      }
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.boolean(node.test, 'the test of a conditional') ? this.evaluate(node.consequent) : this.evaluate(node.alternate);
      case 'call': {
        const fn = LIBRARY.get(node.callee);
        if (fn === undefined) throw new RuleRuntimeError(`unknown function '${node.callee}'`);
        const n = node.args.length;
        if (fn.rest === undefined ? n !== fn.params.length : n < fn.minArgs) {
          throw new RuleRuntimeError(`${fn.name} is given ${n} arguments`);
        }
        const args = node.args.map((arg) => this.evaluate(arg));
        this.current = node;
        this.charge(fn.readsState ? RULE_GAS.stateRead : RULE_GAS.call);
        return fn.call(args, this.runtime);
      }
      default: {
        const unknown: { kind?: unknown } = node;
        throw new RuleRuntimeError(`unknown node kind ${String(unknown.kind)}`);
      }
    }
  }

  private binary(node: Extract<RuleNode, { kind: 'binary' }>): Value {
    const op = node.operator;
    if (op === '&&' || op === '||') {
      const left = this.boolean(node.left, `the left operand of '${op}'`);
      if (op === '&&' ? !left : left) return left;
      return this.boolean(node.right, `the right operand of '${op}'`);
    }
    const left = this.evaluate(node.left);
    const right = this.evaluate(node.right);
    this.current = node;
    switch (op) {
      case '==':
        return equals(left, right, (n) => this.charge(n * RULE_GAS.perItem));
      case '!=':
        return !equals(left, right, (n) => this.charge(n * RULE_GAS.perItem));
      case '+':
        if (left instanceof Decimal && right instanceof Decimal) return left.add(right);
        if (typeof left === 'string' && typeof right === 'string') {
          const length = left.length + right.length;
          if (length > MAX_STRING_LENGTH) throw new RuleRuntimeError(`string longer than ${MAX_STRING_LENGTH} characters`);
          this.charge(Math.ceil(length / 16) * RULE_GAS.perItem);
          return left + right;
        }
        throw mismatch(op, left, right, 'two numbers or two strings');
      case '<':
      case '<=':
      case '>':
      case '>=': {
        let c: number;
        if (left instanceof Decimal && right instanceof Decimal) c = left.cmp(right);
        else if (typeof left === 'string' && typeof right === 'string') c = left < right ? -1 : left > right ? 1 : 0;
        else throw mismatch(op, left, right, 'two numbers or two strings');
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      }
      default: {
        if (!(left instanceof Decimal) || !(right instanceof Decimal)) throw mismatch(op, left, right, 'two numbers');
        switch (op) {
          case '-':
            return left.sub(right);
          case '*':
            return left.mul(right);
          case '/':
            return left.div(right);
          default:
            return left.rem(right);
        }
      }
    }
  }

  private code(node: RuleNode): string {
    return `\`${sourceOf(this.source, node)}\``;
  }

  /** Why `node`, which evaluated to false, is false: the deciding sub-expression and the values compared. */
  explain(node: RuleNode): string {
    switch (node.kind) {
      case 'binary': {
        const { operator: op, left, right } = node;
        if (op === '&&') return this.explain(this.values.get(left) === false ? left : right);
        if (op === '||') return `${this.explain(left)}, and ${this.explain(right)}`;
        const shown = [left, right]
          .filter((side) => side.kind !== 'number' && side.kind !== 'string' && side.kind !== 'boolean' && side.kind !== 'null')
          .map((side) => {
            const v = this.values.get(side);
            return `${this.code(side)} is ${v === undefined ? 'unevaluated' : render(v)}`;
          });
        return `${this.code(node)} is false at ${at(node.start)}${shown.length > 0 ? ` (${shown.join(', ')})` : ''}`;
      }
      case 'unary':
        return `${this.code(node)} is false at ${at(node.start)} (${this.code(node.operand)} is true)`;
      case 'conditional': {
        const test = this.values.get(node.test) === true;
        return `${this.code(node.test)} is ${String(test)}, and ${this.explain(test ? node.consequent : node.alternate)}`;
      }
      default:
        return `${this.code(node)} is false at ${at(node.start)}`;
    }
  }
}

/**
 * Evaluates a compiled rule for one write. Never throws for anything the rule or the written data
 * can cause: a false rule, or a runtime error, gives `{ allowed: false, reason }`.
 * @param gasLimit the most gas the evaluation may use (a non-negative safe integer; no 0-is-unlimited)
 * @throws AinError rules/4 out of gas past `gasLimit`, with `{ gasLimit, gasUsed }`
 * @throws AinError rules/5 when the rule was not made by `compileRule` or the context is malformed
 * @throws whatever the environment throws that is not an AinError (a host failure, e.g. a disk error)
 * @example evaluateRule(compileRule("auth.addr == $user"), ctx, env, 10_000) // { allowed: true, gasUsed: 5 }
 */
export function evaluateRule(rule: CompiledRule, ctx: RuleContext, env: RuleEnvironment, gasLimit: number): RuleResult {
  if (!isCompiledRule(rule)) invalid('the rule was not made by compileRule');
  if (!Number.isSafeInteger(gasLimit) || gasLimit < 0) invalid(`gas limit ${String(gasLimit)} is not a non-negative integer`);
  const interpreter = new Interpreter(rule.source, bind(ctx), env, gasLimit);
  const root = rule.ast.root;
  let value: Value;
  try {
    value = interpreter.evaluate(root);
  } catch (error) {
    if (error instanceof RuleOutOfGas) {
      throw ainError(ErrRuleOutOfGas, `rule used ${error.used} gas, more than its limit ${error.limit}, in ${error.location}`, {
        gasLimit: error.limit,
        gasUsed: error.used,
      });
    }
    if (error instanceof RuleHostFailure) throw error.cause;
    if (error instanceof RuleRuntimeError) {
      const where = error.node === undefined ? '' : ` at ${at(error.node.start)} in \`${sourceOf(rule.source, error.node)}\``;
      return { allowed: false, gasUsed: interpreter.gasUsed, reason: `runtime error${where}: ${error.message}` };
    }
    // Not reachable by design; a defect must still not let a write through or crash the block.
    const message = error instanceof Error ? error.message : String(error);
    return { allowed: false, gasUsed: interpreter.gasUsed, reason: `internal error: ${message}` };
  }
  if (value === true) return { allowed: true, gasUsed: interpreter.gasUsed };
  if (value === false) return { allowed: false, gasUsed: interpreter.gasUsed, reason: interpreter.explain(root) };
  return { allowed: false, gasUsed: interpreter.gasUsed, reason: `the rule produced ${typeName(value)}, not a boolean` };
}
