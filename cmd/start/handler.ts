import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { startAbciServer, type AbciLogger } from '../../app/abci/index.ts';
import { withAbciStats } from '../../app/abci/stats.ts';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { AinApplication } from '../../app/application.ts';
import { startRestServer } from '../../app/rest/index.ts';
import { DEFAULT_KEEP_RECENT, openCommittedState } from '../../tree/index.ts';
import { homePaths } from '../../home/paths.ts';
import { stopSignal } from '../common/signals.ts';
import { DEFAULT_API_ADDRESS } from '../../home/nodeConfig.ts';
import { cometbftBinary } from '../../home/binaries.ts';
import { getTomlValue } from '../../home/toml.ts';

export interface StartOptions {
  readonly home: string;
  /** Also run and supervise the CometBFT node (the default); false runs the ABCI app alone. */
  readonly withComet: boolean;
  /**
   * Services to run beside the node (`aind dev`'s storage and executor): started once the app
   * serves, given CometBFT's RPC URL; stopped first on shutdown. A failure is logged and the node
   * keeps running.
   */
  readonly companions?: (rpcUrl: string) => Promise<{ stop(): Promise<void> }>;
}

/**
 * `[state] keep_recent` of app.toml: how many recent heights queries can read (0 = all, 1 = the
 * latest only); the store's default when absent.
 */
export function parseKeepRecent(appToml: string): number {
  const value = getTomlValue(appToml, 'state', 'keep_recent');
  if (value === undefined) return DEFAULT_KEEP_RECENT;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`app.toml [state] keep_recent = ${String(value)} is not a non-negative integer`);
  }
  return value;
}

/** Splits `tcp://127.0.0.1:26658` into host and port. */
export function parseTcpAddress(address: string, field: string): { host: string; port: number } {
  const match = /^(?:tcp:\/\/)?([^:/]+):([0-9]{1,5})$/.exec(address);
  if (!match) throw new Error(`${field} "${address}" is not of the form tcp://HOST:PORT`);
  return { host: match[1]!, port: Number(match[2]) };
}

function stderrLogger(): AbciLogger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(
      `${new Date().toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(fields, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}` : ''}\n`,
    );
  return { debug: () => {}, info: write('INF'), error: write('ERR') };
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

/**
 * Runs a node: opens the app's lmdb state, serves ABCI on the `proxy_app` address of config.toml
 * and, unless `withComet` is false, starts CometBFT as a child. Resolves after a clean shutdown on
 * SIGINT/SIGTERM; if CometBFT dies the app stops too (exit code 1), and the next start replays.
 */
export async function runStart(options: StartOptions): Promise<void> {
  const paths = homePaths(options.home);
  if (!existsSync(paths.configToml)) throw new Error(`${paths.configToml} does not exist; run "aind init" first`);
  const config = readFileSync(paths.configToml, 'utf8');
  const proxyApp = String(getTomlValue(config, '', 'proxy_app') ?? 'tcp://127.0.0.1:26658');
  const { host, port } = parseTcpAddress(proxyApp, 'config.toml proxy_app');
  const logger = stderrLogger();
  const appToml = existsSync(paths.appToml) ? readFileSync(paths.appToml, 'utf8') : '';
  const apiEnabled = getTomlValue(appToml, 'api', 'enable') !== false;
  const apiAddress = parseTcpAddress(String(getTomlValue(appToml, 'api', 'address') ?? DEFAULT_API_ADDRESS), 'app.toml api.address');
  const rpcAddress = parseTcpAddress(String(getTomlValue(config, 'rpc', 'laddr') ?? 'tcp://127.0.0.1:26657'), 'config.toml rpc.laddr');
  const rpcHost = rpcAddress.host === '0.0.0.0' ? '127.0.0.1' : rpcAddress.host;

  mkdirSync(paths.dataDir, { recursive: true });
  const state = openCommittedState(paths.applicationDb, { keepRecent: parseKeepRecent(appToml) });
  const app = new AinApplication(state);
  // AIN_ABCI_STATS=1: count and time every ABCI call, printed at shutdown (for profiling).
  const timed = process.env.AIN_ABCI_STATS === '1' ? withAbciStats(app) : undefined;
  const server = await startAbciServer({ host, port, app: timed?.app ?? app, logger, onConnection: () => app.onConnection() });
  logger.info('ABCI server listening', { address: server.url, height: state.height.toString() });
  const rest = apiEnabled
    ? await startRestServer({
        host: apiAddress.host,
        port: apiAddress.port,
        query: (path, data) => app.query(RequestQuery.fromPartial({ path, data })),
        cometRpcUrl: `http://${rpcHost}:${rpcAddress.port}`,
        routes: app.modules.restRoutes,
        anyTypes: app.modules.anyTypes,
        logger,
      })
    : undefined;
  if (rest) logger.info('REST API listening', { url: rest.url });

  let comet: ChildProcess | undefined;
  let exitCode = 0;
  const stopped = new Promise<string>((resolve) => {
    void stopSignal().then(resolve);
    if (options.withComet) {
      comet = spawn(cometbftBinary(), ['node', '--home', options.home], { stdio: ['ignore', 'inherit', 'inherit'] });
      comet.once('exit', (code, signal) => {
        exitCode = 1;
        resolve(`cometbft exited (code ${code}, signal ${signal})`);
      });
    }
  });
  const companions = options.companions?.(`http://${rpcHost}:${rpcAddress.port}`).catch((error: unknown) => {
    logger.error('companion services failed to start', { error: (error as Error).message });
    return undefined;
  });
  const reason = await stopped;
  logger.info('shutting down', { reason });
  await (await companions)?.stop();
  if (comet) {
    comet.kill('SIGTERM');
    await waitForExit(comet, 10_000);
  }
  if (timed) process.stderr.write(`ABCI stats\n${timed.stats.summary()}\n`);
  await rest?.close();
  await server.close();
  await state.close();
  process.exitCode = exitCode;
}

/**
 * Ends the CLI process once {@link runStart} returned. Everything it opened is closed by then, but an
 * exit right after CometBFT died on its own (a SIGTERM sent to the whole process group) sometimes left
 * the event loop waiting on a native handle nothing in JS can see or close; a node that has shut down
 * cleanly has nothing left to wait for.
 */
export function exitAfterShutdown(): never {
  process.exit(process.exitCode ?? 0);
}
