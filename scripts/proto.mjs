#!/usr/bin/env node
// Protobuf -> TypeScript for our own protos (proto/ain/<module>/v1/*.proto -> proto/gen/).
//
//   node scripts/proto.mjs           (npm run proto)        format the .proto files, lint, regenerate
//   node scripts/proto.mjs --check   (npm run proto:check)  fail if a .proto is unformatted, fails lint,
//                                                           or proto/gen differs from a fresh generation
//
// The toolchain installs from npm alone: `@bufbuild/buf` (its native binary comes through npm optional
// dependencies) compiles the protos and runs `ts-proto` as a local plugin. The plugin options live in
// proto/buf.gen.yaml. Plain Node with no dependencies of its own; see proto/README.md.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the generated TypeScript lives, relative to the repository root. */
export const GEN_DIR = 'proto/gen';
const TEMPLATE = 'proto/buf.gen.yaml';
const BUF = join(REPO_ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'buf.cmd' : 'buf');

export class ProtoError extends Error {}

/**
 * Runs buf with the given arguments in the repository root. Throws ProtoError, with buf's output, when
 * it exits non-zero; `failure` replaces the first line of that message.
 */
function buf(args, failure = `buf ${args.join(' ')} failed`) {
  if (!existsSync(BUF)) throw new ProtoError(`${relative(REPO_ROOT, BUF)} is missing: run \`npm install\``);
  const result = spawnSync(BUF, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.error) throw new ProtoError(`buf ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new ProtoError(`${failure} (exit ${result.status ?? result.signal})\n${result.stdout}${result.stderr}`.trim());
  }
  return result.stdout;
}

/** Every file under `dir`, as paths relative to it, sorted. */
function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

/**
 * Generates proto/gen/ under `outRoot` (default: the repository itself). The template empties the
 * output folder first, so files of deleted protos disappear.
 */
export function generate({ outRoot = REPO_ROOT } = {}) {
  buf(['generate', '--template', TEMPLATE, '--output', outRoot]);
}

/** Rewrites the .proto files in buf's canonical format. */
export function format() {
  buf(['format', 'proto', '--write']);
}

/** Lints the .proto files with the rules in proto/buf.yaml. */
export function lint() {
  buf(['lint', 'proto']);
}

/**
 * Regenerates into a temporary folder and compares it with the committed proto/gen/. Returns the
 * differences (empty when up to date), each as "changed|missing|extra: <path>".
 */
export function staleFiles() {
  const tmp = mkdtempSync(join(tmpdir(), 'ain-proto-'));
  try {
    generate({ outRoot: tmp });
    const fresh = join(tmp, GEN_DIR);
    const committed = join(REPO_ROOT, GEN_DIR);
    const freshFiles = listFiles(fresh);
    const committedFiles = new Set(listFiles(committed));
    const problems = [];
    for (const file of freshFiles) {
      if (!committedFiles.has(file)) problems.push(`missing: ${GEN_DIR}/${file}`);
      else if (!readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file)))) {
        problems.push(`changed: ${GEN_DIR}/${file}`);
      }
      committedFiles.delete(file);
    }
    for (const file of committedFiles) problems.push(`extra: ${GEN_DIR}/${file}`);
    return problems;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Throws ProtoError unless the protos are formatted, lint-clean, and proto/gen is up to date. */
export function check() {
  buf(['format', 'proto', '--diff', '--exit-code'], '.proto files are not formatted: run `npm run proto`');
  lint();
  const problems = staleFiles();
  if (problems.length > 0) {
    throw new ProtoError(`${GEN_DIR} is stale: run \`npm run proto\`\n  ${problems.join('\n  ')}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--check')) {
      check();
      console.error(`proto: ${GEN_DIR} is up to date`);
    } else {
      format();
      lint();
      generate();
      console.error(`proto: generated ${GEN_DIR}`);
    }
  } catch (error) {
    if (!(error instanceof ProtoError)) throw error;
    console.error(`proto: ${error.message}`);
    process.exitCode = 1;
  }
}
