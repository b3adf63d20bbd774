/**
 * The project's import graph, read from the sources, and the house rules checked on it
 * (`test/house/house.test.ts`): layers with arrows one way, faces, no loops, pure consensus code.
 * Plain `node:fs` and regular expressions: the files are ours and follow one import style.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

const SKIPPED = new Set(['node_modules', '.git', '.bin', '.gpu', 'dist', 'gen']);
const SOURCE = /\.(ts|mts|mjs|js)$/;

/** One import statement of a file: the specifier as written and the names it takes. */
export interface ImportEdge {
  readonly specifier: string;
  /** The repository file it resolves to (relative specifiers only). */
  readonly target: string | undefined;
  /** `import('...')` rather than a static import. */
  readonly dynamic: boolean;
  /** Named imports (`{ a, b as c }` gives a, b); `*` for a namespace import. */
  readonly names: readonly string[];
  readonly typeOnly: boolean;
}

export interface SourceFile {
  readonly path: string;
  readonly code: string;
  readonly imports: readonly ImportEdge[];
  /** A test or a fixture: `*.test.ts`, `*.fixture.ts`. */
  readonly isTest: boolean;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (SKIPPED.has(entry.name) || path.startsWith('proto/gen')) continue;
    if (entry.isDirectory()) walk(path, out);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.d.mts')) out.push(path);
  }
}

/** Code without comments, so that a comment naming `Date.now` is not a clock read. */
export function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const STATIC = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\s*\(\s*(['"]?)([^'")]*)\1\s*\)/g;

function namesOf(clause: string): string[] {
  if (/^\*\s+as\s+/.test(clause)) return ['*'];
  const braces = /\{([^}]*)\}/.exec(clause);
  const named = braces
    ? braces[1]!
        .split(',')
        .map((part) =>
          part
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0]!
            .trim(),
        )
        .filter(Boolean)
    : [];
  const fallback = clause
    .replace(/\{[^}]*\}/, '')
    .replace(/,/g, '')
    .trim();
  return fallback && fallback !== 'type' ? ['default', ...named] : named;
}

function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = normalize(join(dirname(from), specifier));
  // Generated protobuf code is not read, but it is a known place.
  if (base.startsWith('proto/gen/')) return base;
  for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

/** Every source file of the repository (generated protobuf code aside) with its imports. */
export function readSources(): SourceFile[] {
  const paths: string[] = [];
  walk('', paths);
  const known = new Set(paths);
  return paths.map((path) => {
    const code = stripComments(readFileSync(join(ROOT, path), 'utf8'));
    const imports: ImportEdge[] = [];
    for (const m of code.matchAll(STATIC)) {
      const specifier = m[4]!;
      const typeOnly = Boolean(m[2]) || /^\{\s*(type\s+[^,}]+,?\s*)+\}$/.test(m[3]!.trim());
      imports.push({ specifier, target: resolve(path, specifier, known), dynamic: false, names: namesOf(m[3]!), typeOnly });
    }
    for (const m of code.matchAll(BARE)) {
      imports.push({ specifier: m[1]!, target: resolve(path, m[1]!, known), dynamic: false, names: [], typeOnly: false });
    }
    for (const m of code.matchAll(DYNAMIC)) {
      imports.push({ specifier: m[2]!, target: resolve(path, m[2]!, known), dynamic: true, names: [], typeOnly: false });
    }
    return { path, code, imports, isTest: /\.(test|fixture)\.[a-z]+$/.test(path) || path.startsWith('test/') || path.startsWith('bench/') };
  });
}

/**
 * The layers, bottom first. A file may import its own unit and the units of lower layers, never a
 * higher layer; units of one layer may import each other only where `SIDEWAYS` says so.
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['core', 'proto', 'scripts'],
  ['tree'],
  ['tree/lmdb'],
  ['modules'],
  ['client'],
  // ui: the web explorer's browser code (bundled by scripts/buildUi.mjs, served by app/rest as files).
  ['app', 'storage', 'ui'],
  ['home', 'executor', 'relayer'],
  ['localnet'],
  ['cmd'],
  ['test', 'bench', 'examples'],
];

/** The unit a file belongs to: `modules/<name>`, `cmd/<name>`, `tree/lmdb` or a top-level folder. */
export function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts.length === 1) return '.';
  if (parts[0] === 'modules' || parts[0] === 'cmd') return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  if (parts[0] === 'tree' && parts[1] === 'lmdb') return 'tree/lmdb';
  return parts[0]!;
}

/** The layer index of a unit (`modules/bank` is in the `modules` layer). */
export function layerOf(unit: string): number {
  const folder = unit === 'tree/lmdb' ? unit : unit.split('/')[0]!;
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return index < 0 ? LAYERS.length : index;
}

/** The face a unit's callers import: its `index.ts`. */
export function faceOf(unit: string): string {
  return `${unit}/index.ts`;
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

export const relativeToRoot = (path: string): string => relative(ROOT, path);
