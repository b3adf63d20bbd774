/**
 * Package requirements (`"torch>=2.4"`, `"numpy"`, `"jax==0.4.*"`) and whether a runtime an executor
 * registered meets them. A deterministic subset of Python's PEP 440/508: a distribution name (letters,
 * digits, `-`, `_`, `.`; compared lower case with runs of `-_.` as one `-`), then optional specifiers
 * joined by commas, each `==`, `!=`, `>=`, `<=`, `>`, `<` or `~=` and a version. A version is a release
 * (`2.4.1`), optionally a pre-release (`a1`, `b2`, `rc1`), a post (`.post1`) or dev (`.dev3`) part and a
 * local label (`+cu130`, ignored in comparisons); `==`/`!=` take a trailing `.*` (prefix match).
 * Versions compare as integer tuples, never as floats or strings.
 */
import { ainError, type ErrorDefinition } from './errors.ts';

/** Most requirements one function config or job may list. */
export const MAX_REQUIREMENTS = 16;
/** Longest requirement text. */
export const MAX_REQUIREMENT_LENGTH = 100;
/** Most packages one runtime may register. */
export const MAX_RUNTIME_PACKAGES = 1024;

type Operator = '==' | '!=' | '>=' | '<=' | '>' | '<' | '~=';

interface Version {
  readonly release: readonly number[];
  /** Pre-release phase (0 a, 1 b, 2 rc) and number; undefined for a final release. */
  readonly pre: readonly [number, number] | undefined;
  readonly post: number | undefined;
  readonly dev: number | undefined;
}

interface Specifier {
  readonly operator: Operator;
  readonly version: Version;
  /** `==1.2.*`: compare only the release prefix. */
  readonly wildcard: boolean;
}

/** A parsed requirement: the normalized name and its specifiers (none: any version). */
export interface Requirement {
  readonly name: string;
  readonly specifiers: readonly Specifier[];
  readonly text: string;
}

/** A runtime's packages as registered: normalized name -> version text. */
export type PackageVersions = ReadonlyMap<string, string>;

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const VERSION =
  /^v?(\d{1,9}(?:\.\d{1,9}){0,9})(?:[-_.]?(a|b|rc|alpha|beta|c)[-_.]?(\d{0,9}))?(?:[-_.]?post[-_.]?(\d{0,9}))?(?:[-_.]?dev[-_.]?(\d{0,9}))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;
const SPECIFIER = /^(==|!=|>=|<=|~=|>|<)\s*([^\s,]+)$/;
const PRE_PHASE: Readonly<Record<string, number>> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2 };

/** Python's distribution name normalization: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A version's parts, or undefined when the text is not a version this subset reads. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  const number = (digits: string | undefined) => (digits === undefined ? undefined : Number(digits === '' ? '0' : digits));
  const phase = match[2]?.toLowerCase();
  return {
    release: match[1]!.split('.').map(Number),
    pre: phase === undefined ? undefined : [PRE_PHASE[phase]!, number(match[3]) ?? 0],
    post: number(match[4]),
    dev: number(match[5]),
  };
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** PEP 440 order: dev releases before pre-releases before the release before its post releases. */
export function compareVersions(a: Version, b: Version): number {
  const release = compareNumbers(a.release, b.release);
  if (release !== 0) return release;
  // A key per version: [pre phase or 3 for none (or -1 for a bare dev), pre number, post or -1, dev or +inf].
  const key = (v: Version): number[] => [
    v.pre ? v.pre[0] : v.post === undefined && v.dev !== undefined ? -1 : 3,
    v.pre ? v.pre[1] : 0,
    v.post ?? -1,
    v.dev ?? Number.MAX_SAFE_INTEGER,
  ];
  return compareNumbers(key(a), key(b));
}

/**
 * Parses one requirement.
 * @throws AinError `error` naming `field` and what was expected
 * @example parseRequirement('torch>=2.4,<3', 'requires[0]', ErrInvalidFunctionConfig).name // 'torch'
 */
export function parseRequirement(text: string, field: string, error: ErrorDefinition): Requirement {
  const fail = (detail: string): never => {
    throw ainError(error, `${field} ${JSON.stringify(text)} ${detail}`, { field });
  };
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_REQUIREMENT_LENGTH)
    fail(`must be a package requirement of 1 to ${MAX_REQUIREMENT_LENGTH} characters, e.g. "torch>=2.4"`);
  const cut = text.search(/[=!<>~]/);
  const name = (cut < 0 ? text : text.slice(0, cut)).trim();
  if (!NAME.test(name)) fail('must start with a package name (letters, digits, "-", "_", ".")');
  const specifiers: Specifier[] = [];
  if (cut >= 0) {
    for (const part of text.slice(cut).split(',')) {
      const match = SPECIFIER.exec(part.trim());
      if (!match) fail(`has a bad version specifier ${JSON.stringify(part.trim())}; expected e.g. ">=2.4" or "==1.26.*"`);
      const operator = match![1] as Operator;
      const wildcard = match![2]!.endsWith('.*');
      if (wildcard && operator !== '==' && operator !== '!=') fail('uses ".*" with an operator other than == or !=');
      const version = parseVersion(wildcard ? match![2]!.slice(0, -2) : match![2]!);
      if (!version) fail(`has a version ${JSON.stringify(match![2])} that is not a release like 2.4.1`);
      if (operator === '~=' && version!.release.length < 2) fail('uses ~= with a one-part version; expected e.g. ~=2.4');
      specifiers.push({ operator, version: version!, wildcard });
    }
  }
  return { name: normalizePackageName(name), specifiers, text };
}

/**
 * Checks a list of requirements (at most {@link MAX_REQUIREMENTS}, no package twice).
 * @throws AinError `error` naming the entry
 */
export function parseRequirements(list: unknown, field: string, error: ErrorDefinition): Requirement[] {
  if (!Array.isArray(list) || list.length > MAX_REQUIREMENTS)
    throw ainError(error, `${field} must be a list of at most ${MAX_REQUIREMENTS} package requirements`, { field });
  const parsed = list.map((text, i) => parseRequirement(text as string, `${field}[${i}]`, error));
  const names = new Set<string>();
  for (const requirement of parsed) {
    if (names.has(requirement.name)) throw ainError(error, `${field} names ${requirement.name} twice`, { field });
    names.add(requirement.name);
  }
  return parsed;
}

function matches(specifier: Specifier, version: Version): boolean {
  const { operator, version: wanted } = specifier;
  if (specifier.wildcard) {
    const prefix = compareNumbers(version.release.slice(0, wanted.release.length), wanted.release) === 0;
    return operator === '==' ? prefix : !prefix;
  }
  const order = compareVersions(version, wanted);
  switch (operator) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '~=': {
      // ~=2.4.1 is >=2.4.1 and ==2.4.*: the same release prefix without the last part.
      const prefix = wanted.release.slice(0, -1);
      return order >= 0 && compareNumbers(version.release.slice(0, prefix.length), prefix) === 0;
    }
  }
}

/** The first requirement a runtime's packages do not meet, or undefined when they meet them all. */
export function unmetRequirement(requirements: readonly Requirement[], packages: PackageVersions): Requirement | undefined {
  return requirements.find((requirement) => {
    const installed = packages.get(requirement.name);
    if (installed === undefined) return true;
    if (requirement.specifiers.length === 0) return false;
    const version = parseVersion(installed);
    return version === undefined || !requirement.specifiers.every((specifier) => matches(specifier, version));
  });
}
