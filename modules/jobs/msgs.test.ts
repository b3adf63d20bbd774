import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import type { MsgRequestJob } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { RewardFunction } from '../../proto/gen/ain/jobs/v1/types.ts';
import { validateMsgRequestJob } from './msgs.ts';

const CLIENT = 'ain1tm39dg4m4t7tmrjkkjrqn6jjpj95twmaey3m7e';
const OTHER = 'ain1t4ltxyzj2lwps4370jvnd3gjg4d2h5z4l4d8uv';

function request(change: Partial<MsgRequestJob>): MsgRequestJob {
  return {
    signer: CLIENT,
    jobId: 1n,
    input: '{"y":4}',
    inputHash: '',
    workerReward: '10',
    rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
    rewardWeights: [],
    evaluatorReward: '10',
    evaluatorDeposit: '2000000',
    timeLimitSeconds: 30n,
    evaluators: [],
    workers: [],
    skipEvaluation: false,
    maxWorkers: 0,
    testDataCommitment: '',
    ...change,
  };
}

function refusal(msg: MsgRequestJob): AinError {
  try {
    validateMsgRequestJob(msg);
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('validateMsgRequestJob', () => {
  it('accepts a plain request', () => {
    expect(() => validateMsgRequestJob(request({}))).not.toThrow();
  });

  it('names the list and index where the client lists itself (jobs/1)', () => {
    const asWorker = refusal(request({ workers: [OTHER, CLIENT] }));
    expect([asWorker.codespace, asWorker.code]).toEqual(['jobs', 1]);
    expect(asWorker.meta).toMatchObject({ field: 'workers[1]' });
    expect(asWorker.message).toContain(`workers[1] ${CLIENT} is the client`);
    const asEvaluator = refusal(request({ evaluators: [CLIENT] }));
    expect(asEvaluator.meta).toMatchObject({ field: 'evaluators[0]' });
  });
});
