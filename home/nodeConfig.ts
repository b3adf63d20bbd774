import { setTomlValues, type TomlValue } from './toml.ts';

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
      // 2 GiB: never the binding limit for 10,000 txs of at most 64 KiB (the app's max_tx_bytes).
      max_txs_bytes: 2_147_483_648,
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

[api]
# The REST API (Cosmos LCD routes such as /cosmos/bank/v1beta1/balances/{address}) that
# Keplr-style wallets and explorers call.
enable = true
address = "${apiAddress}"

[state]
# How many recent committed versions of the state tree to keep (0 keeps all).
keep_recent = 100
`;
}
