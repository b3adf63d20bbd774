/**
 * The state module's subtrees and the paths it accepts.
 *
 * - Values: `/apps/<app>/...`, labels never starting with `$`.
 * - Configs, each in its own top-level subtree mirroring the pattern path: rules at
 *   `/rules/<pattern>`, owners at `/owners/<path>`, functions at `/functions/<pattern>`. A pattern label
 *   `$name` is stored as the label `$` (one variable per level), and the config leaf is JSON text that
 *   keeps the original pattern: `/rules/apps/blog/posts/$` =
 *   `{"pattern":"/apps/blog/posts/$user","write":"auth.addr == $user"}`.
 * - Apps: `/manage_app/<app>/config/{admin/<addr>, public, creator}`.
 */
import { type AinError, ainError, ErrUnauthorized } from '../../core/index.ts';
import { MAX_PATH_DEPTH, normalizePath, ROOT_PATH } from '../../tree/index.ts';
import { ErrInvalidStatePath } from './errors.ts';

export const APPS_ROOT = '/apps';
export const RULES_ROOT = '/rules';
export const OWNERS_ROOT = '/owners';
export const FUNCTIONS_ROOT = '/functions';
export const MANAGE_APP_ROOT = '/manage_app';

/** The three config subtrees, by kind. */
export type ConfigKind = 'rule' | 'owner' | 'function';
export const CONFIG_ROOTS: Readonly<Record<ConfigKind, string>> = { rule: RULES_ROOT, owner: OWNERS_ROOT, function: FUNCTIONS_ROOT };

/** App names: AI Network's `^[a-z_][a-z0-9_]*$`, at most 64 characters. */
export const APP_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const MAX_APP_NAME_LENGTH = 64;
/** A config's storage path has one more label (`/rules`) than its pattern, so patterns are one shorter than values. */
export const MAX_PATTERN_DEPTH = MAX_PATH_DEPTH - 1;
/** The stored label of every `$variable` of a pattern. */
export const VARIABLE_LABEL = '$';
/** A pattern variable: `$` and a rule-language word. */
export const VARIABLE_PATTERN = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

/** A checked value path under `/apps/<app>`. */
export interface ValuePath {
  readonly path: string;
  readonly labels: readonly string[];
}

/** A checked config pattern under `/apps/<app>`: `$name` labels allowed where the kind allows them. */
export interface PatternPath {
  /** The canonical pattern as written, e.g. `/apps/blog/posts/$user`. */
  readonly path: string;
  readonly labels: readonly string[];
  /** Labels with every `$name` replaced by `$`. */
  readonly storageLabels: readonly string[];
  /** The variable names in order, with their `$`. */
  readonly vars: readonly string[];
}

export function labelsOf(canonical: string): string[] {
  return canonical === ROOT_PATH ? [] : canonical.slice(1).split('/');
}

export function pathOf(labels: readonly string[]): string {
  return labels.length === 0 ? ROOT_PATH : `/${labels.join('/')}`;
}

function underApps(path: string, field: string): { canonical: string; labels: string[] } {
  const canonical = normalizePath(path);
  const labels = labelsOf(canonical);
  if (labels.length < 2 || labels[0] !== 'apps') {
    throw ainError(ErrUnauthorized, `${field} ${canonical} is outside /apps/<app>/...; state messages read and write only there`, {
      path: canonical,
    });
  }
  return { canonical, labels };
}

/**
 * Checks a value path: a valid store path under `/apps/<app>` with no label starting with `$`.
 * @throws AinError sdk/4 outside `/apps/<app>/...`, state/3 for a `$` label, store/1-5 for a bad path
 * @example parseValuePath('apps/blog/posts/') // { path: '/apps/blog/posts', labels: ['apps', 'blog', 'posts'] }
 */
export function parseValuePath(path: string, field = 'path'): ValuePath {
  const { canonical, labels } = underApps(path, field);
  labels.forEach((label, i) => {
    if (label.startsWith('$')) {
      throw ainError(
        ErrInvalidStatePath,
        `${field} ${canonical}: label ${i + 1} "${label}" starts with '$', which only rule and function patterns may use`,
        { path: canonical },
      );
    }
  });
  return { path: canonical, labels };
}

/**
 * Checks a config pattern. With `allowVars`, a label starting with `$` must be a variable `$name`
 * (`[A-Za-z_][A-Za-z0-9_]*`), not the app label, and not repeated; without it (owners), no label may
 * start with `$`. At most {@link MAX_PATTERN_DEPTH} labels.
 * @throws AinError sdk/4 outside `/apps/<app>/...`, state/3 otherwise
 */
export function parsePattern(path: string, allowVars: boolean, field = 'path'): PatternPath {
  const { canonical, labels } = underApps(path, field);
  if (labels.length > MAX_PATTERN_DEPTH) {
    throw ainError(
      ErrInvalidStatePath,
      `${field} ${canonical} has ${labels.length} labels; a config path has at most ${MAX_PATTERN_DEPTH} (its subtree adds one)`,
      { path: canonical },
    );
  }
  const vars: string[] = [];
  const storageLabels = labels.map((label, i) => {
    if (!label.startsWith('$')) return label;
    if (!allowVars) {
      throw ainError(
        ErrInvalidStatePath,
        `${field} ${canonical}: label ${i + 1} "${label}" starts with '$'; owner paths take no variables`,
        { path: canonical },
      );
    }
    if (i === 1)
      throw ainError(ErrInvalidStatePath, `${field} ${canonical}: the app label must be a name, not a variable`, { path: canonical });
    if (!VARIABLE_PATTERN.test(label)) {
      throw ainError(
        ErrInvalidStatePath,
        `${field} ${canonical}: label ${i + 1} "${label}" is not a variable; expected ${VARIABLE_PATTERN.source}`,
        { path: canonical },
      );
    }
    if (vars.includes(label))
      throw ainError(ErrInvalidStatePath, `${field} ${canonical}: variable ${label} appears twice`, { path: canonical });
    vars.push(label);
    return VARIABLE_LABEL;
  });
  return { path: canonical, labels, storageLabels, vars };
}

/** Where a config of `kind` for pattern labels (already in storage form) is stored. */
export const configPath = (kind: ConfigKind, storageLabels: readonly string[]): string =>
  `${CONFIG_ROOTS[kind]}/${storageLabels.join('/')}`;

/**
 * Checks the pattern of a `kind` config: {@link parsePattern} (variables for rules and functions, none
 * for owners), and that the paths a config set reads and writes fit the store's key bound: its config
 * path (`/rules/...` adds 6 key bytes, `/functions/...` 10) and, for the owner check, `/owners/...` with
 * the pattern's labels as written (7).
 * @throws AinError sdk/4 outside `/apps/<app>/...`, state/3 otherwise (store/1-5 for a bad path)
 */
export function parseConfigPattern(kind: ConfigKind, path: string, field = 'path'): PatternPath {
  const pattern = parsePattern(path, kind !== 'owner', field);
  for (const at of [configPath(kind, pattern.storageLabels), configPath('owner', pattern.labels)]) {
    try {
      normalizePath(at);
    } catch (cause) {
      throw ainError(
        ErrInvalidStatePath,
        `${field} ${pattern.path} is too long for a ${kind} config: ${at.slice(0, at.indexOf('/', 1))}/..., where it is kept or its owner is looked up, is a path the store refuses (${(cause as AinError).message})`,
        { path: pattern.path },
      );
    }
  }
  return pattern;
}

/**
 * Whether the store can hold `path`, whose labels are valid: its key within the store's bound. A
 * config path built from a value path near the bound can be past it, and then holds nothing.
 */
export function isStorablePath(path: string): boolean {
  try {
    normalizePath(path);
    return true;
  } catch {
    return false;
  }
}

export const manageAppPath = (app: string): string => `${MANAGE_APP_ROOT}/${app}`;
export const appAdminPath = (app: string, address: string): string => `${MANAGE_APP_ROOT}/${app}/config/admin/${address}`;
export const appPublicPath = (app: string): string => `${MANAGE_APP_ROOT}/${app}/config/public`;
export const appCreatorPath = (app: string): string => `${MANAGE_APP_ROOT}/${app}/config/creator`;
export const appPath = (app: string): string => `${APPS_ROOT}/${app}`;
