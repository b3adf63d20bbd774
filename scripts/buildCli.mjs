// The `aind` CLI's compiled form: cmd/index.ts and everything it imports, bundled with esbuild into
// `dist/cli-<id>/` (git-ignored), one chunk per command so that a run loads only the command it
// names. The TypeScript sources stay the single truth: `dist/cli.json` records every source file
// of the build with its size and mtime (and node_modules' install stamp), `cmd/aind.js` checks them
// on every run and rebuilds when one differs, so a stale build never runs. `scripts/setup.mjs` builds
// it ahead of time. Plain Node; esbuild is imported only when a build is needed.
//
// Bundled code reads its own `import.meta.url` (package.json, the repo root): the build rewrites it
// to the URL of the source file it came from, computed from where the build sits, so the output
// behaves as the sources do wherever the repository lives.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where builds and their manifest live (git-ignored). */
// Two levels below the root, as the sources are: bundled code finds package.json by a relative URL.
export const BUILD_DIR = join(REPO_ROOT, 'dist');
/** The manifest of the current build. */
export const CLI_MANIFEST = join(BUILD_DIR, 'cli.json');
/** The CLI's source entry point. */
export const CLI_SOURCE = join(REPO_ROOT, 'cmd', 'index.ts');
/** npm rewrites this file on every install: its stamp stands for every bundled package. */
const INSTALL_STAMP = join('node_modules', '.package-lock.json');
/** Packages with native parts (loaded from node_modules at run time, never bundled). */
const EXTERNAL = ['lmdb', 'secp256k1', 'esbuild', 'tsx', 'tsx/*'];
/** Old builds are removed once this old (a process started from one may still be loading it). */
const OLD_BUILD_MS = 10 * 60_000;

/** A file's identity for the freshness check: its size and mtime. */
function stamp(path) {
  try {
    const s = statSync(join(REPO_ROOT, path));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function modifiedSince(path, ms) {
  try {
    return statSync(join(REPO_ROOT, path)).mtimeMs >= ms;
  } catch {
    return true;
  }
}

/**
 * The current build when every recorded input still has the size and mtime it had when built.
 * Returns `{ fresh: true, entry }` (entry: the file URL of the built cmd/index) or
 * `{ fresh: false, reason }`.
 */
export function cliBuildState() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(CLI_MANIFEST, 'utf8'));
  } catch {
    return { fresh: false, reason: 'no build yet' };
  }
  const entry = join(BUILD_DIR, manifest.dir ?? '', 'index.mjs');
  if (!existsSync(entry)) return { fresh: false, reason: `${relative(REPO_ROOT, entry)} is missing` };
  for (const [path, recorded] of Object.entries(manifest.inputs ?? {})) {
    if (stamp(path) !== recorded) return { fresh: false, reason: `${path} changed` };
  }
  return { fresh: true, entry: pathToFileURL(entry).href };
}

/** Rewrites `import.meta.url`/`dirname`/`filename` of a source file to that file's own place in the repo. */
function sourceLocationPlugin() {
  return {
    name: 'ain-source-location',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs|js)$/ }, (args) => {
        // Packages keep theirs; so does this file (its rewrite patterns would rewrite themselves).
        if (args.path.includes(`${sep}node_modules${sep}`) || args.path === fileURLToPath(import.meta.url)) return undefined;
        const rel = relative(REPO_ROOT, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(rel)}, __ainRoot).href`;
        const contents = readFileSync(args.path, 'utf8')
          .replaceAll('import.meta.url', url)
          .replaceAll('import.meta.filename', `__ainPath(${url})`)
          .replaceAll('import.meta.dirname', `__ainDirname(__ainPath(${url}))`);
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/** What every output file starts with: `require` for bundled CommonJS, and the repo root the rewrite uses. */
const BANNER = [
  "import { createRequire as __ainCreateRequire } from 'node:module';",
  "import { dirname as __ainDirname } from 'node:path';",
  "import { fileURLToPath as __ainPath } from 'node:url';",
  'const require = __ainCreateRequire(import.meta.url);',
  "const __ainRoot = new URL('../../', import.meta.url);",
].join('\n');

/**
 * Builds the CLI into a new `dist/cli-<id>/`, then points the manifest at it (written whole, so a
 * concurrent run sees the old build or the new one). Returns the file URL of the built cmd/index.
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const id = `cli-${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(BUILD_DIR, id);
  const started = Date.now();
  const result = await build({
    // The metafile's input paths are relative to this folder: the repo root, wherever aind runs from.
    absWorkingDir: REPO_ROOT,
    entryPoints: { index: CLI_SOURCE },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    external: EXTERNAL,
    banner: { js: BANNER },
    plugins: [sourceLocationPlugin()],
    metafile: true,
    logLevel: 'error',
    legalComments: 'none',
    minify: true,
    mainFields: ['module', 'main'],
  });
  const inputs = {};
  for (const path of [...Object.keys(result.metafile.inputs), 'scripts/buildCli.mjs']) {
    if (path.startsWith('node_modules/')) continue;
    // A file written while esbuild ran may not be what it read: recorded so that it never matches.
    inputs[path] = modifiedSince(path, started) ? 'changed during the build' : stamp(path);
  }
  inputs[INSTALL_STAMP] = stamp(INSTALL_STAMP);
  const temp = `${CLI_MANIFEST}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ dir: id, builtAt: new Date().toISOString(), inputs }, null, 1)}\n`);
  renameSync(temp, CLI_MANIFEST);
  removeOldBuilds(id);
  return pathToFileURL(join(outdir, 'index.mjs')).href;
}

function removeOldBuilds(current) {
  for (const name of readdirSync(BUILD_DIR)) {
    if (!name.startsWith('cli-') || name === current) continue;
    const path = join(BUILD_DIR, name);
    if (Date.now() - statSync(path).mtimeMs > OLD_BUILD_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Builds the CLI when it is missing or any of its sources changed. Returns true when it built. */
export async function ensureCliBuild({ quiet = false } = {}) {
  const state = cliBuildState();
  if (state.fresh) return false;
  if (!quiet) console.error(`setup: compiling the aind CLI into dist/ (${state.reason})...`);
  mkdirSync(BUILD_DIR, { recursive: true });
  await buildCli();
  return true;
}

/**
 * The module `cmd/aind.js` runs: the current build, rebuilt first when a source changed. Returns
 * the file URL of the built cmd/index.
 */
export async function cliEntry() {
  const state = cliBuildState();
  if (state.fresh) return state.entry;
  mkdirSync(BUILD_DIR, { recursive: true });
  return buildCli();
}
