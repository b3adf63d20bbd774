import { join } from 'node:path';
import { COMETBFT_BIN, ensureCometbft, REPO_ROOT } from '../scripts/setup.mjs';

/** The repository root (the folder holding package.json, `.bin/` and `cmd/`) and the pinned CometBFT binary. */
export { COMETBFT_BIN, REPO_ROOT };

/** The `aind` entry point (runs the compiled CLI in dist/, rebuilt when a source changed), for spawning the CLI as a child process. */
export const AIND_SCRIPT = join(REPO_ROOT, 'cmd', 'aind.js');

/**
 * The path of `.bin/cometbft`, building it first (`go install` of the pinned version, as
 * `npm run setup` does) when it is missing or has another version.
 */
export function cometbftBinary(): string {
  ensureCometbft({ quiet: false });
  return COMETBFT_BIN;
}
