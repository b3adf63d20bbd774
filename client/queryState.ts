/**
 * Read-only queries of the state module over ABCI (`/ain.state.v1.Query/Get|EvalRule|MatchRule`),
 * usable with any CometBFT client and no signer.
 *
 * They call the Comet client's `abciQuery` directly rather than CosmJS's `QueryClient.queryAbci`,
 * which turns a refusal into `Error("Query failed with (code): log")` and drops the codespace: here a
 * refusal is a {@link QueryError} with code, codespace and log.
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { ainError, ErrIO, ErrInvalidRequest, ErrJSONUnmarshal } from '../core/index.ts';
import { ErrInvalidProof, PROOF_OP_TYPE } from '../tree/index.ts';
import {
  Kind,
  QueryEvalRuleRequest,
  QueryEvalRuleResponse,
  QueryGetRequest,
  QueryGetResponse,
  QueryMatchRuleRequest,
  QueryMatchRuleResponse,
  QueryServiceName,
} from '../proto/gen/ain/state/v1/query.ts';
import { QueryError } from './errors.ts';
import type { JsonValue } from './messages.ts';
import { fetchAppHash, verifyStateProof } from './verifyStateProof.ts';

/** ABCI paths of the state queries. */
export const STATE_QUERY_PATHS = {
  get: `/${QueryServiceName}/Get`,
  evalRule: `/${QueryServiceName}/EvalRule`,
  matchRule: `/${QueryServiceName}/MatchRule`,
} as const;

/** What a Get reads at a path. */
export type StateKind = 'value' | 'rule' | 'owner' | 'function';

const KINDS: Readonly<Record<StateKind, Kind>> = {
  value: Kind.KIND_VALUE,
  rule: Kind.KIND_RULE,
  owner: Kind.KIND_OWNER,
  function: Kind.KIND_FUNCTION,
};

/** The part of a CometBFT client the queries use. */
export type StateQuerier = Pick<CometClient, 'abciQuery'>;

export interface HeightOption {
  /** Read the state after this block (default: the latest committed). The node keeps recent heights only. */
  readonly height?: number | undefined;
}

export interface GetOptions extends HeightOption {
  /** 0 (default) = the whole subtree; 1 = shallow (the node with its children's labels); n = n levels. */
  readonly depth?: number | undefined;
}

export interface GetParams extends GetOptions {
  readonly path: string;
  readonly kind?: StateKind | undefined;
}

/** An answer read at a height. */
export interface StateSnapshot {
  /** The JSON at the path; null when nothing is there. */
  readonly value: JsonValue;
  /** The committed height the answer was read at. */
  readonly height: number;
}

/**
 * Runs one ABCI query; a non-zero code throws {@link QueryError}.
 * @example const { value, height } = await abciQueryOrThrow(comet, STATE_QUERY_PATHS.get, bytes);
 */
export async function abciQueryOrThrow(
  comet: StateQuerier,
  path: string,
  data: Uint8Array,
  options: { readonly height?: number | undefined; readonly prove?: boolean } = {},
): Promise<Awaited<ReturnType<CometClient['abciQuery']>>> {
  const height = checkHeight(options.height);
  const response = await comet.abciQuery({ path, data, prove: options.prove ?? false, ...(height === undefined ? {} : { height }) });
  if (response.code) {
    throw new QueryError({ code: response.code, codespace: response.codespace, log: response.log ?? '', path, height: height ?? 0 });
  }
  return response;
}

/**
 * A node's answer decoded; bytes that are not one throw `sdk/39` naming the query path (a broken or
 * hostile node: cosmjs-types' decoders throw a bare RangeError or Error).
 * @example const answer = decodeAnswer(QueryGetResponse.decode, response.value, STATE_QUERY_PATHS.get);
 */
export function decodeAnswer<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, path: string): T {
  try {
    return decode(bytes);
  } catch (cause) {
    throw ainError(ErrIO, `the node answered ${path} with bytes that do not decode (${(cause as Error).message})`, { path });
  }
}

/**
 * The value, rule, owner or function config at a path.
 * @example await queryGet(comet, { path: '/apps/chat/posts', depth: 1 }) // { value: { 'ain1...': true }, height: 42 }
 */
export async function queryGet(comet: StateQuerier, params: GetParams): Promise<StateSnapshot> {
  const depth = params.depth ?? 0;
  if (!Number.isInteger(depth) || depth < 0 || depth > 0xffffffff)
    throw ainError(ErrInvalidRequest, `depth ${depth} must be a non-negative integer`);
  const request = QueryGetRequest.fromPartial({ path: params.path, kind: KINDS[params.kind ?? 'value'], depth });
  const response = await abciQueryOrThrow(comet, STATE_QUERY_PATHS.get, QueryGetRequest.encode(request).finish(), {
    height: params.height,
  });
  const answer = decodeAnswer(QueryGetResponse.decode, response.value, STATE_QUERY_PATHS.get);
  return { value: parseAnswerJson(answer.value, 'value'), height: answerHeight(answer.height, response.height) };
}

/** A value (or its absence) at a path, with the Merkle proof of it against the app hash. */
export interface StateProofAnswer extends StateSnapshot {
  readonly path: string;
  /** The value's JSON text as the node sent it. */
  readonly valueJson: string;
  /** The proof bytes (format in tree/proof.ts). */
  readonly proof: Uint8Array;
  /**
   * Checks the proof against the app hash of block `height + 1`, fetched from the node (or against
   * `appHash` when given, e.g. from a light client).
   */
  verify(appHash?: Uint8Array): Promise<boolean>;
}

/**
 * The value at a path with a proof, through the Comet client's `abciQuery` with `prove: true`. The
 * proof comes from the response's `ain:state` ProofOp (or `QueryGetResponse.proof`).
 * @example
 * const answer = await queryProof(comet, { path: '/apps/chat/posts/ain1.../1/text' });
 * await answer.verify(); // true
 */
export async function queryProof(comet: CometClient, params: HeightOption & { readonly path: string }): Promise<StateProofAnswer> {
  const request = QueryGetRequest.fromPartial({ path: params.path, kind: Kind.KIND_VALUE, depth: 0, prove: true });
  const response = await abciQueryOrThrow(comet, STATE_QUERY_PATHS.get, QueryGetRequest.encode(request).finish(), {
    height: params.height,
    prove: true,
  });
  const answer = decodeAnswer(QueryGetResponse.decode, response.value, STATE_QUERY_PATHS.get);
  const op = response.proof?.ops.find((o) => o.type === PROOF_OP_TYPE);
  const proof = op?.data.length ? op.data : answer.proof;
  if (proof.length === 0) throw ainError(ErrInvalidProof, `the node sent no proof for ${params.path}`, { path: params.path });
  const value = parseAnswerJson(answer.value, 'value');
  const height = answerHeight(answer.height, response.height);
  const path = params.path;
  return {
    path,
    value,
    valueJson: answer.value,
    proof,
    height,
    verify: async (appHash?: Uint8Array) =>
      verifyStateProof({ appHash: appHash ?? (await fetchAppHash(comet, height + 1)), path, value, proof }),
  };
}

/** The outcome of an eval-rule dry run. */
export interface EvalRuleResult {
  readonly allowed: boolean;
  /** Why the write would be refused, naming the rule; empty when allowed. */
  readonly reason: string;
  /** The path of the rule that decided. */
  readonly rulePath: string;
  readonly gasUsed: bigint;
  readonly height: number;
}

export interface EvalRuleParams extends HeightOption {
  readonly path: string;
  /** JSON text of the value that would be written. */
  readonly valueJson: string;
  /** The would-be writer. */
  readonly address: string;
  /** The function id making the write, if a function writes. */
  readonly fid?: string | undefined;
}

/**
 * Would `address` be allowed to write the value at `path`? A dry run: nothing is written.
 * @example await queryEvalRule(comet, { path, valueJson: '"hi"', address }) // { allowed: false, reason: '... /apps/chat/posts/$user ...', ... }
 */
export async function queryEvalRule(comet: StateQuerier, params: EvalRuleParams): Promise<EvalRuleResult> {
  const request = QueryEvalRuleRequest.fromPartial({
    path: params.path,
    value: params.valueJson,
    address: params.address,
    fid: params.fid ?? '',
  });
  const response = await abciQueryOrThrow(comet, STATE_QUERY_PATHS.evalRule, QueryEvalRuleRequest.encode(request).finish(), {
    height: params.height,
  });
  const answer = decodeAnswer(QueryEvalRuleResponse.decode, response.value, STATE_QUERY_PATHS.evalRule);
  return {
    allowed: answer.allowed,
    reason: answer.reason,
    rulePath: answer.rulePath,
    gasUsed: answer.gasUsed,
    height: response.height ?? 0,
  };
}

/** Which rule applies at a path. */
export interface MatchRuleResult {
  /** The rule's path with its `$var` labels, e.g. `/apps/chat/posts/$user`; empty when none applies. */
  readonly matchedPath: string;
  /** The rule config; null when no rule applies. */
  readonly rule: JsonValue;
  /** Each `$var` of `matchedPath` bound to the label of the queried path. */
  readonly vars: Readonly<Record<string, string>>;
  readonly height: number;
}

/**
 * The rule that governs writes at `path` and how its `$vars` bind.
 * @example await queryMatchRule(comet, { path: '/apps/chat/posts/ain1.../1' }) // { matchedPath: '/apps/chat/posts/$user', vars: { $user: 'ain1...' }, ... }
 */
export async function queryMatchRule(comet: StateQuerier, params: HeightOption & { readonly path: string }): Promise<MatchRuleResult> {
  const request = QueryMatchRuleRequest.fromPartial({ path: params.path });
  const response = await abciQueryOrThrow(comet, STATE_QUERY_PATHS.matchRule, QueryMatchRuleRequest.encode(request).finish(), {
    height: params.height,
  });
  const answer = decodeAnswer(QueryMatchRuleResponse.decode, response.value, STATE_QUERY_PATHS.matchRule);
  return {
    matchedPath: answer.matchedPath,
    rule: parseAnswerJson(answer.rule, 'rule'),
    vars: { ...answer.vars },
    height: response.height ?? 0,
  };
}

function checkHeight(height: number | undefined): number | undefined {
  if (height === undefined || height === 0) return undefined;
  if (!Number.isSafeInteger(height) || height < 0) throw ainError(ErrInvalidRequest, `height ${height} must be a positive integer`);
  return height;
}

/** The height read: ABCI's `ResponseQuery.height` (CometBFT's field for it), else the answer's own. */
function answerHeight(fromAnswer: bigint, fromAbci: number | undefined): number {
  return fromAbci !== undefined && fromAbci > 0 ? fromAbci : Number(fromAnswer);
}

/** The node's JSON text as a value; empty text counts as null. */
function parseAnswerJson(text: string, what: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw ainError(ErrJSONUnmarshal, `the node answered a ${what} that is not JSON (${(cause as Error).message})`);
  }
}
