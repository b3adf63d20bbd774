/**
 * The jobs module's subtree `/jobs` (canonical JSON text leaves unless said otherwise):
 * - `/jobs/next_job_id`, `/jobs/next_request_id`: counters (decimal text; missing = 1);
 * - `/jobs/escrow_total`: uain the module account holds for live requests (decimal text; missing = 0);
 * - `/jobs/jobs/<job>/spec`: the registered job; `/jobs/jobs/<job>/stats`: its figures;
 * - `/jobs/jobs/<job>/nodes/<address>`: a node's place in the job's reputation tree and its counts;
 * - `/jobs/jobs/<job>/rate/<admin>`: the admin's approvals and drops in the current rate window;
 * - `/jobs/requests/<id>/record`: a request; `/input`, `/test_data`: JSON text as given;
 *   `/results/<worker>`: one worker's part;
 * - `/jobs/deadlines/<deadline, 20 digits>/<id>`: `true` while the request is live, keyed by its
 *   current deadline, so the end of a block reads due requests from the front;
 * - `/jobs/node_stats/<address>`: a node's counts across all jobs.
 * Params live at `/params/jobs/<name>`.
 */
export const JOBS_ROOT = '/jobs';
export const NEXT_JOB_ID_PATH = `${JOBS_ROOT}/next_job_id`;
export const NEXT_REQUEST_ID_PATH = `${JOBS_ROOT}/next_request_id`;
export const ESCROW_TOTAL_PATH = `${JOBS_ROOT}/escrow_total`;
export const JOBS_BY_ID_ROOT = `${JOBS_ROOT}/jobs`;
export const REQUESTS_ROOT = `${JOBS_ROOT}/requests`;
export const DEADLINES_ROOT = `${JOBS_ROOT}/deadlines`;
export const NODE_STATS_ROOT = `${JOBS_ROOT}/node_stats`;
export const PARAMS_ROOT = '/params/jobs';

export const jobPath = (jobId: bigint): string => `${JOBS_BY_ID_ROOT}/${jobId}`;
export const jobSpecPath = (jobId: bigint): string => `${jobPath(jobId)}/spec`;
export const jobStatsPath = (jobId: bigint): string => `${jobPath(jobId)}/stats`;
export const jobNodesPath = (jobId: bigint): string => `${jobPath(jobId)}/nodes`;
export const jobNodePath = (jobId: bigint, address: string): string => `${jobNodesPath(jobId)}/${address}`;
export const ratePath = (jobId: bigint, admin: string): string => `${jobPath(jobId)}/rate/${admin}`;
export const requestPath = (id: bigint): string => `${REQUESTS_ROOT}/${id}`;
export const requestRecordPath = (id: bigint): string => `${requestPath(id)}/record`;
export const requestInputPath = (id: bigint): string => `${requestPath(id)}/input`;
export const requestTestDataPath = (id: bigint): string => `${requestPath(id)}/test_data`;
export const resultPath = (id: bigint, worker: string): string => `${requestPath(id)}/results/${worker}`;
export const deadlinePath = (deadline: bigint, id: bigint): string => `${DEADLINES_ROOT}/${deadline.toString().padStart(20, '0')}/${id}`;
export const nodeStatsPath = (address: string): string => `${NODE_STATS_ROOT}/${address}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;

/** Parses `/jobs/deadlines/<deadline>/<id>` back into its numbers. */
export function parseDeadlinePath(path: string): { deadline: bigint; id: bigint } {
  const [deadline, id] = path.slice(DEADLINES_ROOT.length + 1).split('/');
  return { deadline: BigInt(deadline!), id: BigInt(id!) };
}
