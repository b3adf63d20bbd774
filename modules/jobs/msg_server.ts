import { type MsgHandler, signerMsgHandler, updateParamsHandler } from '../../core/index.ts';
import {
  MsgAcceptJob,
  MsgAcceptJobResponse,
  MsgAcceptResult,
  MsgAcceptResultResponse,
  MsgApplyJob,
  MsgApplyJobResponse,
  MsgApproveNode,
  MsgApproveNodeResponse,
  MsgChallenge,
  MsgChallengeResponse,
  MsgDropNode,
  MsgDropNodeResponse,
  MsgRank,
  MsgRankResponse,
  MsgRegisterJob,
  MsgRegisterJobResponse,
  MsgRequestJob,
  MsgRequestJobResponse,
  MsgResolveChallenge,
  MsgResolveChallengeResponse,
  MsgRevealResult,
  MsgRevealResultResponse,
  MsgRevealTestData,
  MsgRevealTestDataResponse,
  MsgSubmitResult,
  MsgSubmitResultResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from '../../proto/gen/ain/jobs/v1/tx.ts';
import { JOBS_MODULE, type JobsKeeper } from './keeper.ts';
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
} from './msgs.ts';
import { jobsParamsFromProto, writeJobsParams } from './params.ts';

/** One thin handler per message: the signer is the message's `signer`; the keeper's answer fills the response. */
const handler = signerMsgHandler(JOBS_MODULE);

/** Every message handler of the jobs module, for `MsgRouter.register`. */
export function jobsMsgHandlers(keeper: JobsKeeper): MsgHandler<unknown>[] {
  const handlers = [
    handler(MsgRegisterJob, MsgRegisterJobResponse, validateMsgRegisterJob, (ctx, msg) => ({ jobId: keeper.registerJob(ctx, msg) })),
    handler(MsgApplyJob, MsgApplyJobResponse, validateMsgApplyJob, (ctx, msg) => keeper.applyJob(ctx, msg)),
    handler(MsgApproveNode, MsgApproveNodeResponse, validateMsgApproveNode, (ctx, msg) => keeper.approveNode(ctx, msg)),
    handler(MsgDropNode, MsgDropNodeResponse, validateMsgDropNode, (ctx, msg) => keeper.dropNode(ctx, msg)),
    handler(MsgRequestJob, MsgRequestJobResponse, validateMsgRequestJob, (ctx, msg) => ({ requestId: keeper.requestJob(ctx, msg) })),
    handler(MsgAcceptJob, MsgAcceptJobResponse, validateMsgAcceptJob, (ctx, msg) => keeper.acceptJob(ctx, msg)),
    handler(MsgSubmitResult, MsgSubmitResultResponse, validateMsgSubmitResult, (ctx, msg) => keeper.submitResult(ctx, msg)),
    handler(MsgRevealResult, MsgRevealResultResponse, validateMsgRevealResult, (ctx, msg) => keeper.revealResult(ctx, msg)),
    handler(MsgRevealTestData, MsgRevealTestDataResponse, validateMsgRevealTestData, (ctx, msg) => keeper.revealTestData(ctx, msg)),
    handler(MsgRank, MsgRankResponse, validateMsgRank, (ctx, msg) => keeper.rank(ctx, msg)),
    handler(MsgAcceptResult, MsgAcceptResultResponse, validateMsgAcceptResult, (ctx, msg) => keeper.acceptResult(ctx, msg)),
    handler(MsgChallenge, MsgChallengeResponse, validateMsgChallenge, (ctx, msg) => keeper.challenge(ctx, msg)),
    handler(MsgResolveChallenge, MsgResolveChallengeResponse, validateMsgResolveChallenge, (ctx, msg) => keeper.resolveChallenge(ctx, msg)),
    // Only governance changes the params: the authority is the gov module account.
    updateParamsHandler({
      module: JOBS_MODULE,
      msg: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      parse: jobsParamsFromProto,
      write: (state, params) => writeJobsParams(state, params),
    }),
  ];
  return handlers as MsgHandler<unknown>[];
}
