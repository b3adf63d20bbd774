/**
 * The relayer between a parent chain and one of its children (`aind shard relay`): it reports each
 * chain's signed headers on the other and carries transfer packets with their proofs. Anyone may run
 * one, and several may run at once; it keeps no state of its own. Also the branch transaction from
 * plain options (`branch.ts`), which the CLI and the localnet send. The face of `relayer/`.
 */
export { type BranchOptions, branchMessage, currentValidators, DEFAULT_TRUST } from './branch.ts';
export { type ChainEnd, connectEnds, type Ends } from './ends.ts';
export { fetchUpdate, type HeaderUpdate, latestHeight, reportLatest, type ReportResult } from './headers.ts';
export { type PacketStep, relayPackets } from './packets.ts';
export { type Relayer, type RelayerOptions, type RoundResult, relayRound, startRelayer } from './relayer.ts';
