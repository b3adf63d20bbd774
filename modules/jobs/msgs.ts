import { ainError, parseAddress, parseAmount, parseRequirements } from '../../core/index.ts';
import type {
  MsgAcceptJob,
  MsgAcceptResult,
  MsgApplyJob,
  MsgApproveNode,
  MsgChallenge,
  MsgDropNode,
  MsgRank,
  MsgRegisterJob,
  MsgRequestJob,
  MsgResolveChallenge,
  MsgRevealResult,
  MsgRevealTestData,
  MsgSubmitResult,
} from '../../proto/gen/ain/jobs/v1/tx.ts';
import { RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { CODE_HASH_PATTERN, RUNTIME_NAME_PATTERN, RUNTIMES } from '../state/index.ts';
import { SALT_PATTERN } from './commitment.ts';
import { ErrInvalidJobMsg } from './errors.ts';
import { MAX_TREE_DEPTH_BOUND, MAX_WORKERS_BOUND } from './params.ts';
import { findRpc, parseSchema, type SchemaRpc } from './schema.ts';

/** Longest job name, description, reason; most nodes a request lists; largest reward weight. */
export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_REASON_LENGTH = 512;
export const MAX_LISTED_NODES = 32;
export const MAX_WEIGHT = 1_000_000;
/** Largest inline JSON (input, output, test data), in UTF-8 bytes. */
export const MAX_INLINE_BYTES = 8 * 1024;
const REWARD_FUNCTIONS: readonly RewardFunction[] = [
  RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
  RewardFunction.REWARD_FUNCTION_EVEN_SPLIT,
  RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS,
];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidJobMsg, detail, { field });
};

function checkId(id: bigint, field: string): void {
  if (id === 0n) invalid(`${field} must be positive`, field);
}

function checkText(text: string, max: number, field: string): void {
  if (text.length > max) invalid(`${field} is ${text.length} characters; at most ${max}`, field);
}

function checkHash(hash: string, field: string): void {
  if (!CODE_HASH_PATTERN.test(hash))
    invalid(`${field} ${JSON.stringify(hash.slice(0, 80))} is not a sha256 hash (64 lowercase hex)`, field);
}

function checkRole(role: Role, allowed: readonly Role[], field: string): void {
  if (!allowed.includes(role)) invalid(`${field} ${Role[role] ?? role} is not one of ${allowed.map((r) => Role[r]).join(', ')}`, field);
}

/** Inline JSON text: at most {@link MAX_INLINE_BYTES} and parseable; returns the parsed value. */
export function parseInlineJson(text: string, field: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_INLINE_BYTES)
    invalid(`${field} is ${bytes} bytes; at most ${MAX_INLINE_BYTES} inline (put it in Big Storage and give its hash)`, field);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    return invalid(`${field} is not JSON (${(cause as Error).message})`, field);
  }
}

/** Exactly one of `text` (inline JSON) and `hash` (sha256 hex in Big Storage). */
function checkInlineOrHash(text: string, hash: string, field: string, hashField: string): void {
  if ((text === '') === (hash === ''))
    invalid(`give exactly one of ${field} (inline JSON) and ${hashField} (sha256 in Big Storage)`, field);
  if (hash !== '') checkHash(hash, hashField);
  else parseInlineJson(text, field);
}

/** Distinct addresses, at most {@link MAX_LISTED_NODES}. */
function checkAddressList(list: readonly string[], field: string, max = MAX_LISTED_NODES): void {
  if (list.length > max) invalid(`${field} lists ${list.length} addresses; at most ${max}`, field);
  const seen = new Set<string>();
  list.forEach((address, i) => {
    parseAddress(address, `${field}[${i}]`);
    if (seen.has(address)) invalid(`${field}[${i}] ${address} is listed twice`, field);
    seen.add(address);
  });
}

/** The worker and evaluator rpcs a registration names, resolved against its schema. */
export interface ResolvedRpcs {
  readonly worker: SchemaRpc;
  readonly evaluator: SchemaRpc;
}

/**
 * Stateless checks of MsgRegisterJob: name, schema (parsed: jobs/2 names the line and field), the
 * worker rpc (one request type: the job's input) and evaluator rpc, code hashes, runtime, bounds.
 */
export function validateMsgRegisterJob(msg: MsgRegisterJob): ResolvedRpcs {
  parseAddress(msg.signer, 'signer');
  if (!NAME_PATTERN.test(msg.name) || msg.name.length > MAX_NAME_LENGTH)
    invalid(`name ${JSON.stringify(msg.name.slice(0, 80))} must be 1-${MAX_NAME_LENGTH} of letters, digits, space . _ -`, 'name');
  checkText(msg.description, MAX_DESCRIPTION_LENGTH, 'description');
  const schema = parseSchema(msg.schema);
  const worker = findRpc(schema, msg.workerRpc, 'Worker', 'worker_rpc');
  if (worker.inputs.length !== 1)
    invalid(
      `worker_rpc ${worker.service}.${worker.name} takes ${worker.inputs.length} request types; the job input is exactly one`,
      'worker_rpc',
    );
  const evaluator = findRpc(schema, msg.evaluatorRpc, 'Evaluator', 'evaluator_rpc');
  checkHash(msg.workerCodeHash, 'worker_code_hash');
  checkHash(msg.evaluatorCodeHash, 'evaluator_code_hash');
  if (!RUNTIME_NAME_PATTERN.test(msg.runtime))
    invalid(
      `runtime ${JSON.stringify(msg.runtime)} is not a runtime name (${RUNTIMES.join(', ')} or one executors register, e.g. torch)`,
      'runtime',
    );
  parseRequirements(msg.requires, 'requires', ErrInvalidJobMsg);
  const resources = msg.resources;
  if (resources && (resources.cpu > 1024 || resources.gpus > 64 || resources.memoryMb > 1n << 24n || resources.gpuMemoryMb > 1n << 24n))
    invalid('resources exceed 1024 cpu, 64 gpus or 16 TiB of memory', 'resources');
  if ((msg.delegation?.adminDepth ?? 0) > MAX_TREE_DEPTH_BOUND)
    invalid(`delegation.admin_depth ${msg.delegation?.adminDepth} exceeds ${MAX_TREE_DEPTH_BOUND}`, 'delegation.admin_depth');
  return { worker, evaluator };
}

/** Stateless checks of MsgApplyJob: job id, a role. */
export function validateMsgApplyJob(msg: MsgApplyJob): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.jobId, 'job_id');
  checkRole(msg.role, [Role.ROLE_ADMIN, Role.ROLE_EVALUATOR, Role.ROLE_WORKER], 'role');
}

/** Stateless checks of MsgApproveNode: job id, node address, a role. */
export function validateMsgApproveNode(msg: MsgApproveNode): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.jobId, 'job_id');
  parseAddress(msg.node, 'node');
  checkRole(msg.role, [Role.ROLE_ADMIN, Role.ROLE_EVALUATOR, Role.ROLE_WORKER], 'role');
}

/** Stateless checks of MsgDropNode: job id, node address other than the signer, reason bounded. */
export function validateMsgDropNode(msg: MsgDropNode): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.jobId, 'job_id');
  parseAddress(msg.node, 'node');
  if (msg.node === msg.signer) invalid('node is the signer; an admin drops its children, not itself', 'node');
  checkText(msg.reason, MAX_REASON_LENGTH, 'reason');
}

/**
 * Stateless checks of MsgRequestJob: one of input/input_hash, amounts (worker_reward positive),
 * a reward function (weights only, and required, for RANKED_WEIGHTS), a positive time limit,
 * listed nodes, and skip_evaluation's terms (no evaluator reward, deposit, list or test data).
 */
export function validateMsgRequestJob(msg: MsgRequestJob): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.jobId, 'job_id');
  checkInlineOrHash(msg.input, msg.inputHash, 'input', 'input_hash');
  if (parseAmount(msg.workerReward, 'worker_reward') === 0n) invalid('worker_reward must be positive', 'worker_reward');
  const evaluatorReward = parseAmount(msg.evaluatorReward || '0', 'evaluator_reward');
  const deposit = parseAmount(msg.evaluatorDeposit || '0', 'evaluator_deposit');
  if (!REWARD_FUNCTIONS.includes(msg.rewardFunction))
    invalid(
      `reward_function ${RewardFunction[msg.rewardFunction] ?? msg.rewardFunction} is not one of ${REWARD_FUNCTIONS.map((f) => RewardFunction[f]).join(', ')}`,
      'reward_function',
    );
  if (msg.rewardFunction === RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS) {
    if (msg.rewardWeights.length === 0 || msg.rewardWeights.length > MAX_WORKERS_BOUND)
      invalid(`reward_weights has ${msg.rewardWeights.length} weights; RANKED_WEIGHTS needs 1-${MAX_WORKERS_BOUND}`, 'reward_weights');
    msg.rewardWeights.forEach((w, i) => {
      if (w < 1 || w > MAX_WEIGHT) invalid(`reward_weights[${i}] ${w} must be in [1, ${MAX_WEIGHT}]`, 'reward_weights');
    });
  } else if (msg.rewardWeights.length > 0) {
    invalid('reward_weights is only for REWARD_FUNCTION_RANKED_WEIGHTS', 'reward_weights');
  }
  if (msg.timeLimitSeconds <= 0n) invalid(`time_limit_seconds ${msg.timeLimitSeconds} must be positive`, 'time_limit_seconds');
  checkAddressList(msg.evaluators, 'evaluators');
  checkAddressList(msg.workers, 'workers');
  for (const field of ['evaluators', 'workers'] as const) {
    const i = msg[field].indexOf(msg.signer);
    if (i >= 0) invalid(`${field}[${i}] ${msg.signer} is the client; it may not take part in its own request`, `${field}[${i}]`);
  }
  if (msg.maxWorkers > MAX_WORKERS_BOUND) invalid(`max_workers ${msg.maxWorkers} exceeds ${MAX_WORKERS_BOUND}`, 'max_workers');
  if (msg.testDataCommitment !== '') checkHash(msg.testDataCommitment, 'test_data_commitment');
  if (msg.skipEvaluation) {
    if (evaluatorReward !== 0n || deposit !== 0n || msg.evaluators.length > 0 || msg.testDataCommitment !== '')
      invalid(
        'skip_evaluation takes no evaluator_reward, evaluator_deposit, evaluators or test_data_commitment (nobody evaluates)',
        'skip_evaluation',
      );
  }
}

/** Stateless checks of MsgAcceptJob: request id; role evaluator or worker. */
export function validateMsgAcceptJob(msg: MsgAcceptJob): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkRole(msg.role, [Role.ROLE_EVALUATOR, Role.ROLE_WORKER], 'role');
}

/** Stateless checks of MsgSubmitResult: request id, a sha256 commitment. */
export function validateMsgSubmitResult(msg: MsgSubmitResult): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkHash(msg.commitment, 'commitment');
}

function checkSalt(salt: string): void {
  if (!SALT_PATTERN.test(salt)) invalid('salt must be 16-64 bytes of lowercase hex', 'salt');
}

/** Stateless checks of MsgRevealResult: one of output/output_hash, a salt. */
export function validateMsgRevealResult(msg: MsgRevealResult): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkInlineOrHash(msg.output, msg.outputHash, 'output', 'output_hash');
  checkSalt(msg.salt);
}

/** Stateless checks of MsgRevealTestData: one of data/data_hash, a salt. */
export function validateMsgRevealTestData(msg: MsgRevealTestData): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkInlineOrHash(msg.data, msg.dataHash, 'data', 'data_hash');
  checkSalt(msg.salt);
}

/** Stateless checks of MsgRank: request id, distinct worker addresses. */
export function validateMsgRank(msg: MsgRank): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkAddressList(msg.ranking, 'ranking', MAX_WORKERS_BOUND);
}

/** Stateless checks of MsgAcceptResult. */
export function validateMsgAcceptResult(msg: MsgAcceptResult): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
}

/** Stateless checks of MsgChallenge: reason bounded. */
export function validateMsgChallenge(msg: MsgChallenge): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkText(msg.reason, MAX_REASON_LENGTH, 'reason');
}

/** Stateless checks of MsgResolveChallenge: a ranking only when upholding. */
export function validateMsgResolveChallenge(msg: MsgResolveChallenge): void {
  parseAddress(msg.signer, 'signer');
  checkId(msg.requestId, 'request_id');
  checkAddressList(msg.ranking, 'ranking', MAX_WORKERS_BOUND);
  if (!msg.uphold && msg.ranking.length > 0)
    invalid('ranking is the re-evaluation of an upheld challenge; a rejection keeps the ranking', 'ranking');
  checkText(msg.reason, MAX_REASON_LENGTH, 'reason');
}
