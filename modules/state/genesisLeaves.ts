/**
 * The state module's leaves as InitChain checks them in an exported genesis: every rule, owner and
 * function config must be one MsgSetRule, MsgSetOwner or MsgSetFunction could have stored (the same
 * parsers, so a config parses as a tx would have stored it), at the path its pattern is kept under,
 * with one variable name per level; every app record as MsgCreateApp writes it. Without these checks a
 * hand-edited config was imported as it was and only the tx that later read it failed (state/8-10).
 * App values under `/apps` are the users' data and stay free-form, but like every config they belong
 * to an app that has a record: on a chain a config or value under `/apps/<app>` exists only after
 * MsgCreateApp (whose owner config at `/apps/<app>` every later config and rule descends from), and
 * nothing deletes an app record.
 */
import { z } from 'zod';
import {
  AinError,
  ainError,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type StateValue,
  type SubtreeLeaves,
} from '../../core/index.ts';
import { parseFunctionConfig, parseOwnerConfig, parseRuleConfig, readStoredConfig, storedConfig } from './configs.ts';
import {
  appCreatorPath,
  appPath,
  APPS_ROOT,
  appPublicPath,
  CONFIG_ROOTS,
  type ConfigKind,
  configPath,
  MANAGE_APP_ROOT,
  manageAppPath,
  type PatternPath,
  parseConfigPattern,
} from './keys.ts';
import { checkApp } from './msgs.ts';

const FIELD = 'genesis state.leaves';
const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);

/** Each config kind: the parser its message's keeper runs, and the message. */
const CONFIG_KINDS: readonly {
  kind: ConfigKind;
  message: string;
  parse: (text: string, pattern: PatternPath, field: string) => object | null;
}[] = [
  { kind: 'rule', message: 'MsgSetRule', parse: parseRuleConfig },
  { kind: 'owner', message: 'MsgSetOwner', parse: parseOwnerConfig },
  { kind: 'function', message: 'MsgSetFunction', parse: parseFunctionConfig },
];

/** What `createApp` writes under `/manage_app/<app>/config`. */
const APP_LEAVES: readonly LeafKind[] = [
  { path: `${MANAGE_APP_ROOT}/*/config/admin/*`, schema: leafShapes.flag },
  { path: `${MANAGE_APP_ROOT}/*/config/public`, schema: z.boolean() },
  { path: `${MANAGE_APP_ROOT}/*/config/creator`, schema: leafShapes.address },
];

/**
 * Checks the state leaves of a genesis: configs as their messages store them, app records as
 * MsgCreateApp writes them, and every value and config under an app with a record, in the leaves or
 * among `createdApps` (the genesis' `apps`, created after the leaves are restored). See the file's comment.
 * @throws AinError sdk/18 naming the leaf and what was expected
 */
export function checkStateLeaves(leaves: SubtreeLeaves, createdApps: readonly string[]): void {
  // Per kind: the variable name each `$` level of a config path holds (`/rules/apps/a/$` -> `$user`).
  const variables = new Map<string, { name: string; pattern: string }>();
  for (const [path, value] of Object.entries(leaves)) {
    const config = CONFIG_KINDS.find(({ kind }) => path.startsWith(`${CONFIG_ROOTS[kind]}/`));
    if (config === undefined) continue;
    const pattern = checkConfigLeaf(path, value, config);
    pattern.labels.forEach((label, i) => {
      if (!label.startsWith('$')) return;
      const level = configPath(config.kind, pattern.storageLabels.slice(0, i + 1));
      const other = variables.get(level);
      if (other === undefined) variables.set(level, { name: label, pattern: pattern.path });
      else if (other.name !== label)
        throw refuse(
          path,
          `calls level ${i + 1} of ${pattern.path} ${label}, but the ${config.kind} at ${other.pattern} calls it ${other.name}; one variable name per level`,
        );
    });
  }
  const recorded = checkAppRecords(leaves);
  for (const name of createdApps) recorded.add(name);
  checkAppsRecorded(leaves, recorded);
}

/** Every value and config leaf lies under `/apps/<app>` of an app in `recorded`. */
function checkAppsRecorded(leaves: SubtreeLeaves, recorded: ReadonlySet<string>): void {
  for (const path of Object.keys(leaves)) {
    const labels = path.split('/');
    // A value `/apps/<app>/...`, or a config `/rules/apps/<app>/...` (its pattern was checked above).
    const config = CONFIG_KINDS.find(({ kind }) => labels[1] === CONFIG_ROOTS[kind].slice(1));
    const what = config
      ? `${config.kind === 'owner' ? 'an' : 'a'} ${config.kind} config`
      : labels[1] === APPS_ROOT.slice(1)
        ? 'a value'
        : undefined;
    if (what === undefined) continue;
    const app = config ? labels[3] : labels[2];
    if (app === undefined) throw refuse(path, 'is not under an app; expected /apps/<app>/...');
    if (recorded.has(app)) continue;
    throw refuse(
      path,
      `is ${what} under ${appPath(app)}, but app ${app} has no record: expected ${manageAppPath(app)}/config (its admin, public and creator leaves, as MsgCreateApp writes them) or ${app} in state.apps`,
    );
  }
}

/** A config leaf: its stored pattern kept at this path, its config as the message's parser takes it, in the stored form. */
function checkConfigLeaf(path: string, value: StateValue, { kind, message, parse }: (typeof CONFIG_KINDS)[number]): PatternPath {
  const as = `is not a config ${message} could have stored:`;
  let stored: ReturnType<typeof readStoredConfig>;
  try {
    stored = readStoredConfig(value, path);
  } catch {
    throw refuse(path, `${as} expected JSON text of an object with its "pattern"`);
  }
  const pattern = asStored(path, as, () => parseConfigPattern(kind, stored.pattern, 'pattern'));
  const at = configPath(kind, pattern.storageLabels);
  if (at !== path) throw refuse(path, `has pattern ${stored.pattern}, whose ${kind} config is kept at ${at}`);
  // The rule language's own errors (rules/1-3) name a position in the expression, not the field.
  const config = asStored(path, as, () => parse(value as string, pattern, kind), { rules: `${kind}.write` });
  const expected = storedConfig(pattern, config!);
  if (expected !== value) throw refuse(path, `${as} expected it as stored, ${expected}`);
  return pattern;
}

/** Runs a check of the tx path; its refusal becomes sdk/18 naming the leaf (and the field, for a codespace in `fields`). */
function asStored<T>(path: string, as: string, check: () => T, fields: Readonly<Record<string, string>> = {}): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    const field = Object.hasOwn(fields, error.codespace) ? ` ${fields[error.codespace]}:` : '';
    throw refuse(path, `${as}${field} ${error.message}`);
  }
}

/**
 * Each app: admin, public and creator leaves only, as MsgCreateApp writes them, and its admins as
 * MsgCreateApp takes them. Returns the apps recorded.
 */
function checkAppRecords(leaves: SubtreeLeaves): Set<string> {
  checkLeafKinds(leaves, APP_LEAVES, FIELD);
  const admins = new Map<string, string[]>();
  for (const path of Object.keys(leaves)) {
    if (!path.startsWith(`${MANAGE_APP_ROOT}/`)) continue;
    const labels = path.split('/');
    const name = labels[2]!;
    const known = labels.length === 6 ? labels[4] === 'admin' : path === appPublicPath(name) || path === appCreatorPath(name);
    if (!known || labels[3] !== 'config')
      throw refuse(path, `is not a leaf of an app record; expected ${manageAppPath(name)}/config/admin/<address>, public or creator`);
    if (labels.length === 6) admins.set(name, [...(admins.get(name) ?? []), labels[5]!]);
    else if (!admins.has(name)) admins.set(name, []);
  }
  for (const [name, list] of admins) {
    for (const path of [appPublicPath(name), appCreatorPath(name)])
      if (leaves[path] === undefined) throw ainError(ErrInvalidRequest, `${FIELD} lacks "${path}", a leaf of app ${name}'s record`);
    asStored(manageAppPath(name), 'is not an app record MsgCreateApp could have written:', () => checkApp(name, list, 'app'));
  }
  return new Set(admins.keys());
}
