import { ainError, AinError, ErrInvalidRequest } from '../../core/errors.ts';
import { EventCollector } from '../../core/events.ts';
import { GasMeter } from '../../core/gas.ts';
import type { QueryRouter } from '../../core/queryRouter.ts';
import type { ReadableState } from '../../core/state.ts';
import { Overlay } from '../../tree/overlay.ts';
import {
  Kind,
  QueryEvalRuleRequest,
  QueryEvalRuleResponse,
  QueryGetRequest,
  QueryGetResponse,
  QueryMatchRuleRequest,
  QueryMatchRuleResponse,
} from '../../proto/gen/ain/state/v1/query.ts';
import { parseAddress } from '../../core/address.ts';
import { canonicalJson } from './json.ts';
import type { StateKeeper } from './keeper.ts';
import type { ConfigKind } from './keys.ts';
import type { JsonValue } from './rules/types.ts';

const CONFIG_KINDS: ReadonlyMap<Kind, ConfigKind> = new Map([
  [Kind.KIND_RULE, 'rule'],
  [Kind.KIND_OWNER, 'owner'],
  [Kind.KIND_FUNCTION, 'function'],
]);

/** The deepest `depth` a Get accepts (a state path has at most 30 labels). */
const MAX_GET_DEPTH = 30;

/** The height a state view was read at: its own `height` (committed state, or a retained height's view), else the committed height. */
function heightOf(state: ReadableState, committedHeight: () => bigint): bigint {
  const own = (state as { height?: unknown }).height;
  return typeof own === 'bigint' ? own : committedHeight();
}

/**
 * `ain.state.v1.Query`: Get, EvalRule, MatchRule, read-only over the state the router hands in.
 * Answers are read at the state's own `height` when the view has one (committed state, a retained
 * height), else at `committedHeight()`: Get reports it, EvalRule judges the write as if in the next
 * block (block time 0: the next block's time is unknown). Proofs are added by the application.
 */
export function registerStateQueries(router: QueryRouter, keeper: StateKeeper, committedHeight: () => bigint): void {
  router.register('/ain.state.v1.Query/Get', (state, data) => {
    const request = QueryGetRequest.decode(data);
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
    return QueryGetResponse.encode({ value, proof: new Uint8Array(), height: heightOf(state, committedHeight) }).finish();
  });

  router.register('/ain.state.v1.Query/EvalRule', (state, data) => {
    const request = QueryEvalRuleRequest.decode(data);
    parseAddress(request.address, 'address');
    const ctx = {
      state: new Overlay(state),
      gas: new GasMeter(0),
      events: new EventCollector(),
      height: heightOf(state, committedHeight) + 1n,
      blockTimeSeconds: 0n,
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
    const request = QueryMatchRuleRequest.decode(data);
    const match = keeper.matchRule(state, request.path);
    return QueryMatchRuleResponse.encode({
      matchedPath: match?.pattern ?? '',
      rule: canonicalJson(match ? (match.config as unknown as JsonValue) : null),
      vars: match ? { ...match.vars } : {},
    }).finish();
  });
}
