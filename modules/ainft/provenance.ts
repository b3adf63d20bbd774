/**
 * Accountability: what a token minted from a job records (the job, the request, the accepted worker,
 * the code hashes, the input hashes, the result hash), the checks that make such a mint honest (the
 * signer paid for the request, the request completed, its accepted result is the token's weights),
 * and the provenance walk: from a token to its job, the job's inputs, the tokens those inputs are,
 * and on through their jobs, metadata references and children.
 */
import { createHash } from 'node:crypto';
import { ainError } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { ProvenanceStep } from '../../proto/gen/ain/ainft/v1/query.ts';
import type { Request, WorkerResult } from '../../proto/gen/ain/jobs/v1/types.ts';
import { metadataRefs } from './composition.ts';
import { ErrAlreadyMinted, ErrJobNotAccepted, ErrResultMismatch, ErrUnauthorized } from './errors.ts';
import type { JobsKeeper } from './expected_keepers.ts';
import { byHashRootPath, byRequestPath, type TokenKey, tokenLabel } from './keys.ts';
import type { AinftParams } from './params.ts';
import { getToken, provenanceToProto, type StoredProvenance } from './records.ts';

/** sha256 hex of text's UTF-8 bytes: what Big Storage would call it. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The content hash of a worker's result: its Big Storage hash, or the hash of its inline JSON text. */
export const resultHashOf = (result: Pick<WorkerResult, 'output' | 'outputHash'>): string =>
  result.outputHash !== '' ? result.outputHash : sha256Hex(result.output);

/** A request's input hashes: its input's, then its test data's when it had any. */
export function inputHashesOf(request: Request): string[] {
  const hashes = [request.inputHash !== '' ? request.inputHash : sha256Hex(request.input)];
  if (request.testDataHash !== '') hashes.push(request.testDataHash);
  else if (request.testData !== '') hashes.push(sha256Hex(request.testData));
  return hashes;
}

/** The accepted result of a completed request: the result of the worker ranked first. */
export function acceptedResult(request: Request): WorkerResult | undefined {
  if (request.status !== 'completed' || request.ranking.length === 0) return undefined;
  return request.results.find((result) => result.worker === request.ranking[0]);
}

/**
 * The provenance of a token minted from request `requestId` by `signer`: the request must be the
 * signer's own (its client paid for it), completed with an accepted result not minted before, and
 * that result's hash must be `weightsHash`.
 * @throws AinError ainft/7 someone else's request, ainft/12 not completed, ainft/14 minted, ainft/13 hash
 */
export function provenanceFromJob(
  state: ReadableState,
  jobs: JobsKeeper,
  signer: string,
  requestId: bigint,
  weightsHash: string,
): StoredProvenance {
  const request = jobs.getRequest(state, requestId);
  if (!request) throw ainError(ErrJobNotAccepted, `from_job: no job request ${requestId}`, { field: 'from_job' });
  if (request.client !== signer)
    throw ainError(ErrUnauthorized, `from_job: request ${requestId} is ${request.client}'s; only its client may mint its result`, {
      field: 'from_job',
    });
  const result = acceptedResult(request);
  if (!result)
    throw ainError(ErrJobNotAccepted, `from_job: request ${requestId} is ${request.status}, not completed with a ranked result`, {
      field: 'from_job',
    });
  const minted = state.get(byRequestPath(requestId));
  if (typeof minted === 'string') throw ainError(ErrAlreadyMinted, `from_job: the result of request ${requestId} is token ${minted}`);
  const resultHash = resultHashOf(result);
  if (resultHash !== weightsHash)
    throw ainError(
      ErrResultMismatch,
      `metadata.model.weights_hash ${weightsHash} is not the hash of request ${requestId}'s accepted result ${resultHash}`,
      { field: 'metadata.model.weights_hash' },
    );
  const job = jobs.getJob(state, request.jobId);
  return {
    jobId: request.jobId,
    requestId,
    client: request.client,
    worker: result.worker,
    evaluator: request.evaluator,
    workerCodeHash: job?.workerCodeHash ?? '',
    evaluatorCodeHash: job?.evaluatorCodeHash ?? '',
    inputHashes: inputHashesOf(request),
    resultHash,
    settledAt: request.settledAt,
  };
}

/** Tokens whose data or weights have this hash, each once, in (class, id) order. */
export function tokensWithHash(state: ReadableState, hash: string, limit: number): TokenKey[] {
  const prefix = `${byHashRootPath(hash)}/`;
  const found = new Map<string, TokenKey>();
  for (const [path] of state.list(byHashRootPath(hash), limit * 2)) {
    const [classId, id] = path.slice(prefix.length).split('/') as [string, string];
    found.set(`${classId}/${id}`, { classId, id });
  }
  return [...found.values()].slice(0, limit);
}

/**
 * The provenance chain of a token, breadth first, each token once, at most `maxNodes` steps: the token
 * itself, then the tokens its job's inputs are (`input`), its metadata references (`data`, `model`,
 * `service`) and its children (`child`), and theirs in turn.
 */
export function provenanceChain(state: ReadableState, root: TokenKey, params: AinftParams): ProvenanceStep[] {
  const steps: ProvenanceStep[] = [];
  const seen = new Set([tokenLabel(root)]);
  const queue: Array<{ key: TokenKey; via: string; from: TokenKey | undefined; depth: number }> = [
    { key: root, via: 'self', from: undefined, depth: 0 },
  ];
  const enqueue = (key: TokenKey, via: string, from: TokenKey, depth: number) => {
    if (seen.has(tokenLabel(key))) return;
    seen.add(tokenLabel(key));
    queue.push({ key, via, from, depth });
  };
  while (queue.length > 0 && steps.length < params.maxNodes) {
    const { key, via, from, depth } = queue.shift()!;
    const token = getToken(state, key);
    if (!token) continue;
    const inputs = (token.provenance?.inputHashes ?? []).map((hash) => ({
      hash,
      tokens: tokensWithHash(state, hash, params.maxNodes).filter((t) => tokenLabel(t) !== tokenLabel(key)),
    }));
    steps.push({
      token: { classId: key.classId, id: key.id },
      via,
      from: from && { classId: from.classId, id: from.id },
      job: token.provenance && provenanceToProto(token.provenance),
      inputs: inputs.map((input) => ({ hash: input.hash, tokens: input.tokens.map((t) => ({ classId: t.classId, id: t.id })) })),
      depth,
    });
    for (const input of inputs) for (const t of input.tokens) enqueue(t, 'input', key, depth + 1);
    for (const [kind, ref] of metadataRefs(token.metadata)) enqueue(ref, kind, key, depth + 1);
    for (const child of token.composition.children) enqueue(child, 'child', key, depth + 1);
  }
  return steps;
}
