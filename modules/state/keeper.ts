import type { BlockContext, GasMeter, ReadableState, StateValue, WritableState } from '../../core/index.ts';
import { AinError, ainError, canonicalJson, unmeteredView, utf8Length, type JsonValue } from '../../core/index.ts';
import { Overlay, isAtOrUnder, normalizePath } from '../../tree/index.ts';
import {
  type OwnerPermission,
  OWNER_PERMISSIONS,
  parseFunctionConfig,
  parseOwnerConfig,
  parseRuleConfig,
  permissionsOf,
  readStoredConfig,
  storedConfig,
} from './configs.ts';
import { closestOwner, readConfig } from './configStore.ts';
import {
  ErrAppExists,
  ErrInvalidArithmetic,
  ErrNoRule,
  ErrPermissionDenied,
  ErrStateRuleViolated,
  ErrTooManyLeaves,
  ErrValueTooLarge,
  ErrVariableConflict,
  ErrWriteRefused,
} from './errors.ts';
import { appCreatedEvent, functionSetEvent, ownerSetEvent, ruleSetEvent, type ValueOp, valueWrittenEvent } from './events.ts';
import { MAX_READ_LEAVES, parseJsonText, readJson, valueToLeaves } from './json.ts';
import {
  appAdminPath,
  appCreatorPath,
  appPath,
  appPublicPath,
  type ConfigKind,
  configPath,
  labelsOf,
  manageAppPath,
  OWNERS_ROOT,
  parsePattern,
  parseValuePath,
  parseConfigPattern,
  pathOf,
  type PatternPath,
  type ValuePath,
} from './keys.ts';
import { checkApp, parseDelta } from './msgs.ts';
import { compiledRule } from './ruleCache.ts';
import { StateRuleEnvironment } from './ruleEnv.ts';
import { type RuleMatch, RuleMatcher } from './ruleMatch.ts';
import { ErrRuleOutOfGas, evaluateRule } from './rules/index.ts';
import type { RuleContext } from './rules/types.ts';

/** Most gas one rule evaluation may use (less when the tx has less left). */
export const MAX_RULE_GAS = 1_000_000;

/** What the keeper needs of a tx's context (`app/context.ts` `Context` has it all). */
/** The block or tx context a state write runs in. */
export type StateContext = BlockContext;

/** Who writes: the signer, and the function id when a function writes (null for a user). */
export interface Writer {
  readonly addr: string;
  readonly fid: string | null;
}

/**
 * Hooks other modules give the state keeper (`setHooks`, once, at app construction). The triggers
 * module uses `onValueWritten` to run native functions and record off-chain calls.
 */
export interface StateHooks {
  /**
   * Called after a value write passed its rules and its leaves are in `ctx.state`, in the same tx:
   * `value` is the JSON value written at `path` (null for a delete). Throwing fails the message.
   */
  onValueWritten(ctx: StateContext, path: string, value: JsonValue, writer: Writer): void;
}

/**
 * The guard the shards module installs (`setBranchGuard`): writes under a path a child chain took
 * over are refused. It reads the state through an unmetered view, so a write that is not refused
 * costs exactly the gas it cost before; it throws its own error to refuse.
 */
export interface BranchGuard {
  /** Throws when `path` (a value path or a config pattern under `/apps`) belongs to a child chain. */
  checkWrite(state: ReadableState, path: string): void;
  /** Where the value at `path` of the child chain `shard`, proven here, is stored (rules' `getChildValue`). */
  childValuePath(shard: string, path: string): string;
}

/** What a successful value write reports (EvalRule shows it). */
export interface WriteReport {
  /** The pattern of the rule that decided the written path. */
  readonly rulePath: string;
  /** Gas used by rule evaluations. */
  readonly ruleGas: number;
}

/** One rule evaluation a write needs: the rule, and the path it is judged at. */
interface RuleCheck {
  readonly match: RuleMatch;
  readonly at: string;
}

const usesData = (source: string): boolean => /\bdata\b/.test(source);
const usesNewData = (source: string): boolean => /\bnewData\b/.test(source);

function ruleGasLimit(gas: GasMeter): number {
  const remaining = gas.limit > 0 ? gas.limit - gas.consumed : MAX_RULE_GAS;
  return Math.max(0, Math.min(remaining, MAX_RULE_GAS));
}

/**
 * The only code that reads or writes the state module's subtrees: values under `/apps`, configs
 * under `/rules`, `/owners`, `/functions`, apps under `/manage_app`. See README.md for the semantics.
 */
export class StateKeeper {
  private hooks: StateHooks | undefined;
  private guard: BranchGuard | undefined;

  /** Installs the hooks of other modules; once, before any tx runs. */
  setHooks(hooks: StateHooks): void {
    if (this.hooks) throw new Error('state hooks set twice');
    this.hooks = hooks;
  }

  /** Installs the shards module's guard of branched paths; once, before any tx runs. */
  setBranchGuard(guard: BranchGuard): void {
    if (this.guard) throw new Error('branch guard set twice');
    this.guard = guard;
  }

  /** Refuses a write under a branched path (no gas: see {@link BranchGuard}). */
  private checkBranch(state: ReadableState, path: string): void {
    this.guard?.checkWrite(unmeteredView(state), path);
  }

  /**
   * The JSON view of any path (values or not): depth 0 = whole subtree, n = objects n levels down
   * shown as `true`.
   * @throws AinError state/16 past {@link MAX_READ_LEAVES} leaves, store/1-5 for a bad path
   */
  getValue(state: ReadableState, path: string, depth = 0): JsonValue {
    return readJson(state, normalizePath(path), MAX_READ_LEAVES, depth);
  }

  /** The config of `kind` set for exactly this pattern (without `pattern`), or null. */
  getConfig(state: ReadableState, kind: ConfigKind, path: string): JsonValue {
    return readConfig(state, kind, path);
  }

  /** The write rule deciding writes at a value path, or undefined when none applies. */
  matchRule(state: ReadableState, path: string): RuleMatch | undefined {
    return new RuleMatcher(state).search(parseValuePath(path).labels).write;
  }

  /** MsgSetValue: writes JSON text (null deletes) at `path`, replacing what was there. */
  setValue(ctx: StateContext, writer: Writer, path: string, valueText: string): WriteReport {
    const target = parseValuePath(path);
    const value = parseJsonText(valueText, 'value');
    return this.writeValue(ctx, writer, target, value, 'set_value');
  }

  /** MsgDeleteValue: removes the value at `path` and everything under it. */
  deleteValue(ctx: StateContext, writer: Writer, path: string): WriteReport {
    return this.writeValue(ctx, writer, parseValuePath(path), null, 'delete_value');
  }

  /**
   * MsgIncValue / MsgDecValue: adds (`sign` 1) or subtracts (-1) an integer `delta` to the number at
   * `path` (missing = 0). Both and the result must be safe integers.
   * @throws AinError state/11
   */
  addValue(ctx: StateContext, writer: Writer, path: string, delta: string, sign: 1 | -1): WriteReport {
    const target = parseValuePath(path);
    this.checkBranch(ctx.state, target.path);
    const amount = parseDelta(delta, 'delta');
    const op: ValueOp = sign === 1 ? 'inc_value' : 'dec_value';
    const current = ctx.state.get(target.path);
    let base = 0;
    if (current === undefined) {
      if (ctx.state.list(target.path, 1).length > 0)
        throw ainError(ErrInvalidArithmetic, `${op} at ${target.path}: the value there is an object, not a number`, { path: target.path });
    } else if (typeof current !== 'number' || !Number.isSafeInteger(current)) {
      throw ainError(
        ErrInvalidArithmetic,
        `${op} at ${target.path}: the value there is ${JSON.stringify(current)}, not a safe integer (fractional arithmetic is not done on chain)`,
        {
          path: target.path,
        },
      );
    }
    if (current !== undefined) base = current as number;
    const result = base + sign * amount;
    if (!Number.isSafeInteger(result)) {
      throw ainError(
        ErrInvalidArithmetic,
        `${op} at ${target.path}: ${base} ${sign === 1 ? '+' : '-'} ${amount} leaves the safe integer range`,
        { path: target.path },
      );
    }
    return this.writeValue(ctx, writer, target, result, op);
  }

  /**
   * Writes a JSON value at a value path with the module's semantics: every leaf at and under the path
   * and any leaf at an ancestor goes, the value's leaves come; the closest write rule of the path, and
   * of every written or removed leaf whose closest rule is another, must allow it; state limits of
   * every matching rule must hold afterwards.
   */
  writeValue(ctx: StateContext, writer: Writer, target: ValuePath, value: unknown, op: ValueOp): WriteReport {
    const state = ctx.state;
    this.checkBranch(state, target.path);
    const leaves = valueToLeaves(target.path, value);
    const replaced = state.list(target.path, MAX_READ_LEAVES + 1);
    if (replaced.length > MAX_READ_LEAVES) {
      throw ainError(
        ErrValueTooLarge,
        `writing ${target.path} would replace more than ${MAX_READ_LEAVES} leaves; delete deeper paths first`,
        { path: target.path },
      );
    }
    const ancestors: string[] = [];
    if (value !== null) {
      for (let depth = 2; depth < target.labels.length; depth++) {
        const ancestor = pathOf(target.labels.slice(0, depth));
        if (state.get(ancestor) !== undefined) ancestors.push(ancestor);
      }
    }
    const after = new Overlay(state);
    for (const [path] of replaced) after.set(path, null);
    for (const path of ancestors) after.set(path, null);
    for (const [path, leaf] of leaves) after.set(path, leaf);

    const matcher = new RuleMatcher(state);
    const main = matcher.search(target.labels);
    if (!main.write) throw ainError(ErrNoRule, `no write rule at or above ${target.path}`, { path: target.path });
    const checks: RuleCheck[] = [{ match: main.write, at: target.path }];
    const decided = new Set([main.write.node]);
    const limits = new Map<string, RuleMatch>();
    const addLimits = (found: readonly RuleMatch[]) => {
      for (const match of found) limits.set(`${match.node}\n${match.pattern}`, match);
    };
    addLimits(main.limits);
    const touched = [...leaves.map(([path]) => path), ...replaced.map(([path]) => path), ...ancestors];
    for (const path of touched) {
      if (path === target.path) continue;
      const found = matcher.search(labelsOf(path));
      addLimits(found.limits);
      if (!found.write) throw ainError(ErrNoRule, `no write rule at or above ${path}`, { path });
      if (decided.has(found.write.node)) continue;
      decided.add(found.write.node);
      const node = found.write.node;
      checks.push({ match: found.write, at: node !== target.path && isAtOrUnder(node, target.path) ? node : path });
    }

    const env = new StateRuleEnvironment(state, this.guard?.childValuePath);
    let ruleGas = 0;
    for (const { match, at } of checks) {
      const source = match.config.write!;
      const rule = compiledRule(source, Object.keys(match.vars));
      const context: RuleContext = {
        auth: writer,
        data: usesData(source) ? readJson(state, at) : null,
        newData: usesNewData(source) ? readJson(after, at) : null,
        vars: match.vars,
        height: ctx.height,
        time: Number(ctx.blockTimeSeconds) * 1000,
        path: labelsOf(at),
      };
      const gasLimit = ruleGasLimit(ctx.gas);
      let result: ReturnType<typeof evaluateRule>;
      try {
        result = evaluateRule(rule, context, env, gasLimit);
      } catch (error) {
        if (error instanceof AinError && error.is(ErrRuleOutOfGas)) ctx.gas.consume(gasLimit, `write rule at ${match.pattern}`);
        throw error;
      }
      ctx.gas.consume(result.gasUsed, `write rule at ${match.pattern}`);
      ruleGas += result.gasUsed;
      if (!result.allowed) {
        throw ainError(ErrWriteRefused, `write refused by rule at ${match.pattern}: ${result.reason ?? 'false'}`, {
          rulePath: match.pattern,
          path: at,
          ruleGas,
        });
      }
    }

    if (value !== null) for (const match of limits.values()) checkLimits(after, match);
    for (const [path, write] of after.writes()) state.set(path, write);
    ctx.events.emit(valueWrittenEvent(target.path, writer.addr, op));
    this.hooks?.onValueWritten(ctx, target.path, value as JsonValue, writer);
    return { rulePath: main.write.pattern, ruleGas };
  }

  /** MsgSetRule: sets (or with null deletes) the rule config of a pattern; needs `write_rule`. */
  setRule(ctx: StateContext, signer: string, path: string, ruleText: string): void {
    const pattern = parseConfigPattern('rule', path);
    const config = parseRuleConfig(ruleText, pattern);
    this.checkBranch(ctx.state, pattern.path);
    requirePermission(ctx.state, pattern, signer, 'write_rule');
    writeConfig(ctx.state, 'rule', pattern, config);
    ctx.events.emit(ruleSetEvent(pattern.path, signer));
  }

  /** MsgSetFunction: sets (or deletes) the function config of a pattern; needs `write_function`. */
  setFunction(ctx: StateContext, signer: string, path: string, functionText: string): void {
    const pattern = parseConfigPattern('function', path);
    const config = parseFunctionConfig(functionText, pattern);
    this.checkBranch(ctx.state, pattern.path);
    requirePermission(ctx.state, pattern, signer, 'write_function');
    writeConfig(ctx.state, 'function', pattern, config);
    ctx.events.emit(functionSetEvent(pattern.path, signer));
  }

  /**
   * MsgSetOwner: sets (or deletes) the owner config at a path. Needs `write_owner` on the config at
   * exactly that path if there is one, else `branch_owner` on the closest config above it.
   */
  setOwner(ctx: StateContext, signer: string, path: string, ownerText: string): void {
    const pattern = parseConfigPattern('owner', path);
    const config = parseOwnerConfig(ownerText, pattern);
    this.checkBranch(ctx.state, pattern.path);
    const at = configPath('owner', pattern.storageLabels);
    const exact = ctx.state.get(at);
    if (exact !== undefined) {
      requireGrant({ path: pattern.path, config: readStoredConfig(exact, at).config }, signer, 'write_owner');
    } else {
      const above = closestOwner(ctx.state, pattern.labels, pattern.labels.length - 1);
      if (!above)
        throw ainError(ErrPermissionDenied, `no owner config at or above ${pattern.path}, so no one may set its owner`, {
          path: pattern.path,
          permission: 'branch_owner',
        });
      requireGrant(above, signer, 'branch_owner');
    }
    writeConfig(ctx.state, 'owner', pattern, config);
    ctx.events.emit(ownerSetEvent(pattern.path, signer));
  }

  /**
   * The owner configs strictly below a path (their paths, in path order, at most `limit`): a module
   * that hands a subtree to one owner (ainft's token state paths) checks none is left behind.
   */
  ownerConfigsUnder(state: ReadableState, path: string, limit: number): string[] {
    const pattern = parseConfigPattern('owner', path);
    const at = configPath('owner', pattern.storageLabels);
    return state
      .list(at, limit + 1)
      .filter(([leaf]) => leaf !== at)
      .slice(0, limit)
      .map(([leaf]) => leaf.slice(OWNERS_ROOT.length));
  }

  /**
   * For a module that owns a path on its users' behalf (ainft moves a token's state path to its new
   * owner): the owner config at `path` gives `owner` every permission and no one else any, and every
   * owner config below it goes, so no earlier owner keeps a branch. No permission check: the calling
   * module's rules decided. `by` (the module's address) is the event's signer.
   */
  assignOwner(ctx: StateContext, path: string, owner: string, by: string, maxBelow: number): void {
    const pattern = parseConfigPattern('owner', path);
    const below = this.ownerConfigsUnder(ctx.state, pattern.path, maxBelow + 1);
    if (below.length > maxBelow)
      throw ainError(ErrTooManyLeaves, `more than ${maxBelow} owner configs below ${pattern.path}; delete some first`, {
        path: pattern.path,
      });
    for (const config of below) ctx.state.set(configPath('owner', labelsOf(config)), null);
    const all = Object.fromEntries(OWNER_PERMISSIONS.map((permission) => [permission, true]));
    ctx.state.set(configPath('owner', pattern.storageLabels), storedConfig(pattern, { owners: { [owner]: all } }));
    ctx.events.emit(ownerSetEvent(pattern.path, by));
  }

  /**
   * MsgCreateApp: records the app under `/manage_app/<name>/config`, and sets at `/apps/<name>` an
   * owner config giving every admin all four permissions and a rule letting the admins (or anyone,
   * when public) write.
   * @throws AinError state/12 when `/manage_app/<name>` holds anything
   */
  createApp(ctx: StateContext, signer: string, name: string, admins: readonly string[], isPublic: boolean): void {
    checkApp(name, admins, 'app');
    const state = ctx.state;
    if (state.list(manageAppPath(name), 1).length > 0)
      throw ainError(ErrAppExists, `app ${name} exists (${manageAppPath(name)})`, { name });
    for (const admin of admins) state.set(appAdminPath(name, admin), true);
    state.set(appPublicPath(name), isPublic);
    state.set(appCreatorPath(name), signer);
    const pattern = parsePattern(appPath(name), false);
    const all = Object.fromEntries(OWNER_PERMISSIONS.map((permission) => [permission, true]));
    const owners = Object.fromEntries(admins.map((admin) => [admin, all]));
    state.set(configPath('owner', pattern.storageLabels), storedConfig(pattern, { owners }));
    state.set(
      configPath('rule', pattern.storageLabels),
      storedConfig(pattern, { write: isPublic ? 'true' : `isAppAdmin('${name}', auth.addr)` }),
    );
    ctx.events.emit(appCreatedEvent(name, admins));
    ctx.events.emit(ownerSetEvent(pattern.path, signer));
    ctx.events.emit(ruleSetEvent(pattern.path, signer));
  }
}

/** The signer must hold `permission` under the owner config governing the pattern. */
function requirePermission(state: ReadableState, pattern: PatternPath, signer: string, permission: OwnerPermission): void {
  const owner = closestOwner(state, pattern.labels);
  if (!owner)
    throw ainError(ErrPermissionDenied, `no owner config at or above ${pattern.path}, so no one has ${permission} there`, {
      path: pattern.path,
      permission,
    });
  requireGrant(owner, signer, permission);
}

function requireGrant(
  owner: { path: string; config: Readonly<Record<string, JsonValue>> },
  signer: string,
  permission: OwnerPermission,
): void {
  if (permissionsOf(owner.config, signer)?.[permission] !== true) {
    throw ainError(ErrPermissionDenied, `owner config at ${owner.path} does not give ${signer} ${permission}`, {
      ownerPath: owner.path,
      permission,
    });
  }
}

/**
 * Stores (or deletes) a config leaf. A pattern's `$variable` must be the one every other config of
 * the same kind already uses at that level: `/apps/a/$user` and `/apps/a/$id/x` cannot both exist.
 */
function writeConfig(state: WritableState, kind: ConfigKind, pattern: PatternPath, config: object | null): void {
  const at = configPath(kind, pattern.storageLabels);
  if (config === null) {
    state.set(at, null);
    return;
  }
  pattern.labels.forEach((label, i) => {
    if (!label.startsWith('$')) return;
    const other = state.list(configPath(kind, pattern.storageLabels.slice(0, i + 1)), 2).find(([path]) => path !== at);
    if (!other) return;
    const existing = readStoredConfig(other[1], other[0]).pattern;
    const name = labelsOf(existing)[i];
    if (name !== label) {
      throw ainError(
        ErrVariableConflict,
        `${pattern.path} calls level ${i + 1} ${label}, but the ${kind} at ${existing} already calls it ${name}; one variable name per level`,
        {
          path: pattern.path,
          existing,
        },
      );
    }
  });
  state.set(at, storedConfig(pattern, config));
}

/** Size figures of the subtree at `node` for state rules. */
function measure(view: ReadableState, match: RuleMatch): { children: number; height: number; bytes: number } {
  const { node } = match;
  const entries = view.list(node, MAX_READ_LEAVES + 1);
  if (entries.length > MAX_READ_LEAVES) {
    throw ainError(
      ErrTooManyLeaves,
      `${node} holds more than ${MAX_READ_LEAVES} leaves, more than the state rule at ${match.pattern} can count`,
      { path: node, rulePath: match.pattern },
    );
  }
  const children = new Set<string>();
  let height = 0;
  let bytes = 0;
  for (const [path, value] of entries) {
    bytes += utf8Length(canonicalJson(value as StateValue));
    if (path === node) continue;
    const rel = path.slice(node.length + 1);
    const slash = rel.indexOf('/');
    children.add(slash < 0 ? rel : rel.slice(0, slash));
    height = Math.max(height, labelsOf(`/${rel}`).length);
    bytes += utf8Length(rel);
  }
  return { children: children.size, height, bytes };
}

/** Checks a rule's `state` limits on the state after a write. @throws AinError state/6 */
function checkLimits(view: ReadableState, match: RuleMatch): void {
  const limits = match.config.state!;
  const size = measure(view, match);
  const broken = (
    [
      ['max_children', size.children, 'children'],
      ['max_height', size.height, 'levels of height'],
      ['max_bytes', size.bytes, 'bytes'],
    ] as const
  ).find(([key, actual]) => limits[key] !== undefined && actual > limits[key]);
  if (broken) {
    const [key, actual, what] = broken;
    throw ainError(
      ErrStateRuleViolated,
      `${match.node} would have ${actual} ${what}, more than ${key} ${limits[key]} of the rule at ${match.pattern}`,
      {
        path: match.node,
        rulePath: match.pattern,
        limit: key,
      },
    );
  }
}
