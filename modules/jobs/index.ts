/**
 * The jobs module: the architecture paper's job market (jobs, reputation trees, requests with
 * escrow, commit-reveal, rankings, challenges) and its end-of-block deadlines. The face of `modules/jobs/`.
 */
import { defineModule, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { type JobsGenesisJson, jobsGenesis } from './genesis.ts';
import { JOBS_MODULE, JobsKeeper } from './keeper.ts';
import { JOBS_ROOT, PARAMS_ROOT } from './keys.ts';
import { jobsMsgHandlers } from './msg_server.ts';
import { jobsParamsToJson, readJobsParams } from './params.ts';
import { registerJobsQueries } from './query.ts';

/** End-of-block order: after calls expire, before proof of stake. */
export const JOBS_END_BLOCK_ORDER = 200;

export const jobsModule: ModuleDefinition<JobsKeeper, JobsGenesisJson> = {
  name: JOBS_MODULE,
  requires: ['bank'],
  create(registry) {
    const keeper = new JobsKeeper(registry.keeper<BankKeeper>('bank'));
    return defineModule({
      name: JOBS_MODULE,
      keeper,
      subtrees: [JOBS_ROOT, PARAMS_ROOT],
      moduleAccounts: [JOBS_MODULE],
      msgHandlers: jobsMsgHandlers(keeper),
      queries: queryRoutes((router) => registerJobsQueries(router, keeper)),
      genesis: jobsGenesis(keeper),
      params: (state) => ({ ...jobsParamsToJson(readJobsParams(state)) }),
      endBlock: {
        order: JOBS_END_BLOCK_ORDER,
        run(ctx) {
          keeper.endBlock(ctx);
          return undefined;
        },
      },
    });
  },
};
export { resultCommitment, SALT_PATTERN, testDataCommitment } from './commitment.ts';
export { JOBS } from './errors.ts';
export type { JobsGenesisJson } from './genesis.ts';
export type { ClosedRequest, JobsHooks } from './expected_keepers.ts';
export {
  MAX_INLINE_BYTES,
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
export { checkJson, findRpc, parseSchema } from './schema.ts';
export type { JobSchema } from './schema.ts';
