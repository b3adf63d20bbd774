/**
 * The job market's messages from command-line text: `aind tx jobs ...` builds one per command, and
 * `aind job run` and `aind console` reuse them (request, reveals, rank, accept, challenge,
 * register). Every argument is checked before the node is contacted; commitments are computed here.
 */
import { readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { jobsMsg, resultCommitment, SALT_PATTERN, testDataCommitment } from '../../client/index.ts';
import { RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { resolveKeyOrAddress } from '../../home/index.ts';
import { parseId } from './args.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from './tx.ts';

/** The `aind tx jobs` subcommands: the paper's API, plus the reveals of the commit-reveal scheme. */
export const JOBS_TX_COMMANDS = [
  'register',
  'apply',
  'approve',
  'drop',
  'request',
  'accept',
  'submit',
  'reveal',
  'reveal-test-data',
  'rank',
  'accept-result',
  'challenge',
  'resolve',
] as const;
export type JobsTxCommand = (typeof JOBS_TX_COMMANDS)[number];

/** Options of the `tx jobs` commands (commander's camelCase of each `--flag`), all text as typed. */
export interface JobsTxFlags {
  readonly workerCodeHash?: string | undefined;
  readonly evaluatorCodeHash?: string | undefined;
  readonly runtime?: string | undefined;
  /** Packages the runtime must have (`--requires`, repeated), e.g. `numpy`, `torch>=2.4`. */
  readonly requires?: readonly string[] | undefined;
  readonly workerRpc?: string | undefined;
  readonly evaluatorRpc?: string | undefined;
  readonly cpu?: string | undefined;
  readonly memoryMb?: string | undefined;
  readonly gpus?: string | undefined;
  readonly gpuMemoryMb?: string | undefined;
  readonly adminDepth?: string | undefined;
  readonly maxChildren?: string | undefined;
  readonly description?: string | undefined;
  readonly reason?: string | undefined;
  readonly input?: string | undefined;
  readonly inputHash?: string | undefined;
  readonly workerReward?: string | undefined;
  readonly rewardFunction?: string | undefined;
  readonly weights?: string | undefined;
  readonly evaluatorReward?: string | undefined;
  readonly evaluatorDeposit?: string | undefined;
  readonly timeLimit?: string | undefined;
  readonly evaluators?: string | undefined;
  readonly workers?: string | undefined;
  readonly skipEvaluation?: boolean | undefined;
  readonly maxWorkers?: string | undefined;
  readonly testData?: string | undefined;
  readonly testDataHash?: string | undefined;
  readonly testDataSalt?: string | undefined;
  readonly testDataCommitment?: string | undefined;
  readonly salt?: string | undefined;
  readonly outputHash?: string | undefined;
  readonly dataHash?: string | undefined;
  readonly commitment?: string | undefined;
  readonly uphold?: boolean | undefined;
  readonly reject?: boolean | undefined;
  readonly ranking?: string | undefined;
}

const ROLES: Readonly<Record<string, Role>> = { admin: Role.ROLE_ADMIN, evaluator: Role.ROLE_EVALUATOR, worker: Role.ROLE_WORKER };
const REWARD_FUNCTIONS: Readonly<Record<string, RewardFunction>> = {
  'winner-takes-all': RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
  'even-split': RewardFunction.REWARD_FUNCTION_EVEN_SPLIT,
  'ranked-weights': RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS,
};

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

/** A non-negative integer flag that fits `max`. */
function parseCount(text: string | undefined, flag: string, max: bigint): bigint {
  if (text === undefined) return 0n;
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text) || BigInt(text) > max) refuse(`${flag} "${text}" must be an integer from 0 to ${max}`);
  return BigInt(text);
}

function parseRole(text: string | undefined, allowed: readonly string[]): Role {
  if (text === undefined || !allowed.includes(text)) refuse(`ROLE "${text ?? ''}" must be one of ${allowed.join(', ')}`);
  return ROLES[text!]!;
}

/** JSON text given on the command line: checked to parse, passed on as typed. */
function jsonArgument(text: string | undefined, what: string): string {
  if (text === undefined) return '';
  try {
    JSON.parse(text);
  } catch (cause) {
    refuse(`${what} is not valid JSON (${(cause as Error).message})`);
  }
  return text;
}

function requireSalt(salt: string | undefined, flag = '--salt'): string {
  if (salt === undefined || !SALT_PATTERN.test(salt))
    refuse(`${flag} must be 16-64 bytes of lowercase hex (e.g. from \`openssl rand -hex 32\`)`);
  return salt!;
}

/** `a,b,...` of addresses or key names; empty text is an empty list. */
function addressList(home: string, text: string | undefined, flag: string): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => resolveKeyOrAddress(home, item.trim(), `${flag} entry`));
}

function exactlyOne(a: string | undefined, b: string | undefined, what: string): void {
  if ((a === undefined || a === '') === (b === undefined || b === '')) refuse(`give exactly one of ${what}`);
}

/**
 * The message of a `tx jobs` command from its positional arguments and flags, signed by `signer`.
 * Everything is checked here before the node is contacted; commitments are computed locally (the
 * salt never leaves the machine until the reveal).
 * @example jobsTxMessage('apply', ['1', 'worker'], {}, 'ain1...', home) // { typeUrl: '/ain.jobs.v1.MsgApplyJob', value: {...} }
 */
export function jobsTxMessage(
  command: JobsTxCommand,
  args: ReadonlyArray<string | undefined>,
  flags: JobsTxFlags,
  signer: string,
  home: string,
): EncodeObject {
  const [first, second, third] = args;
  switch (command) {
    case 'register': {
      if (!first) refuse('NAME is empty');
      if (!second) refuse('SCHEMA_FILE is empty');
      let schema = '';
      try {
        schema = readFileSync(second!, 'utf8');
      } catch (cause) {
        refuse(`cannot read SCHEMA_FILE ${second} (${(cause as Error).message})`);
      }
      return jobsMsg.registerJob(signer, {
        name: first!,
        schema,
        workerRpc: flags.workerRpc ?? '',
        evaluatorRpc: flags.evaluatorRpc ?? '',
        workerCodeHash: flags.workerCodeHash ?? '',
        evaluatorCodeHash: flags.evaluatorCodeHash ?? '',
        runtime: flags.runtime ?? 'python3',
        requires: [...(flags.requires ?? [])],
        resources: {
          cpu: Number(parseCount(flags.cpu, '--cpu', 1024n)),
          memoryMb: parseCount(flags.memoryMb, '--memory-mb', 1n << 24n),
          gpus: Number(parseCount(flags.gpus, '--gpus', 64n)),
          gpuMemoryMb: parseCount(flags.gpuMemoryMb, '--gpu-memory-mb', 1n << 24n),
        },
        delegation: {
          adminDepth: Number(parseCount(flags.adminDepth, '--admin-depth', 16n)),
          maxChildren: Number(parseCount(flags.maxChildren, '--max-children', 100_000n)),
        },
        description: flags.description ?? '',
      });
    }
    case 'apply':
      return jobsMsg.applyJob(signer, { jobId: parseId(first, 'JOB_ID'), role: parseRole(second, Object.keys(ROLES)) });
    case 'approve':
      return jobsMsg.approveNode(signer, {
        jobId: parseId(first, 'JOB_ID'),
        node: resolveKeyOrAddress(home, second ?? '', 'NODE'),
        role: parseRole(third, Object.keys(ROLES)),
      });
    case 'drop':
      return jobsMsg.dropNode(signer, {
        jobId: parseId(first, 'JOB_ID'),
        node: resolveKeyOrAddress(home, second ?? '', 'NODE'),
        reason: flags.reason ?? '',
      });
    case 'request': {
      const jobId = parseId(first, 'JOB_ID');
      exactlyOne(flags.input, flags.inputHash, '--input and --input-hash');
      if (flags.workerReward === undefined) refuse('--worker-reward is required (uain, e.g. 10)');
      if (flags.timeLimit === undefined) refuse('--time-limit is required (seconds the workers have after an evaluator accepts)');
      const rewardFunction = REWARD_FUNCTIONS[flags.rewardFunction ?? 'winner-takes-all'];
      if (rewardFunction === undefined) refuse(`--reward-function must be one of ${Object.keys(REWARD_FUNCTIONS).join(', ')}`);
      const weights = (flags.weights ?? '')
        .split(',')
        .filter((w) => w.trim() !== '')
        .map((w) => Number(parseCount(w.trim(), '--weights entry', 1_000_000n)));
      let testDataCommitmentHex = flags.testDataCommitment ?? '';
      if (flags.testData !== undefined || flags.testDataHash !== undefined) {
        if (testDataCommitmentHex !== '') refuse('give --test-data-commitment or --test-data/--test-data-hash, not both');
        exactlyOne(flags.testData, flags.testDataHash, '--test-data and --test-data-hash');
        const salt = requireSalt(flags.testDataSalt, '--test-data-salt');
        testDataCommitmentHex = testDataCommitment(
          jobId,
          signer,
          salt,
          jsonArgument(flags.testData, '--test-data'),
          flags.testDataHash ?? '',
        );
      }
      return jobsMsg.requestJob(signer, {
        jobId,
        input: jsonArgument(flags.input, '--input'),
        inputHash: flags.inputHash ?? '',
        workerReward: flags.workerReward!,
        rewardFunction: rewardFunction!,
        rewardWeights: weights,
        evaluatorReward: flags.evaluatorReward ?? '',
        evaluatorDeposit: flags.evaluatorDeposit ?? '',
        timeLimitSeconds: parseId(flags.timeLimit, '--time-limit'),
        evaluators: addressList(home, flags.evaluators, '--evaluators'),
        workers: addressList(home, flags.workers, '--workers'),
        skipEvaluation: flags.skipEvaluation ?? false,
        maxWorkers: Number(parseCount(flags.maxWorkers, '--max-workers', 256n)),
        testDataCommitment: testDataCommitmentHex,
      });
    }
    case 'accept':
      return jobsMsg.acceptJob(signer, { requestId: parseId(first, 'REQUEST_ID'), role: parseRole(second, ['evaluator', 'worker']) });
    case 'submit': {
      const requestId = parseId(first, 'REQUEST_ID');
      if (flags.commitment !== undefined) {
        if (second !== undefined || flags.outputHash !== undefined) refuse('give --commitment or an OUTPUT to commit to, not both');
        return jobsMsg.submitResult(signer, { requestId, commitment: flags.commitment });
      }
      exactlyOne(second, flags.outputHash, 'OUTPUT and --output-hash');
      const salt = requireSalt(flags.salt);
      return jobsMsg.submitResult(signer, {
        requestId,
        commitment: resultCommitment(requestId, signer, salt, jsonArgument(second, 'OUTPUT'), flags.outputHash ?? ''),
      });
    }
    case 'reveal':
      exactlyOne(second, flags.outputHash, 'OUTPUT and --output-hash');
      return jobsMsg.revealResult(signer, {
        requestId: parseId(first, 'REQUEST_ID'),
        output: jsonArgument(second, 'OUTPUT'),
        outputHash: flags.outputHash ?? '',
        salt: requireSalt(flags.salt),
      });
    case 'reveal-test-data':
      exactlyOne(second, flags.dataHash, 'DATA and --data-hash');
      return jobsMsg.revealTestData(signer, {
        requestId: parseId(first, 'REQUEST_ID'),
        data: jsonArgument(second, 'DATA'),
        dataHash: flags.dataHash ?? '',
        salt: requireSalt(flags.salt),
      });
    case 'rank':
      return jobsMsg.rank(signer, { requestId: parseId(first, 'REQUEST_ID'), ranking: addressList(home, second, 'RANKING') });
    case 'accept-result':
      return jobsMsg.acceptResult(signer, { requestId: parseId(first, 'REQUEST_ID') });
    case 'challenge':
      return jobsMsg.challenge(signer, { requestId: parseId(first, 'REQUEST_ID'), reason: flags.reason ?? '' });
    case 'resolve': {
      if (!flags.uphold === !flags.reject) refuse('give exactly one of --uphold (with --ranking) and --reject');
      if (flags.reject && flags.ranking !== undefined)
        refuse('--ranking is the re-evaluation of an upheld challenge; --reject keeps the ranking');
      return jobsMsg.resolveChallenge(signer, {
        requestId: parseId(first, 'REQUEST_ID'),
        uphold: flags.uphold === true,
        ranking: addressList(home, flags.ranking, '--ranking'),
        reason: flags.reason ?? '',
      });
    }
  }
}

export interface JobsTxOptions extends SendOptions {
  readonly command: JobsTxCommand;
  /** Positional arguments; an optional one not given is undefined. */
  readonly args: ReadonlyArray<string | undefined>;
  readonly flags: JobsTxFlags;
}

/**
 * A `tx jobs` command: builds the message, signs it with the `--from` key, broadcasts it and waits
 * for the block; a refusal comes back as `ok: false` with the chain's code, codespace and log.
 * @example await sendJobsTx({ home, from: 'carl', node, command: 'accept-result', args: ['1'], flags: {}, gas: 'auto' })
 */
export function sendJobsTx(options: JobsTxOptions): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => [jobsTxMessage(options.command, options.args, options.flags, signer, options.home)]);
}
