import {
  decodeQueryRequest,
  ainError,
  AinError,
  ErrInvalidRequest,
  EventCollector,
  GasMeter,
  parseAddress,
  canonicalJson,
  type JsonValue,
} from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import { Overlay, PROOF_OP_TYPE } from '../../tree/index.ts';
import {
  Kind,
  QueryEvalRuleRequest,
  QueryEvalRuleResponse,
  QueryGetRequest,
  QueryGetResponse,
  QueryMatchRuleRequest,
  QueryMatchRuleResponse,
} from '../../proto/gen/ain/state/v1/query.ts';
import type { StateKeeper } from './keeper.ts';
import type { ConfigKind } from './keys.ts';

const CONFIG_KINDS: ReadonlyMap<Kind, ConfigKind> = new Map([
  [Kind.KIND_RULE, 'rule'],
  [Kind.KIND_OWNER, 'owner'],
  [Kind.KIND_FUNCTION, 'function'],
]);

/** The deepest `depth` a Get accepts (a state path has at most 30 labels). */
const MAX_GET_DEPTH = 30;

/**
 * `ain.state.v1.Query`: Get, EvalRule, MatchRule, read-only over the state at the query's height: Get
 * reports that height (and with `prove` the Merkle proof of the leaf at the path, also as proof ops),
 * EvalRule judges the write as CheckTx would: in the next block, with the time of the block at the query's height
 * (the latest block's, as CheckTx uses; 0 at an older height, whose block time the node does not keep).
 */
export function registerStateQueries(router: QueryRegistrar, keeper: StateKeeper): void {
  router.register('/ain.state.v1.Query/Get', (state, data, env) => {
    const request = decodeQueryRequest(QueryGetRequest, data);
    if (request.depth > MAX_GET_DEPTH)
      throw ainError(ErrInvalidRequest, `depth ${request.depth} is more than ${MAX_GET_DEPTH}; 0 reads the whole subtree`);
    let value: string;
    if (request.kind === Kind.KIND_VALUE) {
      value = canonicalJson(keeper.getValue(state, request.path, request.depth));
    } else {
      const kind = CONFIG_KINDS.get(request.kind);
      if (!kind) throw ainError(ErrInvalidRequest, `kind ${request.kind} is not VALUE, RULE, OWNER or FUNCTION`);
      value = canonicalJson(keeper.getConfig(state, kind, request.path));
    }
    if (!(env.prove || request.prove)) return QueryGetResponse.encode({ value, proof: new Uint8Array(), height: env.height }).finish();
    // The proof is of the leaf stored at the path (its absence when the path holds an object).
    const proof = env.proofOf(request.path);
    return {
      value: QueryGetResponse.encode({ value, proof, height: env.height }).finish(),
      proofOps: { ops: [{ type: PROOF_OP_TYPE, key: Buffer.from(request.path, 'utf8'), data: proof }] },
    };
  });

  router.register('/ain.state.v1.Query/EvalRule', (state, data, env) => {
    const request = decodeQueryRequest(QueryEvalRuleRequest, data);
    parseAddress(request.address, 'address');
    const ctx = {
      state: new Overlay(state),
      gas: new GasMeter(0),
      events: new EventCollector(),
      height: env.height + 1n,
      blockTimeSeconds: env.blockTimeSeconds ?? 0n,
    };
    try {
      const report = keeper.setValue(
        ctx,
        { addr: request.address, fid: request.fid === '' ? null : request.fid },
        request.path,
        request.value,
      );
      return QueryEvalRuleResponse.encode({
        allowed: true,
        reason: '',
        rulePath: report.rulePath,
        gasUsed: BigInt(report.ruleGas),
      }).finish();
    } catch (error) {
      if (!(error instanceof AinError)) throw error;
      const rulePath = typeof error.meta['rulePath'] === 'string' ? error.meta['rulePath'] : '';
      const gasUsed = typeof error.meta['ruleGas'] === 'number' ? BigInt(error.meta['ruleGas']) : 0n;
      return QueryEvalRuleResponse.encode({ allowed: false, reason: error.message, rulePath, gasUsed }).finish();
    }
  });

  router.register('/ain.state.v1.Query/MatchRule', (state, data) => {
    const request = decodeQueryRequest(QueryMatchRuleRequest, data);
    const match = keeper.matchRule(state, request.path);
    return QueryMatchRuleResponse.encode({
      matchedPath: match?.pattern ?? '',
      rule: canonicalJson(match ? (match.config as unknown as JsonValue) : null),
      vars: match ? { ...match.vars } : {},
    }).finish();
  });
}
