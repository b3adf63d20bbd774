import { ainError } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryCallRequest,
  QueryCallResponse,
  QueryCallsRequest,
  QueryCallsResponse,
  QueryExecutorsRequest,
  QueryExecutorsResponse,
} from '../../proto/gen/ain/triggers/v1/query.ts';
import { ErrCallNotFound } from './errors.ts';
import { MAX_CALLS_LISTED, type TriggersKeeper } from './keeper.ts';

/** `ain.triggers.v1.Query`: Call, Calls (pending, earliest deadline first), Executors. */
export function registerTriggersQueries(router: QueryRegistrar, keeper: TriggersKeeper): void {
  router.register('/ain.triggers.v1.Query/Call', (state, data) => {
    const { callId } = QueryCallRequest.decode(data);
    const call = keeper.getCall(state, callId);
    if (!call) throw ainError(ErrCallNotFound, `no call ${callId}`);
    return QueryCallResponse.encode({ call }).finish();
  });
  router.register('/ain.triggers.v1.Query/Calls', (state, data) => {
    const { limit } = QueryCallsRequest.decode(data);
    return QueryCallsResponse.encode({ calls: keeper.pendingCalls(state, limit || MAX_CALLS_LISTED) }).finish();
  });
  router.register('/ain.triggers.v1.Query/Executors', (state, data) => {
    const { limit } = QueryExecutorsRequest.decode(data);
    return QueryExecutorsResponse.encode({ executors: keeper.executors(state, limit || 100) }).finish();
  });
}
