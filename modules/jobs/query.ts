import { decodeQueryRequest, ainError, pageFrom, parseAddress } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryJobRequest,
  QueryJobResponse,
  QueryJobsRequest,
  QueryJobsResponse,
  QueryNodeRequest,
  QueryNodeResponse,
  QueryNodesRequest,
  QueryNodesResponse,
  QueryParamsResponse,
  QueryRequestRequest,
  QueryRequestResponse,
  QueryRequestsRequest,
  QueryRequestsResponse,
  QueryServiceName,
  QueryStatsRequest,
  QueryStatsResponse,
} from '../../proto/gen/ain/jobs/v1/query.ts';
import { ErrJobNotFound, ErrRequestNotFound } from './errors.ts';
import type { JobsKeeper } from './keeper.ts';
import { jobsParamsToProto } from './params.ts';

const SECONDS_PER_DAY = 86_400n;

/**
 * `ain.jobs.v1.Query`: Job, Jobs, Request, Requests (live), Node, Nodes, Stats, Params. The lists page
 * as every list query does (`pagination`, at most 100 a page); a request without it gets those after
 * `start_after`, at most `limit`, as before pagination.
 */
export function registerJobsQueries(router: QueryRegistrar, keeper: JobsKeeper): void {
  const path = (method: string) => `/${QueryServiceName}/${method}`;
  router.register(path('Job'), (state, data) => {
    const { jobId } = decodeQueryRequest(QueryJobRequest, data);
    const job = keeper.getJob(state, jobId);
    if (!job) throw ainError(ErrJobNotFound, `no job ${jobId}`);
    return QueryJobResponse.encode({ job }).finish();
  });
  router.register(path('Jobs'), (state, data) => {
    const { startAfter, limit, pagination } = decodeQueryRequest(QueryJobsRequest, data);
    const page = keeper.jobsPage(state, pagination ?? pageFrom(startAfter > 0n ? (startAfter + 1n).toString() : '', limit));
    return QueryJobsResponse.encode({ jobs: page.items, pagination: page.pagination }).finish();
  });
  router.register(path('Request'), (state, data) => {
    const { requestId } = decodeQueryRequest(QueryRequestRequest, data);
    const request = keeper.getRequest(state, requestId);
    if (!request) throw ainError(ErrRequestNotFound, `no request ${requestId}`);
    return QueryRequestResponse.encode({ request }).finish();
  });
  router.register(path('Requests'), (state, data) => {
    const { jobId, limit, pagination } = decodeQueryRequest(QueryRequestsRequest, data);
    const page = keeper.liveRequestsPage(state, jobId, pagination ?? pageFrom('', limit));
    return QueryRequestsResponse.encode({ requests: page.items, pagination: page.pagination }).finish();
  });
  router.register(path('Node'), (state, data) => {
    const { jobId, address } = decodeQueryRequest(QueryNodeRequest, data);
    parseAddress(address, 'address');
    if (jobId !== 0n && !keeper.getJob(state, jobId)) throw ainError(ErrJobNotFound, `no job ${jobId}`);
    const node = jobId === 0n ? undefined : keeper.getNode(state, jobId, address);
    return QueryNodeResponse.encode({ node, overall: keeper.overallStats(state, address) }).finish();
  });
  router.register(path('Nodes'), (state, data) => {
    const { jobId, startAfter, limit, pagination } = decodeQueryRequest(QueryNodesRequest, data);
    if (!keeper.getJob(state, jobId)) throw ainError(ErrJobNotFound, `no job ${jobId}`);
    const page = keeper.nodesPage(state, jobId, pagination ?? pageFrom(startAfter === '' ? '' : `${startAfter}\u0000`, limit));
    return QueryNodesResponse.encode({ nodes: page.items, pagination: page.pagination }).finish();
  });
  router.register(path('Stats'), (state, data) => {
    const { jobId } = decodeQueryRequest(QueryStatsRequest, data);
    const totals = keeper.totals(state);
    const response: QueryStatsResponse = {
      job: undefined,
      meanPayout: '0',
      meanSettleSeconds: 0n,
      completedPerDayMilli: 0n,
      jobs: totals.jobs,
      requests: totals.requests,
      escrow: keeper.escrowTotal(state).toString(),
    };
    if (jobId !== 0n) {
      const job = keeper.jobStats(state, jobId);
      if (!job) throw ainError(ErrJobNotFound, `no job ${jobId}`);
      response.job = job;
      if (job.completed > 0n) {
        response.meanPayout = ((BigInt(job.paidWorkers) + BigInt(job.paidEvaluators)) / job.completed).toString();
        response.meanSettleSeconds = job.settleSeconds / job.completed;
        const span = job.lastSettledAt - job.firstRequestAt;
        if (span > 0n) response.completedPerDayMilli = (job.completed * SECONDS_PER_DAY * 1000n) / span;
      }
    }
    return QueryStatsResponse.encode(response).finish();
  });
  router.register(path('Params'), (state) => QueryParamsResponse.encode({ params: jobsParamsToProto(keeper.params(state)) }).finish());
}
