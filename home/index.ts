/**
 * A node's home on disk, the face the layers above import: its paths, making it (`initHome`), its
 * genesis file and the edits made before the chain starts, its config files and the settings a
 * running node reads from them, the keyring (backends "file" and "test", armored import and export)
 * and HD keys, and the repository's binaries.
 */
export { exportArmoredKey, importArmoredKey } from './armor.ts';
export { AIND_SCRIPT, COMETBFT_BIN, cometbftBinary, REPO_ROOT } from './binaries.ts';
export {
  type AddGenesisValidatorOptions,
  type AddGenesisValidatorResult,
  addGenesisAccountToHome,
  addGenesisValidatorToHome,
  privValidatorPubkey,
  resolveAddress,
} from './genesis.ts';
export { clientKeyringBackend, clientTomlPath, setClientKeyringBackend } from './clientConfig.ts';
export { type ExportedGenesis, exportGenesis } from './export.ts';
export { applyEconomicsToHome, validateHomeGenesis } from './genesisEconomics.ts';
export { type GenesisDoc, readGenesis, updateAppState, writeGenesis } from './genesisFile.ts';
export { COIN_TYPE, type DerivedKey, deriveKey, generateMnemonic, HD_PATH, normalizeMnemonic, signerForKey } from './hd.ts';
export { type InitOptions, type InitResult, initHome, nodeId, validateChainId } from './init.ts';
export { type ShardHomeResult, writeShardHome } from './shardHome.ts';
export {
  addKey,
  deleteKey,
  getKey,
  importPrivateKey,
  KEYRING_BACKENDS,
  type KeyFile,
  type KeyInfo,
  type Keyring,
  type KeyringBackend,
  keyInfo,
  keyringDir,
  keySigner,
  listKeys,
  type PassphraseRequest,
  parseKeyringBackend,
  resolveKeyOrAddress,
  TEST_KEYRING,
  validateKeyName,
} from './keyring.ts';
export {
  applyNodeConfig,
  DEFAULT_ABCI_ADDRESS,
  DEFAULT_API_ADDRESS,
  DEFAULT_INDEX_EVENTS,
  DEV_LOG_LEVEL,
  defaultAppToml,
  type NodeSettings,
  nodeConfigSettings,
  parseIndexEvents,
  parseKeepRecent,
  parseTcpAddress,
  readNodeSettings,
} from './nodeConfig.ts';
export { DEFAULT_HOME, type HomePaths, homePaths, resolveHome } from './paths.ts';
export { formatTomlValue, getTomlValue, setTomlValue, setTomlValues, type TomlValue } from './toml.ts';
