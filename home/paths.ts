import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Default home of a node, as `~/.simapp` is for simd. */
export const DEFAULT_HOME = join(homedir(), '.aind');

/** Every file and folder of a node home that the CLI reads or writes. */
export interface HomePaths {
  readonly home: string;
  readonly configDir: string;
  readonly configToml: string;
  readonly appToml: string;
  readonly genesis: string;
  readonly nodeKey: string;
  readonly privValidatorKey: string;
  readonly dataDir: string;
  /** The application's lmdb environment (owned by `aind start`). */
  readonly applicationDb: string;
  /** The "test" keyring backend: one unencrypted JSON file per key. */
  readonly keyringDir: string;
}

/**
 * Resolves a `--home` value: `~` and `~/x` expand to the user's home directory, relative paths
 * resolve against the working directory, and no value means `~/.aind`.
 * @example resolveHome('~/.aind-dev') // '/home/me/.aind-dev'
 */
export function resolveHome(dir?: string): string {
  if (dir === undefined || dir === '') return DEFAULT_HOME;
  if (dir === '~') return homedir();
  if (dir.startsWith('~/')) return join(homedir(), dir.slice(2));
  return resolve(dir);
}

/** The layout of a node home: CometBFT's config/ and data/, the app's lmdb, the keyring. */
export function homePaths(home: string): HomePaths {
  const configDir = join(home, 'config');
  const dataDir = join(home, 'data');
  return {
    home,
    configDir,
    configToml: join(configDir, 'config.toml'),
    appToml: join(configDir, 'app.toml'),
    genesis: join(configDir, 'genesis.json'),
    nodeKey: join(configDir, 'node_key.json'),
    privValidatorKey: join(configDir, 'priv_validator_key.json'),
    dataDir,
    applicationDb: join(dataDir, 'application.lmdb'),
    keyringDir: join(home, 'keyring-test'),
  };
}
