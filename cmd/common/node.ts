/**
 * Running a node from the CLI (`aind start`, `aind dev`): the home's settings, the node runner of
 * app/, SIGINT/SIGTERM to stop it, and the exit code. The node itself is `startNode` in app/node.ts.
 */
import { type NodeCompanions, startNode, type UpgradeHandler } from '../../app/index.ts';
import { cometbftBinary, readNodeSettings } from '../../home/index.ts';
import { stopSignal } from './signals.ts';

export interface RunNodeOptions {
  readonly home: string;
  /** Also run and supervise the CometBFT node (the default); false runs the ABCI app alone. */
  readonly withComet: boolean;
  /**
   * Services to run beside the node (`aind dev`'s storage and executor): started once the app
   * serves, given CometBFT's RPC URL; stopped first on shutdown. A failure is logged and the node
   * keeps running.
   */
  readonly companions?: NodeCompanions;
  /** Software upgrade handlers by plan name; default: this build's (only `test/helpers/aindUpgraded.ts` passes others). */
  readonly upgradeHandlers?: ReadonlyMap<string, UpgradeHandler>;
}

/**
 * Runs the node of a home until SIGINT/SIGTERM (or until its CometBFT child dies: exit code 1, and
 * the next start replays); resolves after a clean shutdown with `process.exitCode` set.
 * @example await runNode({ home: '/home/me/.aind', withComet: true })
 */
export async function runNode(options: RunNodeOptions): Promise<void> {
  const settings = readNodeSettings(options.home);
  const node = await startNode({
    ...settings,
    cometbft: options.withComet ? { binary: cometbftBinary(), home: options.home } : undefined,
    companions: options.companions,
    upgradeHandlers: options.upgradeHandlers,
  });
  void stopSignal().then((signal) => node.stop(signal));
  process.exitCode = await node.exited;
}

/**
 * Ends the CLI process once {@link runNode} returned. Everything it opened is closed by then, but an
 * exit right after CometBFT died on its own (a SIGTERM sent to the whole process group) sometimes left
 * the event loop waiting on a native handle nothing in JS can see or close; a node that has shut down
 * cleanly has nothing left to wait for.
 */
export function exitAfterShutdown(): never {
  process.exit(process.exitCode ?? 0);
}
