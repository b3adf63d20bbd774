/**
 * The house rules, checked on the import graph of the sources (`importGraph.ts`): every failure names
 * the files. See docs/ARCHITECTURE.md ("Layers") for the picture these rules keep true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, faceOf, LAYERS, layerOf, ROOT, readSources, type SourceFile, unitOf } from './importGraph.ts';

/** A file a newcomer can hold in mind. */
const MAX_FILE_LINES = 600;

const sources = readSources();
const byPath = new Map(sources.map((file) => [file.path, file]));
const code = sources.filter((file) => !file.isTest);

/** Generated protobuf code and the plain-Node setup scripts have no face: their files are imported directly. */
const FACELESS = (path: string): boolean => path.startsWith('proto/') || path.startsWith('scripts/');

/** Folders whose code runs inside CheckTx, FinalizeBlock and Commit (app's socket server and REST gateway aside). */
const CONSENSUS = (path: string): boolean =>
  ['core/', 'tree/', 'modules/', 'app/', 'proto/'].some((prefix) => path.startsWith(prefix)) &&
  !path.startsWith('tree/lmdb/') &&
  !path.startsWith('app/abci/') &&
  !path.startsWith('app/rest/') &&
  // The node runner (sockets, the CometBFT child) and the face that offers it to the CLI.
  path !== 'app/node.ts' &&
  path !== 'app/index.ts';

/**
 * Packages consensus code may use, with the names it may take where a package also holds I/O
 * (the amino converters of @cosmjs/stargate, never its clients).
 */
const PURE_PACKAGES: ReadonlyArray<readonly [RegExp, ReadonlySet<string> | undefined]> = [
  [/^cosmjs-types\//, undefined],
  [/^@cosmjs\/(encoding|amino|math)$/, undefined],
  [/^@bufbuild\/protobuf(\/.*)?$/, undefined],
  [/^secp256k1$/, undefined],
  [/^@noble\/(hashes|curves)(\/.*)?$/, undefined],
  [/^node:crypto$/, new Set(['createHash', 'hash'])],
  [/^node:buffer$/, new Set(['Buffer'])],
  [/^@cosmjs\/stargate$/, new Set(['AminoTypes', 'createDefaultAminoConverters', 'defaultRegistryTypes'])],
  [/^@cosmjs\/proto-signing$/, new Set(['Registry'])],
  // Schemas of genesis records: validation only, the same answer for the same input.
  [/^zod$/, new Set(['z'])],
];

/** What consensus code may not say: the clock, randomness, the environment, timers, code evaluation. */
const IMPURE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bDate\.now\b|\bnew Date\(\s*\)|\bperformance\b|\bprocess\.hrtime\b/, 'reads the clock'],
  [/\bMath\.random\b|\brandomBytes\b|\brandomUUID\b|\brandomInt\b|\bgetRandomValues\b/, 'reads randomness'],
  [/\bprocess\s*\.|\bprocess\s*\[|\bglobalThis\b/, 'reads the process or the environment'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b|\bqueueMicrotask\b/, 'uses timers'],
  [/\beval\s*\(|\bnew Function\b|\bFunction\s*\(/, 'evaluates code'],
];

function importsOf(file: SourceFile, includeTypes = true) {
  return file.imports.filter((edge) => includeTypes || !edge.typeOnly);
}

describe('the house', () => {
  it('reads a non-trivial graph', () => {
    expect(code.length).toBeGreaterThan(150);
    expect(sources.filter((file) => file.isTest).length).toBeGreaterThan(80);
  });

  it('keeps every source file under 600 lines (generated code and tests aside)', () => {
    const long = code
      .filter((file) => !file.path.startsWith('test/') && !file.path.startsWith('bench/'))
      .map((file) => [file.path, readFileSync(join(ROOT, file.path), 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_FILE_LINES)
      .map(([path, lines]) => `${path}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('has no import loop between files (type imports included)', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of code) {
      edges.set(
        file.path,
        new Set(importsOf(file).flatMap((edge) => (edge.target && byPath.get(edge.target)?.isTest === false ? [edge.target] : []))),
      );
    }
    expect(cycles(edges).map((loop) => loop.join(' -> '))).toEqual([]);
  });

  it('has no import loop between modules', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of code) {
      const from = unitOf(file.path);
      if (!from.startsWith('modules/')) continue;
      for (const edge of file.imports) {
        const to = edge.target && unitOf(edge.target);
        if (to?.startsWith('modules/') && to !== from) {
          if (!edges.has(from)) edges.set(from, new Set());
          edges.get(from)!.add(to);
        }
      }
    }
    expect(cycles(edges).map((loop) => loop.join(' <-> '))).toEqual([]);
  });

  it(`imports only downwards through the layers (${LAYERS.map((layer) => layer.join(', ')).join(' < ')})`, () => {
    const upward: string[] = [];
    for (const file of sources) {
      if (file.path.startsWith('test/') || file.path.startsWith('bench/')) continue;
      const from = unitOf(file.path);
      for (const edge of file.imports) {
        if (!edge.target) continue;
        const to = unitOf(edge.target);
        if (to === from) continue;
        // Tests beside the code may use the shared test helpers (keys, signed txs).
        if (file.isTest && edge.target.startsWith('test/helpers/')) continue;
        if (layerOf(to) > layerOf(from)) upward.push(`${file.path} -> ${edge.target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('crosses into another folder only through its face (index.ts)', () => {
    const sideways: string[] = [];
    for (const file of sources) {
      if (file.path.startsWith('test/') || file.path.startsWith('bench/')) continue;
      const from = unitOf(file.path);
      for (const edge of file.imports) {
        if (!edge.target || FACELESS(edge.target)) continue;
        const to = unitOf(edge.target);
        if (to === from || edge.target === faceOf(to)) continue;
        // A command folder's index.ts mounts its subcommands' faces (cmd/tx -> cmd/tx/state).
        if (file.isTest && edge.target.startsWith('test/helpers/')) continue;
        // aind's root takes only the runner from cmd/common: the face would load every command's code
        // before the one command a run names is chosen (`aind --version` would parse all of it).
        if (file.path === 'cmd/index.ts' && edge.target === 'cmd/common/cli.ts') continue;
        sideways.push(`${file.path} -> ${edge.target}`);
      }
    }
    expect(sideways).toEqual([]);
  });

  it('keeps commands apart: a command imports cmd/common and its own subcommands, never another command', () => {
    const crossing: string[] = [];
    for (const file of sources) {
      if (!file.path.startsWith('cmd/')) continue;
      const from = file.path.split('/')[1]!;
      for (const edge of file.imports) {
        if (!edge.target?.startsWith('cmd/')) continue;
        const to = edge.target.split('/')[1]!;
        const mounting = file.path === 'cmd/index.ts' && edge.target.endsWith('/index.ts');
        if (to === from || to === 'common' || mounting || /\.(ts|js)$/.test(from)) continue;
        crossing.push(`${file.path} -> ${edge.target}`);
      }
    }
    expect(crossing).toEqual([]);
  });

  it('keeps consensus code pure: it imports nothing that reaches a socket, the disk, a clock, randomness, the environment or a child process', () => {
    const impure: string[] = [];
    for (const file of code.filter((f) => CONSENSUS(f.path))) {
      for (const edge of file.imports) {
        if (edge.dynamic) impure.push(`${file.path}: dynamic import(${edge.specifier})`);
        // A type import is erased before the code runs: it names a shape, it reaches nothing.
        else if (edge.typeOnly) continue;
        else if (edge.target) {
          if (!CONSENSUS(edge.target)) impure.push(`${file.path} -> ${edge.target} (not consensus code)`);
        } else if (!edge.specifier.startsWith('.')) {
          const allowed = PURE_PACKAGES.find(([pattern]) => pattern.test(edge.specifier));
          if (!allowed) impure.push(`${file.path} -> ${edge.specifier}`);
          else if (allowed[1] && edge.names.some((name) => !allowed[1]!.has(name)))
            impure.push(`${file.path} -> ${edge.specifier} { ${edge.names.filter((name) => !allowed[1]!.has(name)).join(', ')} }`);
        } else impure.push(`${file.path} -> ${edge.specifier} (does not resolve)`);
      }
      for (const [pattern, what] of IMPURE) if (pattern.test(file.code)) impure.push(`${file.path}: ${what}`);
    }
    expect(impure).toEqual([]);
  });
});
