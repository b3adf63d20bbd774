/**
 * The localnet: N validators (each an `aind start --with-comet=false` app and a `cometbft node`, with
 * its own home), a Big Storage service (`aind storage`) and one executor (`aind executor`), on
 * loopback ports of one machine. The CLI (`aind localnet`), the end-to-end test and the benchmark all
 * use this one implementation; `aind localnet init --docker` writes the same homes for the
 * docker-compose.yml network, with host names instead of loopback ports. This is its face: manifest.ts
 * (localnet.json, ports layout), create.ts (writing homes and genesis), running.ts (start, supervise,
 * stop), processes.ts (process groups and the pid file), ports.ts.
 *
 * Folder layout (DIR):
 *   localnet.json       the manifest: chain id, nodes (ports, node ids, accounts), storage, executor
 *   localnet.pid.json   the running processes (see processes.ts), while the localnet runs
 *   keyring-test/       keys "faucet" and "executor" (the executor runs with --home DIR)
 *   node0 ... nodeN-1   node homes (`aind init`), each with key "validator" in its own keyring
 *   storage/            Big Storage's blobs; storage.log, executor.log
 *   shards.json, shardN/ with --shards: child chains (one node each, home DIR/shardN) and their relayers
 *                       (keys relayer-shardN in DIR's keyring), branched on the first start (shards.ts)
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
export { addGenesisValidators, type CreateLocalnetOptions, createLocalnet, type GenesisValidatorSpec, removeLocalnet } from './create.ts';
export {
  basePortLayout,
  checkBasePort,
  checkTimeoutCommit,
  checkValidatorCount,
  DEFAULT_BASE_PORT,
  DEFAULT_CHAIN_ID,
  DEFAULT_TIMEOUT_COMMIT,
  DEFAULT_VALIDATORS,
  DOCKER_DIR,
  DOCKER_PORTS,
  DOCKER_STORAGE_PORT,
  EXECUTOR_BALANCE,
  EXECUTOR_KEY,
  FAUCET_BALANCE,
  FAUCET_KEY,
  hasLocalnet,
  type LocalnetManifest,
  type LocalnetNode,
  type LocalnetSnapshots,
  MANIFEST_FILE,
  type ManifestNode,
  MAX_NODES,
  MAX_VALIDATORS,
  type NodePorts,
  nodeView,
  readManifest,
  storageUrl,
  VALIDATOR_BALANCE,
  VALIDATOR_KEY,
  VALIDATOR_STAKE,
} from './manifest.ts';
export { freePorts, nodeHeight, portFree, portOpen } from './ports.ts';
export {
  groupAlive,
  isOurProcess,
  listedProcesses,
  PID_FILE,
  pidFilePath,
  type ProcessState,
  readPidFile,
  runningProcesses,
  stopListedProcesses,
  terminateStartedGroups,
} from './processes.ts';
export {
  type AddNodeOptions,
  type Localnet,
  type LocalnetProcessInfo,
  type RestartNodeOptions,
  type StartLocalnetOptions,
  startLocalnet,
  stateSyncSettings,
} from './running.ts';
export {
  addShards,
  checkShardCount,
  type LocalnetShard,
  MAX_SHARDS,
  readShards,
  SHARDS_FILE,
  type ShardStatus,
  type ShardsManifest,
  shardStatuses,
} from './shards.ts';
