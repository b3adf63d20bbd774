import { queryJob, queryJobNode, queryJobRequest, queryJobsParams, queryLiveRequests } from '../../../client/index.ts';
import { jobsJson, parseId, withCometClient } from '../../common/index.ts';

/** `query jobs job ID`. Throws `jobs/3` for an unknown job. */
export async function queryJobsJob(node: string, id: string): Promise<unknown> {
  const jobId = parseId(id, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const { job, height } = await queryJob(comet, jobId);
    return { job: jobsJson(job), height: String(height) };
  });
}

/** `query jobs request ID`: the request, its phase and deadline, its workers' results. Throws `jobs/4` for an unknown request. */
export async function queryJobsRequest(node: string, id: string): Promise<unknown> {
  const requestId = parseId(id, 'REQUEST_ID');
  return withCometClient(node, async (comet) => {
    const { request, height } = await queryJobRequest(comet, requestId);
    return { request: jobsJson(request), height: String(height) };
  });
}

/** `query jobs requests [--job ID]`: live requests, earliest deadline first. */
export async function queryJobsRequests(node: string, job: string | undefined, limit: number): Promise<unknown> {
  const jobId = job === undefined ? 0n : parseId(job, '--job');
  return withCometClient(node, async (comet) => {
    const { requests, height } = await queryLiveRequests(comet, jobId, limit);
    return { requests: jobsJson(requests), height: String(height) };
  });
}

/** `query jobs node JOB_ID ADDRESS`: the node's place in the job's tree (JOB_ID 0: none) and its counts across jobs. */
export async function queryJobsNode(node: string, job: string, address: string): Promise<unknown> {
  const jobId = job === '0' ? 0n : parseId(job, 'JOB_ID');
  return withCometClient(node, async (comet) => {
    const answer = await queryJobNode(comet, jobId, address);
    return { node: answer.node ? jobsJson(answer.node) : null, overall: jobsJson(answer.overall), height: String(answer.height) };
  });
}

/** `query jobs params`. */
export async function queryJobsParamsJson(node: string): Promise<unknown> {
  return withCometClient(node, async (comet) => {
    const { params, height } = await queryJobsParams(comet);
    return { params: jobsJson(params), height: String(height) };
  });
}
