/**
 * The localnet: N validators (each an `aind start --with-comet=false` app and a `cometbft node`, with
 * its own home), a Big Storage service (`aind storage`) and one executor (`aind executor`), on
 * loopback ports of one machine. The CLI (`aind localnet`), the end-to-end test and the benchmark all
 * use this one implementation; `aind localnet init --docker` writes the same homes for the
 * docker-compose.yml network, with host names instead of loopback ports.
 *
 * Folder layout (DIR):
 *   localnet.json       the manifest: chain id, nodes (ports, node ids, accounts), storage, executor
 *   localnet.pid.json   the running processes (see processes.ts), while the localnet runs
 *   keyring-test/       keys "faucet" and "executor" (the executor runs with --home DIR)
 *   node0 ... nodeN-1   node homes (`aind init`), each with key "validator" in its own keyring
 *   storage/            Big Storage's blobs; storage.log, executor.log
 *
 * @example
 * await createLocalnet({ dir: '/tmp/net', validators: 4 });
 * const net = await startLocalnet({ dir: '/tmp/net' });
 * try {
 *   await net.killNode(3);
 *   await net.waitForHeight((await net.height(0))! + 3, { nodes: [0, 1, 2] });
 *   await net.restartNode(3);
 * } finally {
 *   await net.stop();
 * }
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { ainError, ErrConflict, ErrInvalidRequest, ErrIO, ErrNotFound } from '../core/errors.ts';
import { type AppState, addGenesisAccount } from '../app/genesis.ts';
import { parseCoins } from '../core/coins.ts';
import { abciQueryOrThrow } from '../client/queryState.ts';
import { TRIGGERS_QUERY_PATHS } from '../client/queryTriggers.ts';
import { QueryExecutorsRequest, QueryExecutorsResponse } from '../proto/gen/ain/triggers/v1/query.ts';
import { rawRpc } from '../cmd/common/client.ts';
import { readGenesis, updateAppState, writeGenesis } from '../home/genesisFile.ts';
import { homePaths } from '../home/paths.ts';
import { addKey } from '../home/keyring.ts';
import { AIND_SCRIPT, COMETBFT_BIN, cometbftBinary } from '../home/binaries.ts';
import { freePorts, portFree, portOpen } from './ports.ts';
import { setTomlValues, type TomlValue } from '../home/toml.ts';
import { DEV_LOG_LEVEL } from '../cmd/dev/handler.ts';
import { addGenesisValidatorToHome, privValidatorPubkey } from '../cmd/genesis/handler.ts';
import { initHome, nodeId, validateChainId } from '../cmd/init/handler.ts';
import {
  type GroupProcess,
  groupAlive,
  killGroup,
  logFileTail,
  readPidFile,
  isOurProcess,
  removePidFile,
  sleep,
  spawnGroup,
  stopGroup,
  writePidFile,
} from './processes.ts';

/** The manifest file in a localnet folder. */
export const MANIFEST_FILE = 'localnet.json';
export const DEFAULT_VALIDATORS = 4;
/** Bound on `--validators` (each validator is two processes; 16 already need a big machine). */
export const MAX_VALIDATORS = 16;
/** Bound on all nodes, validators and nodes added later. */
export const MAX_NODES = 32;
export const DEFAULT_CHAIN_ID = 'ain-localnet-1';
/** Short blocks for tests and demos; CometBFT's own default is 1 s. */
export const DEFAULT_TIMEOUT_COMMIT = '500ms';
/**
 * `--base-port` layout: storage on B, node i on B+10i+6 (p2p), +7 (RPC), +8 (ABCI), +9 (REST), so
 * with B = 26600 node0 has RPC 26607, node1 26617, and so on.
 */
export const DEFAULT_BASE_PORT = 26600;
/** Ports inside a container (`--docker`): CometBFT's and the SDK's defaults. */
export const DOCKER_PORTS: NodePorts = { p2p: 26656, rpc: 26657, abci: 26658, api: 1317 };
export const DOCKER_STORAGE_PORT = 7070;
/** The data folder of the compose network's volume. */
export const DOCKER_DIR = '/data';

export const FAUCET_KEY = 'faucet';
export const EXECUTOR_KEY = 'executor';
/** Name of each node's own account key, in its home's keyring. */
export const VALIDATOR_KEY = 'validator';
/** Genesis balances: 1,000,000 AIN for the faucet and each validator, 10,000 AIN for the executor. */
export const FAUCET_BALANCE = '1000000000000uain';
export const VALIDATOR_BALANCE = '1000000000000uain';
export const EXECUTOR_BALANCE = '10000000000uain';
/** Each genesis validator's self-delegation (100 AIN: CometBFT power 100, at 10^6 uain a unit of power). */
export const VALIDATOR_STAKE = '100000000uain';

/** How long starting may take before failing with the logs (a loaded 2-core machine is slow). */
const DEFAULT_START_TIMEOUT_MS = 120_000;
const POLL_MS = 200;
/** `--timeout-commit` values: a CometBFT duration in ms or s, e.g. "500ms", "1s". */
const DURATION_PATTERN = /^[1-9]\d{0,5}(ms|s)$/;

export interface NodePorts {
  readonly p2p: number;
  readonly rpc: number;
  readonly abci: number;
  readonly api: number;
}

/** One node as the manifest records it. */
export interface ManifestNode {
  /** "node0", "node1", ...: also its home folder under DIR and, with --docker, its host name. */
  readonly name: string;
  /** In the genesis validator set (nodes added later are full nodes until promoted). */
  readonly validator: boolean;
  /** CometBFT node id (from node_key.json). */
  readonly nodeId: string;
  /** Host its ports listen on as others reach it: 127.0.0.1, or the container name with --docker. */
  readonly host: string;
  readonly ports: NodePorts;
  /** The node's own account (key "validator" in its keyring), funded in genesis for genesis validators. */
  readonly account: string;
}

/** DIR/localnet.json. */
export interface LocalnetManifest {
  readonly version: 1;
  readonly chainId: string;
  readonly docker: boolean;
  readonly timeoutCommit: string;
  /** The fixed port layout, when one was asked for (absent: free ports picked at creation). */
  readonly basePort?: number;
  readonly nodes: readonly ManifestNode[];
  readonly storage: { readonly host: string; readonly port: number };
  /** The executor's account (key "executor" in DIR's keyring) and the node it talks to. */
  readonly executor: { readonly address: string; readonly node: string };
  readonly faucet: { readonly address: string };
}

export interface CreateLocalnetOptions {
  /** The localnet folder; created, and must be empty or absent. */
  readonly dir: string;
  /** Genesis validators, 1..16 (default 4). */
  readonly validators?: number;
  readonly chainId?: string;
  /** Fixed ports from this base (layout in DEFAULT_BASE_PORT); absent: free ports on 127.0.0.1. */
  readonly basePort?: number;
  /** CometBFT `timeout_commit` (default 500ms). */
  readonly timeoutCommit?: string;
  /** Container host names and in-container ports, for docker-compose.yml. */
  readonly docker?: boolean;
  /** More funded genesis accounts (e.g. a benchmark's keys), coins in CLI syntax. */
  readonly accounts?: readonly { readonly address: string; readonly coins: string }[];
  /**
   * Changes the finished app_state (accounts and validators already in) before it is copied to every
   * home, e.g. small slashing windows and short unbonding times for end-to-end tests:
   * `(s) => ({ ...s, slashing: { params: { ...s.slashing!.params, signed_blocks_window: '10' } } })`.
   * InitChain checks the result as it checks any genesis.
   */
  readonly genesisPatch?: (appState: AppState) => AppState;
}

/** A node with the addresses clients use. */
export interface LocalnetNode extends ManifestNode {
  readonly home: string;
  /** CometBFT RPC, e.g. http://127.0.0.1:26607 (CosmJS connects here; websocket at /websocket). */
  readonly rpcUrl: string;
  /** The app's REST API. */
  readonly apiUrl: string;
  /** Where the app serves ABCI (config.toml proxy_app). */
  readonly abciAddress: string;
  /** id@host:port, as persistent_peers lists it. */
  readonly p2pAddress: string;
}

/**
 * Writes a localnet into an empty folder: one home per validator made by `aind init`'s code, keys,
 * one shared genesis (a funded account per validator, the faucet and the executor, equal-power
 * validators staked with `aind genesis add-validator`'s code), persistent peers between all nodes and distinct ports. Starts nothing.
 * Throws `sdk/18` for bad options and `sdk/36` when the folder is not empty.
 */
export async function createLocalnet(options: CreateLocalnetOptions): Promise<LocalnetManifest> {
  const dir = resolve(options.dir);
  const validators = options.validators ?? DEFAULT_VALIDATORS;
  checkValidatorCount(validators);
  const chainId = options.chainId ?? DEFAULT_CHAIN_ID;
  validateChainId(chainId);
  const timeoutCommit = options.timeoutCommit ?? DEFAULT_TIMEOUT_COMMIT;
  checkTimeoutCommit(timeoutCommit);
  const docker = options.docker === true;
  if (options.basePort !== undefined) checkBasePort(options.basePort);
  const extra = (options.accounts ?? []).map((a, i) => ({ address: a.address, coins: parseCoins(a.coins, `accounts[${i}].coins`) }));
  if (existsSync(join(dir, MANIFEST_FILE))) {
    throw ainError(ErrConflict, `${dir} already holds a localnet; remove it first (aind localnet start --reset)`);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw ainError(ErrConflict, `--dir ${dir} is not empty; give an empty or new folder`);
  }
  mkdirSync(dir, { recursive: true });
  cometbftBinary(); // builds the pinned binary first when it is missing, as `aind init` would

  const faucet = (await addKey(dir, FAUCET_KEY)).key;
  const executor = (await addKey(dir, EXECUTOR_KEY)).key;
  const storagePort = docker ? DOCKER_STORAGE_PORT : (options.basePort ?? (await freePorts(1))[0]!);
  const nodes: ManifestNode[] = [];
  for (let i = 0; i < validators; i++) nodes.push(await initNodeHome(dir, chainId, i, true, docker, options.basePort));

  // One genesis, assembled in node0's home, then copied to every home.
  const genesisHome = join(dir, nodes[0]!.name);
  const funded = [
    ...nodes.map((n) => ({ address: n.account, coins: parseCoins(VALIDATOR_BALANCE, 'validator balance') })),
    { address: faucet.address, coins: parseCoins(FAUCET_BALANCE, 'faucet balance') },
    { address: executor.address, coins: parseCoins(EXECUTOR_BALANCE, 'executor balance') },
    ...extra,
  ];
  updateAppState(genesisHome, (state) => funded.reduce((s, a) => addGenesisAccount(s, a.address, a.coins), state));
  addGenesisValidators(
    genesisHome,
    nodes.map((n) => ({ name: n.name, home: join(dir, n.name), account: n.account })),
  );
  if (options.genesisPatch) updateAppState(genesisHome, options.genesisPatch);
  const genesis = readGenesis(genesisHome);
  for (const node of nodes.slice(1)) writeGenesis(join(dir, node.name), genesis);

  for (const node of nodes) configureNode(dir, node, nodes, timeoutCommit, docker);
  const manifest: LocalnetManifest = {
    version: 1,
    chainId,
    docker,
    timeoutCommit,
    ...(options.basePort === undefined ? {} : { basePort: options.basePort }),
    nodes,
    storage: { host: docker ? 'storage' : '127.0.0.1', port: storagePort },
    executor: { address: executor.address, node: nodes[0]!.name },
    faucet: { address: faucet.address },
  };
  writeManifest(dir, manifest);
  return manifest;
}

// =============================================================================================
// GENESIS VALIDATORS: the one function that makes the localnet's validator set.
//
// Each validator is added with `aind genesis add-validator`'s code (the staking module): operator =
// the node's own funded account, consensus key = its home's priv_validator_key.json, self-delegation
// VALIDATOR_STAKE out of its genesis balance, so all have equal power. genesis.json's own
// `validators` stays empty: InitChain returns the set from app_state.staking to CometBFT.
// =============================================================================================

/** A genesis validator: its node's name (moniker), home (holding priv_validator_key.json) and account. */
export interface GenesisValidatorSpec {
  readonly name: string;
  readonly home: string;
  readonly account: string;
}

/** Makes `validators` the genesis validator set of the genesis.json in `genesisHome` (see above). */
export function addGenesisValidators(genesisHome: string, validators: readonly GenesisValidatorSpec[]): void {
  for (const v of validators) {
    addGenesisValidatorToHome(genesisHome, {
      address: v.account,
      amount: VALIDATOR_STAKE,
      moniker: v.name,
      pubkey: privValidatorPubkey(v.home),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Homes and configuration

async function initNodeHome(
  dir: string,
  chainId: string,
  index: number,
  validator: boolean,
  docker: boolean,
  basePort: number | undefined,
): Promise<ManifestNode> {
  const name = `node${index}`;
  const home = join(dir, name);
  initHome({ home, chainId, moniker: name });
  const { key } = await addKey(home, VALIDATOR_KEY);
  const ports = docker ? DOCKER_PORTS : basePort !== undefined ? basePortLayout(basePort, index) : await freeNodePorts();
  return { name, validator, nodeId: nodeId(home), host: docker ? name : '127.0.0.1', ports, account: key.address };
}

/** Node `index`'s ports in the `--base-port` layout. */
export function basePortLayout(basePort: number, index: number): NodePorts {
  const base = basePort + 10 * index;
  return { p2p: base + 6, rpc: base + 7, abci: base + 8, api: base + 9 };
}

async function freeNodePorts(): Promise<NodePorts> {
  const [p2p, rpc, abci, api] = await freePorts(4);
  return { p2p: p2p!, rpc: rpc!, abci: abci!, api: api! };
}

/** config.toml and app.toml of one node: its ports, its peers, short blocks, quiet logs. */
function configureNode(dir: string, node: ManifestNode, all: readonly ManifestNode[], timeoutCommit: string, docker: boolean): void {
  const paths = homePaths(join(dir, node.name));
  // Inside a container the RPC, p2p and REST ports listen on every interface; ABCI stays local.
  const listen = docker ? '0.0.0.0' : '127.0.0.1';
  const peers = all.filter((n) => n.name !== node.name).map(p2pAddress);
  const settings: Record<string, Record<string, TomlValue>> = {
    '': { proxy_app: `tcp://127.0.0.1:${node.ports.abci}`, moniker: node.name, log_level: DEV_LOG_LEVEL },
    rpc: { laddr: `tcp://${listen}:${node.ports.rpc}`, pprof_laddr: '' },
    p2p: {
      laddr: `tcp://${listen}:${node.ports.p2p}`,
      external_address: docker ? `${node.host}:${node.ports.p2p}` : '',
      persistent_peers: peers.join(','),
      // All nodes share one IP (loopback, or a compose network's private range).
      addr_book_strict: false,
      allow_duplicate_ip: true,
    },
    consensus: { timeout_commit: timeoutCommit },
    instrumentation: { prometheus: false },
  };
  writeFileSync(paths.configToml, setTomlValues(readFileSync(paths.configToml, 'utf8'), settings));
  writeFileSync(
    paths.appToml,
    setTomlValues(readFileSync(paths.appToml, 'utf8'), { api: { address: `tcp://${listen}:${node.ports.api}` } }),
  );
}

function p2pAddress(node: ManifestNode): string {
  return `${node.nodeId}@${node.host}:${node.ports.p2p}`;
}

/** A manifest node with its home and URLs. */
export function nodeView(dir: string, node: ManifestNode): LocalnetNode {
  return {
    ...node,
    home: join(resolve(dir), node.name),
    rpcUrl: `http://${node.host}:${node.ports.rpc}`,
    apiUrl: `http://${node.host}:${node.ports.api}`,
    abciAddress: `tcp://127.0.0.1:${node.ports.abci}`,
    p2pAddress: p2pAddress(node),
  };
}

/** The storage URL of a localnet. */
export function storageUrl(manifest: LocalnetManifest): string {
  return `http://${manifest.storage.host}:${manifest.storage.port}`;
}

// ---------------------------------------------------------------------------------------------
// The manifest

/** Reads DIR/localnet.json; throws `sdk/38` when the folder holds no localnet. */
export function readManifest(dir: string): LocalnetManifest {
  const path = join(resolve(dir), MANIFEST_FILE);
  if (!existsSync(path)) throw ainError(ErrNotFound, `${path} does not exist; create the localnet with aind localnet init|start`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as LocalnetManifest;
  if (manifest.version !== 1 || !Array.isArray(manifest.nodes) || manifest.nodes.length === 0) {
    throw ainError(ErrInvalidRequest, `${path} is not a version-1 localnet manifest with nodes`);
  }
  return manifest;
}

/** True when DIR holds a localnet manifest. */
export function hasLocalnet(dir: string): boolean {
  return existsSync(join(resolve(dir), MANIFEST_FILE));
}

function writeManifest(dir: string, manifest: LocalnetManifest): void {
  const path = join(dir, MANIFEST_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temp, path);
}

/**
 * Deletes a localnet folder. Refuses a folder that holds no localnet manifest (so a wrong --dir
 * never deletes someone's files) and a localnet whose processes still run.
 */
export function removeLocalnet(dir: string): void {
  const root = resolve(dir);
  if (!existsSync(root)) return;
  if (!hasLocalnet(root)) throw ainError(ErrConflict, `${root} holds no ${MANIFEST_FILE}; not deleting it`);
  const running = runningProcesses(root);
  if (running.length > 0) throw ainError(ErrConflict, `the localnet in ${root} is running (${running.join(', ')}); stop it first`);
  rmSync(root, { recursive: true, force: true });
}

/** Names of the processes of DIR's pid file that are still running. */
export function runningProcesses(dir: string): string[] {
  const file = readPidFile(resolve(dir));
  if (!file) return [];
  return file.processes.filter((p) => isOurProcess(p.pid, file.dir)).map((p) => p.name);
}

// ---------------------------------------------------------------------------------------------
// Running

export interface StartLocalnetOptions {
  readonly dir: string;
  /** Let this process exit while the localnet runs on (`aind localnet start --detach`). */
  readonly detach?: boolean;
  /** The pid of the `aind localnet start` process that supervises the localnet, for `stop`. */
  readonly supervisor?: number;
  /** How long starting may take before failing with the logs (default 120 s). */
  readonly startTimeoutMs?: number;
  /** Progress lines (e.g. to stderr). */
  readonly log?: (line: string) => void;
}

export interface LocalnetProcessInfo {
  readonly name: string;
  readonly pid: number;
  readonly running: boolean;
  readonly log: string;
}

/** A running localnet. */
export interface Localnet {
  readonly dir: string;
  readonly chainId: string;
  readonly manifest: LocalnetManifest;
  /** Every node, validators first, then nodes added by `addNode`. */
  readonly nodes: readonly LocalnetNode[];
  readonly rpcUrls: readonly string[];
  readonly storageUrl: string;
  readonly executorAddress: string;
  readonly faucetAddress: string;
  /** The processes this handle started, with pids. */
  processes(): LocalnetProcessInfo[];
  /** Node i's latest height from CometBFT's /status, undefined when its RPC does not answer. */
  height(i: number): Promise<number | undefined>;
  /** Resolves when each of `nodes` (default: all running) reports a height >= h; fails with log tails after `timeoutMs`. */
  waitForHeight(h: number, options?: { nodes?: readonly number[]; timeoutMs?: number }): Promise<void>;
  /** SIGKILLs node i's app and CometBFT process groups and waits until they are gone. */
  killNode(i: number): Promise<void>;
  /** Starts node i's app and CometBFT again on the same home; resolves when its RPC answers. */
  restartNode(i: number): Promise<void>;
  /** Adds a full node (not a validator) that syncs from the others; resolves when its RPC answers. */
  addNode(): Promise<LocalnetNode>;
  /** The last lines of one process's log, e.g. logTail('node3/comet'). */
  logTail(name: string, lines?: number): string;
  /** Stops everything (executor, storage, then each node's CometBFT and app), checks that nothing is left, removes the pid file. */
  stop(): Promise<void>;
}

/**
 * Starts a localnet written by `createLocalnet`: every node's app and CometBFT, storage, then the
 * executor; resolves when all nodes have committed height 1 and the executor is registered on chain.
 * Throws `sdk/36` when it already runs or a port is taken.
 */
export async function startLocalnet(options: StartLocalnetOptions): Promise<Localnet> {
  const dir = resolve(options.dir);
  const manifest = readManifest(dir);
  if (manifest.docker) throw ainError(ErrInvalidRequest, `${dir} was written for docker compose (--docker); run it with docker compose up`);
  const running = runningProcesses(dir);
  if (running.length > 0) {
    throw ainError(ErrConflict, `the localnet in ${dir} already runs (${running.join(', ')}); aind localnet stop --dir ${dir}`);
  }
  removePidFile(dir);
  await checkPortsFree(manifest);
  cometbftBinary();
  const net = new RunningLocalnet(dir, manifest, options);
  try {
    await net.start();
  } catch (error) {
    await net.stop().catch(() => {});
    throw error;
  }
  return net;
}

async function checkPortsFree(manifest: LocalnetManifest): Promise<void> {
  const wanted = [
    { what: 'storage', port: manifest.storage.port },
    ...manifest.nodes.flatMap((n) => Object.entries(n.ports).map(([k, port]) => ({ what: `${n.name} ${k}`, port }))),
  ];
  const taken: string[] = [];
  for (const { what, port } of wanted) if (!(await portFree(port))) taken.push(`${port} (${what})`);
  if (taken.length > 0) {
    throw ainError(
      ErrConflict,
      `ports in use: ${taken.join(', ')}; stop what uses them, or create the localnet again with another --base-port`,
    );
  }
}

class RunningLocalnet implements Localnet {
  readonly chainId: string;
  private readonly procs = new Map<string, GroupProcess>();
  private readonly startTimeoutMs: number;
  private readonly log: (line: string) => void;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    public manifest: LocalnetManifest,
    private readonly options: StartLocalnetOptions,
  ) {
    this.chainId = manifest.chainId;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.log = options.log ?? (() => {});
  }

  get nodes(): LocalnetNode[] {
    return this.manifest.nodes.map((n) => nodeView(this.dir, n));
  }

  get rpcUrls(): string[] {
    return this.nodes.map((n) => n.rpcUrl);
  }

  get storageUrl(): string {
    return storageUrl(this.manifest);
  }

  get executorAddress(): string {
    return this.manifest.executor.address;
  }

  get faucetAddress(): string {
    return this.manifest.faucet.address;
  }

  async start(): Promise<void> {
    this.log(`starting ${this.manifest.nodes.length} nodes, storage and an executor from ${this.dir}`);
    await Promise.all([...this.manifest.nodes.map((_, i) => this.startNode(i)), this.startStorage()]);
    await this.waitForHeight(1, { timeoutMs: this.startTimeoutMs });
    this.log('all nodes committed height 1; starting the executor');
    await this.startExecutor();
  }

  processes(): LocalnetProcessInfo[] {
    return [...this.procs.values()].map((p) => ({ name: p.name, pid: p.pid, running: p.running(), log: p.log }));
  }

  async height(i: number): Promise<number | undefined> {
    return nodeHeight(this.node(i).rpcUrl);
  }

  async waitForHeight(h: number, options: { nodes?: readonly number[]; timeoutMs?: number } = {}): Promise<void> {
    const indexes = options.nodes ?? this.manifest.nodes.map((_, i) => i).filter((i) => this.nodeRunning(i));
    const latest = new Map<number, number | undefined>();
    await this.until(
      () => `height ${h} on ${indexes.map((i) => `node${i} (at ${latest.get(i) ?? '?'})`).join(', ')}`,
      options.timeoutMs ?? 60_000,
      async () => {
        const heights = await Promise.all(indexes.map((i) => this.height(i)));
        indexes.forEach((i, k) => latest.set(i, heights[k]));
        return heights.every((x) => x !== undefined && x >= h);
      },
      indexes.flatMap((i) => this.nodeProcs(i)),
    );
  }

  async killNode(i: number): Promise<void> {
    const procs = this.nodeProcs(i);
    if (procs.length === 0) throw ainError(ErrInvalidRequest, `node${i} is not running`);
    await Promise.all(procs.map((p) => killGroup(p)));
    this.writePids();
  }

  async restartNode(i: number): Promise<void> {
    this.assertNotStopped();
    if (this.nodeRunning(i)) throw ainError(ErrConflict, `node${i} is running; killNode(${i}) first`);
    await this.startNode(i);
  }

  async addNode(): Promise<LocalnetNode> {
    this.assertNotStopped();
    const index = this.manifest.nodes.length;
    if (index >= MAX_NODES) throw ainError(ErrInvalidRequest, `a localnet has at most ${MAX_NODES} nodes`);
    const node = await initNodeHome(this.dir, this.chainId, index, false, false, this.manifest.basePort);
    writeGenesis(join(this.dir, node.name), readGenesis(join(this.dir, this.manifest.nodes[0]!.name)));
    configureNode(this.dir, node, [...this.manifest.nodes, node], this.manifest.timeoutCommit, false);
    this.manifest = { ...this.manifest, nodes: [...this.manifest.nodes, node] };
    writeManifest(this.dir, this.manifest);
    await this.startNode(index);
    return this.node(index);
  }

  logTail(name: string, lines = 40): string {
    const proc = this.procs.get(name);
    return logFileTail(proc?.log ?? this.logPath(name), lines);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  // -------------------------------------------------------------------------------------------

  private async shutdown(): Promise<void> {
    const byName = (prefix: string) => [...this.procs.values()].filter((p) => p.name.endsWith(prefix));
    // Clients first, then CometBFT before its app (so it does not log the app's loss as a crash).
    for (const group of [byName('executor'), byName('storage'), byName('/comet'), byName('/app')]) {
      await Promise.all(group.map((p) => stopGroup(p)));
    }
    const left = [...this.procs.values()].filter((p) => groupAlive(p.pid));
    if (left.length > 0) throw ainError(ErrIO, `still running after stop: ${left.map((p) => `${p.name} (${p.pid})`).join(', ')}`);
    removePidFile(this.dir);
  }

  private node(i: number): LocalnetNode {
    const node = this.manifest.nodes[i];
    if (!node) throw ainError(ErrInvalidRequest, `no node${i}; the localnet has nodes 0..${this.manifest.nodes.length - 1}`);
    return nodeView(this.dir, node);
  }

  private nodeProcs(i: number): GroupProcess[] {
    const name = this.node(i).name;
    return [this.procs.get(`${name}/app`), this.procs.get(`${name}/comet`)].filter((p): p is GroupProcess => p?.running() === true);
  }

  private nodeRunning(i: number): boolean {
    return this.nodeProcs(i).length === 2;
  }

  private assertNotStopped(): void {
    if (this.stopping) throw ainError(ErrInvalidRequest, `the localnet in ${this.dir} is stopped`);
  }

  private async startNode(i: number): Promise<void> {
    const node = this.node(i);
    const app = this.spawn(`${node.name}/app`, process.execPath, [AIND_SCRIPT, 'start', '--home', node.home, '--with-comet=false']);
    await this.until(
      () => `${node.name}'s app to listen on ${node.abciAddress}`,
      this.startTimeoutMs,
      () => portOpen(node.ports.abci),
      [app],
    );
    const comet = this.spawn(`${node.name}/comet`, COMETBFT_BIN, ['node', '--home', node.home]);
    await this.until(
      () => `${node.name}'s CometBFT RPC ${node.rpcUrl} to answer /status`,
      this.startTimeoutMs,
      async () => (await nodeHeight(node.rpcUrl)) !== undefined,
      [app, comet],
    );
    this.log(`${node.name} up: RPC ${node.rpcUrl}`);
  }

  private async startStorage(): Promise<void> {
    const { host, port } = this.manifest.storage;
    const proc = this.spawn('storage', process.execPath, [
      AIND_SCRIPT,
      'storage',
      '--dir',
      join(this.dir, 'storage'),
      '--host',
      host,
      '--port',
      String(port),
    ]);
    await this.until(
      () => `storage to listen on ${this.storageUrl}`,
      this.startTimeoutMs,
      () => portOpen(port, host),
      [proc],
    );
  }

  private async startExecutor(): Promise<void> {
    const node = this.node(this.manifest.nodes.findIndex((n) => n.name === this.manifest.executor.node));
    const proc = this.spawn('executor', process.execPath, [
      AIND_SCRIPT,
      'executor',
      '--home',
      this.dir,
      '--key',
      EXECUTOR_KEY,
      '--node',
      node.rpcUrl,
      '--storage',
      this.storageUrl,
    ]);
    const comet = await Comet38Client.connect(node.rpcUrl);
    try {
      await this.until(
        () => `the executor ${this.executorAddress} to be registered on chain`,
        this.startTimeoutMs,
        async () => {
          const response = await abciQueryOrThrow(
            comet,
            TRIGGERS_QUERY_PATHS.executors,
            QueryExecutorsRequest.encode({ limit: 1000 }).finish(),
          );
          return QueryExecutorsResponse.decode(response.value).executors.some((e) => e.address === this.executorAddress);
        },
        [proc],
      );
    } finally {
      comet.disconnect();
    }
  }

  private logPath(name: string): string {
    // node2/app -> DIR/node2/app.log; storage -> DIR/storage.log
    return join(this.dir, `${name}.log`);
  }

  private spawn(name: string, command: string, args: string[]): GroupProcess {
    this.assertNotStopped();
    const proc = spawnGroup(name, command, args, this.logPath(name), this.options.detach === true);
    this.procs.set(name, proc);
    this.writePids();
    return proc;
  }

  private writePids(): void {
    if (this.stopping) return;
    writePidFile({
      dir: this.dir,
      ...(this.options.supervisor === undefined ? {} : { supervisor: this.options.supervisor }),
      processes: [...this.procs.values()].filter((p) => p.running()).map((p) => ({ name: p.name, pid: p.pid, log: p.log })),
    });
  }

  /**
   * Polls `check` until it is true. Fails with the watched processes' log tails on timeout, or at
   * once when one of them has exited.
   */
  private async until(what: () => string, timeoutMs: number, check: () => Promise<boolean>, watch: readonly GroupProcess[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      const dead = watch.find((p) => !p.running());
      if (dead) throw this.failure(`waiting for ${what()}: ${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode})`, watch);
      if (Date.now() > deadline) throw this.failure(`timed out after ${timeoutMs} ms waiting for ${what()}`, watch);
      await sleep(POLL_MS);
    }
  }

  private failure(message: string, watch: readonly GroupProcess[]): Error {
    const tails = watch.map((p) => `--- ${p.name} (${p.log}), last lines:\n${this.logTail(p.name, 30)}`);
    return ainError(ErrIO, `localnet ${this.dir}: ${message}\n${tails.join('\n')}`);
  }
}

/** A node's latest height from CometBFT's /status, undefined when its RPC does not answer. */
export async function nodeHeight(rpcUrl: string): Promise<number | undefined> {
  try {
    const status = (await rawRpc(rpcUrl, 'status')) as { sync_info?: { latest_block_height?: string } };
    const height = Number(status.sync_info?.latest_block_height);
    return Number.isSafeInteger(height) ? height : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Option checks

export function checkValidatorCount(validators: number): void {
  if (!Number.isSafeInteger(validators) || validators < 1 || validators > MAX_VALIDATORS) {
    throw ainError(ErrInvalidRequest, `--validators ${validators} must be an integer from 1 to ${MAX_VALIDATORS}`);
  }
}

export function checkBasePort(basePort: number): void {
  const highest = basePortLayout(basePort, MAX_NODES - 1).api;
  if (!Number.isSafeInteger(basePort) || basePort < 1024 || highest > 65535) {
    throw ainError(ErrInvalidRequest, `--base-port ${basePort} must be an integer from 1024 to ${65535 - (highest - basePort)}`);
  }
}

export function checkTimeoutCommit(value: string): void {
  if (!DURATION_PATTERN.test(value)) {
    throw ainError(ErrInvalidRequest, `--timeout-commit "${value}" must be a duration like 500ms or 1s`);
  }
}
