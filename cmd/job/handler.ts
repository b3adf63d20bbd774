import { readFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { connectAin, queryJob, queryJobRequest } from '../../client/index.ts';
import { BlobCache } from '../../executor/index.ts';
import { evaluateLocally, nodeHttpUrl, parseId } from '../common/index.ts';

/**
 * `aind job evaluate REQUEST_ID [--code FILE]`: the ranking the job's evaluator code (or FILE) gives
 * the request's revealed results, for an admin resolving a challenge or a client checking a ranking.
 */
export async function evaluateRequest(
  node: string,
  storage: string,
  id: string,
  codeFile?: string,
): Promise<{ request_id: string; ranking: string[] }> {
  const requestId = parseId(id, 'REQUEST_ID');
  let code: Uint8Array | undefined;
  if (codeFile !== undefined) {
    try {
      code = readFileSync(codeFile);
    } catch (cause) {
      throw ainError(ErrInvalidRequest, `cannot read --code ${codeFile} (${(cause as Error).message})`);
    }
  }
  const client = await connectAin({ rpcUrl: nodeHttpUrl(node) });
  try {
    const { request } = await queryJobRequest(client.cometClient, requestId);
    const { job } = await queryJob(client.cometClient, request.jobId);
    const blobs = new BlobCache({ storageUrl: storage });
    const ranking = await evaluateLocally(job, request, (hash) => blobs.get(hash), code);
    return { request_id: requestId.toString(), ranking };
  } finally {
    client.disconnect();
  }
}
