/**
 * The environment write rules read through: the state as it is before the write being judged (the
 * tx's view, so earlier ops of a batch are visible). Every path is validated as a state path by the
 * store's `normalizePath`; an invalid one throws an AinError, which makes the rule false with that
 * reason. Reads are bounded, and charged twice: by the rule's gas meter and by the tx's state meter.
 */
import { normalizePath } from '../../tree/index.ts';
import type { ReadableState, JsonValue } from '../../core/index.ts';
import { permissionsOf } from './configs.ts';
import { closestOwner, readConfig } from './configStore.ts';
import { readJson } from './json.ts';
import { APP_NAME_PATTERN, appAdminPath, labelsOf, MAX_APP_NAME_LENGTH } from './keys.ts';
import type { RuleEnvironment } from './rules/types.ts';

/** Most leaves `getValue` returns to a rule; a bigger subtree is a runtime error (the rule is false). */
export const MAX_RULE_READ_LEAVES = 1000;

/** Labels an address must fit in to be looked up (no `/`, valid label); anything else is simply not an admin. */
function isLabel(text: string): boolean {
  if (text.length === 0 || text.includes('/')) return false;
  try {
    normalizePath(`/${text}`);
    return true;
  } catch {
    return false;
  }
}

export class StateRuleEnvironment implements RuleEnvironment {
  /** `childValuePath` maps a shard and a path of its chain to where the proven value is stored (the shards module's guard). */
  constructor(
    private readonly state: ReadableState,
    private readonly childValuePath?: (shard: string, path: string) => string,
  ) {}

  getValue(path: string): JsonValue {
    return readJson(this.state, normalizePath(path), MAX_RULE_READ_LEAVES);
  }

  getRule(path: string): JsonValue {
    return readConfig(this.state, 'rule', path);
  }

  getOwner(path: string): JsonValue {
    return readConfig(this.state, 'owner', path);
  }

  getFunction(path: string): JsonValue {
    return readConfig(this.state, 'function', path);
  }

  /** `/manage_app/<app>/config/admin/<addr>` is true. */
  isAppAdmin(app: string, addr: string): boolean {
    if (app.length > MAX_APP_NAME_LENGTH || !APP_NAME_PATTERN.test(app) || !isLabel(addr)) return false;
    return this.state.get(appAdminPath(app, addr)) === true;
  }

  /** A child chain's value proven here: null on a chain without the shards module or without that proof. */
  getChildValue(shard: string, path: string): JsonValue {
    if (!this.childValuePath) return null;
    return readJson(this.state, normalizePath(this.childValuePath(shard, normalizePath(path))), MAX_RULE_READ_LEAVES);
  }

  /** The owner config governing `path` (the closest at or above it) gives `addr` (or `*`) `write_owner`. */
  isOwner(path: string, addr: string): boolean {
    const labels = labelsOf(normalizePath(path));
    if (labels.length < 2 || labels[0] !== 'apps') return false;
    const owner = closestOwner(this.state, labels);
    return owner !== undefined && permissionsOf(owner.config, addr)?.write_owner === true;
  }
}
