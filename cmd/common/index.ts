/**
 * What the `aind` commands share, the one place a command folder imports from outside itself in
 * cmd/: the program root and runner, flags and their parsers, output, the node clients, the tx flags
 * and sending, the job market's messages, runs and JSON, uploads, and running a node from a home.
 */
export { askJson, proposalMessageTypes } from './anyTypes.ts';
export { parseConsensusPubkey, parseCount, parseId } from './args.ts';
export { cliProgram, runCli } from './cli.ts';
export { connectCometClient, connectNode, findTx, type NodeClients, nodeRpc, withCometClient } from './client.ts';
export {
  chainProgressEvent,
  describeEvent,
  type JobProgressEvent,
  type ProgressMode,
  type ProgressPrinter,
  progressPrinter,
  type RunTags,
} from './jobProgress.ts';
export {
  evaluateLocally,
  formatRunSummary,
  type JobPayout,
  type JobRunOptions,
  type JobRunResult,
  type JobRunTerms,
  type JobSession,
  openJobSession,
  runFailure,
  runJob,
  runJobIn,
} from './jobRun.ts';
export {
  averageUpdates,
  formatShardedSummary,
  joinOutputs,
  type RoundSummary,
  runShardedJob,
  type ShardedRunOptions,
  type ShardedRunResult,
  type ShardRequest,
  splitData,
} from './jobShards.ts';
export { jobsJson, queryJobsStats } from './jobsJson.ts';
export { JOBS_TX_COMMANDS, type JobsTxCommand, type JobsTxFlags, type JobsTxOptions, jobsTxMessage, sendJobsTx } from './jobsTx.ts';
export {
  KEYRING_BACKEND_ENV,
  KEYRING_PASSPHRASE_ENV,
  type KeyringFlags,
  keyringBackendOption,
  keyringOf,
  nextStdinLine,
  readSecret,
  resolveKeyringBackend,
} from './keyring.ts';
export { exitAfterShutdown, type RunNodeOptions, runNode } from './node.ts';
export { DEFAULT_NODE, nodeHttpUrl } from './node-url.ts';
export { type HomeFlags, homeOption, type NodeFlags, nodeOption, type OutputFlags, outputOption, parseLimit } from './options.ts';
export { formatJson, formatText, OUTPUT_FORMATS, type OutputFormat, parseOutputFormat, printResult, toJsonValue } from './output.ts';
export { stopSignal } from './signals.ts';
export { putFileCommand } from './storage.ts';
export { type TxResponseJson, decodeTxJson, formatTxSummary, printSentTx, snakeKeys, txResponseJson } from './tx-json.ts';
export {
  type BroadcastOutcome,
  buildFee,
  DEFAULT_GAS,
  DEFAULT_GAS_PRICE,
  type SendOptions,
  sendMessages,
  sendOptionsOf,
  type TxFlags,
  txErrorJson,
  withSignerlessTxFlags,
  withTxFlags,
} from './tx.ts';
