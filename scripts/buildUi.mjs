// Builds the web explorer (ui/) into dist/ui/ with esbuild: one ES module bundle, its CSS and the
// page that loads them. The TypeScript in ui/ stays the single truth; dist/ is git-ignored. The setup
// step builds it, and the REST server builds it on the first /ui request when it is missing or stale.
//
// Stale means: a file esbuild read for the last build (listed in dist/ui/inputs.json from its
// metafile) changed after it, or the build script itself did.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the bundle goes. */
export const UI_DIST = join(REPO_ROOT, 'dist', 'ui');
const UI_SRC = join(REPO_ROOT, 'ui');
const INPUTS = join(UI_DIST, 'inputs.json');

/** True when dist/ui/ is missing or older than one of the files it was built from. */
export function uiBuildStale() {
  if (!existsSync(INPUTS)) return true;
  const built = statSync(INPUTS).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return true;
  }
  if (!Array.isArray(inputs)) return true;
  for (const file of [...inputs, fileURLToPath(import.meta.url), join(UI_SRC, 'index.html')]) {
    const path = resolve(REPO_ROOT, String(file));
    if (!existsSync(path) || statSync(path).mtimeMs > built) return true;
  }
  return false;
}

/**
 * `node:fs`, `node:os` and `node:path` are named only by tree/'s test fixtures, which tree/index.ts
 * re-exports and the bundle never calls: the browser gets an empty module for them.
 */
const nodeOnlyModules = {
  name: 'node-only-modules',
  setup(build) {
    build.onResolve({ filter: /^node:(fs|os|path)$/ }, (args) => ({ path: args.path, namespace: 'node-only' }));
    build.onLoad({ filter: /.*/, namespace: 'node-only' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Bundles ui/main.ts (and the client code it imports) for browsers. Node built-ins the shared code
 * names are replaced by the small browser versions in ui/shims/. Resolves to `{ built, seconds }`;
 * does nothing when the bundle is fresh and `force` is not set.
 */
export async function buildUi({ force = false, quiet = true } = {}) {
  if (!force && !uiBuildStale()) return { built: false, seconds: 0 };
  const started = Date.now();
  const esbuild = await import('esbuild');
  mkdirSync(UI_DIST, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { app: join(UI_SRC, 'main.ts') },
    outdir: UI_DIST,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    legalComments: 'none',
    alias: {
      'node:crypto': join(UI_SRC, 'shims', 'crypto.ts'),
      'node:buffer': join(UI_SRC, 'shims', 'buffer.ts'),
    },
    inject: [join(UI_SRC, 'shims', 'buffer.ts')],
    plugins: [nodeOnlyModules],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  writeFileSync(join(UI_DIST, 'index.html'), readFileSync(join(UI_SRC, 'index.html')));
  // Files only: a plugin's virtual modules (`node-only:node:fs`) have no mtime to compare.
  const files = Object.keys(result.metafile.inputs).filter((input) => !/^[a-z-]+:/.test(input));
  writeFileSync(INPUTS, JSON.stringify(files.sort()));
  const seconds = (Date.now() - started) / 1000;
  if (!quiet) console.error(`setup: built the web explorer into dist/ui/ in ${seconds.toFixed(1)} s`);
  return { built: true, seconds };
}
