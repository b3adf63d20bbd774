/**
 * Commit-reveal hashes of the jobs module, shared by the chain (checking reveals) and by clients and
 * executors (making commitments). Every part is bound into the hash, so a commitment copied from
 * another worker (whose address is inside it) or another request cannot be revealed.
 */
import { createHash } from 'node:crypto';

/** Salts are 16-64 bytes of hex, so a commitment to a short answer cannot be guessed by trying answers. */
export const SALT_PATTERN = /^([0-9a-f]{2}){16,64}$/;

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  // Each part is length-prefixed (UTF-8 byte length, decimal, then ':'), so no two part lists share an encoding.
  for (const part of parts) hash.update(`${Buffer.byteLength(part, 'utf8')}:${part}`, 'utf8');
  return hash.digest('hex');
}

/**
 * A worker's commitment to its result: sha256 hex of the length-prefixed parts
 * `"ain.jobs.v1.result", request_id, worker, salt, output, output_hash` (one of the last two empty).
 * @example resultCommitment(7n, 'ain1...', 'ab'.repeat(16), '{"x":2}', '') // '3f1c...' (64 hex)
 */
export function resultCommitment(requestId: bigint, worker: string, salt: string, output: string, outputHash: string): string {
  return digest(['ain.jobs.v1.result', requestId.toString(), worker, salt, output, outputHash]);
}

/**
 * A client's commitment to its test data: sha256 hex of the length-prefixed parts
 * `"ain.jobs.v1.test_data", job_id, client, salt, data, data_hash` (one of the last two empty). It is
 * made before the request exists, so it binds the job and the client rather than the request id.
 * @example testDataCommitment(1n, 'ain1...', 'cd'.repeat(16), '{"xs":[1,2]}', '')
 */
export function testDataCommitment(jobId: bigint, client: string, salt: string, data: string, dataHash: string): string {
  return digest(['ain.jobs.v1.test_data', jobId.toString(), client, salt, data, dataHash]);
}
