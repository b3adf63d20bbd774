#!/usr/bin/env node
// The project's set-up step: installs npm dependencies and builds the pinned CometBFT binary into
// `.bin/`, then compiles the `aind` CLI into `dist/` (scripts/buildCli.mjs). Plain Node with no
// dependencies, because it runs before `npm ci`. Idempotent, and silent when everything is already in
// place. `npm start`, `npm test` and `npm run bench` run it first.
//
// The CometBFT version is pinned in ONE place: package.json `config.cometbft`.
//
// `--storage-servers` also builds the servers the Big Storage tests run against (Kubo's `ipfs` and
// SeaweedFS's `weed`, an S3 server) and docker-compose.yml's checker (`compose-config`, the Compose
// Specification's loader) from the wrapper modules in scripts/go/<name>/ with `go build`, into
// `.bin/`, once per version (package.json `config.kubo`, `config.seaweedfs`, `config.compose`); the
// tests that need them call `ensureGoServer` themselves, so a plain `npm run setup` does not spend
// minutes on them.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the pinned CometBFT binary lives. */
export const COMETBFT_BIN = join(REPO_ROOT, '.bin', 'cometbft');
/** Oldest Go that builds CometBFT v0.38. */
const MIN_GO = [1, 22];
const GO_HINT =
  'install Go >= 1.22 (from https://go.dev/dl/ or the Debian/Ubuntu package golang-go if it is that new) ' +
  'so that `go` is on your PATH, then re-run `npm run setup`';

/** The pinned CometBFT version from package.json `config.cometbft`, e.g. "v0.38.26". */
export function pinnedCometbftVersion() {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const version = pkg?.config?.cometbft;
  if (typeof version !== 'string' || !/^v0\.38\.\d+$/.test(version)) {
    throw new Error(`package.json config.cometbft must pin a v0.38.<n> version; found ${JSON.stringify(version)}`);
  }
  return version;
}

/** The version `.bin/cometbft version` prints (without a leading v), or undefined when it cannot run. */
export function installedCometbftVersion() {
  if (!existsSync(COMETBFT_BIN)) return undefined;
  const result = spawnSync(COMETBFT_BIN, ['version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.trim().replace(/^v/, '');
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules({ quiet = false } = {}) {
  const lock = join(REPO_ROOT, 'package-lock.json');
  // npm writes node_modules/.package-lock.json on every install: its mtime is the install time.
  const installed = join(REPO_ROOT, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return false;
  if (!quiet) console.error('setup: installing npm dependencies (npm ci)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new SetupError(`npm ci failed (exit ${result.status ?? result.signal})`);
  return true;
}

/**
 * Builds `.bin/cometbft` with `go install` when it is missing or reports another version than the
 * pinned one. Returns true when it built.
 */
export function ensureCometbft({ quiet = false } = {}) {
  const pinned = pinnedCometbftVersion();
  if (installedCometbftVersion() === pinned.replace(/^v/, '')) return false;
  goInstall(`github.com/cometbft/cometbft/cmd/cometbft@${pinned}`, COMETBFT_BIN, `CometBFT ${pinned}`, quiet);
  const built = installedCometbftVersion();
  if (built !== pinned.replace(/^v/, '')) {
    throw new SetupError(`built ${COMETBFT_BIN} but it reports version ${String(built)}; expected ${pinned}`);
  }
  return true;
}

/** Where CometBFT's `abci-cli` lives: its example kvstore served over the ABCI socket (bench/send.ts). */
export const ABCI_CLI_BIN = join(REPO_ROOT, '.bin', 'abci-cli');

/**
 * Builds `.bin/abci-cli` of the pinned CometBFT when missing or built from another version (kept in
 * `.bin/abci-cli.version`). Only the benchmark needs it, so `npm run setup` does not build it.
 */
export function ensureAbciCli({ quiet = false } = {}) {
  const pinned = pinnedCometbftVersion();
  const stamp = `${ABCI_CLI_BIN}.version`;
  if (existsSync(ABCI_CLI_BIN) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pinned) return false;
  goInstall(`github.com/cometbft/cometbft/abci/cmd/abci-cli@${pinned}`, ABCI_CLI_BIN, `CometBFT's abci-cli ${pinned}`, quiet);
  writeFileSync(stamp, `${pinned}\n`);
  return true;
}

/** `go install target` into `.bin/`, replacing `bin`. */
function goInstall(target, bin, what, quiet) {
  checkGo();
  if (!quiet) console.error(`setup: building ${what} into .bin/ with go install (about a minute the first time)...`);
  // go install refuses to replace a file that is not a Go binary (e.g. a truncated download).
  rmSync(bin, { force: true });
  const result = spawnSync('go', ['install', target], {
    cwd: REPO_ROOT,
    env: { ...process.env, GOBIN: dirname(bin) },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) throw new SetupError(`go install of ${what} failed (exit ${result.status ?? result.signal})`);
}

/**
 * The Go programs tests run, each built from its wrapper module in scripts/go/<name>/ (a go.mod that
 * requires the program's module, so its own replace directives apply, and a tools.go that imports
 * the command, or a main.go of our own), pinned by package.json `config.<name>`: the storage tests'
 * servers and docker-compose.yml's checker.
 */
export const GO_SERVERS = {
  kubo: { bin: 'ipfs', module: 'github.com/ipfs/kubo', pkg: 'github.com/ipfs/kubo/cmd/ipfs' },
  seaweedfs: { bin: 'weed', module: 'github.com/seaweedfs/seaweedfs', pkg: 'github.com/seaweedfs/seaweedfs/weed' },
  // Not a server: docker-compose.yml's test loads the file with the Compose Specification's Go loader.
  compose: { bin: 'compose-config', module: 'github.com/compose-spec/compose-go/v2', pkg: '.' },
};

/** The pinned version of a Go server (package.json `config.<name>`), checked against its wrapper's go.mod. */
export function pinnedGoServerVersion(name) {
  const server = GO_SERVERS[name];
  if (!server) throw new SetupError(`unknown Go server ${name}; expected ${Object.keys(GO_SERVERS).join(', ')}`);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const version = pkg?.config?.[name];
  const goMod = readFileSync(join(REPO_ROOT, 'scripts', 'go', name, 'go.mod'), 'utf8');
  if (typeof version !== 'string' || !goMod.includes(`${server.module} ${version}`)) {
    throw new SetupError(
      `package.json config.${name} (${JSON.stringify(version)}) must name the version scripts/go/${name}/go.mod requires`,
    );
  }
  return version;
}

/** Where a Go server's binary lives. */
export function goServerBin(name) {
  return join(REPO_ROOT, '.bin', GO_SERVERS[name].bin);
}

/**
 * Builds `.bin/<bin>` of a Go server when missing or built from another version (the version is kept
 * in `.bin/<bin>.version`). Returns `{ bin, built, seconds }`.
 */
export function ensureGoServer(name, { quiet = false } = {}) {
  const version = pinnedGoServerVersion(name);
  const bin = goServerBin(name);
  const stamp = `${bin}.version`;
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) return { bin, built: false, seconds: 0 };
  checkGo();
  if (!quiet)
    console.error(`setup: building ${name} ${version} into .bin/${GO_SERVERS[name].bin} with go build (minutes the first time)...`);
  const started = Date.now();
  rmSync(bin, { force: true });
  const result = spawnSync('go', ['build', '-mod=mod', '-trimpath', '-o', bin, GO_SERVERS[name].pkg], {
    cwd: join(REPO_ROOT, 'scripts', 'go', name),
    env: { ...process.env, GOFLAGS: '' },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) throw new SetupError(`go build of ${name} ${version} failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stamp, `${version}\n`);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!quiet) console.error(`setup: built .bin/${GO_SERVERS[name].bin} (${name} ${version}) in ${seconds} s`);
  return { bin, built: true, seconds };
}

/** Everything the project needs before it can run: npm dependencies, then CometBFT. */
export function setup({ quiet = false } = {}) {
  ensureNodeModules({ quiet });
  ensureCometbft({ quiet });
}

export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

function checkGo() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new SetupError(`Go is needed to build CometBFT but \`go\` is not on PATH: ${GO_HINT}.`);
  const match = /go(\d+)\.(\d+)/.exec(result.stdout);
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new SetupError(`${result.stdout.trim()} is too old to build CometBFT: ${GO_HINT}.`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    setup();
    // The aind CLI compiled into dist/ (scripts/buildCli.mjs; esbuild is there only after npm ci).
    const { ensureCliBuild } = await import(new URL('./buildCli.mjs', import.meta.url).href);
    await ensureCliBuild();
    // The web explorer's bundle, served under /ui by the REST server (scripts/buildUi.mjs, into dist/ui/).
    const { buildUi } = await import(new URL('./buildUi.mjs', import.meta.url).href);
    await buildUi({ quiet: false });
    if (process.argv.includes('--storage-servers')) for (const name of Object.keys(GO_SERVERS)) ensureGoServer(name);
  } catch (error) {
    console.error(`setup: ${error instanceof SetupError ? error.message : error}`);
    process.exit(1);
  }
}
