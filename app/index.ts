/**
 * The app's face, for the layers above it (home, localnet, cmd): the application (its state export
 * among the rest), the genesis app_state and its edits, the node runner.
 */
export { AinApplication, type AinApplicationOptions } from './application.ts';
export type { UpgradeHandler, UpgradeServices } from './upgrades.ts';
export { type AppState, addGenesisAccount, addGenesisValidator, defaultAppState } from './genesis.ts';
export { type ChildGenesisDoc, childGenesisDoc, genesisHash, shardOfBranch } from './shardGenesis.ts';
export {
  AIN_PUBLIC_SUPPLY,
  AIN_RESERVE_SUPPLY,
  AIN_TOTAL_SUPPLY,
  checkGenesisEconomics,
  type EconomicsPlanJson,
  type EconomicsTotals,
  validateAppState,
  withGenesisEconomics,
} from './genesisEconomics.ts';
export { type GenesisStart, genesisStartOfDoc } from './genesisStart.ts';
export { blockRewardFor, blocksPerYearAt, durationMillis, GENESIS_INFLATION_BPS, genesisSupply, withBlockEconomics } from './economics.ts';
export {
  COMET_LOG,
  COMETBFT_GOGC,
  cometbftEnvironment,
  MIN_COMETBFT_GOMAXPROCS,
  type ListenAddress,
  logFileTail,
  type NodeCompanions,
  type NodeOptions,
  type RunningNode,
  startNode,
} from './node.ts';
