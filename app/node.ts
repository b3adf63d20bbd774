/**
 * The node runner: opens the app's lmdb state, serves ABCI to CometBFT and the REST API, and
 * supervises a CometBFT child when asked. It reads no config file and installs no signal handler:
 * the caller (`aind start`, `aind dev`) reads the home's settings, and says when to stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import {
  type CommittedState,
  DEFAULT_KEEP_RECENT,
  DEFAULT_SNAPSHOT_CHUNK_SIZE,
  openCommittedState,
  SnapshotStore,
} from '../tree/lmdb/index.ts';
import { type AbciLogger, StateSync, startAbciServer, withDefaultResponses, withStateSync } from './abci/index.ts';
import { withAbciStats } from './abci/stats.ts';
import { SignatureWorkers, signatureHooks } from './abci/signatureWorker.ts';
import { withBlockRetention } from './retainHeight.ts';
import { AinError, indexEventsFilter } from '../core/index.ts';
import { ErrUpgradeNeeded } from '../modules/upgrade/index.ts';
import { AinApplication } from './application.ts';
import type { UpgradeHandler } from './upgrades.ts';
import { type HttpLimits, startRestServer } from './rest/index.ts';

/** How long CometBFT gets to exit after SIGTERM before SIGKILL. */
const COMET_STOP_MS = 10_000;

/** A TCP address to listen on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Services run beside the node (`aind dev`'s storage and executor). `signal` aborts when the node
 * shuts down before they have started (they wait for its first block), so the shutdown never waits
 * on them.
 */
export type NodeCompanions = (rpcUrl: string, signal: AbortSignal) => Promise<{ stop(): Promise<void> }>;

export interface NodeOptions {
  /** The app's lmdb environment (its folder is created when missing). */
  readonly db: string;
  /** Recent heights queries can read (0 = all); the store's default when absent. */
  readonly keepRecent?: number;
  /**
   * CometBFT blocks to keep (app.toml `[state] min_retain_blocks`; 0 or absent: all): Commit answers
   * the retain height of app/retainHeight.ts, so CometBFT prunes the older ones.
   */
  readonly minRetainBlocks?: number;
  /** The event attributes CometBFT indexes (app.toml `index-events`; [] or absent: all). */
  readonly indexEvents?: readonly string[];
  /** Where the app serves ABCI (config.toml `proxy_app`). */
  readonly abci: ListenAddress;
  /** The REST API's address and flood limits (app.toml `[api]`); absent: no REST API. */
  readonly api?: (ListenAddress & { readonly limits?: Partial<HttpLimits> }) | undefined;
  /** CometBFT's RPC as this node reaches it, e.g. http://127.0.0.1:26657. */
  readonly cometRpcUrl: string;
  /**
   * Run and supervise `BINARY node --home HOME`: when it exits the node stops with exit code 1. Its own
   * log goes to `HOME/cometbft.log` (config.toml's `log_level` sets how much); the node prints one line
   * per committed block instead, and the log's last lines when CometBFT dies.
   */
  readonly cometbft?: { readonly binary: string; readonly home: string } | undefined;
  /**
   * Started once the app serves, given CometBFT's RPC URL; stopped first on shutdown. A failure is
   * logged and the node keeps running.
   */
  readonly companions?: NodeCompanions | undefined;
  /**
   * State sync snapshots (app.toml `[state-sync]`): one every `interval` heights (0: none), the newest
   * `keepRecent` kept in `dir` (default: `snapshots` beside the db, HOME/data/snapshots), chunks of
   * `chunkSize` bytes. Restoring from peers' snapshots needs none of it.
   */
  readonly snapshots?: { readonly interval: number; readonly keepRecent: number; readonly chunkSize?: number; readonly dir?: string };
  /**
   * Software upgrade handlers by plan name (app/upgrades.ts); default: this build's. Only a test
   * entry (`test/helpers/aindUpgraded.ts`) passes its own.
   */
  readonly upgradeHandlers?: ReadonlyMap<string, UpgradeHandler> | undefined;
  /** Count and time every ABCI call, printed at shutdown (default: env AIN_ABCI_STATS=1). */
  readonly abciStats?: boolean;
  /**
   * With `abciStats`, also write the calls per 100 ms (`AbciStats.timeline`, JSON) to this file at
   * shutdown (default: env AIN_ABCI_TIMELINE).
   */
  readonly abciTimelineFile?: string | undefined;
  /**
   * Log the process's memory (`memory {"rssBytes","heapUsedBytes",...}`) every this many ms, e.g. for
   * bench/soak.ts (default: env AIN_MEMORY_LOG_MS; absent or 0: never).
   */
  readonly memoryLogMs?: number;
}

/** A started node. */
export interface RunningNode {
  /** Resolves once the node has stopped and closed everything: 0, or 1 when CometBFT died on its own. */
  readonly exited: Promise<number>;
  /** Shuts the node down (`reason` is logged); resolves as `exited`. Later calls wait for the first. */
  stop(reason: string): Promise<number>;
}

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
 * The Go collector's target (GOGC) CometBFT gets unless its operator sets GOGC: a collection each time
 * the heap grows by 4x what the last one left live, instead of Go's default of 1x.
 *
 * Under `npm run bench` CometBFT allocates about 100 KB per send (JSON-RPC, decoding the app's
 * responses and events, the tx indexer's keys and goleveldb batches) over a live heap of 30-110 MB,
 * so at GOGC=100 it collected every 0.1-0.3 s and the collector took 1.5 s of its 5.3 s of CPU
 * (`GODEBUG=gctrace=1`). At 400 its CPU fell to 4.1-4.6 s and its peak RSS rose from 220-290 MiB to
 * 560-680 MiB; 200 and 300 saved less, and 800 less again with RSS near 900 MiB (bench/README.md).
 */
export const COMETBFT_GOGC = 400;

/**
 * `env` with GOMAXPROCS set to the machine's cores or {@link MIN_COMETBFT_GOMAXPROCS}, whichever is
 * more, and GOGC to {@link COMETBFT_GOGC}; each left as it is when `env` already names it (the
 * operator's choice wins; GOMEMLIMIT, when set, still caps the heap).
 * @example cometbftEnvironment({ PATH: '/usr/bin' }, 2) // { PATH: '/usr/bin', GOMAXPROCS: '8', GOGC: '400' }
 */
export function cometbftEnvironment(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): NodeJS.ProcessEnv {
  const named = (name: string) => env[name] !== undefined && env[name] !== '';
  return {
    ...env,
    ...(named('GOMAXPROCS') ? {} : { GOMAXPROCS: String(Math.max(cores, MIN_COMETBFT_GOMAXPROCS)) }),
    ...(named('GOGC') ? {} : { GOGC: String(COMETBFT_GOGC) }),
  };
}

/**
 * Starts a node: opens the state, serves ABCI and (when `api` is given) REST, starts CometBFT as a
 * child when `cometbft` is given. Stops on `stop(reason)`, or by itself when CometBFT exits (the
 * next start replays the blocks the app lacks).
 * @example const node = await startNode({ db, abci: { host: '127.0.0.1', port: 26658 }, cometRpcUrl });
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const logger = stderrLogger();
  mkdirSync(dirname(options.db), { recursive: true });
  const state = openCommittedState(options.db, { keepRecent: options.keepRecent ?? DEFAULT_KEEP_RECENT });
  const app = new AinApplication(state, {
    ...(options.upgradeHandlers ? { upgradeHandlers: options.upgradeHandlers } : {}),
    indexEvents: indexEventsFilter(options.indexEvents ?? []),
    pipelinedCommit: true,
  });
  // At a software upgrade's height without its handler the block is refused: say why and stop (not
  // committed, so CometBFT re-delivers it to the release that has the handler).
  haltOnUpgrade(app, (message) => {
    process.stderr.write(`\n${message}\n\n`);
    exitCode = 1;
    requestStop(message);
  });
  if (options.cometbft) blockLog(app, (line) => process.stderr.write(`${line}\n`));
  const killAfter = process.env.AIN_TEST_KILL_AFTER_COMMIT;
  if (killAfter) killAfterCommit(app, state, BigInt(killAfter));
  const snapshots = options.snapshots;
  const stateSync = new StateSync({
    state,
    store:
      snapshots && snapshots.interval > 0
        ? new SnapshotStore(snapshots.dir ?? join(dirname(options.db), 'snapshots'), snapshots.keepRecent)
        : undefined,
    interval: snapshots?.interval ?? 0,
    chunkSize: snapshots?.chunkSize ?? DEFAULT_SNAPSHOT_CHUNK_SIZE,
    onRestored: () => app.restored(),
    logger,
  });
  const retention = {
    minRetainBlocks: options.minRetainBlocks ?? 0,
    keepRecent: state.keepRecent,
    snapshots: { interval: snapshots?.interval ?? 0, keepRecent: snapshots?.keepRecent ?? 1 },
  };
  const served = withBlockRetention(withDefaultResponses(withStateSync(app, stateSync, () => state.height)), retention, () => state.height);
  const timed = (options.abciStats ?? process.env.AIN_ABCI_STATS === '1') ? withAbciStats(served) : undefined;
  // Signatures are verified on worker threads: new CheckTx txs' on one, the unseen txs' of a block on all.
  const signatures = new SignatureWorkers();
  const { beforeCheckTx, beforeBlock } = signatureHooks(app, signatures);
  const server = await startAbciServer({
    ...options.abci,
    app: timed?.app ?? served,
    logger,
    onConnection: () => app.onConnection(),
    beforeCheckTx,
    beforeBlock,
  });
  logger.info('ABCI server listening', { address: server.url, height: state.height.toString() });
  const rest = options.api
    ? await startRestServer({
        ...options.api,
        query: (path, data) => app.query(RequestQuery.fromPartial({ path, data })),
        cometRpcUrl: options.cometRpcUrl,
        routes: app.modules.restRoutes,
        anyTypes: app.modules.anyTypes,
        logger,
      })
    : undefined;
  if (rest) logger.info('REST API listening', { url: rest.url });
  const memoryLogMs = options.memoryLogMs ?? Number(process.env.AIN_MEMORY_LOG_MS ?? 0);
  const memoryLog = memoryLogMs > 0 ? memoryLogger(logger, memoryLogMs) : undefined;

  let comet: ChildProcess | undefined;
  let exitCode = 0;
  let stopping = false;
  let requestStop!: (reason: string) => void;
  const stopped = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  if (options.cometbft) {
    const cometHome = options.cometbft.home;
    const logPath = join(cometHome, COMET_LOG);
    const log = openSync(logPath, 'a');
    comet = spawn(options.cometbft.binary, ['node', '--home', cometHome], { stdio: ['ignore', log, log], env: cometbftEnvironment() });
    closeSync(log);
    logger.info('CometBFT started', { log: logPath });
    comet.once('exit', (code, signal) => {
      exitCode = 1;
      if (!stopping) {
        const tail = logFileTail(logPath, 20);
        const hint = cometExitHint(tail, cometHome);
        process.stderr.write(
          `CometBFT exited (code ${code}, signal ${signal}); the end of ${logPath}:\n${tail}\n${hint ? `${hint}\n` : ''}`,
        );
      }
      requestStop(`cometbft exited (code ${code}, signal ${signal})`);
    });
  }
  const companionsAbort = new AbortController();
  const companions = options.companions?.(options.cometRpcUrl, companionsAbort.signal).catch((error: unknown) => {
    if (!companionsAbort.signal.aborted) logger.error('companion services failed to start', { error: (error as Error).message });
    return undefined;
  });
  const exited = (async () => {
    const reason = await stopped;
    stopping = true;
    memoryLog?.stop();
    logger.info('shutting down', { reason });
    companionsAbort.abort(new Error(`the node is shutting down: ${reason}`));
    await (await companions)?.stop();
    if (comet) {
      comet.kill('SIGTERM');
      await waitForExit(comet, COMET_STOP_MS);
    }
    if (timed) process.stderr.write(`ABCI stats\n${timed.stats.summary()}\n`);
    const timelineFile = options.abciTimelineFile ?? process.env.AIN_ABCI_TIMELINE;
    if (timed && timelineFile) writeFileSync(timelineFile, JSON.stringify([...timed.stats.timeline]));
    await rest?.close();
    await server.close();
    await signatures.close();
    await stateSync.idle();
    await state.close();
    return exitCode;
  })();
  return {
    exited,
    stop(reason) {
      requestStop(reason);
      return exited;
    },
  };
}

/**
 * A `memory` log line every `everyMs`: the process's RSS and V8 heap in bytes, with the lowest heap in
 * use seen since the line before (`heapUsedFloorBytes`, probed each second: what stays after the
 * garbage collections in between, the figure a leak moves).
 */
function memoryLogger(logger: AbciLogger, everyMs: number): { stop(): void } {
  let floor = Number.POSITIVE_INFINITY;
  const probe = setInterval(
    () => {
      floor = Math.min(floor, process.memoryUsage().heapUsed);
    },
    Math.min(1000, everyMs),
  );
  const log = setInterval(() => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    logger.info('memory', {
      rssBytes: rss,
      heapUsedBytes: heapUsed,
      heapUsedFloorBytes: Math.min(floor, heapUsed),
      heapTotalBytes: heapTotal,
      externalBytes: external,
      arrayBuffersBytes: arrayBuffers,
    });
    floor = Number.POSITIVE_INFINITY;
  }, everyMs);
  probe.unref();
  log.unref();
  return {
    stop() {
      clearInterval(probe);
      clearInterval(log);
    },
  };
}

function stderrLogger(): AbciLogger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(
      `${new Date().toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(fields, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}` : ''}\n`,
    );
  return { debug: () => {}, info: write('INF'), error: write('ERR') };
}

/** Calls `onHalt` with the message when FinalizeBlock refuses a block for a software upgrade this build lacks. */
function haltOnUpgrade(app: AinApplication, onHalt: (message: string) => void): void {
  const finalize = app.finalizeBlock.bind(app);
  app.finalizeBlock = (request) => {
    try {
      return finalize(request);
    } catch (error) {
      if (error instanceof AinError && error.is(ErrUpgradeNeeded)) onHalt(error.message);
      throw error;
    }
  };
}

/** CometBFT's own log, in its home. */
export const COMET_LOG = 'cometbft.log';

/**
 * One line per committed block (`block 12: 3 txs, 1.01 s after the last`), from the block requests
 * the app answers: the header time, never the local clock, gives the interval.
 */
function blockLog(app: AinApplication, write: (line: string) => void): void {
  const finalize = app.finalizeBlock.bind(app);
  const commit = app.commit.bind(app);
  let pending: { height: bigint; txs: number; nanos: bigint } | undefined;
  let lastNanos: bigint | undefined;
  app.finalizeBlock = (request) => {
    const time = request.time ?? { seconds: 0n, nanos: 0 };
    pending = { height: request.height, txs: request.txs.length, nanos: time.seconds * 1_000_000_000n + BigInt(time.nanos) };
    return finalize(request);
  };
  app.commit = () => {
    const response = commit();
    if (response instanceof Promise) return response.then((answered) => (logBlock(), answered));
    logBlock();
    return response;
  };
  function logBlock(): void {
    if (pending) {
      const gap = lastNanos === undefined ? '' : `, ${(Number(pending.nanos - lastNanos) / 1e9).toFixed(2)} s after the last`;
      write(`block ${pending.height}: ${pending.txs} tx${pending.txs === 1 ? '' : 's'}${gap}`);
      lastNanos = pending.nanos;
      pending = undefined;
    }
  }
}

/**
 * Test hook for test/crash.test.ts (env AIN_TEST_KILL_AFTER_COMMIT=H): kill -9 of this process right
 * after it answers Commit of height H, in the same event turn, so lmdb's writer never finishes that
 * block: the store is left one block behind CometBFT, as a crash during a pipelined commit leaves it.
 */
function killAfterCommit(app: AinApplication, state: CommittedState, height: bigint): void {
  const commit = app.commit.bind(app);
  // The server writes the answer before the next tick; lmdb ends the block's batch on setImmediate.
  const killAt = () => {
    if (state.height === height) process.nextTick(() => process.kill(process.pid, 'SIGKILL'));
  };
  app.commit = () => {
    const response = commit();
    if (response instanceof Promise) return response.then((answered) => (killAt(), answered));
    killAt();
    return response;
  };
}

/**
 * What to do about a CometBFT that exited at once, when its log says why in words an operator may not
 * read that way: its databases locked by another CometBFT on the same home (one left running by a
 * node that was killed: CometBFT v0.38 can hang when it loses its app).
 */
export function cometExitHint(logTail: string, home: string): string | undefined {
  if (!/failed to initialize database: resource temporarily unavailable/.test(logTail)) return undefined;
  return (
    `Another CometBFT holds the databases of ${home}: a node that was killed can leave its CometBFT running. ` +
    `Stop it (pgrep -af "cometbft node --home ${home}") and start again.`
  );
}

/** The last `lines` lines of a process's log file, or "(no log)" when it does not exist. */
export function logFileTail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
