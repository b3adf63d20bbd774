/**
 * Reads of the jobs module (jobs, requests, the reputation tree, statistics) over CometBFT's
 * abci_query, for the CLI, executors and tests. Each answer carries the height it was read at.
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import {
  QueryJobRequest,
  QueryJobResponse,
  QueryJobsRequest,
  QueryJobsResponse,
  QueryNodeRequest,
  QueryNodeResponse,
  QueryNodesRequest,
  QueryNodesResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryRequestRequest,
  QueryRequestResponse,
  QueryRequestsRequest,
  QueryRequestsResponse,
  QueryStatsRequest,
  QueryStatsResponse,
} from '../proto/gen/ain/jobs/v1/query.ts';
import type { Job, Node, NodeStats, Params, Request } from '../proto/gen/ain/jobs/v1/types.ts';
import { abciQueryOrThrow, decodeAnswer } from './queryState.ts';

export const JOBS_QUERY_PATHS = {
  job: '/ain.jobs.v1.Query/Job',
  jobs: '/ain.jobs.v1.Query/Jobs',
  request: '/ain.jobs.v1.Query/Request',
  requests: '/ain.jobs.v1.Query/Requests',
  node: '/ain.jobs.v1.Query/Node',
  nodes: '/ain.jobs.v1.Query/Nodes',
  stats: '/ain.jobs.v1.Query/Stats',
  params: '/ain.jobs.v1.Query/Params',
} as const;

type Comet = Pick<CometClient, 'abciQuery'>;

async function ask<T>(comet: Comet, path: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<T & { height: number }> {
  const response = await abciQueryOrThrow(comet, path, data);
  return { ...decodeAnswer(decode, response.value, path), height: response.height ?? 0 };
}

/**
 * One job by id. @throws QueryError jobs/3 when there is none
 * @example (await queryJob(comet, 1n)).job.workerRpc // 'Worker.CalculateRoot'
 */
export async function queryJob(comet: Comet, jobId: bigint): Promise<{ job: Job; height: number }> {
  const answer = await ask(comet, JOBS_QUERY_PATHS.job, QueryJobRequest.encode({ jobId }).finish(), QueryJobResponse.decode);
  return { job: answer.job!, height: answer.height };
}

/** Jobs by id after `startAfter` (the chain lists at most 100). */
export async function queryJobs(comet: Comet, startAfter = 0n, limit = 100): Promise<{ jobs: Job[]; height: number }> {
  return ask(
    comet,
    JOBS_QUERY_PATHS.jobs,
    QueryJobsRequest.encode({ startAfter, limit, pagination: undefined }).finish(),
    QueryJobsResponse.decode,
  );
}

/** One request with its workers' results. @throws QueryError jobs/4 when there is none */
export async function queryJobRequest(comet: Comet, requestId: bigint): Promise<{ request: Request; height: number }> {
  const answer = await ask(
    comet,
    JOBS_QUERY_PATHS.request,
    QueryRequestRequest.encode({ requestId }).finish(),
    QueryRequestResponse.decode,
  );
  return { request: answer.request!, height: answer.height };
}

/** Live requests, earliest deadline first, of one job (0n: all); what an executor catches up with. */
export async function queryLiveRequests(comet: Comet, jobId = 0n, limit = 100): Promise<{ requests: Request[]; height: number }> {
  return ask(
    comet,
    JOBS_QUERY_PATHS.requests,
    QueryRequestsRequest.encode({ jobId, limit, pagination: undefined }).finish(),
    QueryRequestsResponse.decode,
  );
}

/** A node in a job's tree (undefined when it never applied, or jobId is 0n) and its counts across jobs. */
export async function queryJobNode(
  comet: Comet,
  jobId: bigint,
  address: string,
): Promise<{ node: Node | undefined; overall: NodeStats; height: number }> {
  const answer = await ask(comet, JOBS_QUERY_PATHS.node, QueryNodeRequest.encode({ jobId, address }).finish(), QueryNodeResponse.decode);
  return { node: answer.node, overall: answer.overall!, height: answer.height };
}

/** A job's nodes in address order after `startAfter` (the chain lists at most 100). */
export async function queryJobNodes(comet: Comet, jobId: bigint, startAfter = '', limit = 100): Promise<{ nodes: Node[]; height: number }> {
  return ask(
    comet,
    JOBS_QUERY_PATHS.nodes,
    QueryNodesRequest.encode({ jobId, startAfter, limit, pagination: undefined }).finish(),
    QueryNodesResponse.decode,
  );
}

/** A job's figures (jobId 0n: only the chain-wide ones). */
export async function queryJobStats(comet: Comet, jobId = 0n): Promise<QueryStatsResponse & { height: number }> {
  return ask(comet, JOBS_QUERY_PATHS.stats, QueryStatsRequest.encode({ jobId }).finish(), QueryStatsResponse.decode);
}

/** The jobs module's params (windows, fees, bounds). */
export async function queryJobsParams(comet: Comet): Promise<{ params: Params; height: number }> {
  const answer = await ask(comet, JOBS_QUERY_PATHS.params, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode);
  return { params: answer.params!, height: answer.height };
}
