/**
 * A localnet's manifest, DIR/localnet.json: its constants (defaults, bounds, key names, genesis
 * balances), the shape of each node (ports, node id, account), the `--base-port` layout, the URLs
 * clients use, reading and writing the file, and the checks of the options that shape a localnet.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ainError, ErrInvalidRequest, ErrNotFound } from '../core/index.ts';

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
/**
 * Each genesis validator's self-delegation (750,000 AIN of its 1,000,000: CometBFT power 750,000, at
 * 10^6 uain a unit of power): with 4 validators about 60% of the supply is bonded, as on a live chain,
 * so the APR wallets derive reads like one (README "Economics").
 */
export const VALIDATOR_STAKE = '750000000000uain';

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
  /**
   * app.toml `[state-sync]` of every node: a snapshot every `interval` heights in chunks of
   * `chunkSize` bytes (absent: `aind init`'s defaults), so nodes added later can join by state sync.
   */
  readonly snapshots?: LocalnetSnapshots;
}

/** The localnet's state sync snapshots (see {@link LocalnetManifest.snapshots}). */
export interface LocalnetSnapshots {
  readonly interval: number;
  readonly chunkSize: number;
  /**
   * Snapshots each node keeps (default 2). A joining node needs its snapshot kept until every chunk
   * is fetched: with short blocks and a small interval, keep enough to span a join.
   */
  readonly keepRecent?: number;
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

/** Node `index`'s ports in the `--base-port` layout. */
export function basePortLayout(basePort: number, index: number): NodePorts {
  const base = basePort + 10 * index;
  return { p2p: base + 6, rpc: base + 7, abci: base + 8, api: base + 9 };
}

/** `id@host:port`, as persistent_peers lists a node. */
export function p2pAddress(node: ManifestNode): string {
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

/** Writes DIR/localnet.json atomically (temp file and rename). */
export function writeManifest(dir: string, manifest: LocalnetManifest): void {
  const path = join(dir, MANIFEST_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temp, path);
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
