#!/usr/bin/env node
// Builds the npm package @ain-chain/client (packages/client) from the repository's client/ sources,
// which stay the single truth: esbuild bundles client/index.ts with the repo code it uses (core,
// tree, the generated protos, the module faces it calls) into packages/client/dist/index.js, ES
// modules for Node with every npm package left as an import; tsc writes the type declarations into
// dist/types/ (relative `.ts` specifiers rewritten to `.js`, as the JS is). The npm packages the
// bundle imports must be exactly the package's declared dependencies, or the build fails naming them.
// `npm pack` in packages/client runs it (prepack); dist/ is git-ignored.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The package's folder. */
export const CLIENT_PACKAGE = join(REPO_ROOT, 'packages', 'client');
const DIST = join(CLIENT_PACKAGE, 'dist');

/** The npm package a bare import names: `@scope/name` or `name` (subpaths dropped); undefined for Node's own modules. */
function packageOf(specifier) {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every file under `dir`. */
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Builds dist/ of packages/client. Returns the npm packages the bundle imports. Throws when the
 * declarations do not compile or the imports and the declared dependencies differ.
 */
export async function buildClientPackage({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  const manifest = JSON.parse(readFileSync(join(CLIENT_PACKAGE, 'package.json'), 'utf8'));
  rmSync(DIST, { recursive: true, force: true });
  const result = await build({
    entryPoints: { index: join(REPO_ROOT, 'client', 'index.ts') },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: DIST,
    sourcemap: true,
    metafile: true,
    logLevel: 'error',
  });
  const imported = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const { path, external } of output.imports) {
      const name = external ? packageOf(path) : undefined;
      if (name) imported.add(name);
    }
  }
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const undeclared = [...imported].filter((name) => !declared.has(name)).sort();
  const unused = [...declared].filter((name) => !imported.has(name)).sort();
  if (undeclared.length > 0 || unused.length > 0) {
    throw new Error(
      `packages/client/package.json dependencies differ from what client/ imports: ${[
        undeclared.length > 0 ? `add ${undeclared.join(', ')}` : '',
        unused.length > 0 ? `remove ${unused.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')} (versions as in the root package.json)`,
    );
  }

  const tsc = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(CLIENT_PACKAGE, 'tsconfig.json')],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc could not write the client's type declarations:\n${tsc.stdout}${tsc.stderr}`);
  // Declarations keep the sources' `./x.ts` specifiers; the package ships `./x.js` + `./x.d.ts`.
  for (const file of filesUnder(join(DIST, 'types')).filter((path) => path.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  if (!quiet) console.error(`buildClient: packages/client/dist built (imports ${[...imported].sort().join(', ')})`);
  return [...imported].sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildClientPackage();
  } catch (error) {
    console.error(`buildClient: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
