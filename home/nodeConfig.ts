/**
 * A node's config files: the config.toml settings and app.toml `aind init` writes, and the settings
 * `aind start` reads back from them to run the node (ports, REST API, state retention).
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_KEEP_RECENT, DEFAULT_SNAPSHOT_CHUNK_SIZE, MAX_SNAPSHOT_CHUNK_SIZE } from '../tree/lmdb/index.ts';
import { homePaths } from './paths.ts';
import { formatTomlValue, getTomlValue, setTomlValues, type TomlValue } from './toml.ts';

/** The ABCI address CometBFT dials and `aind start` listens on (config.toml `proxy_app`). */
export const DEFAULT_ABCI_ADDRESS = 'tcp://127.0.0.1:26658';
/** The REST API (Cosmos LCD routes) address. */
export const DEFAULT_API_ADDRESS = 'tcp://127.0.0.1:1317';

/**
 * The config.toml settings `aind init` writes over CometBFT's defaults, by section ("" is the top
 * level). Everything else stays as `cometbft init` wrote it.
 */
export function nodeConfigSettings(moniker: string): Record<string, Record<string, TomlValue>> {
  return {
    '': { proxy_app: DEFAULT_ABCI_ADDRESS, moniker },
    rpc: {
      // Keplr-style wallets and web explorers call the RPC from browsers.
      cors_allowed_origins: ['*'],
      // Executors and explorers keep websocket subscriptions open.
      max_subscription_clients: 500,
      // Must stay below the open-file limit (ulimit -n, 1024 on many systems) minus CometBFT's own files.
      max_open_connections: 900,
    },
    mempool: {
      size: 10_000,
      cache_size: 20_000,
      // 128 MiB bounds the mempool's memory under a flood: 10,000 ordinary txs (a few hundred bytes
      // each) fit far inside it, and at most ~2,000 of the largest (64 KiB, the app's max_tx_bytes).
      max_txs_bytes: 134_217_728,
    },
    consensus: { timeout_commit: '1s' },
    tx_index: { indexer: 'kv' },
  };
}

/** Applies `nodeConfigSettings` to a config.toml text. */
export function applyNodeConfig(configToml: string, moniker: string): string {
  return setTomlValues(configToml, nodeConfigSettings(moniker));
}

/** The app.toml `aind init` writes: the application's own settings, read by `aind start`. */
export function defaultAppToml(apiAddress: string = DEFAULT_API_ADDRESS): string {
  return `# AIN Chain application configuration, read by \`aind start\`.
# CometBFT's own settings are in config.toml next to this file; the application listens for
# CometBFT's ABCI connections on config.toml's \`proxy_app\` address.

# The event attributes CometBFT's tx indexer stores, so tx_search (CosmJS searchTx, the REST
# /cosmos/tx/v1beta1/txs route) can find txs by them: "type.key", or a prefix ending in "*" ("ain.*":
# every AIN module event). [] indexes every attribute (as the Cosmos SDK's index-events). Websocket
# subscribers get every event either way. The default keeps what wallets, CosmJS and the explorer
# search by (see DEFAULT_INDEX_EVENTS in home/nodeConfig.ts) and leaves out amounts, fees,
# signatures and the per-block reward events.
index-events = ${formatTomlValue(DEFAULT_INDEX_EVENTS)}

[api]
# The REST API (Cosmos LCD routes such as /cosmos/bank/v1beta1/balances/{address}) that
# Keplr-style wallets and explorers call.
enable = true
address = "${apiAddress}"
# Flood limits: a body over max_body_bytes is answered 413 unread; headers not in within
# headers_timeout_ms, or a request not in within request_timeout_ms, is answered 408 and its
# connection closed; idle keep-alive connections close after keep_alive_timeout_ms; connections
# past max_connections are closed as soon as they are accepted.
max_body_bytes = 1048576
headers_timeout_ms = 10000
request_timeout_ms = 30000
keep_alive_timeout_ms = 5000
max_headers_count = 100
max_connections = 1000

[state]
# How many recent committed versions of the state tree to keep (0 keeps all).
keep_recent = 100
# Keep at least this many recent blocks in CometBFT's block store and prune the older ones (the
# Cosmos SDK's min-retain-blocks); 0 keeps every block. Blocks the state kept above (keep_recent)
# or the oldest state sync snapshot still needs are never pruned.
min_retain_blocks = 0

[state-sync]
# Take a state sync snapshot (HOME/data/snapshots) every this many heights (0: none). New nodes
# join from them with config.toml [statesync] enable = true instead of replaying every block.
snapshot-interval = ${DEFAULT_SNAPSHOT_INTERVAL}
# How many of the newest snapshots to keep and offer (at least 1).
snapshot-keep-recent = ${DEFAULT_SNAPSHOT_KEEP_RECENT}
# Bytes per snapshot chunk (1024 to 12 MiB); every node offering one snapshot must use the same.
snapshot-chunk-size = ${DEFAULT_SNAPSHOT_CHUNK_SIZE}
`;
}

/**
 * app.toml `index-events` that `aind init` writes: who sent and received (message sender, action and
 * module, transfer and coin_spent/coin_received parties, the fee payer and signer sequence, the SDK's
 * GetTx by sequence), every attribute of the staking, distribution, gov, slashing and upgrade events
 * wallets and explorers list, and every AIN event (executors catch up on their subscriptions through
 * tx_search). Left out: amounts, fees, signatures, msg_index and the per-block mint/rewards events.
 */
export const DEFAULT_INDEX_EVENTS: readonly string[] = [
  'message.action',
  'message.sender',
  'message.module',
  'transfer.sender',
  'transfer.recipient',
  'coin_spent.spender',
  'coin_received.receiver',
  'tx.fee_payer',
  'tx.acc_seq',
  ...['create_validator', 'edit_validator', 'delegate', 'unbond', 'redelegate', 'complete_unbonding', 'complete_redelegation'].map(
    (type) => `${type}.*`,
  ),
  ...['withdraw_rewards', 'withdraw_commission', 'set_withdraw_address', 'unjail', 'slash'].map((type) => `${type}.*`),
  ...['submit_proposal', 'proposal_deposit', 'proposal_vote', 'active_proposal', 'inactive_proposal', 'upgrade_'].map((type) =>
    type.endsWith('_') ? `${type}*` : `${type}.*`,
  ),
  'ain.*',
];

/** app.toml `[state-sync] snapshot-interval` that `aind init` writes (a missing setting means 0: none). */
export const DEFAULT_SNAPSHOT_INTERVAL = 1000;
/** app.toml `[state-sync] snapshot-keep-recent` when absent. */
export const DEFAULT_SNAPSHOT_KEEP_RECENT = 2;

/** CometBFT log level of the dev chain and the localnet's nodes: block commits and errors. */
export const DEV_LOG_LEVEL = 'state:info,*:error';

/** What running a node takes from its home's config.toml and app.toml (see `app/node.ts`). */
export interface NodeSettings {
  /** The app's lmdb environment. */
  readonly db: string;
  /** `[state] keep_recent` of app.toml. */
  readonly keepRecent: number;
  /** `[state] min_retain_blocks` of app.toml: CometBFT blocks to keep (0: all). */
  readonly minRetainBlocks: number;
  /** app.toml `index-events`: the event attributes CometBFT indexes ([] or absent: all). */
  readonly indexEvents: readonly string[];
  /** config.toml `proxy_app`: where the app serves ABCI. */
  readonly abci: { readonly host: string; readonly port: number };
  /** app.toml `[api] address` and the limits set there; undefined when `[api] enable = false`. */
  readonly api: { readonly host: string; readonly port: number; readonly limits: ApiLimits } | undefined;
  /** CometBFT's RPC (config.toml `[rpc] laddr`) as this machine reaches it. */
  readonly cometRpcUrl: string;
  /** app.toml `[state-sync]`: state sync snapshots. */
  readonly snapshots: SnapshotSettings;
}

/** app.toml `[state-sync]`. */
export interface SnapshotSettings {
  /** `snapshot-interval`: a snapshot every this many heights; 0 (also when absent): none. */
  readonly interval: number;
  /** `snapshot-keep-recent`: how many snapshots to keep, at least 1. */
  readonly keepRecent: number;
  /** `snapshot-chunk-size`: bytes per chunk. */
  readonly chunkSize: number;
}

/**
 * Reads a home's node settings. Throws when config.toml is missing (`aind init` first) or an
 * address or `keep_recent` is malformed.
 * @example readNodeSettings('/home/me/.aind').abci // { host: '127.0.0.1', port: 26658 }
 */
export function readNodeSettings(home: string): NodeSettings {
  const paths = homePaths(home);
  if (!existsSync(paths.configToml)) throw new Error(`${paths.configToml} does not exist; run "aind init" first`);
  const config = readFileSync(paths.configToml, 'utf8');
  const abci = parseTcpAddress(String(getTomlValue(config, '', 'proxy_app') ?? DEFAULT_ABCI_ADDRESS), 'config.toml proxy_app');
  const appToml = existsSync(paths.appToml) ? readFileSync(paths.appToml, 'utf8') : '';
  const apiEnabled = getTomlValue(appToml, 'api', 'enable') !== false;
  const api = parseTcpAddress(String(getTomlValue(appToml, 'api', 'address') ?? DEFAULT_API_ADDRESS), 'app.toml api.address');
  const rpc = parseTcpAddress(String(getTomlValue(config, 'rpc', 'laddr') ?? 'tcp://127.0.0.1:26657'), 'config.toml rpc.laddr');
  const rpcHost = rpc.host === '0.0.0.0' ? '127.0.0.1' : rpc.host;
  return {
    db: paths.applicationDb,
    keepRecent: parseKeepRecent(appToml),
    minRetainBlocks: parseMinRetainBlocks(appToml),
    indexEvents: parseIndexEvents(appToml),
    abci,
    api: apiEnabled ? { ...api, limits: parseApiLimits(appToml) } : undefined,
    cometRpcUrl: `http://${rpcHost}:${rpc.port}`,
    snapshots: parseSnapshotSettings(appToml),
  };
}

/**
 * app.toml `[state-sync]`: `snapshot-interval` (default 0: no snapshots), `snapshot-keep-recent`
 * (default 2), `snapshot-chunk-size` (default 4 MiB).
 * @throws Error naming the setting that is not an integer in its range
 */
export function parseSnapshotSettings(appToml: string): SnapshotSettings {
  const read = (key: string, fallback: number, min: number, max: number): number => {
    const value = getTomlValue(appToml, 'state-sync', key) ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`app.toml [state-sync] ${key} = ${String(value)} is not an integer from ${min} to ${max}`);
    }
    return value;
  };
  return {
    interval: read('snapshot-interval', 0, 0, Number.MAX_SAFE_INTEGER),
    keepRecent: read('snapshot-keep-recent', DEFAULT_SNAPSHOT_KEEP_RECENT, 1, 1000),
    chunkSize: read('snapshot-chunk-size', DEFAULT_SNAPSHOT_CHUNK_SIZE, 1024, MAX_SNAPSHOT_CHUNK_SIZE),
  };
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

/**
 * `[state] min_retain_blocks` of app.toml: how many recent blocks CometBFT keeps (0, also when
 * absent: all of them; see app/retainHeight.ts).
 * @example parseMinRetainBlocks('[state]\nmin_retain_blocks = 1000\n') // 1000
 */
export function parseMinRetainBlocks(appToml: string): number {
  const value = getTomlValue(appToml, 'state', 'min_retain_blocks') ?? 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`app.toml [state] min_retain_blocks = ${String(value)} is not a non-negative integer`);
  }
  return value;
}

/**
 * app.toml `index-events`: a list of `type.key` entries or prefixes ending in `*`; absent: [] (all).
 * @throws Error when it is not an array of such strings
 * @example parseIndexEvents('index-events = ["message.sender", "ain.*"]\n') // ['message.sender', 'ain.*']
 */
export function parseIndexEvents(appToml: string): string[] {
  const raw = getTomlValue(appToml, '', 'index-events');
  if (raw === undefined) return [];
  const fail = (): never => {
    throw new Error(`app.toml index-events = ${String(raw)} is not a list of "type.key" strings (or prefixes ending in "*")`);
  };
  if (typeof raw !== 'string' || !raw.startsWith('[')) return fail();
  let entries: unknown;
  try {
    entries = JSON.parse(raw.replaceAll("'", '"'));
  } catch {
    return fail();
  }
  if (!Array.isArray(entries)) return fail();
  for (const entry of entries) {
    if (typeof entry !== 'string' || !(entry.endsWith('*') || /^[^.\s]+(\.[^.\s]+)*\.[^.\s*]+$/.test(entry))) return fail();
  }
  return entries as string[];
}

/** The REST server's flood limits app.toml `[api]` sets (those absent take the server's defaults). */
export interface ApiLimits {
  readonly maxBodyBytes?: number;
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  readonly maxHeadersCount?: number;
  readonly maxConnections?: number;
}

const API_LIMIT_KEYS: ReadonlyArray<readonly [string, keyof ApiLimits]> = [
  ['max_body_bytes', 'maxBodyBytes'],
  ['headers_timeout_ms', 'headersTimeoutMs'],
  ['request_timeout_ms', 'requestTimeoutMs'],
  ['keep_alive_timeout_ms', 'keepAliveTimeoutMs'],
  ['max_headers_count', 'maxHeadersCount'],
  ['max_connections', 'maxConnections'],
];

/**
 * The flood limits of app.toml `[api]`; throws on one that is not a positive integer.
 * @example parseApiLimits('[api]\nmax_body_bytes = 65536\n') // { maxBodyBytes: 65536 }
 */
export function parseApiLimits(appToml: string): ApiLimits {
  const limits: Record<string, number> = {};
  for (const [key, field] of API_LIMIT_KEYS) {
    const value = getTomlValue(appToml, 'api', key);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new Error(`app.toml [api] ${key} = ${String(value)} is not a positive integer`);
    }
    limits[field] = value;
  }
  return limits as ApiLimits;
}

/** Splits `tcp://127.0.0.1:26658` into host and port. */
export function parseTcpAddress(address: string, field: string): { host: string; port: number } {
  const match = /^(?:tcp:\/\/)?([^:/]+):([0-9]{1,5})$/.exec(address);
  if (!match) throw new Error(`${field} "${address}" is not of the form tcp://HOST:PORT`);
  return { host: match[1]!, port: Number(match[2]) };
}
