/**
 * Making a node home: `cometbft init`'s files with our genesis (chain id, default app_state) and
 * config (config.toml settings, app.toml), the node id of a home, and chain id checks. `aind init`,
 * `aind dev` and the localnet make their homes with it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { ainError, ErrConflict, ErrInvalidChainID, ErrInvalidRequest, ErrIO } from '../core/index.ts';
import { defaultAppState, genesisStartOfDoc, validateAppState } from '../app/index.ts';
import { cometbftBinary } from './binaries.ts';
import { type GenesisDoc, readGenesis, writeGenesis } from './genesisFile.ts';
import { applyNodeConfig, defaultAppToml } from './nodeConfig.ts';
import { homePaths } from './paths.ts';

export interface InitOptions {
  /** Node home (already resolved). */
  readonly home: string;
  /** Chain id; when absent, the random one `cometbft init` chose is kept. */
  readonly chainId?: string;
  /** Node name in config.toml; defaults to the host name. */
  readonly moniker?: string;
  /** Replace an existing genesis.json (node and validator keys are kept). */
  readonly overwrite?: boolean;
  /**
   * A genesis document to start from instead of the default one (`aind init --genesis FILE`): an
   * `aind genesis export` restarts its chain with the same state. Its chain id wins; `chainId`, when
   * given too, must equal it. Its `app_state` is checked as `aind genesis validate` checks one (at its
   * chain id, initial height and genesis time) before anything is written into the home.
   */
  readonly genesis?: GenesisDoc;
}

/** What `aind init` prints. */
export interface InitResult {
  readonly moniker: string;
  readonly chain_id: string;
  readonly node_id: string;
  readonly home: string;
}

/** CometBFT's limit on chain id length. */
const MAX_CHAIN_ID_LENGTH = 50;

/**
 * Initialises a node home: `cometbft init` writes config.toml, node and validator keys and a
 * genesis.json; then genesis.json gets the chain id and the default `app_state`, config.toml our
 * settings (see `nodeConfigSettings`), and config/app.toml is written. Every check (chain ids, a
 * given genesis document's app_state, an existing genesis.json) comes before the first write, so a
 * refusal leaves the home as it was.
 * @example await initHome({ home: '/tmp/n0', chainId: 'ain-local-1' })
 */
export function initHome(options: InitOptions): InitResult {
  const paths = homePaths(options.home);
  if (options.chainId !== undefined) validateChainId(options.chainId);
  if (options.genesis !== undefined) {
    validateChainId(options.genesis.chain_id);
    if (options.chainId !== undefined && options.chainId !== options.genesis.chain_id) {
      throw ainError(ErrConflict, `--chain-id ${options.chainId} differs from the genesis file's chain id ${options.genesis.chain_id}`);
    }
    // A document InitChain would refuse must not become the home's genesis: the node would halt there.
    const appState = options.genesis.app_state;
    if (typeof appState !== 'object' || appState === null)
      throw ainError(ErrInvalidRequest, 'the genesis document has no app_state', { field: 'app_state' });
    validateAppState(appState, false, genesisStartOfDoc(options.genesis));
  }
  if (existsSync(paths.genesis)) {
    if (!options.overwrite) {
      throw ainError(ErrConflict, `${paths.genesis} already exists; pass --overwrite to replace it`);
    }
    // cometbft init keeps an existing genesis.json; remove it so a fresh one names the validator.
    rmSync(paths.genesis);
  }
  const result = spawnSync(cometbftBinary(), ['init', '--home', options.home], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw ainError(
      ErrIO,
      `cometbft init --home ${options.home} failed (exit ${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }

  const moniker = options.moniker ?? hostname();
  writeFileSync(paths.configToml, applyNodeConfig(readFileSync(paths.configToml, 'utf8'), moniker));
  if (!existsSync(paths.appToml) || options.overwrite) writeFileSync(paths.appToml, defaultAppToml());

  const written = readGenesis(options.home);
  // Keep CometBFT's field order and values (genesis_time, consensus params, validators); set ours.
  const genesis: GenesisDoc = options.genesis ?? {
    ...written,
    chain_id: options.chainId ?? written.chain_id,
    app_state: defaultAppState(),
  };
  writeGenesis(options.home, genesis);

  return { moniker, chain_id: genesis.chain_id, node_id: nodeId(options.home), home: options.home };
}

/**
 * The node id of a home: hex of the first 20 bytes of sha256 of the node's ed25519 public key, as
 * `cometbft show-node-id` prints it.
 */
export function nodeId(home: string): string {
  const nodeKey = JSON.parse(readFileSync(homePaths(home).nodeKey, 'utf8')) as { priv_key: { type: string; value: string } };
  const privkey = fromBase64(nodeKey.priv_key.value);
  // Go's ed25519 private key is seed (32 bytes) || public key (32 bytes).
  const pubkey = privkey.subarray(32, 64);
  return toHex(createHash('sha256').update(pubkey).digest().subarray(0, 20));
}

/** Checks a chain id the way CometBFT does (non-empty, at most 50 characters) plus no whitespace. */
export function validateChainId(chainId: string): void {
  if (chainId.length === 0 || chainId.length > MAX_CHAIN_ID_LENGTH || /\s/.test(chainId)) {
    throw ainError(ErrInvalidChainID, `chain id "${chainId}" must be 1-${MAX_CHAIN_ID_LENGTH} characters without spaces`);
  }
}
