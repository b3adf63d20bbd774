/** The job market's messages built from command-line arguments, and their local refusals, without a node. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ainRegistry, resultCommitment, testDataCommitment } from '../../client/index.ts';
import {
  validateMsgAcceptJob,
  validateMsgAcceptResult,
  validateMsgApplyJob,
  validateMsgApproveNode,
  validateMsgChallenge,
  validateMsgDropNode,
  validateMsgRank,
  validateMsgRegisterJob,
  validateMsgRequestJob,
  validateMsgResolveChallenge,
  validateMsgRevealResult,
  validateMsgRevealTestData,
  validateMsgSubmitResult,
} from '../../modules/jobs/index.ts';
import { CALCULATE_ROOT_SCHEMA } from '../../test/helpers/jobsTestdata.ts';
import { RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { addKey } from '../../home/index.ts';
import { JOBS_TX_COMMANDS, type JobsTxCommand, type JobsTxFlags, jobsTxMessage } from './jobsTx.ts';

const ME = toBech32('ain', new Uint8Array(20).fill(1));
const OTHER = toBech32('ain', new Uint8Array(20).fill(2));
const SALT = 'ab'.repeat(32);
const HASH = 'cd'.repeat(32);
let home: string;
let alice: string;
let schemaFile: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-jobs-cli-'));
  alice = (await addKey(home, 'alice')).key.address;
  schemaFile = join(home, 'job_schema.proto');
  writeFileSync(schemaFile, CALCULATE_ROOT_SCHEMA);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** One invocation of every command, as a user would type it. */
const EXAMPLES: Record<JobsTxCommand, [Array<string | undefined>, JobsTxFlags]> = {
  register: [['calculate root', ''], { workerCodeHash: HASH, evaluatorCodeHash: HASH, adminDepth: '1', cpu: '2', memoryMb: '512' }],
  apply: [['1', 'worker'], {}],
  approve: [['1', 'alice', 'evaluator'], {}],
  drop: [['1', OTHER], { reason: 'idle' }],
  request: [
    ['1'],
    {
      input: '{"y":4}',
      workerReward: '100',
      rewardFunction: 'ranked-weights',
      weights: '3,2,1',
      evaluatorReward: '10',
      evaluatorDeposit: '2000000',
      timeLimit: '30',
      evaluators: 'alice',
      testData: '{"t":[1]}',
      testDataSalt: SALT,
    },
  ],
  accept: [['7', 'evaluator'], {}],
  submit: [['7', '{"x":2.01}'], { salt: SALT }],
  reveal: [['7', '{"x":2.01}'], { salt: SALT }],
  'reveal-test-data': [['7', '{"t":[1]}'], { salt: SALT }],
  rank: [['7', `${OTHER},alice`], {}],
  'accept-result': [['7'], {}],
  challenge: [['7'], { reason: 'w3 is far off' }],
  resolve: [['7'], { uphold: true, ranking: OTHER }],
};

describe('jobsTxMessage', () => {
  it('builds every command into a message the chain accepts statelessly and the registry round-trips', () => {
    const registry = ainRegistry();
    const validators: Record<JobsTxCommand, (msg: never) => unknown> = {
      register: validateMsgRegisterJob,
      apply: validateMsgApplyJob,
      approve: validateMsgApproveNode,
      drop: validateMsgDropNode,
      request: validateMsgRequestJob,
      accept: validateMsgAcceptJob,
      submit: validateMsgSubmitResult,
      reveal: validateMsgRevealResult,
      'reveal-test-data': validateMsgRevealTestData,
      rank: validateMsgRank,
      'accept-result': validateMsgAcceptResult,
      challenge: validateMsgChallenge,
      resolve: validateMsgResolveChallenge,
    };
    for (const command of JOBS_TX_COMMANDS) {
      const [args, flags] = EXAMPLES[command];
      const message = jobsTxMessage(command, command === 'register' ? [args[0], schemaFile] : args, flags, ME, home);
      expect(() => validators[command](message.value as never), command).not.toThrow();
      expect(registry.decode({ typeUrl: message.typeUrl, value: registry.encode(message) }), command).toEqual(message.value);
    }
  });

  it('reads the schema file, resolves key names, maps roles and reward functions', () => {
    const register = jobsTxMessage('register', ['calc', schemaFile], EXAMPLES.register[1], ME, home).value;
    expect(register).toMatchObject({ schema: CALCULATE_ROOT_SCHEMA, runtime: 'python3', delegation: { adminDepth: 1, maxChildren: 0 } });
    expect(register.resources).toEqual({ cpu: 2, memoryMb: 512n, gpus: 0, gpuMemoryMb: 0n });
    expect(register.requires).toEqual([]);
    const withPackages = jobsTxMessage(
      'register',
      ['calc', schemaFile],
      { ...EXAMPLES.register[1], requires: ['numpy', 'torch>=2.4'] },
      ME,
      home,
    );
    expect(withPackages.value).toMatchObject({ requires: ['numpy', 'torch>=2.4'] });
    expect(jobsTxMessage('approve', ['1', 'alice', 'evaluator'], {}, ME, home).value).toEqual({
      signer: ME,
      jobId: 1n,
      node: alice,
      role: Role.ROLE_EVALUATOR,
    });
    const request = jobsTxMessage('request', ['1'], EXAMPLES.request[1], ME, home).value;
    expect(request).toMatchObject({
      rewardFunction: RewardFunction.REWARD_FUNCTION_RANKED_WEIGHTS,
      rewardWeights: [3, 2, 1],
      evaluators: [alice],
      timeLimitSeconds: 30n,
      testDataCommitment: testDataCommitment(1n, ME, SALT, '{"t":[1]}', ''),
    });
    expect(jobsTxMessage('rank', ['7', ''], {}, ME, home).value).toMatchObject({ ranking: [] });
  });

  it('computes the commitment locally: it binds the request and the signer', () => {
    const submitted = jobsTxMessage('submit', ['7', '{"x":2.01}'], { salt: SALT }, ME, home).value as { commitment: string };
    expect(submitted.commitment).toBe(resultCommitment(7n, ME, SALT, '{"x":2.01}', ''));
    expect(jobsTxMessage('submit', ['7', '{"x":2.01}'], { salt: SALT }, OTHER, home).value).not.toEqual(submitted);
    expect(jobsTxMessage('submit', ['7'], { salt: SALT, outputHash: HASH }, ME, home).value).toMatchObject({
      commitment: resultCommitment(7n, ME, SALT, '', HASH),
    });
    expect(jobsTxMessage('submit', ['7'], { commitment: HASH }, ME, home).value).toMatchObject({ commitment: HASH });
  });

  it.each([
    ['apply', ['x', 'worker'], {}, 'JOB_ID "x" must be a positive integer'],
    ['apply', ['1', 'boss'], {}, 'ROLE "boss" must be one of admin, evaluator, worker'],
    ['accept', ['1', 'admin'], {}, 'ROLE "admin" must be one of evaluator, worker'],
    ['register', ['calc', '/nonexistent/schema.proto'], {}, 'cannot read SCHEMA_FILE /nonexistent/schema.proto'],
    ['request', ['1'], { workerReward: '1', timeLimit: '3' }, 'give exactly one of --input and --input-hash'],
    ['request', ['1'], { input: '{y:4}', workerReward: '1', timeLimit: '3' }, '--input is not valid JSON'],
    ['request', ['1'], { input: '{}', timeLimit: '3' }, '--worker-reward is required'],
    ['request', ['1'], { input: '{}', workerReward: '1', timeLimit: '3', rewardFunction: 'lottery' }, '--reward-function must be one of'],
    ['request', ['1'], { input: '{}', workerReward: '1', timeLimit: '3', testData: '{}' }, '--test-data-salt must be 16-64 bytes'],
    ['request', ['1'], { input: '{}', workerReward: '1', timeLimit: '3', evaluators: 'bob' }, 'no key "bob"'],
    ['submit', ['7', '{"x":1}'], {}, '--salt must be 16-64 bytes of lowercase hex'],
    ['submit', ['7'], { salt: SALT }, 'give exactly one of OUTPUT and --output-hash'],
    ['submit', ['7', '{}'], { commitment: HASH }, 'give --commitment or an OUTPUT to commit to, not both'],
    ['reveal', ['7', 'two'], { salt: SALT }, 'OUTPUT is not valid JSON'],
    ['resolve', ['7'], {}, 'give exactly one of --uphold (with --ranking) and --reject'],
    ['resolve', ['7'], { reject: true, ranking: OTHER }, '--reject keeps the ranking'],
  ] as const)('%s %j %j refuses before anything is sent: %s', (command, args, flags, expected) => {
    expect(() => jobsTxMessage(command, [...args], flags as JobsTxFlags, ME, home)).toThrow(expected);
  });
});
