/**
 * The app's version, reported in ABCI Info (`version`, and `app_version` the protocol version) and
 * recorded in the committed state's metadata at every commit, so a node refuses to run on state that
 * a newer major version wrote (it may hold records this version cannot read).
 */
import { ainError, ErrConflict } from '../core/index.ts';

/** The semantic version of this build: package.json's `version` (a unit test checks they agree). */
export const APP_VERSION = '0.1.0';
/** The ABCI app protocol version reported in Info and block headers. */
export const APP_PROTOCOL_VERSION = 1n;
/** The committed state's metadata key holding the version of the app that wrote it last. */
export const APP_VERSION_META = 'app_version';

/**
 * Throws `sdk/36 conflict` when `stored` (the version that last committed the state) has a higher
 * major version than `running`; an older or equal major, or no record (a store from before versions
 * were recorded), is accepted.
 * @example checkStateVersion('2.0.0', '1.4.0', '/data/application.lmdb') // throws
 */
export function checkStateVersion(stored: string | undefined, running: string = APP_VERSION, where = 'the state'): void {
  if (stored === undefined) return;
  const storedMajor = majorOf(stored);
  const runningMajor = majorOf(running);
  if (storedMajor === undefined || runningMajor === undefined || storedMajor > runningMajor) {
    throw ainError(
      ErrConflict,
      `${where} was written by aind ${stored}, a newer major version than this aind ${running}; refusing to start on it (run aind ${storedMajor ?? stored}.x or later, or restore a backup made by this version)`,
      { stored, running },
    );
  }
}

function majorOf(version: string): number | undefined {
  const match = /^(\d+)\.\d+\.\d+(?:[-+].*)?$/.exec(version);
  return match ? Number(match[1]) : undefined;
}
