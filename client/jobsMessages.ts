/**
 * Builders of the jobs module's messages as CosmJS `EncodeObject`s (the `aind tx jobs` commands and
 * executors build every jobs message here), and the commitments of the commit-reveal scheme.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import {
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
} from '../proto/gen/ain/jobs/v1/tx.ts';
import { JOBS_TYPE_URLS } from './registry.ts';

// The commitments are the chain's own functions, so client and chain hash alike.
export { resultCommitment, SALT_PATTERN, testDataCommitment } from '../modules/jobs/index.ts';

type Fields<T> = Omit<Partial<T>, 'signer'>;

/** A jobs message ready for `signAndBroadcast`. */
export interface JobsEncodeObject<T> extends EncodeObject {
  readonly typeUrl: string;
  readonly value: T;
}

/**
 * One builder per message: `jobsMsg.<name>(signer, fields)`; missing fields take proto3 defaults.
 * @example jobsMsg.requestJob('ain1...', { jobId: 1n, input: '{"y":4}', workerReward: '10', rewardFunction: 1, evaluatorReward: '10', evaluatorDeposit: '2000000', timeLimitSeconds: 30n })
 */
export const jobsMsg = {
  registerJob: (signer: string, fields: Fields<MsgRegisterJob>): JobsEncodeObject<MsgRegisterJob> => ({
    typeUrl: JOBS_TYPE_URLS.registerJob,
    value: MsgRegisterJob.fromPartial({ ...fields, signer }),
  }),
  applyJob: (signer: string, fields: Fields<MsgApplyJob>): JobsEncodeObject<MsgApplyJob> => ({
    typeUrl: JOBS_TYPE_URLS.applyJob,
    value: MsgApplyJob.fromPartial({ ...fields, signer }),
  }),
  approveNode: (signer: string, fields: Fields<MsgApproveNode>): JobsEncodeObject<MsgApproveNode> => ({
    typeUrl: JOBS_TYPE_URLS.approveNode,
    value: MsgApproveNode.fromPartial({ ...fields, signer }),
  }),
  dropNode: (signer: string, fields: Fields<MsgDropNode>): JobsEncodeObject<MsgDropNode> => ({
    typeUrl: JOBS_TYPE_URLS.dropNode,
    value: MsgDropNode.fromPartial({ ...fields, signer }),
  }),
  requestJob: (signer: string, fields: Fields<MsgRequestJob>): JobsEncodeObject<MsgRequestJob> => ({
    typeUrl: JOBS_TYPE_URLS.requestJob,
    value: MsgRequestJob.fromPartial({ ...fields, signer }),
  }),
  acceptJob: (signer: string, fields: Fields<MsgAcceptJob>): JobsEncodeObject<MsgAcceptJob> => ({
    typeUrl: JOBS_TYPE_URLS.acceptJob,
    value: MsgAcceptJob.fromPartial({ ...fields, signer }),
  }),
  submitResult: (signer: string, fields: Fields<MsgSubmitResult>): JobsEncodeObject<MsgSubmitResult> => ({
    typeUrl: JOBS_TYPE_URLS.submitResult,
    value: MsgSubmitResult.fromPartial({ ...fields, signer }),
  }),
  revealResult: (signer: string, fields: Fields<MsgRevealResult>): JobsEncodeObject<MsgRevealResult> => ({
    typeUrl: JOBS_TYPE_URLS.revealResult,
    value: MsgRevealResult.fromPartial({ ...fields, signer }),
  }),
  revealTestData: (signer: string, fields: Fields<MsgRevealTestData>): JobsEncodeObject<MsgRevealTestData> => ({
    typeUrl: JOBS_TYPE_URLS.revealTestData,
    value: MsgRevealTestData.fromPartial({ ...fields, signer }),
  }),
  rank: (signer: string, fields: Fields<MsgRank>): JobsEncodeObject<MsgRank> => ({
    typeUrl: JOBS_TYPE_URLS.rank,
    value: MsgRank.fromPartial({ ...fields, signer }),
  }),
  acceptResult: (signer: string, fields: Fields<MsgAcceptResult>): JobsEncodeObject<MsgAcceptResult> => ({
    typeUrl: JOBS_TYPE_URLS.acceptResult,
    value: MsgAcceptResult.fromPartial({ ...fields, signer }),
  }),
  challenge: (signer: string, fields: Fields<MsgChallenge>): JobsEncodeObject<MsgChallenge> => ({
    typeUrl: JOBS_TYPE_URLS.challenge,
    value: MsgChallenge.fromPartial({ ...fields, signer }),
  }),
  resolveChallenge: (signer: string, fields: Fields<MsgResolveChallenge>): JobsEncodeObject<MsgResolveChallenge> => ({
    typeUrl: JOBS_TYPE_URLS.resolveChallenge,
    value: MsgResolveChallenge.fromPartial({ ...fields, signer }),
  }),
} as const;
