/**
 * The app's face, for the layers above it (home, localnet, cmd): the genesis app_state and its
 * edits, the node runner.
 */
export { type AppState, addGenesisAccount, addGenesisValidator, defaultAppState } from './genesis.ts';
export { type ListenAddress, type NodeCompanions, type NodeOptions, type RunningNode, startNode } from './node.ts';
