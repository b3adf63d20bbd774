/**
 * What node_info tells clients about the software behind a node, the fields the SDK fills from Go's
 * build info: the git commit of this checkout (read from `.git`, empty outside one), the runtime
 * (Node's version and platform in `go_version`'s place), the pinned CometBFT and the npm dependencies
 * with their installed versions, and the Cosmos SDK version whose REST routes and JSON shapes this
 * server follows (the SDK of cosmjs-types' protos), by which explorers pick their route set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Cosmos SDK version whose routes and shapes the REST server follows: the protos of cosmjs-types
 * 0.11 are the SDK's v0.53.4 (its CHANGELOG), and the routes are that SDK's (`query=` tx search, gov v1).
 */
export const COSMOS_SDK_VERSION = 'v0.53.4';

export interface BuildInfo {
  readonly gitCommit: string;
  readonly buildTags: string;
  /** The runtime, e.g. `node v20.19.0 linux/x64`. */
  readonly runtime: string;
  readonly deps: ReadonlyArray<{ readonly path: string; readonly version: string }>;
  readonly cosmosSdkVersion: string;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let cached: BuildInfo | undefined;

/** The build info of this checkout, read once. */
export function buildInfo(): BuildInfo {
  cached ??= readBuildInfo(REPO_ROOT);
  return cached;
}

/** Reads the build info of the checkout at `root`; what cannot be read is left empty. */
export function readBuildInfo(root: string): BuildInfo {
  const pkg = readJson(join(root, 'package.json'));
  const dependencies = Object.keys((pkg?.['dependencies'] as Record<string, string> | undefined) ?? {}).sort();
  const comet = (pkg?.['config'] as Record<string, string> | undefined)?.['cometbft'] ?? '';
  const deps = [
    ...(comet === '' ? [] : [{ path: 'github.com/cometbft/cometbft', version: comet }]),
    ...dependencies.map((name) => ({
      path: name,
      version: `v${String(readJson(join(root, 'node_modules', name, 'package.json'))?.['version'] ?? '')}`,
    })),
  ];
  return {
    gitCommit: gitCommit(root),
    buildTags: '',
    runtime: `node ${process.version} ${process.platform}/${process.arch}`,
    deps,
    cosmosSdkVersion: COSMOS_SDK_VERSION,
  };
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The commit `.git/HEAD` names (through its branch ref or packed-refs); '' when there is no `.git`. */
export function gitCommit(root: string): string {
  const git = join(root, '.git');
  try {
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (ref === undefined) return /^[0-9a-f]{40}$/.test(head) ? head : '';
    if (existsSync(join(git, ref))) return readFileSync(join(git, ref), 'utf8').trim();
    const packed = readFileSync(join(git, 'packed-refs'), 'utf8');
    return new RegExp(`^([0-9a-f]{40}) ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(packed)?.[1] ?? '';
  } catch {
    return '';
  }
}
