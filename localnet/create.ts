/**
 * Writing a localnet: N node homes made by `aind init`'s code, keys, one shared genesis with
 * equal-power validators, each node's config (ports, peers, short blocks, quiet logs) and the
 * manifest; also adding a node's home later, and deleting a localnet folder. Starts nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ainError, ErrConflict, parseCoins } from '../core/index.ts';
import { type AppState, addGenesisAccount, durationMillis, withBlockEconomics } from '../app/index.ts';
import {
  addGenesisValidatorToHome,
  addKey,
  cometbftBinary,
  DEV_LOG_LEVEL,
  homePaths,
  initHome,
  nodeId,
  privValidatorPubkey,
  readGenesis,
  setClientKeyringBackend,
  setTomlValues,
  TEST_KEYRING,
  type TomlValue,
  updateAppState,
  validateChainId,
  writeGenesis,
} from '../home/index.ts';
import {
  basePortLayout,
  checkBasePort,
  checkTimeoutCommit,
  checkValidatorCount,
  DEFAULT_CHAIN_ID,
  DEFAULT_TIMEOUT_COMMIT,
  DEFAULT_VALIDATORS,
  DOCKER_PORTS,
  DOCKER_STORAGE_PORT,
  EXECUTOR_BALANCE,
  EXECUTOR_KEY,
  FAUCET_BALANCE,
  FAUCET_KEY,
  hasLocalnet,
  type LocalnetManifest,
  type LocalnetSnapshots,
  MANIFEST_FILE,
  type ManifestNode,
  type NodePorts,
  p2pAddress,
  VALIDATOR_BALANCE,
  VALIDATOR_KEY,
  VALIDATOR_STAKE,
  writeManifest,
} from './manifest.ts';
import { freePorts } from './ports.ts';
import { runningProcesses } from './processes.ts';

/**
 * A localnet's nodes share one machine (or one compose network): p2p writes are flushed and peers'
 * needs checked every 10 ms instead of every 100 ms (CometBFT's own test configuration uses 10 and 5 ms).
 */
const LOCAL_P2P_LATENCY = '10ms';

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
  /** State sync snapshots of every node (app.toml `[state-sync]`); absent: `aind init`'s defaults. */
  readonly snapshots?: LocalnetSnapshots;
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
  // A localnet runs unattended: every key is in the unencrypted test keyring, named in client.toml.
  setClientKeyringBackend(dir, 'test');

  const faucet = (await addKey(dir, FAUCET_KEY, undefined, TEST_KEYRING)).key;
  const executor = (await addKey(dir, EXECUTOR_KEY, undefined, TEST_KEYRING)).key;
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
  // A block reward for 10% inflation of the genesis supply at this localnet's block time (README "Economics").
  updateAppState(genesisHome, (state) => withBlockEconomics(state, durationMillis(timeoutCommit)));
  if (options.genesisPatch) updateAppState(genesisHome, options.genesisPatch);
  const genesis = readGenesis(genesisHome);
  for (const node of nodes.slice(1)) writeGenesis(join(dir, node.name), genesis);

  for (const node of nodes) configureNode(dir, node, nodes, timeoutCommit, docker, options.snapshots);
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
    ...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
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

/** Makes node `index`'s home (`aind init`'s code) with its own funded-to-be key, and picks its ports. */
export async function initNodeHome(
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
  setClientKeyringBackend(home, 'test');
  const { key } = await addKey(home, VALIDATOR_KEY, undefined, TEST_KEYRING);
  const ports = docker ? DOCKER_PORTS : basePort !== undefined ? basePortLayout(basePort, index) : await freeNodePorts();
  return { name, validator, nodeId: nodeId(home), host: docker ? name : '127.0.0.1', ports, account: key.address };
}

async function freeNodePorts(): Promise<NodePorts> {
  const [p2p, rpc, abci, api] = await freePorts(4);
  return { p2p: p2p!, rpc: rpc!, abci: abci!, api: api! };
}

/** config.toml and app.toml of one node: its ports, its peers, short blocks, quiet logs, its snapshots. */
export function configureNode(
  dir: string,
  node: ManifestNode,
  all: readonly ManifestNode[],
  timeoutCommit: string,
  docker: boolean,
  snapshots?: LocalnetSnapshots,
): void {
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
      // CometBFT's default 100 ms batches a connection's writes for WAN links; between processes of
      // one machine it only delays each consensus step and each gossiped tx (bench/README.md: with
      // this and the gossip sleep below, p50 at half a node's peak fell from 1.8-2.1 s to 0.9-1.9 s,
      // the top of that range only where the offered rate exceeded what the localnet commits).
      flush_throttle_timeout: LOCAL_P2P_LATENCY,
    },
    // How long the consensus reactor's gossip routines sleep when a peer needs nothing (default 100 ms).
    consensus: { timeout_commit: timeoutCommit, peer_gossip_sleep_duration: LOCAL_P2P_LATENCY },
    instrumentation: { prometheus: false },
  };
  writeFileSync(paths.configToml, setTomlValues(readFileSync(paths.configToml, 'utf8'), settings));
  writeFileSync(
    paths.appToml,
    setTomlValues(readFileSync(paths.appToml, 'utf8'), {
      api: { address: `tcp://${listen}:${node.ports.api}` },
      ...(snapshots === undefined
        ? {}
        : {
            'state-sync': {
              'snapshot-interval': snapshots.interval,
              'snapshot-chunk-size': snapshots.chunkSize,
              'snapshot-keep-recent': snapshots.keepRecent ?? 2,
            },
          }),
    }),
  );
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
