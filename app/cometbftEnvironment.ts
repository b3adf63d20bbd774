/**
 * The environment every `cometbft node` we start runs in: the node runner's child, the localnet's and
 * the shards' processes, the test and benchmark nodes.
 */
import { availableParallelism } from 'node:os';

/**
 * The fewest Go scheduler slots (GOMAXPROCS) CometBFT gets unless its operator sets GOMAXPROCS.
 *
 * CometBFT v0.38's socket ABCI client (and v0.39's and v1's) arms a flush timer of 20 ns, not 20 ms, and
 * re-arms it each time it fires while the goroutine that writes requests to the app is busy. With
 * Go's default of one slot per core, on a machine of 2 cores that spinning timer and the scheduler
 * work it causes hold the slots the writing goroutine waits for, so it spins longer still: under
 * `npm run bench` it took 21% of CometBFT's CPU, and the scheduler's search for work 20%. With 4, 8 or
 * 16 slots the kernel shares the cores among the threads instead, and CometBFT's CPU per committed send
 * fell from 305-322 µs to 181-254 µs (bench/README.md).
 */
export const MIN_COMETBFT_GOMAXPROCS = 8;

/**
 * `env` with GOMAXPROCS set to the machine's cores or {@link MIN_COMETBFT_GOMAXPROCS}, whichever is
 * more; unchanged when it already names GOMAXPROCS (the operator's choice wins).
 * @example cometbftEnvironment({ PATH: '/usr/bin' }, 2) // { PATH: '/usr/bin', GOMAXPROCS: '8' }
 */
export function cometbftEnvironment(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): NodeJS.ProcessEnv {
  if (env.GOMAXPROCS !== undefined && env.GOMAXPROCS !== '') return env;
  return { ...env, GOMAXPROCS: String(Math.max(cores, MIN_COMETBFT_GOMAXPROCS)) };
}
